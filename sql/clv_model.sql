-- clv_model: fitting BG/NBD and Gamma-Gamma with clv_fit, the clv_model
-- type (text round trip, jsonb view), the predictions against the paper's
-- worked example and against their own definitions, and every error.
SET extra_float_digits = 0;

-- Fader, Hardie & Lee (2005): with r = 0.243, alpha = 4.414, a = 0.793,
-- b = 2.426, a customer with x = 2, t_x = 30.43, T = 38.86 (weeks) makes
-- 1.226 purchases in the next 39 weeks
CREATE TABLE paper AS SELECT 'unit_days=7 penalizer=0 r=0.243 alpha=4.414 a=0.793 b=2.426 r_se=0.013 alpha_se=0.378 a_se=0.186 b_se=0.706 bgnbd_loglik=-9582.4 bgnbd_customers=2357 bgnbd_iterations=30 bgnbd_gradient_norm=0 bgnbd_converged=true p=6.25 q=3.74 gamma=15.44 p_se=0.5 q_se=0.3 gamma_se=2 gg_loglik=-4000 gg_customers=946 gg_iterations=20 gg_gradient_norm=0 gg_converged=true format_version=1'::clv_model AS model;
SELECT round(clv_expected_purchases(model, (2, 30.43, 38.86, 0, 7)::btyd_summary, 39)::numeric, 3) AS "E[Y(39)] (paper: 1.226)",
	   round(clv_p_alive(model, (2, 30.43, 38.86, 0, 7)::btyd_summary)::numeric, 4) AS p_alive,
	   round(clv_p_alive(model, (0, 0, 38.86, 0, 7)::btyd_summary)::numeric, 4) AS p_alive_no_repeat
FROM paper;
-- Gamma-Gamma: (gamma + m x) p / (p x + q - 1), and p gamma / (q - 1) without history
SELECT round(clv_expected_spend(model, (2, 30, 38, 11.77, 7)::btyd_summary)::numeric, 6) AS spend,
	   round(((15.44 + 11.77 * 2) * 6.25 / (6.25 * 2 + 3.74 - 1))::numeric, 6) AS formula,
	   round(clv_expected_spend(model, (0, 0, 38, 0, 7)::btyd_summary)::numeric, 6) AS population_mean,
	   round((6.25 * 15.44 / 2.74)::numeric, 6) AS formula_mean
FROM paper;
-- clv_estimate is lifetimes' customer_lifetime_value: month k (30 days, here
-- 30/7 weeks) contributes spend x (E[X(30k/7)] - E[X(30(k-1)/7)]) / 1.01^k
SELECT round(clv_estimate(model, s)::numeric, 9) AS clv_estimate,
	   round((SELECT sum(clv_expected_spend(model, s) *
						 (clv_expected_purchases(model, s, 30 * k / 7.0) - clv_expected_purchases(model, s, 30 * (k - 1) / 7.0))
						 / 1.01 ^ k)
			  FROM generate_series(1, 12) k)::numeric, 9) AS by_definition,
	   round(clv_estimate(model, s, 36, 0.1)::numeric, 6) AS three_years_at_10_percent,
	   clv_estimate(model, s, 0) AS no_months
FROM paper, (VALUES ((2, 30.43, 38.86, 20, 7)::btyd_summary), ((0, 0, 10, 0, 7)::btyd_summary),
					((40, 38, 39, 5.5, 7)::btyd_summary)) v(s);

-- a population simulated from BG/NBD and Gamma-Gamma with the paper's
-- parameters (r 0.243, alpha 4.414, a 0.793, b 2.426; p 6.25, q 3.74,
-- gamma 15.44), 5000 customers observed for 30 to 39 weeks, seeded
CREATE FUNCTION pg_temp.rgamma(k float8) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE
	d float8 := greatest(k, 1) - 1.0 / 3;
	c float8 := 1 / sqrt(9 * d);
	x float8;
	v float8;
BEGIN
	IF k < 1 THEN
		RETURN pg_temp.rgamma(k + 1) * random() ^ (1 / k);
	END IF;
	LOOP
		LOOP
			x := sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random());
			v := 1 + c * x;
			EXIT WHEN v > 0;
		END LOOP;
		v := v * v * v;
		IF ln(1 - random()) < 0.5 * x * x + d - d * v + d * ln(v) THEN
			RETURN d * v;
		END IF;
	END LOOP;
END $$;
CREATE FUNCTION pg_temp.simulate(n int) RETURNS TABLE (customer_id int, s btyd_summary) LANGUAGE plpgsql AS $$
DECLARE
	lambda float8; pa float8; pdie float8; big_t float8; t float8; x int; tx float8; nu float8; spend float8;
