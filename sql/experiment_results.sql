-- experiment_results: the result aggregates segment_lift_conversion,
-- segment_lift_mean, segment_lift_cuped and segment_lift_ratio.
-- Pins down: every figure against reference values computed independently
-- with Debian bookworm's python3-scipy 1.10.1 and python3-statsmodels 0.13.5
-- from the same rows (the generator below is plain arithmetic, repeated in
-- Python), the confidence overload, NULL handling, the edge cases, the
-- errors, and a parallel plan giving the serial result.

CREATE FUNCTION pg_temp.close(a float8, b float8) RETURNS boolean
	LANGUAGE sql IMMUTABLE AS $$ SELECT abs(a - b) <= 1e-9 * greatest(1, abs(b)) $$;

-- conversions: 1000, 1100, 900 customers with 100, 143, 81 conversions
CREATE TEMP TABLE conv AS
SELECT v, i <= c AS converted
FROM (VALUES (0, 1000, 100), (1, 1100, 143), (2, 900, 81)) t(v, n, c), generate_series(1, n) i;

-- numeric outcomes: 600 customers, variant i % 3, covariate x, outcome y
-- (NULL for every 50th), denominator d
CREATE TEMP TABLE num AS
SELECT i % 3 AS v,
	   CASE WHEN i % 50 = 0 THEN NULL ELSE x * 0.8 + ((i * 53) % 89) / 7.0 + (i % 3) * 1.5 END AS y,
	   x, 1.0 + (i * 13) % 5 AS d
FROM generate_series(1, 600) i, LATERAL (SELECT ((i * 37) % 101) / 3.0::float8 AS x) s;

-- references for conversions: statsmodels.stats.proportion.proportions_ztest
-- (pooled), confint_proportions_2indep(method='newcomb', compare='diff') and
-- (method='log', compare='ratio') minus 1
WITH ref(variant, lift, lo, hi, rel, rlo, rhi, p) AS (VALUES
	(1, 0.03, 0.0025807357520311464, 0.057206602305998874, 0.30000000000000004, 0.02188418245629631, 0.6538077690348023, 0.03183812610417509),
	(2, -0.010000000000000009, -0.03636202709333068, 0.016674938884148314, -0.10000000000000009, -0.3189788970075964, 0.1893904556567536, 0.45848380058427773)),
r AS (SELECT (unnest(segment_lift_conversion(v, converted))).* FROM conv)
SELECT r.variant, r.n, r.n_null, r.mean,
	   pg_temp.close(r.lift, ref.lift) AND pg_temp.close(r.lift_lower, ref.lo) AND pg_temp.close(r.lift_upper, ref.hi) AS diff_ok,
	   pg_temp.close(r.relative_lift, ref.rel) AND pg_temp.close(r.relative_lower, ref.rlo)
		   AND pg_temp.close(r.relative_upper, ref.rhi) AS ratio_ok,
	   pg_temp.close(r.p_value, ref.p) AS p_ok, r.variance_reduction
FROM r LEFT JOIN ref USING (variant) ORDER BY variant;

-- references for Welch: scipy.stats.ttest_ind(equal_var=False);
-- statsmodels CompareMeans(...).tconfint_diff(usevar='unequal'); the
-- relative interval by the delta method, with scipy.stats.norm.ppf(0.975)
WITH ref(variant, n, mean, lift, lo, hi, rel, rlo, rhi, p) AS (VALUES
	(1, 196, 21.142371234207967, 1.7315354713313909, 0.02712867872893554, 3.435942263933839, 0.089204581012579, -0.0021911729014146425, 0.18060033492657263, 0.04648053580590863),
	(2, 196, 22.793828960155487, 3.3829931972789105, 1.6883578623229039, 5.077628532234903, 0.17428374741848662, 0.07952312428785892, 0.26904437054911434, 0.00010258122321222527)),
r AS (SELECT (unnest(segment_lift_mean(v, y))).* FROM num)
SELECT r.variant, r.n, r.n_null, pg_temp.close(r.mean, ref.mean) AS mean_ok,
	   pg_temp.close(r.lift, ref.lift) AND pg_temp.close(r.lift_lower, ref.lo) AND pg_temp.close(r.lift_upper, ref.hi) AS diff_ok,
	   pg_temp.close(r.relative_lift, ref.rel) AND pg_temp.close(r.relative_lower, ref.rlo)
		   AND pg_temp.close(r.relative_upper, ref.rhi) AS relative_ok,
	   pg_temp.close(r.p_value, ref.p) AS p_ok
