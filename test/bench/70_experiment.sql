-- Experiments benchmark.
--  (1) segment_variant over every customer's email against hashtext over the
--      same keys (target: at most 1.2x);
--  (2) the result aggregates over every order (about 10 million rows at
--      full scale) grouped by 20 segments, against the same GROUP BY computing
--      only count, sum and sum of squares (target: at most 1.3x).  The
--      segment is customer_id % 20, the variant customer_id % 2, the outcome
--      the order's amount (and amount > 50 as a conversion).

SELECT 'SELECT hashtext(email) FROM customers' AS hash_q,
	   $$SELECT segment_variant(email, 'bench', '{0.5,0.5}') FROM customers$$ AS variant_q \gset
SELECT bench_time(:'hash_q') AS hash_ms \gset
SELECT bench_time(:'variant_q') AS variant_ms \gset
SELECT 'variant of every customer' AS benchmark, (SELECT count(*) FROM customers) AS keys,
	   :hash_ms AS "hashtext ms", :variant_ms AS "segment_variant ms",
	   round(:variant_ms / :hash_ms, 2) AS "variant / hashtext (target <= 1.2)";

SELECT 'SELECT customer_id % 20 AS seg, count(a), sum(a), sum(a * a) FROM (SELECT customer_id, amount::float8 AS a FROM orders) o GROUP BY 1' AS floor_q,
	   'SELECT customer_id % 20 AS seg, segment_lift_mean((customer_id % 2)::int, amount::float8) FROM orders GROUP BY 1' AS mean_q,
	   'SELECT customer_id % 20 AS seg, segment_lift_conversion((customer_id % 2)::int, amount > 50) FROM orders GROUP BY 1' AS conv_q,
	   'SELECT customer_id % 20 AS seg, segment_lift_cuped((customer_id % 2)::int, amount::float8, (order_id % 100)::float8) FROM orders GROUP BY 1' AS cuped_q \gset
SELECT bench_time(:'floor_q') AS floor_ms \gset
SELECT bench_time(:'mean_q') AS mean_ms \gset
SELECT bench_time(:'conv_q') AS conv_ms \gset
SELECT bench_time(:'cuped_q') AS cuped_ms \gset
SELECT 'results per segment' AS benchmark, (SELECT count(*) FROM orders) AS rows,
	   :floor_ms AS "count/sum/sum of squares ms", :mean_ms AS "segment_lift_mean ms",
	   :conv_ms AS "segment_lift_conversion ms", :cuped_ms AS "segment_lift_cuped ms",
	   round(:mean_ms / :floor_ms, 2) AS "mean / floor (target <= 1.3)",
	   round(:conv_ms / :floor_ms, 2) AS "conversion / floor";
