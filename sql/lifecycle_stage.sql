-- lifecycle_stage: every rule of the lifecycle issue, in order, and each on
-- both sides of its window edge.  Default policy: new_window 30 days,
-- active_window 90 days, lapse_after 365 days, loyal_orders 5, loyal_window
-- 365 days.  as_of is 2025-01-01 00:00 UTC throughout.
SET TimeZone = 'UTC';

CREATE TEMP TABLE cases (name text, ordered_at timestamptz);
-- "ago(d)": as_of minus d days; "+1us" is one microsecond further back
CREATE FUNCTION pg_temp.ago(d interval) RETURNS timestamptz
	LANGUAGE sql IMMUTABLE AS $$ SELECT timestamptz '2025-01-01' - d $$;
INSERT INTO cases VALUES
	-- 1. prospect: no orders on or before as_of
	('prospect: only a NULL (LEFT JOIN)', NULL),
	('prospect: only after as_of', pg_temp.ago('-1 day')),
	('prospect: only after as_of, by 1us', pg_temp.ago('-1 microsecond')),
	-- an order exactly at as_of counts
	('new: one order at as_of', pg_temp.ago('0')),
	-- 2. lapsed: recency > lapse_after
	('at_risk: recency = lapse_after', pg_temp.ago('365 days')),
	('lapsed: recency = lapse_after + 1us', pg_temp.ago('365 days 1 microsecond')),
	-- 3. at_risk: recency > active_window
	('active: recency = active_window', pg_temp.ago('200 days')),
	('active: recency = active_window', pg_temp.ago('90 days')),
	('at_risk: recency = active_window + 1us', pg_temp.ago('200 days')),
	('at_risk: recency = active_window + 1us', pg_temp.ago('90 days 1 microsecond')),
	-- 4. new: as_of - first <= new_window
	('new: first = new_window', pg_temp.ago('30 days')),
	('new: first = new_window', pg_temp.ago('1 day')),
	('active: first = new_window + 1us', pg_temp.ago('30 days 1 microsecond')),
	('active: first = new_window + 1us', pg_temp.ago('1 day')),
	-- orders after as_of are ignored: the first order on or before as_of decides
	('new: later orders ignored', pg_temp.ago('10 days')),
	('new: later orders ignored', pg_temp.ago('-400 days')),
	-- 5. reactivated: a gap > lapse_after ending within new_window
	('reactivated: gap 490 days, ends 10 days ago', pg_temp.ago('500 days')),
	('reactivated: gap 490 days, ends 10 days ago', pg_temp.ago('10 days')),
	('active: gap = lapse_after exactly', pg_temp.ago('375 days')),
	('active: gap = lapse_after exactly', pg_temp.ago('10 days')),
	('reactivated: gap ends exactly new_window ago', pg_temp.ago('500 days')),
	('reactivated: gap ends exactly new_window ago', pg_temp.ago('30 days')),
	('active: gap ends new_window + 1us ago', pg_temp.ago('500 days')),
	('active: gap ends new_window + 1us ago', pg_temp.ago('30 days 1 microsecond')),
	-- orders after the gap, inside the new window, keep it reactivated
	('reactivated: gap then 3 orders', pg_temp.ago('700 days')),
	('reactivated: gap then 3 orders', pg_temp.ago('20 days')),
	('reactivated: gap then 3 orders', pg_temp.ago('10 days')),
	('reactivated: gap then 3 orders', pg_temp.ago('1 day')),
	-- reactivated comes before loyal
	('reactivated: 6 orders after a gap', pg_temp.ago('800 days')),
	('reactivated: 6 orders after a gap', pg_temp.ago('25 days')),
	('reactivated: 6 orders after a gap', pg_temp.ago('20 days')),
	('reactivated: 6 orders after a gap', pg_temp.ago('15 days')),
	('reactivated: 6 orders after a gap', pg_temp.ago('10 days')),
	('reactivated: 6 orders after a gap', pg_temp.ago('5 days')),
	-- an old gap followed by an order outside the new window: no longer
	('active: old gap', pg_temp.ago('900 days')),
	('active: old gap', pg_temp.ago('60 days')),
	('active: old gap', pg_temp.ago('5 days')),
	-- 6. loyal: at least loyal_orders orders in (as_of - loyal_window, as_of]
	('loyal: 5 orders in the window', pg_temp.ago('300 days')),
	('loyal: 5 orders in the window', pg_temp.ago('200 days')),
	('loyal: 5 orders in the window', pg_temp.ago('100 days')),
	('loyal: 5 orders in the window', pg_temp.ago('50 days')),
	('loyal: 5 orders in the window', pg_temp.ago('10 days')),
	('active: 5th order exactly loyal_window ago', pg_temp.ago('365 days')),
	('active: 5th order exactly loyal_window ago', pg_temp.ago('200 days')),
	('active: 5th order exactly loyal_window ago', pg_temp.ago('100 days')),
	('active: 5th order exactly loyal_window ago', pg_temp.ago('50 days')),
	('active: 5th order exactly loyal_window ago', pg_temp.ago('10 days')),
	-- duplicate timestamps are separate orders
	('loyal: duplicate timestamps', pg_temp.ago('100 days')),
	('loyal: duplicate timestamps', pg_temp.ago('40 days')),
	('loyal: duplicate timestamps', pg_temp.ago('40 days')),
	('loyal: duplicate timestamps', pg_temp.ago('40 days')),
	('loyal: duplicate timestamps', pg_temp.ago('40 days')),
	-- NULL timestamps are ignored
	('active: NULLs ignored', NULL),
	('active: NULLs ignored', pg_temp.ago('60 days')),
	('active: NULLs ignored', NULL),
	-- 7. active: one order, 60 days ago
	('active: one order', pg_temp.ago('60 days'));

