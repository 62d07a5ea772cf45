-- Issue 17's three defects, each from its reproducer:
--   1. the unit travels with the summary: btyd_summary(..., '7 days') then
--      clv_fit(s) fits in weeks, and clv_estimate reads weeks;
--   2. customers who never drop out: the BG/NBD fit ends at its boundary
--      (the NBD), says so, and predicts as the NBD;
--   3. clv_estimate's months are bounded.
SET extra_float_digits = 0;
SET timezone = 'UTC';

-- orders simulated from BG/NBD and Gamma-Gamma in days (the paper's
-- parameters, alpha 4.414 weeks = 30.9 days), seeded, as in clv_model.sql
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
-- dropout: whether customers drop out (BG/NBD) or never do (NBD)
CREATE FUNCTION pg_temp.simulate_orders(n int, dropout bool) RETURNS TABLE (customer_id int, ordered_at timestamptz, amount float8)
LANGUAGE plpgsql AS $$
DECLARE
	lambda float8; pa float8; pdie float8; nu float8; t float8; x int;
BEGIN
	PERFORM setseed(0.17);
	FOR i IN 1..n LOOP
		lambda := pg_temp.rgamma(0.243) / 30.898;
		pa := pg_temp.rgamma(0.793);
		pdie := CASE WHEN dropout THEN pa / (pa + pg_temp.rgamma(2.426)) ELSE 0 END;
		nu := pg_temp.rgamma(3.74) / 15.44;
		t := floor(182 * random());
		x := 0;
		customer_id := i;
		LOOP
			ordered_at := TIMESTAMPTZ '2024-01-01 12:00+00' + t * interval '1 day';
			amount := round((pg_temp.rgamma(6.25) / nu)::numeric, 2);
			RETURN NEXT;
			EXIT WHEN x > 0 AND random() < pdie;
			t := t - ln(1 - random()) / lambda;
			EXIT WHEN t > DATE '2025-06-30' - DATE '2024-01-01';
			x := x + 1;
		END LOOP;
	END LOOP;
END $$;
CREATE TABLE orders AS SELECT * FROM pg_temp.simulate_orders(4000, true);

-- 1. The unit travels with the summary.  Summaries in days and in weeks of
-- the same orders, each fitted by clv_fit(s) without a unit: the models
-- carry the summaries' unit, and every customer's 12-month CLV agrees
-- within 1% between them (0.1.0 fitted the weekly summaries as if in days:
-- each CLV came out several times too large, with no error)
CREATE TABLE s AS
SELECT customer_id, btyd_summary(ordered_at, amount, '2025-06-30 24:00') AS days,
	   btyd_summary(ordered_at, amount, '2025-06-30 24:00', '7 days') AS weeks
FROM orders GROUP BY customer_id;
SELECT (days).unit_days AS days_unit, (weeks).unit_days AS weeks_unit, count(*) AS customers
FROM s GROUP BY 1, 2;
CREATE TABLE m AS SELECT clv_fit(days) AS days, clv_fit(weeks) AS weeks FROM s;
SELECT days::jsonb->'unit_days' AS days_model_unit, weeks::jsonb->'unit_days' AS weeks_model_unit,
	   round((weeks::jsonb->'bgnbd'->>'alpha')::numeric * 7 / (days::jsonb->'bgnbd'->>'alpha')::numeric, 3) AS "alpha ratio (7)"
FROM m;
SELECT count(*) AS customers,
	   count(*) FILTER (WHERE abs(clv_estimate(m.weeks, s.weeks) / clv_estimate(m.days, s.days) - 1) <= 0.01) AS "CLV within 1%",
	   round((sum(clv_estimate(m.weeks, s.weeks)) / sum(clv_estimate(m.days, s.days)))::numeric, 3) AS "total CLV ratio"
FROM s, m WHERE (s.days).frequency > 0;
-- the calibration part of a holdout summary keeps its unit
SELECT (btyd_holdout_summary(ordered_at, amount, '2025-01-01', '2025-06-30', '7 days')::btyd_summary).unit_days
FROM orders WHERE customer_id = 1;
-- summaries without unit (stored by 0.1.0, unit_days NULL) are in the unit
-- clv_fit is told, days without it, as 0.1.0 read them; predictions read
-- them in the model's unit
SELECT clv_fit(((weeks).frequency, (weeks).recency, (weeks).t, (weeks).monetary, NULL)::btyd_summary, 0, '7 days')::text
	   = (SELECT weeks::text FROM m) AS "legacy summaries with '7 days' = weekly summaries"
