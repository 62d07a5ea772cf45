-- experiment_design: segment_sample_size, segment_sample_size_mean and the
-- window function segment_p_adjust (Benjamini-Hochberg).
-- Pins down: the sample sizes against references from Debian bookworm's
-- python3-scipy 1.10.1 / python3-statsmodels 0.13.5, the adjusted p-values
-- against statsmodels' multipletests, NULL and partition handling, errors.

-- two proportions: n1 = (z_{1-a/2} sqrt(pbar qbar (1 + 1/k)) + z_{power}
-- sqrt(p1 q1 + p2 q2 / k))^2 / mde^2 (Fleiss, Levin and Paik), computed in
-- Python with scipy.stats.norm.ppf; the unrounded values were 3840.847482436272,
-- 10920.389036645398, 1382.2376291855994 and 202.01391123912413
SELECT segment_sample_size(0.1, 0.02) = 3841 AS a,
	   segment_sample_size(0.05, 0.01, 0.05, 0.9) = 10921 AS b,
	   segment_sample_size(0.3, -0.05, 0.01, 0.8, 2.0) = 1383 AS c,
	   segment_sample_size(0.5, 0.1, alpha => 0.1, power => 0.5, ratio => 0.5) = 203 AS d;

-- means: statsmodels.stats.power.NormalIndPower().solve_power(effect_size =
-- mde / sd, alpha, power, ratio, alternative='two-sided'): 1569.7721019023288,
-- 4837.6607525091, 376.7453044500397
SELECT segment_sample_size_mean(10, 1) = 1570 AS a,
	   segment_sample_size_mean(25.5, 2, 0.01, 0.9) = 4838 AS b,
	   segment_sample_size_mean(3, 0.5, ratio => 3) = 377 AS c;

-- a smaller effect needs more customers; more power needs more customers
SELECT segment_sample_size(0.1, 0.01) > segment_sample_size(0.1, 0.02) AS smaller_effect,
	   segment_sample_size(0.1, 0.02, power => 0.9) > segment_sample_size(0.1, 0.02) AS more_power;

-- errors (22023)
\set VERBOSITY terse
SELECT segment_sample_size(0, 0.01);
SELECT segment_sample_size(0.5, 0.6);
SELECT segment_sample_size(0.5, 0);
SELECT segment_sample_size(0.5, 0.1, alpha => 1);
SELECT segment_sample_size(0.5, 0.1, power => 0);
SELECT segment_sample_size(0.5, 0.1, ratio => -1);
SELECT segment_sample_size_mean(0, 1);
SELECT segment_sample_size_mean(1, 'NaN');
SELECT segment_sample_size_mean(1, 1e-160);
\set VERBOSITY default

-- Benjamini-Hochberg: statsmodels.stats.multitest.multipletests(p,
-- method='fdr_bh')[1] for the ten p-values below
WITH p(i, p, ref) AS (VALUES
	(1, 0.01, 0.03333333333333333), (2, 0.04, 0.06666666666666667), (3, 0.03, 0.06666666666666667),
	(4, 0.005, 0.024999999999999998), (5, 0.5, 0.5555555555555556), (6, 0.04, 0.06666666666666667),
	(7, 0.9, 0.9), (8, 0.001, 0.01), (9, 0.2, 0.25), (10, 0.049, 0.07))
SELECT i, p, round(segment_p_adjust(p) OVER ()::numeric, 6) AS adjusted,
	   abs(segment_p_adjust(p) OVER () - ref) < 1e-12 AS same
FROM p ORDER BY i;

-- per partition (one experiment per segment), NULLs neither adjusted nor
-- counted, the row order of the window irrelevant
SELECT g, p, segment_p_adjust(p) OVER (PARTITION BY g ORDER BY p DESC) AS adjusted
FROM (VALUES (1, 0.01), (1, 0.02), (1, NULL), (2, 0.04), (2, 0.5), (2, 0.03)) t(g, p)
ORDER BY g, p;
SELECT segment_p_adjust(p) OVER () FROM (VALUES (NULL::float8)) t(p);

\set VERBOSITY terse
SELECT segment_p_adjust(p) OVER () FROM (VALUES (0.5), (1.5)) t(p);
SELECT segment_p_adjust(p) OVER () FROM (VALUES (0.5), ('NaN')) t(p);
\set VERBOSITY default