BEGIN
	PERFORM setseed(0.42);
	FOR i IN 1..n LOOP
		lambda := pg_temp.rgamma(0.243) / 4.414;
		pa := pg_temp.rgamma(0.793);
		pdie := pa / (pa + pg_temp.rgamma(2.426));
		nu := pg_temp.rgamma(3.74) / 15.44;
		big_t := 30 + 9 * random();
		t := 0; x := 0; tx := 0; spend := 0;
		LOOP
			EXIT WHEN x > 0 AND random() < pdie;	-- inactive after a purchase
			t := t - ln(1 - random()) / lambda;
			EXIT WHEN t > big_t;
			x := x + 1;
			tx := t;
			spend := spend + pg_temp.rgamma(6.25) / nu;
		END LOOP;
		customer_id := i;
		s := (x, tx, big_t, CASE WHEN x > 0 THEN spend / x ELSE 0 END, 7)::btyd_summary;
		RETURN NEXT;
	END LOOP;
END $$;
CREATE TABLE summaries AS SELECT * FROM pg_temp.simulate(5000);
SELECT count(*) AS customers, count(*) FILTER (WHERE (s).frequency = 0) AS without_repeat,
	   max((s).frequency) AS max_frequency FROM summaries;

CREATE TABLE models AS SELECT 'weeks' AS name, clv_fit(s, 0, '7 days') AS model FROM summaries
UNION ALL SELECT 'penalized', clv_fit(s, 0.01, '7 days') FROM summaries
UNION ALL SELECT 'days', clv_fit(((s).frequency, (s).recency * 7, (s).t * 7, (s).monetary, 1)::btyd_summary) FROM summaries;
SELECT name, round((j->'bgnbd'->>'r')::numeric, 3) AS r, round((j->'bgnbd'->>'alpha')::numeric, 3) AS alpha,
	   round((j->'bgnbd'->>'a')::numeric, 3) AS a, round((j->'bgnbd'->>'b')::numeric, 3) AS b,
	   round((j->'gamma_gamma'->>'p')::numeric, 3) AS p, round((j->'gamma_gamma'->>'q')::numeric, 3) AS q,
	   round((j->'gamma_gamma'->>'gamma')::numeric, 3) AS gamma,
	   (j->'bgnbd'->>'customers') AS bg_customers, (j->'gamma_gamma'->>'customers') AS gg_customers,
	   (j->'bgnbd'->>'converged') AS bg_converged, (j->'gamma_gamma'->>'converged') AS gg_converged
FROM (SELECT name, model::jsonb AS j FROM models) m ORDER BY name;
-- the unpenalized fit recovers every parameter within 3 standard errors
SELECT k AS parameter, truth, round(fitted::numeric, 3) AS fitted, round(se::numeric, 3) AS se,
	   abs(fitted - truth) <= 3 * se AS within_3_se
FROM models, LATERAL (VALUES
	('r', 0.243, (model::jsonb->'bgnbd'->>'r')::float8, (model::jsonb->'bgnbd'->'se'->>'r')::float8),
	('alpha', 4.414, (model::jsonb->'bgnbd'->>'alpha')::float8, (model::jsonb->'bgnbd'->'se'->>'alpha')::float8),
	('a', 0.793, (model::jsonb->'bgnbd'->>'a')::float8, (model::jsonb->'bgnbd'->'se'->>'a')::float8),
	('b', 2.426, (model::jsonb->'bgnbd'->>'b')::float8, (model::jsonb->'bgnbd'->'se'->>'b')::float8),
	('p', 6.25, (model::jsonb->'gamma_gamma'->>'p')::float8, (model::jsonb->'gamma_gamma'->'se'->>'p')::float8),
	('q', 3.74, (model::jsonb->'gamma_gamma'->>'q')::float8, (model::jsonb->'gamma_gamma'->'se'->>'q')::float8),
	('gamma', 15.44, (model::jsonb->'gamma_gamma'->>'gamma')::float8, (model::jsonb->'gamma_gamma'->'se'->>'gamma')::float8)
) v(k, truth, fitted, se)
WHERE name = 'weeks';
-- log-likelihoods and a small gradient; the penalized fit's likelihood is lower
SELECT name, round((j->'bgnbd'->>'loglik')::numeric, 2) AS bg_loglik, round((j->'gamma_gamma'->>'loglik')::numeric, 2) AS gg_loglik,
	   (j->'bgnbd'->>'gradient_norm')::float8 < 1e-6 AS bg_small_gradient,
	   (j->'gamma_gamma'->>'gradient_norm')::float8 < 1e-6 AS gg_small_gradient