FROM s;
SELECT clv_fit(((days).frequency, (days).recency, (days).t, (days).monetary, NULL)::btyd_summary)::text
	   = (SELECT days::text FROM m) AS "legacy summaries alone = daily summaries"
FROM s;
SELECT count(*) FILTER (WHERE clv_estimate(m.weeks, ((s.weeks).frequency, (s.weeks).recency, (s.weeks).t, (s.weeks).monetary, NULL)::btyd_summary)
						= clv_estimate(m.weeks, s.weeks)) AS "legacy summaries score as in the model's unit"
FROM s, m;
-- errors (22023): summaries of different units in one fit, a unit argument
-- that contradicts the summaries', a summary of another unit than the model
\set VERBOSITY default
SELECT clv_fit(x) FROM s, LATERAL (VALUES (days), (weeks)) v(x);
SELECT clv_fit(weeks, 0, '1 day') FROM s;
SELECT clv_fit(x) FROM s, LATERAL (VALUES (weeks), (((weeks).frequency, (weeks).recency, (weeks).t, (weeks).monetary, NULL)::btyd_summary)) v(x);
SELECT clv_estimate(m.days, s.weeks) FROM s, m WHERE customer_id = 1;
SELECT clv_p_alive(m.weeks, s.days) FROM s, m WHERE customer_id = 1;
SELECT clv_expected_purchases(m.weeks, s.days, 10) FROM s, m WHERE customer_id = 1;
SELECT clv_expected_spend(m.weeks, s.days) FROM s, m WHERE customer_id = 1;
SELECT clv_p_alive(m.weeks, (1, 1, 2, 3, 0)::btyd_summary) FROM m;
SELECT clv_p_alive(m.weeks, (1, 1, 2, 3, 'NaN')::btyd_summary) FROM m;
\set VERBOSITY terse

-- 2. Customers who never drop out: the same simulation without dropout.
-- The fit ends at the boundary a / (a + b) -> 0 with a NOTICE: the model is
-- the NBD (a and b null in jsonb, 2 parameters), P(alive) is 1, expected
-- purchases are (r + x) t / (alpha + T)
CREATE TABLE loyal AS
SELECT customer_id, btyd_summary(ordered_at, amount, '2025-06-30 24:00', '7 days') AS s
FROM pg_temp.simulate_orders(4000, false) GROUP BY customer_id;
\set VERBOSITY default
CREATE TABLE loyal_model AS SELECT clv_fit(s) AS model FROM loyal;
\set VERBOSITY terse
SELECT j->'bgnbd'->'boundary' AS boundary, j->'bgnbd'->'a' AS a, j->'bgnbd'->'b' AS b,
	   j->'bgnbd'->'se'->'a' AS a_se, j->'bgnbd'->'nparams' AS nparams, j->'bgnbd'->'converged' AS converged,
	   round((j->'bgnbd'->>'r')::numeric, 3) AS r, round((j->'bgnbd'->>'alpha')::numeric, 2) AS alpha,
	   j->'format_version' AS format_version
FROM (SELECT model::jsonb AS j FROM loyal_model) x;
-- every customer is alive; expected purchases and CLV are the NBD's
SELECT count(*) AS customers,
	   count(*) FILTER (WHERE clv_p_alive(model, s) = 1) AS alive,
	   count(*) FILTER (WHERE abs(clv_expected_purchases(model, s, 26) -
							  ((model::jsonb->'bgnbd'->>'r')::float8 + (s).frequency) * 26
							  / ((model::jsonb->'bgnbd'->>'alpha')::float8 + (s).t)) <= 1e-12) AS "E[Y(26)] = (r + x) t / (alpha + T)",
	   count(*) FILTER (WHERE abs(clv_estimate(model, s) -
							  clv_expected_spend(model, s) * (SELECT sum(((model::jsonb->'bgnbd'->>'r')::float8 + (s).frequency) * (30 / 7.0)
																	 / ((model::jsonb->'bgnbd'->>'alpha')::float8 + (s).t) / 1.01 ^ k)
															  FROM generate_series(1, 12) k))
						<= 1e-9 * clv_estimate(model, s)) AS "CLV = the NBD's discounted sum"
