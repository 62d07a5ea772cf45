-- The shifted-beta-geometric retention model in SQL (Fader & Hardie 2007,
-- "How to Project Customer Retention"): the paper's two cohorts fitted from
-- their survivors, the same fit as an aggregate over a subscriptions table,
-- survival, churn and retention against their definitions, the discounted
-- expected residual lifetime against its series (mpmath, test/unit/
-- bgbb_reference.py), parallel plans, and every error with its SQLSTATE.
SET extra_float_digits = 0;

-- survivors per 1,000 over years 0..12
CREATE TEMP TABLE cohorts (name text, alive float8[]);
INSERT INTO cohorts VALUES
	('regular', '{1000,631,468,382,326,289,262,241,223,207,194,183,173}'),
	('high end', '{1000,869,743,653,593,551,517,491,468,445,427,409,394}');

-- the paper fits years 1-7: regular alpha 0.704, beta 1.182; high end
-- alpha 0.668, beta 3.806 (scipy on the same likelihood: LL -1680.2652 and
-- -1611.1581)
CREATE TEMP TABLE fits AS SELECT name, sbg_fit(alive[1:8]) AS m FROM cohorts;
SELECT name, round((m).alpha::numeric, 3) AS alpha, round((m).beta::numeric, 3) AS beta,
       round((m).loglik::numeric, 4) AS loglik, (m).customers,
       abs((m).aic - (4 - 2 * (m).loglik)) < 1e-9 AND abs((m).bic - (2 * ln(1000) - 2 * (m).loglik)) < 1e-9 AS aic_bic_ok
FROM fits ORDER BY name;

