-- RFM benchmark: segment counts of the whole customer base, three ways.
--  (1) floor: the per-customer GROUP BY every RFM query starts from
--  (2) by hand: three NTILE windows over it and a CASE segment map, as analysts write today
--  (3) the extension: rfm_score over the same GROUP BY
-- Each query ends in the segment counts, so every score is computed.
\set floor 'SELECT customer_id, (DATE ''' :as_of ''' - max(ordered_at)::date) AS recency, count(*) AS frequency, sum(amount) AS monetary FROM orders GROUP BY customer_id'

SELECT bench_time(:'floor') AS floor_ms \gset

SELECT bench_time($q$
WITH c AS ($q$ || :'floor' || $q$),
s AS (SELECT ntile(5) OVER (ORDER BY recency DESC) AS r, ntile(5) OVER (ORDER BY frequency) AS f,
			 ntile(5) OVER (ORDER BY monetary) AS m FROM c)
SELECT segment, count(*) FROM (
  SELECT CASE
	WHEN r >= 4 AND (f + m + 1) / 2 >= 4 THEN 'Champions'
	WHEN r = 3 AND (f + m + 1) / 2 = 3 THEN 'Need Attention'
	WHEN r BETWEEN 3 AND 4 AND (f + m + 1) / 2 >= 3 THEN 'Loyal Customers'
	WHEN r >= 4 AND (f + m + 1) / 2 BETWEEN 2 AND 3 THEN 'Potential Loyalist'
	WHEN r = 5 THEN 'New Customers'
	WHEN r BETWEEN 3 AND 4 THEN 'Promising'
	WHEN r BETWEEN 2 AND 3 AND (f + m + 1) / 2 = 2 THEN 'About To Sleep'
	WHEN (f + m + 1) / 2 = 5 THEN 'Can''t Lose Them'
	WHEN (f + m + 1) / 2 >= 3 THEN 'At Risk'
	WHEN r = 2 THEN 'Hibernating'
	ELSE 'Lost' END AS segment FROM s) x GROUP BY segment
$q$) AS ntile_ms \gset

SELECT bench_time($q$
SELECT segment, count(*) FROM (
  SELECT (rfm_score(recency, frequency, monetary) OVER ()).segment FROM ($q$ || :'floor' || $q$) c) x
GROUP BY segment
$q$) AS rfm_ms \gset

SELECT 'RFM segments of every customer' AS benchmark,
	   :floor_ms AS "floor GROUP BY ms", :ntile_ms AS "NTILE by hand ms", :rfm_ms AS "rfm_score ms",
	   round(:rfm_ms / :floor_ms, 2) AS "rfm / floor (target <= 1.3)",
	   round(:ntile_ms / :rfm_ms, 2) AS "NTILE / rfm (target >= 3)";