SELECT name, lifecycle_stage(ordered_at, '2025-01-01') AS stage,
	   lifecycle_stage(ordered_at, '2025-01-01' ORDER BY ordered_at DESC) AS reversed
FROM cases GROUP BY name ORDER BY name;

-- the expected stage is the first word of each name
SELECT count(*) AS cases,
	   count(*) FILTER (WHERE stage::text = split_part(name, ':', 1)) AS as_named
FROM (SELECT name, lifecycle_stage(ordered_at, '2025-01-01') AS stage
	  FROM cases GROUP BY name) q;

-- the default policy spelled out gives the same stages
SELECT count(*) AS differences
FROM (SELECT name, lifecycle_stage(ordered_at, '2025-01-01') AS a,
			 lifecycle_stage(ordered_at, '2025-01-01', lifecycle_policy()) AS b
	  FROM cases GROUP BY name) q
WHERE a IS DISTINCT FROM b;

-- another policy moves the edges: lapse after 180 days, loyal from 2 orders
-- in 120 days, new for 7 days
SELECT name, lifecycle_stage(ordered_at, '2025-01-01',
		   lifecycle_policy(new_window => '7 days', lapse_after => '180 days',
							loyal_orders => 2, loyal_window => '120 days')) AS stage
FROM cases GROUP BY name ORDER BY name;

-- no rows at all: NULL (there is no customer)
SELECT lifecycle_stage(ordered_at, '2025-01-01') FROM cases WHERE false;

-- a customer with no orders through a LEFT JOIN is a prospect
SELECT c.id, lifecycle_stage(o.ordered_at, '2025-01-01')
FROM (VALUES (1), (2)) c(id)
LEFT JOIN (VALUES (1, timestamptz '2024-12-25')) o(id, ordered_at) USING (id)
GROUP BY c.id ORDER BY c.id;

-- months are 30 days, as PostgreSQL compares intervals: 1 mon = 30 days
SELECT lifecycle_stage(t, '2025-01-01', lifecycle_policy(new_window => '1 mon')) AS day_30,
	   lifecycle_stage(t - interval '1 microsecond', '2025-01-01',
					   lifecycle_policy(new_window => '1 mon')) AS day_30_1us
FROM (VALUES (timestamptz '2025-01-01' - interval '30 days')) o(t);

-- the stage does not depend on TimeZone
SET TimeZone = 'Pacific/Kiritimati';
SELECT count(*) FILTER (WHERE stage::text = split_part(name, ':', 1)) AS as_named
FROM (SELECT name, lifecycle_stage(ordered_at, '2025-01-01 00:00 UTC') AS stage
	  FROM cases GROUP BY name) q;
