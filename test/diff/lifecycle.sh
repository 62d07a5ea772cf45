#!/usr/bin/env bash
# Differential test of the lifecycle stages against the rules of the
# lifecycle issue written in plain SQL (lag() for the gaps, interval
# comparisons, a CASE in rule order): 100,000 customers, 0 to 12 orders each
# (duplicates, NULLs from a LEFT JOIN, orders after as_of), whole-day
# timestamps so that window edges are hit exactly, and eight random policies
# (days, hours and months).  The aggregate, the transitions aggregate and the
# pre-aggregated function are compared serially, with parallel partial
# aggregation forced (a sorted partial GroupAggregate: at a few orders per
# customer the planner never prefers a partial HashAggregate), and with
# force_parallel_mode.  Zero differences required.
set -uo pipefail
db=lifecycle_diff
export PGOPTIONS="-c client_min_messages=warning -c TimeZone=UTC"
. "$(dirname "$0")/../lib/suite.sh"
fresh_db
run -c 'CREATE EXTENSION segmentation' -c "
SELECT setseed(0.8);
-- eight valid random policies; pid 0 uses months ('1 year' is 360 days)
CREATE TABLE pol AS
SELECT pid, nw, aw, la, lo, lw,
	   lifecycle_policy(nw, aw, la, lo, lw) AS p
FROM (SELECT pid,
			 nw, nw + aw AS aw, nw + aw + la AS la, lo, lw
	  FROM (SELECT g AS pid,
				   make_interval(days => 1 + (random() * 60)::int, hours => (random() * 3)::int) AS nw,
				   make_interval(days => (random() * 120)::int) AS aw,
				   make_interval(days => (random() * 400)::int) AS la,
				   1 + (random() * 7)::int AS lo,
				   make_interval(days => 1 + (random() * 700)::int) AS lw
			FROM generate_series(1, 7) g) r
	  UNION ALL
	  SELECT 0, interval '1 mon', interval '3 mons', interval '1 year', 4, interval '6 mons') q;

CREATE TABLE cust AS SELECT c, c % 8 AS pid FROM generate_series(1, 100000) c;
-- orders: as_of (2025-01-01) minus whole days, some after as_of, duplicates
CREATE TABLE orders AS
SELECT c, timestamptz '2025-01-01' - make_interval(days => d) AS t
FROM (SELECT c, CASE WHEN random() < 0.3 THEN (random() * 120)::int - 20
					 ELSE (random() * 1500)::int - 20 END AS d
	  FROM cust, generate_series(1, c % 13) k) q;
INSERT INTO orders SELECT c, t FROM orders WHERE c % 17 = 0;		-- duplicates
INSERT INTO orders SELECT c, NULL FROM cust WHERE c % 29 = 0;		-- NULL timestamps
-- each order with its customer's policy, for the GROUP BY over orders alone
CREATE TABLE orders_p AS SELECT o.c, o.t, pol.p FROM orders o JOIN cust USING (c) JOIN pol USING (pid);
ANALYZE pol; ANALYZE cust; ANALYZE orders; ANALYZE orders_p;

-- the rules in plain SQL, for one as_of
CREATE FUNCTION ref_stage(as_of timestamptz) RETURNS TABLE (c int, stage text)
LANGUAGE sql STABLE AS \$\$
	WITH o AS (
		SELECT cust.c, pol.*, orders.t,
			   orders.t - lag(orders.t) OVER (PARTITION BY cust.c ORDER BY orders.t) AS gap
		FROM cust JOIN pol USING (pid)
		LEFT JOIN orders ON orders.c = cust.c AND orders.t <= as_of)
	SELECT c, CASE
		WHEN max(t) IS NULL THEN 'prospect'
		WHEN as_of - max(t) > max(la) THEN 'lapsed'
		WHEN as_of - max(t) > max(aw) THEN 'at_risk'
		WHEN as_of - min(t) <= max(nw) THEN 'new'
		WHEN as_of - max(t) FILTER (WHERE gap > la) <= max(nw) THEN 'reactivated'
		WHEN count(t) FILTER (WHERE as_of - t < lw) >= max(lo) THEN 'loyal'
		ELSE 'active' END
	FROM o GROUP BY c
\$\$;
-- the same for pre-aggregated figures: no reactivation, loyal counts all orders
CREATE FUNCTION ref_summary(as_of timestamptz) RETURNS TABLE (c int, stage text)
LANGUAGE sql STABLE AS \$\$
	SELECT cust.c, CASE
		WHEN max(t) IS NULL THEN 'prospect'
		WHEN as_of - max(t) > max(la) THEN 'lapsed'
		WHEN as_of - max(t) > max(aw) THEN 'at_risk'
		WHEN as_of - min(t) <= max(nw) THEN 'new'
		WHEN count(t) >= max(lo) THEN 'loyal'
		ELSE 'active' END
	FROM cust JOIN pol USING (pid) LEFT JOIN orders ON orders.c = cust.c AND orders.t <= as_of
	GROUP BY cust.c
