-- The customer-segments materialized view a DBA schedules: one row per
-- customer with orders, as of a fixed date, so that a refresh with the same
-- data gives the same rows.  The unique index allows REFRESH ... CONCURRENTLY
-- (readers are never blocked).  Each feature adds its columns.
CREATE MATERIALIZED VIEW customer_segments AS
-- the view:
WITH totals AS (
	SELECT customer_id,
		   DATE '2026-06-30' - max(ordered_at)::date AS recency,
		   count(*) AS frequency,
		   sum(amount) AS monetary,
		   lifecycle_stage(ordered_at, TIMESTAMPTZ '2026-07-01 00:00 UTC') AS lifecycle
	FROM orders
	WHERE ordered_at < DATE '2026-06-30' + 1
	GROUP BY customer_id)
SELECT customer_id, recency, frequency, monetary,
	   (s).r, (s).f, (s).m, (s).segment AS rfm_segment, lifecycle
FROM (SELECT t.*, rfm_score(recency, frequency, monetary) OVER () AS s FROM totals t) scored;
-- end of the view
CREATE UNIQUE INDEX customer_segments_customer_id ON customer_segments (customer_id);
