-- Lifecycle benchmark: every customer's stage on as_of (the end of the CRM's
-- last day), default policy, three ways.
--  (1) floor: the per-customer GROUP BY of the RFM benchmark
--  (2) by hand: lag() for the gaps between orders and a CASE in rule order,
--      as analysts write it today
--  (3) the extension: the lifecycle_stage aggregate over the same GROUP BY
-- Then lifecycle_transitions (stages on two dates in one pass) against two
-- hand-written stage queries joined.
\set floor 'SELECT customer_id, (DATE ''' :as_of ''' - max(ordered_at)::date) AS recency, count(*) AS frequency, sum(amount) AS monetary FROM orders GROUP BY customer_id'
\set asof_ts 'TIMESTAMPTZ ''' :as_of ' 24:00'''

-- the hand-written rules for an as_of put in for every %1$s
SELECT $q$
WITH o AS (
	SELECT customer_id, ordered_at,
		   ordered_at - lag(ordered_at) OVER (PARTITION BY customer_id ORDER BY ordered_at) AS gap
	FROM orders WHERE ordered_at <= %1$s)
SELECT customer_id, CASE
	WHEN %1$s - max(ordered_at) > interval '365 days' THEN 'lapsed'
	WHEN %1$s - max(ordered_at) > interval '90 days' THEN 'at_risk'
	WHEN %1$s - min(ordered_at) <= interval '30 days' THEN 'new'
	WHEN %1$s - max(ordered_at) FILTER (WHERE gap > interval '365 days') <= interval '30 days' THEN 'reactivated'
	WHEN count(*) FILTER (WHERE %1$s - ordered_at < interval '365 days') >= 5 THEN 'loyal'
	ELSE 'active' END AS stage
FROM o GROUP BY customer_id
$q$ AS by_hand \gset

SELECT format(:'by_hand', :'asof_ts') AS hand,
	   format('SELECT customer_id, lifecycle_stage(ordered_at, %s) AS stage FROM orders GROUP BY customer_id',
			  :'asof_ts') AS ext \gset

-- the two give the same stages (a benchmark of different answers is no
-- benchmark); customers whose orders are all after as_of are prospects
SELECT count(*) AS "customers whose stages differ (must be 0)"
FROM (:ext) e FULL JOIN (:hand) h USING (customer_id)
WHERE e.stage::text IS DISTINCT FROM coalesce(h.stage, 'prospect');

SELECT bench_time(:'floor') AS floor_ms \gset
SELECT bench_time(:'hand') AS hand_ms \gset
SELECT bench_time(:'ext') AS ext_ms \gset

SELECT 'lifecycle stage of every customer' AS benchmark,
	   :floor_ms AS "floor GROUP BY ms", :hand_ms AS "lag()/CASE by hand ms", :ext_ms AS "lifecycle_stage ms",
	   round(:ext_ms / :floor_ms, 2) AS "lifecycle / floor (target <= 1.5)",
	   round(:hand_ms / :ext_ms, 2) AS "by hand / lifecycle (target >= 2)";

-- movement over the last half year: a transition matrix
\set from_ts 'TIMESTAMPTZ ''' :as_of ' 24:00'' - interval ''182 days'''
SELECT format('SELECT (t).from_stage, (t).to_stage, count(*) FROM (SELECT lifecycle_transitions(ordered_at, %s, %s) AS t FROM orders GROUP BY customer_id) x GROUP BY 1, 2',
			  :'from_ts', :'asof_ts') AS ext_tr,
	   format('SELECT a.stage AS from_stage, b.stage AS to_stage, count(*) FROM (%s) a JOIN (%s) b USING (customer_id) GROUP BY 1, 2',
			  format(:'by_hand', :'from_ts'), format(:'by_hand', :'asof_ts')) AS hand_tr \gset
SELECT bench_time(:'hand_tr') AS hand_tr_ms \gset
SELECT bench_time(:'ext_tr') AS ext_tr_ms \gset

SELECT 'stage-to-stage matrix over half a year' AS benchmark,
	   :hand_tr_ms AS "two lag()/CASE queries joined ms", :ext_tr_ms AS "lifecycle_transitions ms",
	   round(:hand_tr_ms / :ext_tr_ms, 2) AS "by hand / transitions";
