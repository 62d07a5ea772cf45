#!/usr/bin/env bash
# make demo: a throwaway cluster with the installed extension, a sample CRM of
# a few thousand customers (test/lib/crm.sql) and what they did besides
# ordering (test/lib/events.sql, which declares the sources orders and events
# for behavioural rules) and a simulated campaign (test/lib/campaign.sql), and
# the segment report: every file of
# test/demo/report/ in order, each a section of the report.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
. test/lib/cluster.sh
work=$(mktemp -d /tmp/segmentation-demo.XXXXXX)
chmod 755 "$work"
trap 'cluster_stop "$work/cluster"; rm -rf "$work"' EXIT
cluster_start "$work/cluster"
AS_OF=${AS_OF:-2026-06-30}
psql -qX -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION segmentation' >/dev/null
psql -qX -v ON_ERROR_STOP=1 -v customers=${CUSTOMERS:-5000} -v as_of="$AS_OF" -f test/lib/crm.sql >/dev/null
psql -qX -v ON_ERROR_STOP=1 -v as_of="$AS_OF" -f test/lib/events.sql >/dev/null
psql -qX -v ON_ERROR_STOP=1 -f test/lib/campaign.sql >/dev/null
echo "segmentation demo: $(psql -AtX -c 'SELECT count(*) FROM customers') customers, $(psql -AtX -c 'SELECT count(*) FROM orders') orders, $(psql -AtX -c 'SELECT count(*) FROM events') events, as of $AS_OF"
for section in test/demo/report/*.sql; do
	[ -f "$section" ] || continue
	echo
	psql -qX -v ON_ERROR_STOP=1 -v as_of="$AS_OF" -P footer=off -f "$section"
done
