-- Lifecycle stages of the sample CRM: every customer (those who never
-- ordered are prospects) at the end of as_of, default policy; then how they
-- moved over the half year before, as a stage-to-stage matrix.
\set asof_ts 'TIMESTAMPTZ ''' :as_of ' 24:00'''
\set from_ts 'TIMESTAMPTZ ''' :as_of ' 24:00'' - interval ''182 days'''
\echo
\echo == Lifecycle stages at the end of :as_of
SELECT stage, count(*) AS customers,
	   round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS "share %",
	   round(avg(spend), 2) AS "avg spend"
FROM (SELECT c.customer_id, lifecycle_stage(o.ordered_at, :asof_ts) AS stage,
			 coalesce(sum(o.amount) FILTER (WHERE o.ordered_at <= :asof_ts), 0) AS spend
	  FROM customers c LEFT JOIN orders o USING (customer_id)
	  GROUP BY c.customer_id) s
GROUP BY stage ORDER BY stage;

\echo
\echo == Lifecycle movement over the last 182 days (rows: stage then, columns: stage now)
SELECT (t).from_stage AS "stage then",
	   count(*) FILTER (WHERE (t).to_stage = 'prospect') AS prospect,
	   count(*) FILTER (WHERE (t).to_stage = 'new') AS new,
	   count(*) FILTER (WHERE (t).to_stage = 'active') AS active,
	   count(*) FILTER (WHERE (t).to_stage = 'loyal') AS loyal,
	   count(*) FILTER (WHERE (t).to_stage = 'at_risk') AS at_risk,
	   count(*) FILTER (WHERE (t).to_stage = 'lapsed') AS lapsed,
	   count(*) FILTER (WHERE (t).to_stage = 'reactivated') AS reactivated
FROM (SELECT lifecycle_transitions(o.ordered_at, :from_ts, :asof_ts) AS t
	  FROM customers c LEFT JOIN orders o USING (customer_id)
	  GROUP BY c.customer_id) s
GROUP BY 1 ORDER BY 1;