-- the projection of years 8-12 against what happened (the paper's Figure)
SELECT name, t, alive[t + 1] AS actual, round((1000 * sbg_survival(m, t))::numeric, 1) AS projected
FROM fits JOIN cohorts USING (name), generate_series(8, 12) t
ORDER BY name, t;

-- retention rates rise as the likeliest to cancel leave: r(t) = S(t)/S(t-1)
-- and the churn probability P(T = t) = S(t-1) - S(t)
SELECT name, t, round(sbg_retention_rate(m, t)::numeric, 4) AS retention,
       abs(sbg_retention_rate(m, t) - sbg_survival(m, t) / sbg_survival(m, t - 1)) < 1e-12 AS rate_ok,
       abs(sbg_churn_probability(m, t) - (sbg_survival(m, t - 1) - sbg_survival(m, t))) < 1e-12 AS churn_ok
FROM fits, generate_series(1, 5) t
ORDER BY name, t;

-- the same fit as an aggregate over customers: one row per subscriber of
-- the regular cohort, cancelled in year t or still active after 7 renewals
CREATE TEMP TABLE subscribers AS
SELECT t AS periods, true AS churned
FROM (SELECT t, alive[t] - alive[t + 1] AS lost FROM cohorts, generate_series(1, 7) t WHERE name = 'regular') x,
     generate_series(1, lost::int)
UNION ALL
SELECT 7, false FROM cohorts, generate_series(1, alive[8]::int) WHERE name = 'regular';
SELECT count(*) AS subscribers, count(*) FILTER (WHERE churned) AS cancelled FROM subscribers;
SELECT abs((a.m).alpha - (f.m).alpha) < 1e-6 AND abs((a.m).beta - (f.m).beta) < 1e-6
       AND abs((a.m).loglik - (f.m).loglik) < 1e-6 AS aggregate_equals_cohort
FROM (SELECT sbg_fit(periods, churned) AS m FROM subscribers) a, fits f WHERE f.name = 'regular';

-- the discounted expected residual lifetime (Fader & Hardie 2010) at
-- alpha 0.668, beta 3.806, discount 10%, after 0 and 4 renewals, against
-- the sum of S(n+1+j)/S(n)/1.1^j (mpmath: 5.4148560483740402 and
-- 6.8970573977460905); it grows with tenure
SELECT abs(sbg_derl(m, 0, 0.1) / 5.4148560483740402 - 1) < 1e-10 AS derl_0,
       abs(sbg_derl(m, 4, 0.1) / 6.8970573977460905 - 1) < 1e-10 AS derl_4,
       round(sbg_derl(m, 0, 0.1)::numeric, 3) AS after_0, round(sbg_derl(m, 4, 0.1)::numeric, 3) AS after_4
FROM (SELECT (0.668, 3.806, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0)::sbg_model AS m) x;
-- the same sum in SQL, 2,000 terms
SELECT abs(sbg_derl(m, 2, 0.25) - sum(sbg_survival(m, 3 + j) / sbg_survival(m, 2) / 1.25 ^ j)) < 1e-10 AS derl_sum
FROM (SELECT (0.668, 3.806, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0)::sbg_model AS m) x,
     generate_series(0, 2000) j
GROUP BY m;

-- NULLs: a NULL model, period or field gives NULL; NULL rows are skipped
SELECT sbg_survival(NULL, 3) IS NULL AS null_model,
       sbg_survival((NULL, 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0)::sbg_model, 3) IS NULL AS null_param,
       sbg_derl((1, 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0)::sbg_model, 3, NULL) IS NULL AS null_discount;
SELECT abs((sbg_fit(periods, churned)).loglik - (SELECT (m).loglik FROM fits WHERE name = 'regular')) < 1e-6 AS nulls_skipped
FROM (SELECT * FROM subscribers UNION ALL VALUES (NULL, true), (3, NULL)) s;

-- parallel partial aggregation gives the serial fit bit for bit
CREATE TABLE sbg_subscribers AS SELECT * FROM subscribers;
ANALYZE sbg_subscribers;
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial AS SELECT sbg_fit(periods, churned)::text AS m FROM sbg_subscribers;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2; SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT sbg_fit(periods, churned) FROM sbg_subscribers;
SELECT (SELECT sbg_fit(periods, churned)::text FROM sbg_subscribers) = m AS parallel_equals_serial FROM serial;
RESET ALL;
SET extra_float_digits = 0;
DROP TABLE sbg_subscribers;

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
-- cohorts that are too short, increasing, negative, NULL (22004) or
-- two-dimensional (2202E); periods outside their range; a model parameter
-- that is not finite and positive; a discount rate below 0.0001; nothing
-- to identify the model from; a cohort that loses the same share every
-- period (no spread in the churn probability: the boundary)
SELECT q AS query, pg_temp.sqlstate_of(q) AS error
FROM unnest(ARRAY[
	$q$SELECT sbg_fit('{1000,600}'::float8[])$q$,
	$q$SELECT sbg_fit('{1000,600,700}'::float8[])$q$,
	$q$SELECT sbg_fit('{1000,600,-1}'::float8[])$q$,
	$q$SELECT sbg_fit('{1000,600,NaN}'::float8[])$q$,
	$q$SELECT sbg_fit('{1000,NULL,500}'::float8[])$q$,
	$q$SELECT sbg_fit('{{1000,600},{500,400}}'::float8[])$q$,
	$q$SELECT sbg_fit('{1000,600,500}'::float8[], -1)$q$,
	$q$SELECT sbg_fit(0, true)$q$,
	$q$SELECT sbg_fit(-1, false)$q$,
	$q$SELECT sbg_fit(1, true, NULL)$q$,
	$q$SELECT sbg_fit(t, true) FROM generate_series(1, 1) t$q$,
	$q$SELECT sbg_fit(t, false) FROM generate_series(1, 3) t$q$,
	$q$SELECT sbg_survival(m, -1) FROM (SELECT (1, 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0)::sbg_model AS m) x$q$,
	$q$SELECT sbg_churn_probability(m, 0) FROM (SELECT (1, 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0)::sbg_model AS m) x$q$,
	$q$SELECT sbg_retention_rate(m, 0) FROM (SELECT (1, 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0)::sbg_model AS m) x$q$,
	$q$SELECT sbg_derl(m, -1, 0.1) FROM (SELECT (1, 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0)::sbg_model AS m) x$q$,
	$q$SELECT sbg_derl(m, 1, 0) FROM (SELECT (1, 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0)::sbg_model AS m) x$q$,
	$q$SELECT sbg_derl(m, 1, 'Infinity') FROM (SELECT (1, 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0)::sbg_model AS m) x$q$,
	$q$SELECT sbg_survival((-1, 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0)::sbg_model, 1)$q$,
	$q$SELECT sbg_survival((1, 'Infinity', NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0)::sbg_model, 1)$q$,
	$q$SELECT sbg_fit('{1000,700,490,343,240.1,168.07,117.649,82.3543}'::float8[])$q$
]) q;