FROM r LEFT JOIN ref USING (variant) ORDER BY variant;

-- the same at 90% confidence: tconfint_diff(alpha=0.10)
SELECT pg_temp.close(r.lift_lower, 0.3021970159915146) AND pg_temp.close(r.lift_upper, 3.16087392667126) AS ci90_ok
FROM (SELECT (unnest(segment_lift_mean(v, y, 0.90))).* FROM num) r WHERE variant = 1;

-- references for CUPED: theta = cov(y, x) / var(x) over all rows with y,
-- y - theta (x - mean x) formed row by row in numpy, then the Welch
-- references above on the adjusted values; variance reduction = 1 - the
-- adjusted variance / the raw variance of each variant
WITH ref(variant, mean, lift, lo, hi, p, vr) AS (VALUES
	(0, 19.593896677641396, NULL, NULL, NULL, NULL, 0.8116925824938862),
	(1, 21.087543583993753, 1.4936469063523568, 0.764359814044556, 2.2229339986601717, 6.79932227264388e-05, 0.8218104077044219),
	(2, 22.665595695604893, 3.071699017963496, 2.3408807718148807, 3.8025172641120903, 2.2355179437144782e-15, 0.8162504525080929)),
r AS (SELECT (unnest(segment_lift_cuped(v, y, x))).* FROM num)
SELECT r.variant, r.n, pg_temp.close(r.mean, ref.mean) AS mean_ok,
	   coalesce(pg_temp.close(r.lift, ref.lift) AND pg_temp.close(r.lift_lower, ref.lo)
				AND pg_temp.close(r.lift_upper, ref.hi), r.lift IS NULL) AS diff_ok,
	   coalesce(abs(r.p_value - ref.p) <= 1e-9 * ref.p, r.p_value IS NULL) AS p_ok,
	   pg_temp.close(r.variance_reduction, ref.vr) AS reduction_ok,
	   round(r.variance_reduction::numeric, 3) AS variance_reduction
FROM r JOIN ref USING (variant) ORDER BY variant;

-- CUPED's interval is narrower than Welch's on the same rows
SELECT c.variant, (c.lift_upper - c.lift_lower) < (m.lift_upper - m.lift_lower) AS narrower
FROM (SELECT (unnest(segment_lift_cuped(v, y, x))).* FROM num) c
JOIN (SELECT (unnest(segment_lift_mean(v, y))).* FROM num) m USING (variant)
WHERE variant > 0 ORDER BY 1;

-- references for ratio metrics (sum y / sum d per variant, customers as the
-- unit): the delta method written out in numpy from the textbook formula
-- var(R) = (s_yy / mx^2 - 2 my s_yx / mx^3 + my^2 s_xx / mx^4) / n (Deng,
-- Knoblich and Lu 2018), normal interval and p-value with scipy.stats.norm
WITH ref(variant, mean, lift, lo, hi, p) AS (VALUES
	(1, 6.952860338766379, 0.5694311281559612, -0.3038674822504077, 1.44272973856233, 0.20125391652109403),
	(2, 7.495957174816234, 1.1125279642058166, 0.24863639625965894, 1.9764195321519742, 0.011600790116606762)),
r AS (SELECT (unnest(segment_lift_ratio(v, y, d))).* FROM num)
SELECT r.variant, r.n, r.n_null, round(r.mean::numeric, 6) AS ratio,
	   pg_temp.close(r.mean, ref.mean) AS ratio_ok,
	   pg_temp.close(r.lift, ref.lift) AND pg_temp.close(r.lift_lower, ref.lo) AND pg_temp.close(r.lift_upper, ref.hi) AS diff_ok,
	   pg_temp.close(r.p_value, ref.p) AS p_ok
FROM r LEFT JOIN ref USING (variant) ORDER BY variant;

