#!/usr/bin/env bash
# Scale-out over postgres_fdw: orders hash-partitioned by customer_id into
# foreign tables on two shard databases of the throwaway cluster, the foreign
# servers created with extensions 'segmentation' so that the extension's
# functions are shipped.  With enable_partitionwise_aggregate the
# per-customer aggregates run on the shards (EXPLAIN VERBOSE shows them in
# each shard's Remote SQL), extension functions in a filter are shipped, and
# every result equals the single-node one.  (postgres_fdw does not ship a
# comparison of a function's text result with a text constant, because the
# collation does not come from a foreign column: filters compare non-text
# results or use IS [NOT] NULL.)  A feature adds its queries to
# the list at the end.
set -uo pipefail
export PGOPTIONS="-c client_min_messages=warning"
top=$(cd "$(dirname "$0")/../.." && pwd)
main=seg_shard_main
dbs=($main seg_shard_1 seg_shard_2)
. "$top/test/lib/suite.sh"
for d in "${dbs[@]}"; do
	fresh_db $d
	psql -qX -d $d -c "CREATE EXTENSION segmentation" >/dev/null
done
db=$main						# run's database

# the shards hold plain tables; the main database the partitioned parent
for r in 0 1; do
	psql -qX -v ON_ERROR_STOP=1 -d seg_shard_$((r + 1)) -c "
	CREATE TABLE orders_p$r (order_id bigint, customer_id bigint NOT NULL, ordered_at timestamptz NOT NULL,
							 amount numeric(12,2) NOT NULL)" >/dev/null || { echo "not ok - shard $r"; exit 1; }
done
run -c "CREATE EXTENSION postgres_fdw" >/dev/null
for r in 0 1; do
	run -c "CREATE SERVER shard$r FOREIGN DATA WRAPPER postgres_fdw
			OPTIONS (host '$PGHOST', port '$PGPORT', dbname 'seg_shard_$((r + 1))',
					 extensions 'segmentation', fetch_size '10000', batch_size '1000')" \
		-c "CREATE USER MAPPING FOR CURRENT_USER SERVER shard$r OPTIONS (user '$PGUSER')" >/dev/null
done
# the single-node CRM, then the same orders routed to the shards
run -v customers=20000 -v as_of=2026-06-30 -f "$top/test/lib/crm.sql" \
	-c "ALTER TABLE orders RENAME TO orders_local" \
	-c "CREATE TABLE orders (order_id bigint, customer_id bigint NOT NULL, ordered_at timestamptz NOT NULL,
			amount numeric(12,2) NOT NULL) PARTITION BY HASH (customer_id)" \
	-c "CREATE FOREIGN TABLE orders_p0 PARTITION OF orders FOR VALUES WITH (MODULUS 2, REMAINDER 0)
			SERVER shard0 OPTIONS (table_name 'orders_p0')" \
	-c "CREATE FOREIGN TABLE orders_p1 PARTITION OF orders FOR VALUES WITH (MODULUS 2, REMAINDER 1)
			SERVER shard1 OPTIONS (table_name 'orders_p1')" \
	-c "INSERT INTO orders SELECT * FROM orders_local" >/dev/null || { echo "not ok - loading the shards"; exit 1; }
for r in 0 1; do psql -qX -d seg_shard_$((r + 1)) -c "ANALYZE" >/dev/null; done
run -c "ANALYZE orders_local" -c "ANALYZE orders" >/dev/null

n=$(psql -qAtX -d seg_shard_1 -c "SELECT count(*) FROM orders_p0")
m=$(psql -qAtX -d seg_shard_2 -c "SELECT count(*) FROM orders_p1")
total=$(run -c "SELECT count(*) FROM orders_local")
result "the orders are split between the two shards ($n + $m)" "$((n + m)):$([ "$n" -gt 0 ] && [ "$m" -gt 0 ] && echo both)" "$total:both"

settings="SET enable_partitionwise_aggregate = on; SET enable_partitionwise_join = on;"
fp() { run -c "$settings" -c "SELECT count(*) || ':' || md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM ($1) x"; }
# name|query over the sharded orders|what the shards' Remote SQL must contain
# (a regular expression); the same query over orders_local is the reference
checks=(
"per-customer RFM inputs|SELECT customer_id, DATE '2026-06-30' - max(ordered_at)::date AS recency, count(*) AS frequency, sum(amount) AS monetary FROM orders GROUP BY customer_id|GROUP BY 1"
"RFM segments over the sharded orders|SELECT customer_id, rfm_score(recency, frequency, monetary) OVER () AS s FROM (SELECT customer_id, DATE '2026-06-30' - max(ordered_at)::date AS recency, count(*) AS frequency, sum(amount) AS monetary FROM orders GROUP BY customer_id) c|GROUP BY 1"
"an extension function in a filter is shipped|SELECT customer_id, count(*) FROM orders WHERE rfm_segment((amount::int % 5) + 1, 3, 3, '[{\"segment\": \"top\", \"r\": [4, 5]}]') IS NOT NULL GROUP BY customer_id|rfm_segment"
"lifecycle stages are computed on the shards|SELECT customer_id, lifecycle_stage(ordered_at, '2026-06-30') FROM orders GROUP BY customer_id|lifecycle_stage"
"lifecycle transitions under a policy on the shards|SELECT customer_id, lifecycle_transitions(ordered_at, '2026-01-01', '2026-06-30', lifecycle_policy(lapse_after => '180 days')) FROM orders GROUP BY customer_id|lifecycle_transitions"
"a segment rule over the order rows is inlined and its quals run on the shards|SELECT customer_id, count(*) FROM orders o WHERE segment_match('amount > 50 and ordered_at within 90 days', o, '2026-06-30') GROUP BY customer_id|amount > "
"BTYD summaries are computed on the shards|SELECT customer_id, btyd_summary(ordered_at, amount, '2026-06-30') FROM orders GROUP BY customer_id|btyd_summary"
)

for entry in "${checks[@]}"; do
	IFS='|' read -r name q remote <<<"$entry"
	plan=$(run -c "$settings" -c "EXPLAIN (VERBOSE, COSTS OFF) $q" 2>&1)
	shipped=$(grep -c "Remote SQL:.*$remote" <<<"$plan")
	if [ "$shipped" -lt 2 ]; then
		echo "not ok - $name: not run on both shards ($shipped Remote SQL lines match '$remote'):"
		sed 's/^/#   /' <<<"$plan" | head -30
	else
		echo "ok - $name runs on both shards (Remote SQL: $remote)"
	fi
	local_q=${q//FROM orders /FROM orders_local }
	result "$name: sharded result equals single node" "$(fp "$q")" "$(fp "$local_q")"
done

for d in "${dbs[@]}"; do drop_db $d; done
