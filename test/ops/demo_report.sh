#!/usr/bin/env bash
# The demo's segment report runs: every section of test/demo/report/ over a
# small sample CRM with its events, without an error, and prints rows (make
# demo itself installs into the system's PostgreSQL, which the suite never
# touches).  The behavioural section prints three segments, none empty and
# none everyone, and the same cart abandoners by saved rule, constant rule
# and hand-written SQL.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
db=seg_demo_report
. "$top/test/lib/suite.sh"
fresh_db
run -c 'CREATE EXTENSION segmentation' -v customers=1000 -v as_of=2026-06-30 \
	-f "$top/test/lib/crm.sql" >/dev/null || { echo "not ok - loading the sample CRM"; exit 1; }
run -v as_of=2026-06-30 -f "$top/test/lib/events.sql" >/dev/null || { echo "not ok - loading the sample events"; exit 1; }
run -f "$top/test/lib/campaign.sql" >/dev/null || { echo "not ok - loading the sample campaign"; exit 1; }
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
section=$top/test/demo/report/42_behaviour.sql
out="the section is missing"
if [ -f "$section" ] && out=$(run -v as_of=2026-06-30 -f "$section" 2>&1); then
	# unaligned: the segments (name|customers|share|rule), then saved|constant|hand-written
	sizes=$(awk -F'|' 'NF == 4 && $2 > 0 && $2 < 1000 { n++ } END { print n + 0 }' <<<"$out")
	result "demo report: three behavioural segments, none empty, none everyone" "$sizes" 3
	agree=$(awk -F'|' 'NF == 3 { print ($1 == $2 && $2 == $3 && $1 > 0) ? "agree" : $0 }' <<<"$out")
	result "demo report: cart abandoners by saved rule, constant rule and hand-written SQL" "$agree" agree
else
	echo "not ok - demo report section 42_behaviour.sql:"
	sed 's/^/# /' <<<"$out" | head -20
fi
psql -qX -c "DROP DATABASE $db WITH (FORCE)" >/dev/null
