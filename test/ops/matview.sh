#!/usr/bin/env bash
# Materialized views and scheduling, as a DBA runs them: the customer-segments
# view of test/ops/customer_segments.sql (one row per customer, a unique
# index, a fixed as_of) refreshed with REFRESH MATERIALIZED VIEW CONCURRENTLY.
# It is deterministic (two refreshes give the same rows), ignores orders
# after as_of, and follows new orders before it.  Then, when the Debian
# package postgresql-15-cron is installed, pg_cron refreshes it on a schedule
# in a second throwaway cluster that preloads pg_cron.
set -uo pipefail
export PGOPTIONS="-c client_min_messages=warning"
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/test/lib/cluster.sh"
db=seg_matview
. "$top/test/lib/suite.sh"

setup() {	# database
	fresh_db "$1"
	psql -qAtX -v ON_ERROR_STOP=1 -d "$1" -c "CREATE EXTENSION segmentation" \
		-v customers=3000 -v as_of=2026-06-30 -f "$top/test/lib/crm.sql" \
		-f "$top/test/ops/customer_segments.sql" >/dev/null
}
fingerprint() { psql -qAtX -d "$1" -c "SELECT count(*) || ':' || md5(string_agg(s::text, '|' ORDER BY customer_id)) FROM customer_segments s"; }

setup $db || { echo "not ok - creating the customer_segments view"; exit 1; }

before=$(fingerprint $db)
run -c "REFRESH MATERIALIZED VIEW CONCURRENTLY customer_segments" >/dev/null
result "a concurrent refresh with the same data and as_of gives the same rows" "$(fingerprint $db)" "$before"

run -c "INSERT INTO orders (customer_id, ordered_at, amount)
		SELECT customer_id, TIMESTAMPTZ '2026-07-15 10:00+00', 99.00 FROM customers WHERE customer_id % 7 = 0" \
	-c "REFRESH MATERIALIZED VIEW CONCURRENTLY customer_segments" >/dev/null
result "orders after as_of change nothing" "$(fingerprint $db)" "$before"

run -c "INSERT INTO orders (customer_id, ordered_at, amount)
		SELECT customer_id, TIMESTAMPTZ '2026-06-29 10:00+00', 5000.00 FROM customers WHERE customer_id % 50 = 1" \
	-c "REFRESH MATERIALIZED VIEW CONCURRENTLY customer_segments" >/dev/null
after=$(fingerprint $db)
direct=$(run -c "CREATE TEMP VIEW direct AS $(sed -n '/^-- the view:/,/^-- end of the view/p' "$top/test/ops/customer_segments.sql" | sed '1d;$d' | sed 's/;\s*$//')" \
	-c "SELECT count(*) || ':' || md5(string_agg(s::text, '|' ORDER BY customer_id)) FROM direct s")
if [ "$after" != "$before" ] && [ "$after" = "$direct" ]; then
	echo "ok - new orders before as_of show after a concurrent refresh, equal to the view's query run directly"
else
	echo "not ok - refresh after new orders: before $before, after $after, direct $direct"
fi
psql -qX -c "DROP DATABASE $db WITH (FORCE)" >/dev/null

# pg_cron: a schedule refreshes the view
if [ ! -e "$(pg_config --sharedir)/extension/pg_cron.control" ]; then
	echo "ok - # SKIP pg_cron schedule: the package postgresql-15-cron is not installed"
	exit 0
fi
work=$(mktemp -d /tmp/seg-cron.XXXXXX)
chmod 755 "$work"
(
	trap 'cluster_stop "$work/cluster"' EXIT
	SEG_CLUSTER_CONF="shared_preload_libraries = 'pg_cron'
cron.database_name = 'postgres'
cron.use_background_workers = on
max_worker_processes = 20" cluster_start "$work/cluster" "$SEG_BINDIR" || { echo "not ok - starting a cluster with pg_cron"; exit 0; }
	db=postgres
	psql -qAtX -v ON_ERROR_STOP=1 -d $db -c "CREATE EXTENSION segmentation" -c "CREATE EXTENSION pg_cron" \
		-v customers=2000 -v as_of=2026-06-30 -f "$top/test/lib/crm.sql" \
		-f "$top/test/ops/customer_segments.sql" >/dev/null || { echo "not ok - setting up pg_cron"; exit 0; }
	before=$(fingerprint $db)
	psql -qAtX -d $db -c "INSERT INTO orders (customer_id, ordered_at, amount)
		SELECT customer_id, TIMESTAMPTZ '2026-06-29 10:00+00', 5000.00 FROM customers WHERE customer_id % 40 = 3" \
		-c "SELECT cron.schedule('refresh customer segments', '* * * * *',
			'REFRESH MATERIALIZED VIEW CONCURRENTLY customer_segments')" >/dev/null
	# the job runs at the start of the next minute
	status=
	for _ in $(seq 1 80); do
		status=$(psql -qAtX -d $db -c "SELECT status FROM cron.job_run_details ORDER BY runid DESC LIMIT 1")
		[ "$status" = succeeded ] || [ "$status" = failed ] && break
		sleep 1
	done
	result "pg_cron runs the scheduled concurrent refresh" "$status" "succeeded"
	after=$(fingerprint $db)
	result "the scheduled refresh brought in the new orders" "$([ "$after" != "$before" ] && echo changed)" "changed"
)
rm -rf "$work"
