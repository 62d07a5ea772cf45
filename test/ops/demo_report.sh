#!/usr/bin/env bash
# The demo's segment report runs: every section of test/demo/report/ over a
# small sample CRM, without an error, and prints rows (make demo itself
# installs into the system's PostgreSQL, which the suite never touches).
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
db=seg_demo_report
. "$top/test/lib/suite.sh"
fresh_db
run -c 'CREATE EXTENSION segmentation' -v customers=1000 -v as_of=2026-06-30 \
	-f "$top/test/lib/crm.sql" >/dev/null || { echo "not ok - loading the sample CRM"; exit 1; }
for section in "$top"/test/demo/report/*.sql; do
	name=$(basename "$section")
	if out=$(psql -qX -v ON_ERROR_STOP=1 -d $db -v as_of=2026-06-30 -P footer=off -f "$section" 2>&1) &&
		[ "$(grep -c '^-*+-' <<<"$out")" -ge 1 ]; then
		echo "ok - demo report section $name runs and prints a table"
	else
		echo "not ok - demo report section $name:"
		sed 's/^/# /' <<<"$out" | head -20
	fi
done
psql -qX -c "DROP DATABASE $db WITH (FORCE)" >/dev/null
