#!/usr/bin/env bash
# Per-group memory of the aggregates, as README's memory table states it: a
# hash aggregate over 300,000 customers of 3 orders each, the hash table's
# memory less that of the same GROUP BY with count(*) alone, per customer,
# must stay within the stated bytes.  (EXPLAIN ANALYZE reports the hash
# table's memory in whole blocks of up to 8 MB: about 28 bytes a group here.)
set -uo pipefail
db=seg_agg_memory
groups=300000
. "$(dirname "$0")/../lib/suite.sh"
fresh_db
run -c "CREATE EXTENSION segmentation" -c "
CREATE TABLE o AS
SELECT g AS customer_id, k AS order_id,
	   TIMESTAMPTZ '2024-01-01' + (g % 700 + k * 37) * INTERVAL '1 day' AS ordered_at,
	   (g % 97 + k)::float8 AS amount
FROM generate_series(1, $groups) g, generate_series(1, 3) k;
ANALYZE o;" >/dev/null || { echo "not ok - setting up $db"; exit 1; }

# hash memory (bytes) of SELECT customer_id, AGG FROM o GROUP BY 1, in one batch
hash_bytes() {
	run -c "SET work_mem = '1GB'" -c "SET max_parallel_workers_per_gather = 0" -c "SET jit = off" \
		-c "SET enable_sort = off" -c "
EXPLAIN (ANALYZE, FORMAT JSON, TIMING OFF, SUMMARY OFF) SELECT customer_id, $1 FROM o GROUP BY 1" |
		sed -n 's/.*"Peak Memory Usage": \([0-9]*\).*/\1/p' | head -1 | awk '{ print $1 * 1024 }'
}
base=$(hash_bytes "count(*)")
bound() {
	local name=$1 max=$2 agg=$3 b per
	b=$(hash_bytes "$agg")
	if [ -z "$b" ] || [ -z "$base" ]; then
		echo "not ok - $name: no hash aggregate memory in the plan"
		return
	fi
	per=$(( (b - base) / groups ))
	if [ "$per" -le "$max" ]; then
		echo "ok - $name keeps $per bytes a customer of 3 orders (stated: at most $max)"
	else
		echo "not ok - $name keeps $per bytes a customer of 3 orders, more than the stated $max"
	fi
}
bound "lifecycle_stage" 176 "lifecycle_stage(ordered_at, '2026-01-01')"
bound "lifecycle_stage with a policy" 176 "lifecycle_stage(ordered_at, '2026-01-01', lifecycle_policy(loyal_orders => 2))"
bound "lifecycle_transitions" 304 "lifecycle_transitions(ordered_at, '2025-01-01', '2026-01-01')"
bound "btyd_summary" 256 "btyd_summary(ordered_at, amount, '2026-01-01')"
bound "btyd_holdout_summary" 256 "btyd_holdout_summary(ordered_at, amount, '2025-06-01', '2026-01-01')"
bound "rfm_thresholds" 420 "rfm_thresholds(order_id, amount, amount)"
psql -qX -c "DROP DATABASE $db WITH (FORCE)" >/dev/null
