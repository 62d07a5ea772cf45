-- BG/BB in SQL (Fader, Hardie & Shang 2010): the summary over discrete
-- opportunities and why btyd_summary is not it; the paper's donations fit;
-- predictions against values computed independently (mpmath and lifetimes,
-- test/unit/bgbb_reference.py and bgbb_lifetimes.py); weights, penalizer,
-- NULLs, parallel plans, and every error with its SQLSTATE.
SET extra_float_digits = 0;
SET timezone = 'UTC';

-- ---------------------------------------------------------------------
-- The summary
-- ---------------------------------------------------------------------

-- donor 1: first gift 1995, then 1997 (twice), 1999, and 2003 (after as_of);
-- x = 2 (1997, 1999), t_x = 1999 - 1995 = 4, n = 2001 - 1995 = 6
-- donor 2: only 1995: (0, 0, 6); donor 3: first gift 2002, after as_of: NULL
-- donor 4: 1996, 1997, 1998 and a NULL period: (2, 2, 5)
SELECT d, bgbb_summary(p, 2001)
FROM (VALUES (1, 1995), (1, 1997), (1, 1997), (1, 1999), (1, 2003),
             (2, 1995), (3, 2002), (4, 1996), (4, 1997), (4, 1998), (4, NULL)) v(d, p)
GROUP BY d ORDER BY d;

-- btyd_summary with a yearly unit is not the BG/BB summary: it counts
-- purchase days (two gifts in 1997 are two), and measures recency and age
-- from the first day in fractional years of 360 days (a month is 30 days)
SELECT btyd_summary(t, 10, '2001-12-31', '1 year')
FROM (VALUES (TIMESTAMPTZ '1995-03-01'), ('1997-02-01'), ('1997-10-01'), ('1999-06-01')) v(t);
SELECT bgbb_summary(extract(year FROM t)::bigint, 2001)
FROM (VALUES (TIMESTAMPTZ '1995-03-01'), ('1997-02-01'), ('1997-10-01'), ('1999-06-01')) v(t);

-- the summary against its definition in plain SQL, 3,000 random donors
-- with up to 12 gifts each over 1990..2009, as of 2005
CREATE TEMP TABLE gifts AS
SELECT d, 1990 + floor(random() * 20)::bigint AS p
FROM generate_series(1, 3000) d, generate_series(1, 1 + (d % 12)) k;
SELECT count(*) AS donors,
       count(*) FILTER (WHERE a IS DISTINCT FROM b) AS differences
FROM (SELECT d, bgbb_summary(p, 2005) AS a FROM gifts GROUP BY d) x
FULL JOIN (SELECT d, (count(DISTINCT p) - 1, max(p) - min(p), 2005 - min(p))::bgbb_summary AS b
           FROM gifts WHERE p <= 2005 GROUP BY d) y USING (d);

-- ---------------------------------------------------------------------
-- The paper's donations data: 11,104 donors as 22 weighted patterns
-- (test/data/donations.csv)
-- ---------------------------------------------------------------------
CREATE TEMP TABLE donations (frequency int, recency int, periods int, weights int);
INSERT INTO donations VALUES
	(0, 0, 6, 3464), (1, 1, 6, 1091), (1, 2, 6, 277), (1, 3, 6, 129), (1, 4, 6, 78),
	(1, 5, 6, 119), (1, 6, 6, 129), (2, 2, 6, 613), (2, 3, 6, 255), (2, 4, 6, 155),
	(2, 5, 6, 173), (2, 6, 6, 234), (3, 3, 6, 322), (3, 4, 6, 181), (3, 5, 6, 225),
	(3, 6, 6, 357), (4, 4, 6, 240), (4, 5, 6, 284), (4, 6, 6, 512), (5, 5, 6, 335),
	(5, 6, 6, 728), (6, 6, 6, 1203);

-- the paper: alpha 1.204, beta 0.750, gamma 0.657, delta 2.783, LL -33,225.6
CREATE TEMP TABLE m AS
SELECT bgbb_fit((frequency, recency, periods)::bgbb_summary, weights) AS m FROM donations;
SELECT round((m).alpha::numeric, 3) AS alpha, round((m).beta::numeric, 3) AS beta,
       round((m).gamma::numeric, 3) AS gamma, round((m).delta::numeric, 3) AS delta,
       round((m).loglik::numeric, 1) AS loglik, (m).customers,
       round((m).aic::numeric, 1) AS aic, round((m).bic::numeric, 1) AS bic
FROM m;
-- AIC = 2 k - 2 LL and BIC = k ln(n) - 2 LL with k = 4 and n = 11,104
SELECT abs((m).aic - (8 - 2 * (m).loglik)) < 1e-9 AS aic_ok,
       abs((m).bic - (4 * ln(11104) - 2 * (m).loglik)) < 1e-9 AS bic_ok,
       (m).alpha_se > 0 AND (m).delta_se > 0 AS se_ok
