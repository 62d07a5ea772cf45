-- The customer-segments materialized view a DBA schedules: one row per
-- customer with orders, as of a fixed date, so that a refresh with the same
-- data gives the same rows.  The unique index allows REFRESH ... CONCURRENTLY
-- (readers are never blocked).  Each feature adds its columns: RFM scores and
-- segment, lifecycle stage, 12-month CLV from a model kept in a table, and
-- the saved segments (rules) each customer belongs to.
CREATE TABLE saved_segments (
	name text PRIMARY KEY,
	rule segment_rule NOT NULL CHECK (segment_rule_check(rule, 'customers'))
);
INSERT INTO saved_segments VALUES
	('dach', 'country in (''DE'', ''AT'', ''CH'')'),
	('reachable', 'consent_email and not unsubscribed'),
	('vip', 'tags contains ''vip'''),
	('paying', 'plan <> ''free''');
CREATE TABLE clv_models AS
SELECT clv_fit(s) AS model
FROM (SELECT btyd_summary(ordered_at, amount, TIMESTAMPTZ '2026-06-30 12:00 UTC') AS s
	  FROM orders GROUP BY customer_id) x;
CREATE MATERIALIZED VIEW customer_segments AS
-- the view:
WITH totals AS (
	SELECT customer_id,
		   DATE '2026-06-30' - max(ordered_at)::date AS recency,
		   count(*) AS frequency,
		   sum(amount) AS monetary,
		   lifecycle_stage(ordered_at, TIMESTAMPTZ '2026-07-01 00:00 UTC') AS lifecycle,
		   btyd_summary(ordered_at, amount, TIMESTAMPTZ '2026-06-30 12:00 UTC') AS summary
	FROM orders
	WHERE ordered_at < DATE '2026-06-30' + 1
	GROUP BY customer_id)
SELECT customer_id, recency, frequency, monetary,
	   (s).r, (s).f, (s).m, (s).segment AS rfm_segment, lifecycle,
	   round(clv_estimate((SELECT model FROM clv_models), summary)::numeric, 6) AS clv_12_months,
	   (SELECT array_agg(g.name ORDER BY g.name) FROM saved_segments g
		WHERE segment_match(g.rule, c, TIMESTAMPTZ '2026-07-01 00:00 UTC')) AS segments
FROM (SELECT t.*, rfm_score(recency, frequency, monetary) OVER () AS s FROM totals t) scored
JOIN customers c USING (customer_id);
-- end of the view
CREATE UNIQUE INDEX customer_segments_customer_id ON customer_segments (customer_id);
