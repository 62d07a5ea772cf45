-- experiment_simulation: the intervals and the sample size by simulation.
-- Pins down: on 1,000 simulated A/A tests the 95% intervals of
-- segment_lift_conversion and segment_lift_mean cover the true difference
-- (0) 93-97% of the time and 3-7% of the tests reject at 5%; on 1,000
-- simulated A/B tests of the size segment_sample_size gives for 80% power,
-- the two-proportion test rejects 77-83% of the time and the interval covers
-- the true lift 93-97% of the time.  The draws come from random() after
-- setseed() in a serial plan, so every run draws the same tests.
SET max_parallel_workers_per_gather = 0;
SELECT setseed(0.18);

-- A/A: 1,000 tests of 2 x 300 customers, conversion rate 0.2, revenue
-- exponential with mean 50, the same in both variants
CREATE TEMP TABLE aa_draws AS
SELECT t, (i % 2)::int AS v, random() AS u1, random() AS u2
FROM generate_series(1, 1000) t, generate_series(1, 600) i;
CREATE TEMP TABLE aa AS
SELECT t, segment_lift_conversion(v, u1 < 0.2) AS c, segment_lift_mean(v, -50 * ln(1 - u2)) AS m
FROM aa_draws GROUP BY t;
SELECT count(*) AS tests,
	   avg((0 BETWEEN (c[2]).lift_lower AND (c[2]).lift_upper)::int) BETWEEN 0.93 AND 0.97 AS conversion_covers,
	   avg((0 BETWEEN (m[2]).lift_lower AND (m[2]).lift_upper)::int) BETWEEN 0.93 AND 0.97 AS mean_covers,
	   avg(((c[2]).p_value < 0.05)::int) BETWEEN 0.03 AND 0.07 AS conversion_false_positives,
	   avg(((m[2]).p_value < 0.05)::int) BETWEEN 0.03 AND 0.07 AS mean_false_positives
FROM aa;

-- A/B: base rate 0.10, true lift +0.05, n per group from segment_sample_size
-- for 80% power at alpha 0.05
SELECT segment_sample_size(0.10, 0.05) AS n_per_group \gset
CREATE TEMP TABLE ab_draws AS
SELECT t, (i % 2)::int AS v, random() AS u
FROM generate_series(1, 1000) t, generate_series(1, 2 * :n_per_group) i;
CREATE TEMP TABLE ab AS
SELECT t, segment_lift_conversion(v, u < 0.10 + 0.05 * v) AS c FROM ab_draws GROUP BY t;
SELECT :n_per_group AS n_per_group, count(*) AS tests,
	   avg(((c[2]).p_value < 0.05)::int) BETWEEN 0.77 AND 0.83 AS power_as_planned,
	   avg((0.05 BETWEEN (c[2]).lift_lower AND (c[2]).lift_upper)::int) BETWEEN 0.93 AND 0.97 AS covers_true_lift
FROM ab;
RESET max_parallel_workers_per_gather;
