-- Audiences of the sample CRM: a catalogue of saved segments in priority
-- order, each customer assigned to the first that matches, the pairwise
-- overlaps of the segments, and per-segment metrics over the last half year
-- (customers, revenue, average order value, repeat-purchase rate, churn into
-- lapsed from lifecycle transitions, average predicted 12-month CLV).
\set asof_ts 'TIMESTAMPTZ ''' :as_of ' 24:00'''
\set from_ts 'TIMESTAMPTZ ''' :as_of ' 24:00'' - interval ''182 days'''
CREATE TEMP TABLE catalogue (name text PRIMARY KEY, priority int NOT NULL, rule segment_rule NOT NULL);
INSERT INTO catalogue VALUES
	('enterprise', 1, 'plan = ''enterprise'''),
	('vip', 2, 'tags contains ''vip'''),
	('dach reachable', 3, 'country in (''DE'', ''AT'', ''CH'') and consent_email and not unsubscribed'),
	('young', 4, 'age < 30'),
	('everyone', 5, 'customer_id > 0');
CREATE TEMP VIEW cat AS
SELECT array_agg(name ORDER BY priority) AS names, array_agg(rule ORDER BY priority) AS rules FROM catalogue;

\echo
\echo == Catalogue assignment: each customer in the first segment that matches
SELECT segment_classify(g.names, g.rules, c) AS segment, count(*) AS customers,
	   round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS "share %"
FROM customers c, cat g GROUP BY 1 ORDER BY min(array_position(g.names, segment_classify(g.names, g.rules, c)));

\echo
\echo == Overlaps: customers in both segments (one scan)
WITH m AS (SELECT segment_memberships(g.names, g.rules, c) AS s FROM customers c, cat g)
SELECT a AS segment,
	   count(*) FILTER (WHERE b = 'enterprise') AS enterprise, count(*) FILTER (WHERE b = 'vip') AS vip,
	   count(*) FILTER (WHERE b = 'dach reachable') AS "dach reachable", count(*) FILTER (WHERE b = 'young') AS young
FROM m, unnest(s) a, unnest(s) b
WHERE a <> 'everyone'
GROUP BY a ORDER BY min((SELECT priority FROM catalogue WHERE name = a));

\echo
\echo == Per-segment metrics over the 182 days to :as_of (a customer counts in every segment they are in)
CREATE TEMP TABLE facts AS
SELECT c.customer_id, segment_memberships(g.names, g.rules, c) AS segments,
	   count(o.*) FILTER (WHERE o.ordered_at > :from_ts AND o.ordered_at <= :asof_ts) AS orders,
	   coalesce(sum(o.amount) FILTER (WHERE o.ordered_at > :from_ts AND o.ordered_at <= :asof_ts), 0) AS revenue,
	   lifecycle_transitions(o.ordered_at, :from_ts, :asof_ts) AS move,
	   btyd_summary(o.ordered_at, o.amount, :asof_ts, '7 days') AS summary
FROM customers c CROSS JOIN cat g LEFT JOIN orders o USING (customer_id)
GROUP BY c.customer_id, g.names, g.rules, c.*;
CREATE TEMP TABLE model AS SELECT clv_fit(summary, 0, '7 days') AS m FROM facts;
SELECT s AS segment, count(*) AS customers, round(sum(revenue), 0) AS revenue,
	   round(sum(revenue) / nullif(sum(orders), 0), 2) AS "avg order value",
	   round(100.0 * count(*) FILTER (WHERE orders >= 2) / nullif(count(*) FILTER (WHERE orders >= 1), 0), 1) AS "repeat rate %",
	   round(100.0 * count(*) FILTER (WHERE (move).to_stage = 'lapsed' AND (move).from_stage <> 'lapsed')
			 / nullif(count(*) FILTER (WHERE (move).from_stage NOT IN ('lapsed', 'prospect')), 0), 1) AS "churn %",
	   round(avg(clv_estimate(model.m, summary))::numeric, 2) AS "avg CLV"
FROM facts, unnest(segments) s, model
GROUP BY s ORDER BY min((SELECT priority FROM catalogue WHERE name = s));