FROM loyal, loyal_model;
-- its log-likelihood is the NBD's, by its SQL definition:
-- lgamma(r + x) - lgamma(r) + r ln(alpha) - (r + x) ln(alpha + T), with
-- lgamma(r + x) - lgamma(r) = sum of ln(r + j) for j < x
SELECT round((SELECT model::jsonb->'bgnbd'->>'loglik' FROM loyal_model)::numeric, 6) AS loglik,
	   round(sum((SELECT coalesce(sum(ln(r + j)), 0) FROM generate_series(0, (s).frequency - 1) j)
				 + r * ln(alpha) - (r + (s).frequency) * ln(alpha + (s).t))::numeric, 6) AS by_definition
FROM loyal, loyal_model,
	 LATERAL (SELECT (model::jsonb->'bgnbd'->>'r')::float8 AS r, (model::jsonb->'bgnbd'->>'alpha')::float8 AS alpha) p;
-- the boundary model is format version 2: text and binary round trips
SELECT model::text ~ 'a=NaN b=NaN .* bgnbd_boundary=true format_version=2$' AS version_2_text,
	   model::text::clv_model::text = model::text AS text_round_trip
FROM loyal_model;
DO $$ BEGIN
	EXECUTE format('COPY (SELECT model FROM loyal_model) TO %L WITH (FORMAT binary)',
				   current_setting('data_directory') || '/segmentation_clv_boundary.bin');
END $$;
CREATE TABLE loyal_copy (model clv_model);
DO $$ BEGIN
	EXECUTE format('COPY loyal_copy FROM %L WITH (FORMAT binary)',
				   current_setting('data_directory') || '/segmentation_clv_boundary.bin');
END $$;
SELECT c.model::text = m.model::text AS binary_round_trip FROM loyal_copy c, loyal_model m;
-- a boundary model whose a is not NaN, or a model with NaN a without
-- boundary, is not a model
\set VERBOSITY default
SELECT replace(model::text, 'a=NaN', 'a=1')::clv_model FROM loyal_model;
SELECT replace(model::text, ' bgnbd_boundary=true format_version=2', ' format_version=1')::clv_model FROM loyal_model;
\set VERBOSITY terse
-- customers who drop out are not at the boundary
SELECT (days::jsonb->'bgnbd'->'boundary') AS boundary, (days::jsonb->'format_version') AS format_version FROM m;

-- log-likelihood, AIC and BIC of every fit: AIC = 2 k - 2 LL, BIC = k ln(n) - 2 LL
SELECT name, sub, j->'nparams' AS k,
	   abs((j->>'aic')::float8 - (2 * (j->>'nparams')::float8 - 2 * (j->>'loglik')::float8)) <= 1e-9 * abs((j->>'aic')::float8) AS aic_ok,
	   abs((j->>'bic')::float8 - ((j->>'nparams')::float8 * ln((j->>'customers')::float8) - 2 * (j->>'loglik')::float8))
		   <= 1e-9 * abs((j->>'bic')::float8) AS bic_ok
FROM (SELECT 'dropout' AS name, days::jsonb AS model FROM m UNION ALL SELECT 'loyal', model::jsonb FROM loyal_model) x,
	 LATERAL (VALUES ('bgnbd', model->'bgnbd'), ('gamma_gamma', model->'gamma_gamma')) v(sub, j)
ORDER BY 1, 2;

-- 3. months: at most 1200 (100 years of 30-day months); 2147483647, whose
-- loop could not be cancelled in 0.1.0, is 22023 at once
SELECT clv_estimate(weeks, (2, 30.43, 38.86, 20, 7)::btyd_summary, 1200) > clv_estimate(weeks, (2, 30.43, 38.86, 20, 7)::btyd_summary, 600) AS "1200 months allowed" FROM m;
\set VERBOSITY default
SELECT clv_estimate(weeks, (2, 30.43, 38.86, 20, 7)::btyd_summary, 1201) FROM m;
SELECT clv_estimate(weeks, (2, 30.43, 38.86, 20, 7)::btyd_summary, 2147483647) FROM m;
RESET timezone;
DROP TABLE orders, s, m, loyal, loyal_model, loyal_copy;