SET TimeZone = 'UTC';

-- the enum sorts in funnel order
SELECT unnest(enum_range(NULL::lifecycle_stage)) AS stage ORDER BY 1;
SELECT 'new'::lifecycle_stage < 'lapsed'::lifecycle_stage AS new_before_lapsed;

-- lifecycle_transitions: the stages on two dates in one pass
SELECT name, (t).from_stage, (t).to_stage,
	   (t).from_stage = lifecycle_stage(ordered_at, '2024-07-01') AS from_ok
FROM (SELECT name, lifecycle_transitions(ordered_at, '2024-07-01', '2025-01-01') AS t,
			 array_agg(ordered_at) AS ts
	  FROM cases GROUP BY name) q,
	 LATERAL (SELECT unnest(ts)) u(ordered_at)
GROUP BY name, t ORDER BY name;

-- a transition matrix is one GROUP BY
SELECT (t).from_stage, (t).to_stage, count(*)
FROM (SELECT lifecycle_transitions(ordered_at, '2024-07-01', '2025-01-01',
								   lifecycle_policy(lapse_after => '180 days')) AS t
	  FROM cases GROUP BY name) q
GROUP BY 1, 2 ORDER BY 1, 2;

-- the function over pre-aggregated figures: the same rules without
-- reactivation, and loyal counts every order
SELECT name, lifecycle_stage(min(ordered_at), max(ordered_at), count(ordered_at),
							 '2025-01-01') AS summary,
	   lifecycle_stage(ordered_at, '2025-01-01') AS aggregate
FROM cases WHERE ordered_at <= '2025-01-01' OR ordered_at IS NULL
GROUP BY name ORDER BY name;
SELECT lifecycle_stage('2024-12-15', '2024-12-30', 1, '2025-01-01') AS new_one,
	   lifecycle_stage('2020-01-01', '2024-12-30', 5, '2025-01-01') AS loyal_all_time,
	   lifecycle_stage('2020-01-01', '2024-12-30', 5, '2025-01-01',
					   loyal_orders => 6) AS active_six,
	   lifecycle_stage('2020-01-01', '2024-01-01', 9, '2025-01-01',
					   lapse_after => '300 days', active_window => '60 days') AS lapsed,
	   lifecycle_stage(NULL, NULL, 0, '2025-01-01') AS no_orders,
	   lifecycle_stage(NULL, NULL, NULL, '2025-01-01') AS left_join,
	   lifecycle_stage('2025-02-01', '2025-03-01', 2, '2025-01-01') AS all_later,
	   lifecycle_stage('2024-01-01', '2024-12-01', 3, NULL) AS no_as_of,
	   lifecycle_stage('2024-01-01', '2024-12-01', 3, '2025-01-01',
					   loyal_window => NULL) AS null_policy;

-- parallel and partial aggregation give the same stages as one process
CREATE TABLE lifecycle_many AS
	SELECT c, timestamptz '2025-01-01' - (((c * 7919 + k * 104729) % 1000) || ' days')::interval AS t
	FROM generate_series(1, 3000) c, generate_series(1, 1 + c % 9) k;
CREATE TEMP TABLE serial AS
	SELECT c, lifecycle_stage(t, '2025-01-01') AS s,
		   lifecycle_transitions(t, '2024-06-01', '2025-01-01') AS tr
	FROM lifecycle_many GROUP BY c;
SELECT s, count(*) FROM serial GROUP BY s ORDER BY s;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
SET enable_hashagg = off;
-- each worker sees part of every customer's orders: the partial states merge
EXPLAIN (COSTS OFF)
SELECT c, lifecycle_stage(t, '2025-01-01') FROM lifecycle_many GROUP BY c;
SELECT count(*) AS customers,
	   count(*) FILTER (WHERE p.s IS DISTINCT FROM serial.s OR p.tr IS DISTINCT FROM serial.tr) AS differences
FROM (SELECT c, lifecycle_stage(t, '2025-01-01') AS s,
			 lifecycle_transitions(t, '2024-06-01', '2025-01-01') AS tr
	  FROM lifecycle_many GROUP BY c) p JOIN serial USING (c);
DROP TABLE lifecycle_many;