\$\$;
CREATE TABLE ref_a AS SELECT * FROM ref_stage('2024-07-01');
CREATE TABLE ref_b AS SELECT * FROM ref_stage('2025-01-01');
CREATE TABLE ref_s AS SELECT * FROM ref_summary('2025-01-01');
" >/dev/null || { echo "not ok - setting up $db"; exit 1; }


check "the plain-SQL reference reaches all 7 stages on both dates" "7|7" "
SELECT (SELECT count(DISTINCT stage) FROM ref_a) || '|' || (SELECT count(DISTINCT stage) FROM ref_b)"
echo "# reference stages on 2025-01-01: $(run -c "SELECT string_agg(stage || ' ' || n, ', ' ORDER BY stage) FROM (SELECT stage, count(*) n FROM ref_b GROUP BY stage) q")"

serial="SET max_parallel_workers_per_gather = 0;"
forced="SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
		SET max_parallel_workers_per_gather = 2; SET parallel_leader_participation = off;"
for mode in serial forced-sort force_parallel_mode; do
	case $mode in
	serial) set_mode=$serial ;;
	forced-sort) set_mode="$forced SET enable_hashagg = off;" ;;
	force_parallel_mode) set_mode="SET force_parallel_mode = on;" ;;
	esac
	if [ "$mode" != serial ]; then
		plan=$(run -c "$set_mode EXPLAIN (COSTS OFF) SELECT c, lifecycle_stage(t, '2025-01-01', p) FROM orders_p GROUP BY c")
		case $mode in
		forced-*) want="Partial" ;;
		*) want="Gather" ;;
		esac
		if grep -q "$want" <<<"$plan"; then echo "ok - the $mode plan has a $want node"
		else echo "not ok - the $mode plan has no $want node:"; sed 's/^/# /' <<<"$plan"; fi
	fi
	# grouped over the orders, so that parallel plans aggregate partially per
	# worker; customers without any order row are not in that GROUP BY, and
	# are prospects (the LEFT JOIN check below runs the aggregate over them)
	check "lifecycle_stage equals the SQL rules on 100000 customers, 8 policies ($mode)" "100000|0" "
	$set_mode
	SELECT count(*) || '|' || count(*) FILTER (WHERE coalesce(a.stage::text, 'prospect') IS DISTINCT FROM r.stage)
	FROM (SELECT cust.c, s AS stage
		  FROM cust LEFT JOIN (
			SELECT c, lifecycle_stage(t, '2025-01-01', p) AS s
			FROM orders_p GROUP BY c) x USING (c)) a
	JOIN ref_b r USING (c)"
	check "lifecycle_transitions equals the SQL rules on both dates ($mode)" "0" "
	$set_mode
	SELECT count(*)
	FROM (SELECT c, lifecycle_transitions(t, '2024-07-01', '2025-01-01', p) AS tr
		  FROM orders_p GROUP BY c) x
	JOIN ref_a a USING (c) JOIN ref_b b USING (c)
	WHERE (tr).from_stage::text IS DISTINCT FROM a.stage OR (tr).to_stage::text IS DISTINCT FROM b.stage"
done

# customers with no order rows: the aggregate over a LEFT JOIN makes them prospects
check "lifecycle_stage over customers LEFT JOIN orders (prospects included)" "0" "
SELECT count(*)
FROM (SELECT c, lifecycle_stage(o.t, '2025-01-01', pol.p) AS s
	  FROM cust JOIN pol USING (pid) LEFT JOIN orders o USING (c) GROUP BY c) x
JOIN ref_b r USING (c) WHERE s::text IS DISTINCT FROM r.stage"

check "the default policy equals lifecycle_policy() spelled out" "0" "
SELECT count(*) FROM (
	SELECT c, lifecycle_stage(t, '2025-01-01') a,
		   lifecycle_stage(t, '2025-01-01', lifecycle_policy('30 days', '90 days', '365 days', 5, '365 days')) b
	FROM orders GROUP BY c) q WHERE a IS DISTINCT FROM b"

check "lifecycle_stage over pre-aggregated figures equals its SQL rules" "0" "
SELECT count(*)
FROM (SELECT cust.c, lifecycle_stage(min(o.t), max(o.t), count(o.t), '2025-01-01',
									 new_window => max(nw), active_window => max(aw),
									 lapse_after => max(la), loyal_orders => max(lo),
									 loyal_window => max(lw)) AS s
	  FROM cust JOIN pol USING (pid) LEFT JOIN orders o ON o.c = cust.c AND o.t <= '2025-01-01'
	  GROUP BY cust.c) x
JOIN ref_s r USING (c) WHERE s::text IS DISTINCT FROM r.stage"

psql -qX -c "DROP DATABASE $db WITH (FORCE)" >/dev/null
