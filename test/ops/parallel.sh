#!/usr/bin/env bash
# Parallel query: every aggregate of the extension is PARALLEL SAFE with
# combine, serialize and deserialize functions, and every query below gives
# the same rows with parallel plans forced (Gather over Partial Aggregate, or
# the whole query in a worker with force_parallel_mode) as without.  Each
# aggregate must appear in at least one query, so a new aggregate comes with
# its parallel check.
set -uo pipefail
export PGOPTIONS="-c client_min_messages=warning"
top=$(cd "$(dirname "$0")/../.." && pwd)
db=seg_parallel
. "$top/test/lib/suite.sh"
fresh_db
run -c "CREATE EXTENSION segmentation" -v customers=20000 -v as_of=2026-06-30 -f "$top/test/lib/crm.sql" \
	-c "CREATE TABLE totals AS SELECT o.customer_id, c.country, DATE '2026-06-30' - max(o.ordered_at)::date AS recency,
			count(*) AS frequency, sum(o.amount) AS monetary
		FROM orders o JOIN customers c USING (customer_id) GROUP BY 1, 2" \
	-c "CREATE TABLE summaries AS SELECT c.customer_id, c.country, btyd_summary(o.ordered_at, o.amount, '2026-06-30') AS s
		FROM orders o JOIN customers c USING (customer_id) GROUP BY 1, 2" \
	-c "CREATE TABLE orders_by_customer (LIKE orders) PARTITION BY HASH (customer_id)" \
	-c "DO \$\$ BEGIN FOR i IN 0..3 LOOP EXECUTE format('CREATE TABLE orders_by_customer_%s
			PARTITION OF orders_by_customer FOR VALUES WITH (MODULUS 4, REMAINDER %s)', i, i); END LOOP; END \$\$" \
	-c "INSERT INTO orders_by_customer SELECT * FROM orders" \
	-c "VACUUM ANALYZE" >/dev/null || { echo "not ok - setting up $db"; exit 1; }

got=$(run -c "
SELECT coalesce(string_agg(p.oid::regprocedure::text, ', '), '')
FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'segmentation'
WHERE p.proparallel <> 's' OR a.aggcombinefn = 0
   OR (a.aggtranstype = 'internal'::regtype AND (a.aggserialfn = 0 OR a.aggdeserialfn = 0))")
if [ -z "$got" ]; then echo "ok - every aggregate is parallel safe with combine, serialize and deserialize"
else echo "not ok - aggregates not ready for parallel query: $got"; fi

# name|query: each query's rows are compared as a sorted text list
queries=(
"rfm_thresholds per country|SELECT country, rfm_thresholds(recency, frequency, monetary) FROM totals GROUP BY country"
"rfm_thresholds with 10 bins, whole population|SELECT rfm_thresholds(recency, frequency, monetary, 10) FROM totals"
"rfm_thresholds over a grouped subquery|SELECT rfm_thresholds(r, f, m, 4) FROM (SELECT customer_id, max(ordered_at)::date - DATE '2020-01-01' AS r, count(*) AS f, sum(amount) AS m FROM orders GROUP BY customer_id) s"
"lifecycle_stage per customer|SELECT customer_id, lifecycle_stage(ordered_at, '2026-06-30') FROM orders GROUP BY customer_id"
"lifecycle_transitions under a policy, as a matrix|SELECT (t).from_stage, (t).to_stage, count(*) FROM (SELECT customer_id, lifecycle_transitions(ordered_at, '2026-01-01', '2026-06-30', lifecycle_policy(lapse_after => '180 days')) AS t FROM orders GROUP BY customer_id) s GROUP BY 1, 2"
"btyd_summary per customer|SELECT customer_id, btyd_summary(ordered_at, amount, '2026-06-30') FROM orders GROUP BY customer_id"
"clv_fit over every customer summary|SELECT clv_fit(s)::text FROM summaries"
"clv_fit per country, penalized, in weeks|SELECT country, clv_fit(((s).frequency, (s).recency / 7, (s).t / 7, (s).monetary, 7)::btyd_summary, 0.001, '7 days')::text FROM summaries GROUP BY country"
"clv_fit_pareto_nbd and clv_fit_mbgnbd over every customer summary, in weeks|SELECT clv_fit_pareto_nbd(((s).frequency, (s).recency / 7, (s).t / 7, (s).monetary, 7)::btyd_summary)::text, clv_fit_mbgnbd(((s).frequency, (s).recency / 7, (s).t / 7, (s).monetary, 7)::btyd_summary)::text FROM summaries"
"btyd_holdout_summary in weeks|SELECT customer_id, btyd_holdout_summary(ordered_at, amount, '2026-01-01', '2026-06-30', '7 days') FROM orders GROUP BY customer_id"
"segment_kmeans per country over RFM totals, log1p|SELECT country, segment_kmeans(ARRAY[recency, frequency, monetary]::float8[], 3, 'log1p')::text FROM totals GROUP BY country"
"segment_kmeans over every order, beyond its 20,000-row sample|SELECT segment_kmeans(ARRAY[amount, extract(epoch FROM ordered_at) / 86400]::float8[], 4, 'zscore', 11)::text FROM orders"
"segment_profile per customer-id bucket against segment_profile_merge of other buckets, personas rounded to 6 decimals|SELECT g, p.rank, p.attribute, p.value, round(p.segment_value::numeric, 6), round(p.population_value::numeric, 6), round(p.difference::numeric, 6) FROM (SELECT customer_id % 5 AS g, segment_profile(jsonb_build_object('amount', amount, 'big', amount > 50, 'dow', extract(dow FROM ordered_at)::text)) AS s FROM orders GROUP BY 1) x, segment_persona(x.s, (SELECT segment_profile_merge(s2) FROM (SELECT segment_profile(jsonb_build_object('amount', amount, 'big', amount > 50, 'dow', extract(dow FROM ordered_at)::text)) AS s2 FROM orders GROUP BY customer_id % 3) y)) p"
"segment_kmeans_choose_k over every order|SELECT segment_kmeans_choose_k(ARRAY[amount, extract(dow FROM ordered_at)]::float8[], 4)::text FROM orders"
"segment_lift_conversion, segment_lift_mean, segment_lift_cuped and segment_lift_ratio per customer-id bucket, rounded to 6 decimals|SELECT g, k, (r).variant, (r).n, (r).n_null, round((r).mean::numeric, 6), round((r).lift_lower::numeric, 6), round((r).lift_upper::numeric, 6), round((r).p_value::numeric, 6), round((r).variance_reduction::numeric, 6) FROM (SELECT g, k, unnest(a) AS r FROM (SELECT customer_id % 5 AS g, segment_lift_conversion((customer_id % 3)::int, amount > 50) AS c, segment_lift_mean((customer_id % 3)::int, amount::float8) AS m, segment_lift_cuped((customer_id % 3)::int, amount::float8, (order_id % 97)::float8) AS u, segment_lift_ratio((customer_id % 3)::int, amount::float8, (1 + order_id % 4)::float8) AS q FROM orders GROUP BY 1) s, LATERAL (VALUES ('c', c), ('m', m), ('u', u), ('q', q)) v(k, a)) x"
"bgbb_summary per customer over yearly opportunities|SELECT customer_id, bgbb_summary(extract(year FROM ordered_at)::bigint, 2026) FROM orders GROUP BY customer_id"
"bgbb_fit over the yearly summaries, penalized|SELECT bgbb_fit(s, 1, 0.0001)::text FROM (SELECT bgbb_summary(extract(year FROM ordered_at)::bigint, 2026) AS s FROM orders GROUP BY customer_id) x"
"sbg_fit over every order as a subscriber, penalized|SELECT sbg_fit(1 + (order_id % 7)::int, amount < 20, 0.0001)::text FROM orders"
)

serial="SET max_parallel_workers_per_gather = 0;"
forced="SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
	SET max_parallel_workers_per_gather = 2; SET parallel_leader_participation = off;"
debug="SET force_parallel_mode = on;"   # debug_parallel_query from PostgreSQL 16
# fingerprint SETTINGS QUERY: the row count and an md5 of the sorted rows
fp() { run -c "$1" -c "SELECT count(*) || ':' || md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM ($2) x" 2>&1; }
# verdict NAME PLAN_OK WHAT A B C: ok when the three fingerprints agree
verdict() {
	local name=$1 plan_ok=$2 what=$3 a=$4 b=$5 c=$6
	if [ -n "$plan_ok" ]; then
		echo "not ok - $name: $plan_ok"
	elif [ "$a" = "$b" ] && [ "$a" = "$c" ] && [[ "$a" != 0:* ]]; then
		echo "ok - $name: $what ($a)"
	else
		echo "not ok - $name: fingerprints differ: $a, $b, $c"
	fi
}
declare -A serial_fp		# each query's serial fingerprint, for the second loop
for entry in "${queries[@]}"; do
	name=${entry%%|*}
	q=${entry#*|}
	serial_fp[$name]=$(fp "$serial" "$q")
	plan=$(run -c "$forced" -c "EXPLAIN (COSTS OFF) $q" 2>&1)
	bad=
	grep -q "Partial" <<<"$plan" || bad="no partial aggregation in the forced plan: $plan"
	verdict "$name" "$bad" "parallel (partial aggregation, force_parallel_mode) equals serial" \
		"${serial_fp[$name]}" "$(fp "$forced" "$q")" "$(fp "$debug" "$q")"
done

# Partitionwise aggregation over the orders hash-partitioned by customer:
# grouped by customer, each partition aggregates its customers whole (in a
# worker, under Parallel Append); grouped by anything else, each partition
# gives partial states that the combine function merges in the same process,
# without serialization.  Both must give the serial rows of the plain table.
pw="SET enable_partitionwise_aggregate = on;"
pw_queries=("${queries[@]}"
"lifecycle_stage, btyd_summary and rfm_thresholds per customer-id bucket, across partitions|SELECT customer_id % 7, lifecycle_stage(ordered_at, '2026-06-30'), btyd_summary(ordered_at, amount, '2026-06-30'), rfm_thresholds(order_id, amount, extract(epoch FROM ordered_at)) FROM orders GROUP BY 1"
)
for entry in "${pw_queries[@]}"; do
	name=${entry%%|*}
	q=${entry#*|}
	grep -q " FROM orders GROUP BY" <<<"$q" || continue
	pq=${q/ FROM orders GROUP BY/ FROM orders_by_customer GROUP BY}
	plan=$(run -c "$forced $pw" -c "EXPLAIN (COSTS OFF) $pq" 2>&1)
	bad=
	# one aggregate node per partition (4) at least; without partitionwise
	# aggregation these plans have two or three
	if [ "$(grep -c "Aggregate" <<<"$plan")" -lt 4 ]; then
		bad="no aggregation per partition in the plan: $plan"
	fi
	verdict "$name" "$bad" "partitionwise, serial and parallel, equals the plain table" \
		"${serial_fp[$name]:-$(fp "$serial" "$q")}" "$(fp "$serial $pw" "$pq")" "$(fp "$forced $pw" "$pq")"
done

# The leader of a parallel plan keeps one state a group, as a serial plan
# does: a partial state it deserializes lives in the per-input-tuple context
# only until the combine function has merged it.  (Made in the aggregate's
# context, every partial state received stayed to the end of the query: 3.5
# times the serial hash table here.)  EXPLAIN's hash memory of the Finalize
# HashAggregate against the serial HashAggregate's, within 25 %.
hash_kb() {
	run -c "$1" -c "SET work_mem = '1GB'" -c "SET jit = off" -c "SET enable_sort = off" \
		-c "EXPLAIN (ANALYZE, FORMAT JSON, TIMING OFF, SUMMARY OFF) $2" |
		sed -n 's/.*"Peak Memory Usage": \([0-9]*\).*/\1/p' | head -1
}
for agg in "lifecycle_stage(ordered_at, '2026-06-30')" "btyd_summary(ordered_at, amount, '2026-06-30')" \
	"bgbb_summary(extract(doy FROM ordered_at)::bigint, 366)"; do
	q="SELECT customer_id, $agg FROM orders GROUP BY customer_id"
	s_kb=$(hash_kb "$serial" "$q")
	p_kb=$(hash_kb "$forced" "$q")
	if ! run -c "$forced" -c "EXPLAIN (COSTS OFF) $q" | grep -q "Finalize HashAggregate"; then
		echo "not ok - ${agg%%(*} in the leader: no Finalize HashAggregate in the forced plan"
	elif [ -n "$s_kb" ] && [ -n "$p_kb" ] && [ $((p_kb * 4)) -le $((s_kb * 5)) ]; then
		echo "ok - ${agg%%(*}: the leader's hash table ($p_kb kB) is no larger than the serial one's ($s_kb kB) by more than 25 %"
	else
		echo "not ok - ${agg%%(*}: the leader's hash table (${p_kb:-?} kB) against the serial one's (${s_kb:-?} kB)"
	fi
done

missing=$(run -c "SELECT coalesce(string_agg(DISTINCT p.proname, ', '), '')
FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'segmentation'
WHERE strpos(\$\$${queries[*]}\$\$, p.proname || '(') = 0")
if [ -z "$missing" ]; then echo "ok - every aggregate has a parallel check"; else echo "not ok - aggregates without a parallel check: $missing"; fi
psql -qX -c "DROP DATABASE $db WITH (FORCE)" >/dev/null