FROM m;
-- the same donors one row each (not weighted) fit the same model
SELECT abs((w.m).alpha - (m.m).alpha) < 1e-6 AND abs((w.m).delta - (m.m).delta) < 1e-6
       AND abs((w.m).loglik - (m.m).loglik) < 1e-6 AS unweighted_equal
FROM m m, (SELECT bgbb_fit((frequency, recency, periods)::bgbb_summary) AS m
           FROM donations, generate_series(1, weights)) w;

-- ---------------------------------------------------------------------
-- Predictions at the paper's parameters against mpmath (to 1e-10
-- relative) and lifetimes 0.11.3 (to 1e-3 relative)
-- ---------------------------------------------------------------------
CREATE TEMP TABLE pub AS
SELECT (1.204, 0.750, 0.657, 2.783, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0)::bgbb_model AS m;
SELECT x, tx, n,
       abs(bgbb_p_alive(m, (x, tx, n)) / alive0 - 1) < 1e-10 AS alive_now,
       abs(bgbb_p_alive(m, (x, tx, n), 1) / alive1 - 1) < 1e-10 AS alive_next,
       abs(bgbb_expected_purchases(m, (x, tx, n), 5) / e5 - 1) < 1e-10 AS next_5,
       abs(bgbb_expected_purchases(m, (x, tx, n), 1) / lt_e1 - 1) < 1e-3 AS next_1_lifetimes,
       round(bgbb_expected_purchases(m, (x, tx, n), 5)::numeric, 4) AS next_5_value
FROM pub, (VALUES
	(0, 0, 6, 0.11609661329298467, 0.10801658416867418, 0.072802877475043007, 0.016350511357692134),
	(1, 1, 6, 0.074600068298967204, 0.06940809320654967, 0.085635398337870303, 0.019232516649136725),
	(3, 5, 6, 0.82408851553679208, 0.76673404999572514, 1.8044259997945682, 0.40524892458900752),
	(6, 6, 6, 1, 0.93040254237288134, 3.7521156075998148, 0.84267285834224004),
	(2, 3, 10, 0.059862175462800947, 0.05693587715334706, 0.070046078729335604, 0.015260377312976081),
	(5, 40, 60, 0.39189493421627125, 0.38783637539249938, 0.19032596388126946, 0.038837385223398947))
	v(x, tx, n, alive0, alive1, e5, lt_e1)
ORDER BY x, tx, n;
-- a new donor's expected gifts in the first 6 opportunities (eq. 8; mpmath
-- 2.2196313934872989), and 0 opportunities
SELECT abs(bgbb_expected_purchases_new(m, 6) / 2.2196313934872989 - 1) < 1e-10 AS new_6,
       bgbb_expected_purchases_new(m, 0) AS new_0,
       bgbb_expected_purchases(m, (2, 3, 6), 0) AS next_0
FROM pub;
-- the fitted model's validation in the paper's style: expected against
-- actual donors by number of repeat gifts in 1996-2001 is the model's
-- P(X(6) = x); here, the total repeat gifts: actual against E[X(6)] times donors
SELECT sum(frequency * weights) AS actual,
       round((sum(weights) * bgbb_expected_purchases_new((SELECT m FROM m), 6))::numeric) AS expected
FROM donations;

-- ---------------------------------------------------------------------
-- NULLs, penalizer, parallel plans
-- ---------------------------------------------------------------------
SELECT bgbb_p_alive(m, NULL) IS NULL AS null_summary,
       bgbb_p_alive(m, (NULL, 1, 6)) IS NULL AS null_field,
       bgbb_p_alive((NULL, 1, 1, 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0)::bgbb_model, (1, 1, 6)) IS NULL AS null_param
FROM pub;
-- NULL summaries and NULL weights are skipped, a weight of 0 counts nothing
SELECT abs((bgbb_fit(s, w)).loglik - (SELECT (m).loglik FROM m)) < 1e-6 AS skipped
FROM (SELECT (frequency, recency, periods)::bgbb_summary AS s, weights::float8 AS w FROM donations
      UNION ALL VALUES (NULL, 5), ((1, 1, 6)::bgbb_summary, NULL), ((2, 2, 6)::bgbb_summary, 0)) x(s, w);