FROM (SELECT name, model::jsonb AS j FROM models) m ORDER BY name;
-- a weekly fit predicts what the daily one does (same data, another unit)
SELECT round(clv_expected_purchases(d.model, (3, 140, 245, 40, 1)::btyd_summary, 70)::numeric, 3) AS in_days,
	   round(clv_expected_purchases(w.model, (3, 20, 35, 40, 7)::btyd_summary, 10)::numeric, 3) AS in_weeks,
	   round(clv_estimate(d.model, (3, 140, 245, 40, 1)::btyd_summary)::numeric, 3) AS clv_days,
	   round(clv_estimate(w.model, (3, 20, 35, 40, 7)::btyd_summary)::numeric, 3) AS clv_weeks
FROM models d, models w WHERE d.name = 'days' AND w.name = 'weeks';

-- the text form reads back to the same bits; so does the binary form (COPY)
SELECT name, model::text::clv_model::text = model::text AS text_round_trip FROM models ORDER BY name;
-- (a file in the server's data directory: one per cluster, so concurrent runs do not meet)
DO $$ BEGIN
	EXECUTE format('COPY (SELECT name, model FROM models) TO %L WITH (FORMAT binary)',
				   current_setting('data_directory') || '/segmentation_clv_model.bin');
END $$;
CREATE TABLE models_copy (name text, model clv_model);
DO $$ BEGIN
	EXECUTE format('COPY models_copy FROM %L WITH (FORMAT binary)',
				   current_setting('data_directory') || '/segmentation_clv_model.bin');
END $$;
SELECT m.name, m.model::text = c.model::text AS binary_round_trip FROM models m JOIN models_copy c USING (name) ORDER BY 1;

-- scoring every customer
CREATE TABLE scores AS
SELECT customer_id, clv_p_alive(model, s) AS p_alive, clv_expected_purchases(model, s, 90) AS purchases_90d,
	   clv_expected_spend(model, s) AS spend, clv_estimate(model, s) AS clv
FROM summaries, models WHERE name = 'weeks';
SELECT count(*) AS scored, count(*) FILTER (WHERE p_alive BETWEEN 0 AND 1) AS p_alive_in_range,
	   count(*) FILTER (WHERE purchases_90d >= 0 AND spend > 0 AND clv >= 0) AS predictions_in_range
FROM scores;
-- clv_estimate through its cache equals its definition customer by customer
SELECT count(*) AS differing FROM summaries, models m
WHERE m.name = 'weeks' AND abs(clv_estimate(model, s, 6, 0.02) -
	(SELECT sum(clv_expected_spend(model, s) *
				(clv_expected_purchases(model, s, 30 * k / 7.0) - clv_expected_purchases(model, s, 30 * (k - 1) / 7.0)) / 1.02 ^ k)
	 FROM generate_series(1, 6) k)) > 1e-9 * greatest(1, clv_estimate(model, s, 6, 0.02));

-- the validation table: orders simulated from the same processes (in days,
-- alpha 4.414 weeks = 30.9 days), first purchases in the first half of 2024;
-- fit on the calibration period up to 2025-01-01, then predicted against
-- actual purchases in the holdout half year, by calibration frequency
CREATE FUNCTION pg_temp.simulate_orders(n int) RETURNS TABLE (customer_id int, ordered_at timestamptz, amount float8)
LANGUAGE plpgsql AS $$
DECLARE
	lambda float8; pa float8; pdie float8; nu float8; t float8; x int; horizon float8;
BEGIN
	PERFORM setseed(0.17);
	FOR i IN 1..n LOOP
		lambda := pg_temp.rgamma(0.243) / 30.898;
		pa := pg_temp.rgamma(0.793);
		pdie := pa / (pa + pg_temp.rgamma(2.426));
		nu := pg_temp.rgamma(3.74) / 15.44;
		t := floor(182 * random());					-- first purchase, days after 2024-01-01
		horizon := DATE '2025-06-30' - DATE '2024-01-01';
		x := 0;
		customer_id := i;
		LOOP
			ordered_at := TIMESTAMPTZ '2024-01-01 12:00+00' + t * interval '1 day';
			amount := round((pg_temp.rgamma(6.25) / nu)::numeric, 2);
			RETURN NEXT;
			EXIT WHEN x > 0 AND random() < pdie;
			t := t - ln(1 - random()) / lambda;
			EXIT WHEN t > horizon;
			x := x + 1;
		END LOOP;
	END LOOP;
END $$;
SET timezone = 'UTC';
CREATE TABLE orders AS SELECT * FROM pg_temp.simulate_orders(6000);
CREATE TABLE holdout AS
SELECT customer_id, btyd_holdout_summary(ordered_at, amount, '2024-12-31 24:00', '2025-06-30 24:00') AS h
FROM orders GROUP BY customer_id;
CREATE TABLE calibration_model AS SELECT clv_fit(h::btyd_summary) AS model FROM holdout;
SELECT least((h).frequency, 6) AS "calibration frequency (6 = 6+)", count(*) AS customers,
	   round(avg((h).frequency_holdout), 3) AS "actual holdout purchases",
	   round(avg(clv_expected_purchases(model, h))::numeric, 3) AS "predicted holdout purchases"
FROM holdout, calibration_model GROUP BY 1 ORDER BY 1;
-- the P(alive) matrix lifetimes plots, as rows: frequency by recency at the
-- largest T (here a corner of it)
SELECT x AS frequency,
	   round(clv_p_alive(model, (x, 0.0 * max_t, max_t, 0, 1)::btyd_summary)::numeric, 3) AS "recency 0",
	   round(clv_p_alive(model, (x, 0.5 * max_t, max_t, 0, 1)::btyd_summary)::numeric, 3) AS "recency T/2",
	   round(clv_p_alive(model, (x, max_t, max_t, 0, 1)::btyd_summary)::numeric, 3) AS "recency T"
FROM calibration_model, (SELECT max((h).t) AS max_t FROM holdout) m, generate_series(1, 5) x;
RESET timezone;

-- edge cases
SELECT round(clv_expected_purchases(model, (1000, 9990, 10000, 50, 7)::btyd_summary, 365)::numeric, 2) AS huge_frequency,
	   round(clv_p_alive(model, (1000, 9990, 10000, 50, 7)::btyd_summary)::numeric, 6) AS huge_p_alive,
	   clv_estimate(model, NULL::btyd_summary) AS null_summary,
	   clv_estimate(model, (1, NULL, 10, 5, 7)::btyd_summary) AS null_field
FROM models WHERE name = 'weeks';
SELECT clv_fit(s) IS NULL AS no_rows FROM summaries WHERE false;
SELECT clv_fit(NULL::btyd_summary) IS NULL AS only_nulls;

-- errors
\set VERBOSITY default
SELECT clv_fit((0, 0, 10 + i, 0, 1)::btyd_summary) FROM generate_series(1, 100) i;
SELECT clv_fit((2, 5, 10, 20, 1)::btyd_summary);
SELECT clv_fit(s, -1) FROM summaries;
SELECT clv_fit(s, i % 2 * 0.1) FROM summaries, generate_series(1, 2) i;
SELECT clv_fit(s, 0, '0 days') FROM summaries;
SELECT clv_p_alive(model, (2, 11, 10, 5, 7)::btyd_summary) FROM paper;
SELECT clv_p_alive(model, (-1, 0, 10, 5, 7)::btyd_summary) FROM paper;
SELECT clv_expected_purchases(model, (2, 5, 10, 5, 7)::btyd_summary, -1) FROM paper;
SELECT clv_estimate(model, (2, 5, 10, 5, 7)::btyd_summary, -1) FROM paper;
SELECT clv_estimate(model, (2, 5, 10, 5, 7)::btyd_summary, 12, -0.5) FROM paper;
SELECT 'r=1'::clv_model;
SELECT replace(model::text, 'r=0.243', 'r=-0.243')::clv_model FROM paper;
SELECT replace(model::text, 'r=0.243', 'r=NaN')::clv_model FROM paper;
SELECT replace(model::text, 'r_se=0.013', 'r_se=NaN')::clv_model IS NOT NULL AS nan_se_allowed FROM paper;
SELECT replace(model::text, 'r=0.243', 'r=0x1p-2')::clv_model FROM paper;
SELECT replace(model::text, 'format_version=1', 'format_version=2')::clv_model FROM paper;
SELECT replace(model::text, 'bgnbd_iterations=30', 'bgnbd_iterations=2.5')::clv_model FROM paper;
SELECT replace(model::text, 'gg_converged=true', 'gg_converged=yes')::clv_model FROM paper;
SELECT (model::text || ' r=1')::clv_model FROM paper;
SELECT replace(model::text, 'r=0.243 ', 'rr=0.243 ')::clv_model FROM paper;
SELECT replace(model::text, ' alpha=4.414', '')::clv_model FROM paper;
SELECT replace(model::text, 'penalizer=0', 'penalizer')::clv_model FROM paper;

-- the objects, their volatility and strictness
SELECT p.oid::regprocedure, p.provolatile, p.proisstrict, p.proparallel
FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
WHERE p.proname IN ('clv_fit', 'clv_expected_purchases', 'clv_p_alive', 'clv_expected_spend', 'clv_estimate', 'clv_model_jsonb')
ORDER BY 1::text;
