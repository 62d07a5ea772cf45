-- Experiments benchmark.
--  (1) segment_variant over every customer's email against hashtext over the
--      same keys (target: at most 1.2x);
--  (2) the result aggregates over one outcome row per order (about 10
--      million rows at full scale) grouped by 20 segments, against the same
--      GROUP BY computing only count, sum and sum of squares (target: at most
--      1.3x).  The segment is customer_id % 20, the variant customer_id % 2,
--      the outcome the order's amount (and amount > 50 as a conversion).

SELECT 'SELECT hashtext(email) FROM customers' AS hash_q,
	   $$SELECT segment_variant(email, 'bench', '{0.5,0.5}') FROM customers$$ AS variant_q \gset
SELECT bench_time(:'hash_q') AS hash_ms \gset
SELECT bench_time(:'variant_q') AS variant_ms \gset
SELECT 'variant of every customer' AS benchmark, (SELECT count(*) FROM customers) AS keys,
	   :hash_ms AS "hashtext ms", :variant_ms AS "segment_variant ms",
	   round(:variant_ms / :hash_ms, 2) AS "variant / hashtext (target <= 1.2)";

-- The outcome rows as a table of float8 (and the conversion as a boolean),
-- so that both sides read the same columns and convert nothing: over orders
-- directly, amount::float8 (a numeric to float8 conversion, which goes
-- through text) would be computed once by segment_lift_mean but four times
-- by count(a), sum(a), sum(a * a) once the planner flattens the subquery, a
-- floor slower than the aggregate it is meant to bound.
CREATE UNLOGGED TABLE bench_outcomes AS
SELECT (customer_id % 20)::int AS seg, (customer_id % 2)::int AS variant,
	   amount::float8 AS y, amount > 50 AS converted, (order_id % 100)::float8 AS x
FROM orders;
VACUUM ANALYZE bench_outcomes;

SELECT 'SELECT seg, count(y), sum(y), sum(y * y) FROM bench_outcomes GROUP BY 1' AS floor_q,
	   'SELECT seg, segment_lift_mean(variant, y) FROM bench_outcomes GROUP BY 1' AS mean_q,
	   'SELECT seg, segment_lift_conversion(variant, converted) FROM bench_outcomes GROUP BY 1' AS conv_q,
	   'SELECT seg, segment_lift_cuped(variant, y, x) FROM bench_outcomes GROUP BY 1' AS cuped_q \gset
SELECT bench_time(:'floor_q') AS floor_ms \gset
SELECT bench_time(:'mean_q') AS mean_ms \gset
SELECT bench_time(:'conv_q') AS conv_ms \gset
SELECT bench_time(:'cuped_q') AS cuped_ms \gset
SELECT 'results per segment' AS benchmark, (SELECT count(*) FROM bench_outcomes) AS rows,
	   :floor_ms AS "count/sum/sum of squares ms", :mean_ms AS "segment_lift_mean ms",
	   :conv_ms AS "segment_lift_conversion ms", :cuped_ms AS "segment_lift_cuped ms",
	   round(:mean_ms / :floor_ms, 2) AS "mean / floor (target <= 1.3)",
	   round(:conv_ms / :floor_ms, 2) AS "conversion / floor",
	   round(:cuped_ms / :floor_ms, 2) AS "cuped / floor";
DROP TABLE bench_outcomes;