SELECT bgbb_fit(s) IS NULL AS no_rows FROM (SELECT NULL::bgbb_summary AS s WHERE false) x;
-- a penalizer pulls the parameters towards 0
SELECT (bgbb_fit((frequency, recency, periods)::bgbb_summary, weights, 0.01)).alpha < (SELECT (m).alpha FROM m) AS penalized
FROM donations;
-- parallel partial aggregation gives the serial fit bit for bit
CREATE TEMP TABLE donors AS
SELECT (frequency, recency, periods)::bgbb_summary AS s FROM donations, generate_series(1, weights);
CREATE TABLE bgbb_donors AS SELECT * FROM donors;
ANALYZE bgbb_donors;
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial AS SELECT bgbb_fit(s)::text AS m FROM bgbb_donors;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2; SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT bgbb_fit(s) FROM bgbb_donors;
SELECT (SELECT bgbb_fit(s)::text FROM bgbb_donors) = m AS parallel_equals_serial FROM serial;
RESET ALL;
SET extra_float_digits = 0;
DROP TABLE bgbb_donors;

-- ---------------------------------------------------------------------
-- Bounded cost and cancellation: 300 customers with about 100,000
-- opportunities each, so that one evaluation of the likelihood sums 30
-- million terms; a 100 ms statement_timeout stops the fit
-- (which without it ends within its budget, below)
-- ---------------------------------------------------------------------
SET statement_timeout = '100ms';
SELECT bgbb_fit((k % 2, k % 2, 99700 + k)::bgbb_summary) FROM generate_series(1, 300) k;
RESET statement_timeout;

-- ---------------------------------------------------------------------
-- Errors
-- ---------------------------------------------------------------------
CREATE FUNCTION pg_temp.sqlstate_of(query text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE query;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ' ' || SQLERRM;
END $$;
-- summaries no customer can have; a model parameter that is not finite and
-- positive; opportunities out of range; weights and penalizers (22004 for
-- NULL); nothing to identify the model from; bgbb_summary's as_of_period
-- different between rows (22023) or NULL (22004), or a first period more
-- than 100,000 opportunities back; the fit above without a timeout, which
-- ends within its budget of likelihood evaluations (2.2 s at load average 9
-- on the 2-core machine)
SELECT q AS query, pg_temp.sqlstate_of(q) AS error
FROM unnest(ARRAY[
	$q$SELECT bgbb_p_alive(m, (2, 1, 6)) FROM pub$q$,
	$q$SELECT bgbb_p_alive(m, (1, 0, 6)) FROM pub$q$,
	$q$SELECT bgbb_p_alive(m, (0, 1, 6)) FROM pub$q$,
	$q$SELECT bgbb_p_alive(m, (1, 7, 6)) FROM pub$q$,
	$q$SELECT bgbb_p_alive(m, (0, 0, 100001)) FROM pub$q$,
	$q$SELECT bgbb_fit((-1, 0, 6)::bgbb_summary)$q$,
	$q$SELECT bgbb_p_alive((0, 1, 1, 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0)::bgbb_model, (1, 1, 6))$q$,
	$q$SELECT bgbb_expected_purchases_new(('NaN', 1, 1, 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0)::bgbb_model, 3)$q$,
	$q$SELECT bgbb_expected_purchases((1, 1, 1, 'Infinity', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0)::bgbb_model, (1, 1, 6), 3)$q$,
	$q$SELECT bgbb_expected_purchases(m, (1, 1, 6), -1) FROM pub$q$,
	$q$SELECT bgbb_expected_purchases(m, (1, 1, 6), 100001) FROM pub$q$,
	$q$SELECT bgbb_p_alive(m, (1, 1, 6), -1) FROM pub$q$,
	$q$SELECT bgbb_expected_purchases_new(m, 2147483647) FROM pub$q$,
	$q$SELECT bgbb_fit((1, 1, 6)::bgbb_summary, -1)$q$,
	$q$SELECT bgbb_fit((1, 1, 6)::bgbb_summary, 'NaN')$q$,
	$q$SELECT bgbb_fit((1, 1, 6)::bgbb_summary, 1, -0.5)$q$,
	$q$SELECT bgbb_fit(s, 1, p) FROM (VALUES ((1, 1, 6)::bgbb_summary, 0.1), ((1, 1, 6)::bgbb_summary, 0.2)) v(s, p)$q$,
	$q$SELECT bgbb_fit((1, 1, 6)::bgbb_summary, 1, NULL)$q$,
	$q$SELECT bgbb_fit((1, 1, 1)::bgbb_summary)$q$,
	$q$SELECT bgbb_summary(p, a) FROM (VALUES (1995, 2001), (1996, 2002)) v(p, a)$q$,
	$q$SELECT bgbb_summary(-9223372036854775807, 9223372036854775807)$q$,
	$q$SELECT bgbb_summary(0, 100001)$q$,
	$q$SELECT bgbb_summary(1995, NULL)$q$,
	$q$SELECT bgbb_fit((k % 2, k % 2, 99700 + k)::bgbb_summary) FROM generate_series(1, 300) k$q$
]) q;
