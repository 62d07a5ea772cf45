-- RFM benchmark: segment counts of the whole customer base, three ways.
--  (1) floor: the per-customer GROUP BY every RFM query starts from
--  (2) by hand: three NTILE windows over it and a CASE segment map, as analysts write today
--  (3) the extension: rfm_score over the same GROUP BY
-- Each query ends in the segment counts, so every score is computed.  Then
-- (2) and (3) again over a pre-aggregated customer table: the scoring alone.
\set floor 'SELECT customer_id, (DATE ''' :as_of ''' - max(ordered_at)::date) AS recency, count(*) AS frequency, sum(amount) AS monetary FROM orders GROUP BY customer_id'

-- the two RFM queries, over a source of (recency, frequency, monetary) put in for %s
SELECT $q$
WITH s AS (SELECT ntile(5) OVER (ORDER BY recency DESC) AS r, ntile(5) OVER (ORDER BY frequency) AS f,
			 ntile(5) OVER (ORDER BY monetary) AS m FROM (%s) c)
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
$q$ AS ntile_query, $q$
SELECT segment, count(*) FROM (
  SELECT (rfm_score(recency, frequency, monetary) OVER ()).segment FROM (%s) c) x
GROUP BY segment
$q$ AS rfm_query \gset

SELECT bench_time(:'floor') AS floor_ms \gset
SELECT bench_time(format(:'ntile_query', :'floor')) AS ntile_ms \gset
SELECT bench_time(format(:'rfm_query', :'floor')) AS rfm_ms \gset

SELECT 'RFM segments of every customer' AS benchmark,
	   :floor_ms AS "floor GROUP BY ms", :ntile_ms AS "NTILE by hand ms", :rfm_ms AS "rfm_score ms",
	   round(:rfm_ms / :floor_ms, 2) AS "rfm / floor (target <= 1.3)",
	   round(:ntile_ms / :rfm_ms, 2) AS "NTILE / rfm (target >= 3)";

-- the scoring alone, on a pre-aggregated customer table (a CRM that keeps
-- per-customer totals): three NTILE sorts against one rfm_score pass
CREATE TEMP TABLE bench_rfm_customers AS :floor;
VACUUM ANALYZE bench_rfm_customers;

SELECT bench_time(format(:'ntile_query', 'TABLE bench_rfm_customers')) AS ntile_only_ms \gset
SELECT bench_time(format(:'rfm_query', 'TABLE bench_rfm_customers')) AS rfm_only_ms \gset

SELECT 'RFM segments of a pre-aggregated customer table' AS benchmark,
	   :ntile_only_ms AS "NTILE by hand ms", :rfm_only_ms AS "rfm_score ms",
	   round(:ntile_only_ms / :rfm_only_ms, 2) AS "NTILE / rfm (target >= 3)";
CALL bench_row('RFM segment counts of a pre-aggregated customer table: three NTILE windows + CASE / rfm_score (times faster)', :ntile_only_ms / :rfm_only_ms, '>=', 3);

-- rfm_score alone, every rfm value built, against a plain scan of the same
-- table: what scoring costs a row (issue 22 asked where the time goes; the
-- answer, with perf profiles, is in doc/performance.md)
SELECT bench_time('TABLE bench_rfm_customers') AS scan_ms \gset
SELECT bench_time('SELECT rfm_score(recency, frequency, monetary) OVER () FROM bench_rfm_customers') AS score_ms \gset
SELECT count(*) AS rows FROM bench_rfm_customers \gset
SELECT 'rfm_score alone over a pre-aggregated customer table' AS benchmark,
	   :rows AS rows, :scan_ms AS "plain scan ms", :score_ms AS "rfm_score ms",
	   round(((:score_ms - :scan_ms) * 1000 / :rows)::numeric, 3) AS "us a row above the scan (was about 1)";
CALL bench_row('rfm_score alone above a plain scan, µs a row (' || :rows || ' rows; 0.1.0: about 1)', (:score_ms - :scan_ms) * 1000 / :rows, NULL, NULL, 'where it goes: doc/performance.md, RFM');