-- edge cases
-- a variant with no rows: its row says n = 0 and nothing else
SELECT variant, n, n_null, mean, lift, lift_lower IS NOT NULL AS has_interval, round(p_value::numeric, 6) AS p_value
FROM unnest((SELECT segment_lift_mean(v, y) FROM (VALUES (0, 1.0), (0, 2.0), (2, 3.0), (2, 5.0)) t(v, y))) ORDER BY variant;
-- all conversions in both groups: no standard error, so no p-value; the
-- Newcombe interval still exists; the ratio interval needs a failure
SELECT variant, n, mean, lift, round(lift_lower::numeric, 6) AS lift_lower, round(lift_upper::numeric, 6) AS lift_upper, relative_lift, p_value
FROM unnest((SELECT segment_lift_conversion(i % 2, true) FROM generate_series(1, 40) i)) ORDER BY variant;
-- no conversion in the control: no relative lift
SELECT variant, mean, relative_lift, relative_lower, round(p_value::numeric, 6) AS p_value
FROM unnest((SELECT segment_lift_conversion(i % 2, i % 2 = 1 AND i < 10) FROM generate_series(1, 40) i)) ORDER BY variant;
-- zero variance: lift but no test
SELECT variant, n, mean, lift, lift_lower, p_value
FROM unnest((SELECT segment_lift_mean(i % 2, 10 + i % 2) FROM generate_series(1, 40) i)) ORDER BY variant;
-- n = 1 in the control: lift but no interval
SELECT variant, n, mean, lift, lift_lower, p_value
FROM unnest((SELECT segment_lift_mean(v, y) FROM (VALUES (0, 1.0), (1, 2.0), (1, 4.0)) t(v, y))) ORDER BY variant;
-- NULL outcomes are counted, NULL variants are not in the experiment, no rows is NULL
SELECT variant, n, n_null FROM unnest((SELECT segment_lift_conversion(v, c)
	FROM (VALUES (0, true), (0, NULL), (1, false), (NULL, true), (1, NULL), (1, NULL)) t(v, c))) ORDER BY variant;
SELECT segment_lift_mean(v, y) IS NULL AS empty FROM (VALUES (0, 1.0)) t(v, y) WHERE false;
SELECT segment_lift_cuped(NULL::int, 1.0, 2.0) IS NULL AS only_null_variants;

-- errors (22023): a variant outside 0..99, an infinite value, a confidence
-- outside (0, 1) or changing between rows
\set VERBOSITY terse
SELECT segment_lift_mean(100, 1.0);
SELECT segment_lift_mean(-1, 1.0);
SELECT segment_lift_mean(0, 'Infinity');
SELECT segment_lift_ratio(0, 1.0, 'NaN');
SELECT segment_lift_mean(0, 1.0, 1.0);
SELECT segment_lift_mean(0, y, c) FROM (VALUES (1.0, 0.9), (2.0, 0.95)) t(y, c);
\set VERBOSITY default

-- a parallel plan (partial aggregates in workers, combined through
-- serialize/deserialize) gives the serial result within rounding
CREATE TABLE experiment_outcomes AS
SELECT i % 4 AS v, i % 7 = 0 AS converted, (i % 101) * 1.5 + (i % 4) AS revenue,
	   (i % 37) * 1.0 AS pre, 1 + i % 3 AS orders
FROM generate_series(1, 200000) i;
ANALYZE experiment_outcomes;
CREATE TEMP TABLE serial_results AS
SELECT segment_lift_conversion(v, converted) AS c, segment_lift_mean(v, revenue) AS m,
	   segment_lift_cuped(v, revenue, pre) AS u, segment_lift_ratio(v, revenue, orders) AS r
FROM experiment_outcomes;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF)
SELECT segment_lift_conversion(v, converted), segment_lift_mean(v, revenue),
	   segment_lift_cuped(v, revenue, pre), segment_lift_ratio(v, revenue, orders)
FROM experiment_outcomes;
CREATE TEMP TABLE parallel_results AS
SELECT segment_lift_conversion(v, converted) AS c, segment_lift_mean(v, revenue) AS m,
	   segment_lift_cuped(v, revenue, pre) AS u, segment_lift_ratio(v, revenue, orders) AS r
FROM experiment_outcomes;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
SELECT kind, count(*) AS variants,
	   bool_and(a.n = b.n AND a.n_null = b.n_null AND pg_temp.close(a.mean, b.mean)
				AND coalesce(pg_temp.close(a.lift_lower, b.lift_lower), a.lift_lower IS NULL AND b.lift_lower IS NULL)
				AND coalesce(abs(a.p_value - b.p_value) <= 1e-9, a.p_value IS NULL AND b.p_value IS NULL)) AS same
FROM serial_results s, parallel_results p,
	 LATERAL (VALUES ('conversion', s.c, p.c), ('mean', s.m, p.m), ('cuped', s.u, p.u), ('ratio', s.r, p.r)) k(kind, sa, pa),
	 LATERAL unnest(k.sa) WITH ORDINALITY a, LATERAL unnest(k.pa) WITH ORDINALITY b
WHERE a.ordinality = b.ordinality
GROUP BY kind ORDER BY kind;
DROP TABLE experiment_outcomes;
