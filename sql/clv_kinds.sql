-- The kinds of clv_model (0.2.0): Pareto/NBD and MBG/NBD fits on the CDNOW
-- sample against their published parameters, the kind in the text, binary
-- and jsonb forms (format version 3), and the predictions of each kind
-- against plain-SQL formulas and reference values.
SET extra_float_digits = 0;

-- the CDNOW sample of Fader & Hardie (test/data/README.md), in weeks
CREATE TABLE cdnow (id int, x int, tx float8, t float8, zbar float8);
\copy cdnow FROM 'test/data/cdnow_customers_summary_with_transactions.csv' CSV HEADER
CREATE TABLE s AS SELECT id, (x, tx, t, zbar, 7)::btyd_summary AS s FROM cdnow;
SELECT count(*) AS customers FROM s;

-- one aggregate per model, all three in one scan
CREATE TABLE models AS
SELECT unnest(ARRAY['bgnbd', 'pareto_nbd', 'mbgnbd']) AS kind,
       unnest(ARRAY[clv_fit(s), clv_fit_pareto_nbd(s), clv_fit_mbgnbd(s)]) AS model
FROM s;

-- Pareto/NBD: Fader & Hardie's published r = 0.55, alpha = 10.58,
-- s = 0.61, beta = 11.67, LL = -9595.0
SELECT round((j->'pareto_nbd'->>'r')::numeric, 2) AS r, round((j->'pareto_nbd'->>'alpha')::numeric, 2) AS alpha,
       round((j->'pareto_nbd'->>'s')::numeric, 2) AS s, round((j->'pareto_nbd'->>'beta')::numeric, 2) AS beta,
       round((j->'pareto_nbd'->>'loglik')::numeric, 1) AS loglik
FROM (SELECT model::jsonb AS j FROM models WHERE kind = 'pareto_nbd') x;
-- MBG/NBD: BTYDplus's r = 0.525, alpha = 6.183, a = 0.891, b = 1.614
SELECT round((j->'mbgnbd'->>'r')::numeric, 3) AS r, round((j->'mbgnbd'->>'alpha')::numeric, 3) AS alpha,
       round((j->'mbgnbd'->>'a')::numeric, 3) AS a, round((j->'mbgnbd'->>'b')::numeric, 3) AS b
FROM (SELECT model::jsonb AS j FROM models WHERE kind = 'mbgnbd') x;

-- jsonb: the kind, the purchase model under its key, AIC = 2 k - 2 LL and
-- BIC = k ln(n) - 2 LL, the spend model beside it
SELECT kind, j->>'kind' AS jkind, j->>'format_version' AS version,
       (SELECT string_agg(k, ' ' ORDER BY k) FROM jsonb_object_keys(j) k) AS keys,
       (SELECT string_agg(k, ' ' ORDER BY k) FROM jsonb_object_keys(j->kind->'se') k) AS params,
       abs((j->kind->>'aic')::float8 - (8 - 2 * (j->kind->>'loglik')::float8)) < 1e-9 AS aic_ok,
       abs((j->kind->>'bic')::float8 - (4 * ln(2357) - 2 * (j->kind->>'loglik')::float8)) < 1e-9 AS bic_ok,
       (j->kind->>'converged')::bool AS converged
FROM (SELECT kind, model::jsonb AS j FROM models) x ORDER BY kind;

-- text: the kind first, fields named by it; round trips in text and binary
SELECT kind, split_part(model::text, ' ', 1) AS first, split_part(model::text, ' ', 6) AS fifth,
       model::text::clv_model::text = model::text AS text_round_trip,
       octet_length(clv_model_send(model)) AS binary_bytes
FROM models ORDER BY kind;

-- MBG/NBD P(alive) of every customer against the formula in plain SQL:
-- 1 / (1 + a / (b + x) ((alpha + T) / (alpha + t_x))^(r + x))
SELECT count(*) AS customers,
       max(abs(clv_p_alive(m.model, s.s) -
               1 / (1 + p.a / (p.b + (s).frequency) *
                    ((p.alpha + (s).t) / (p.alpha + (s).recency)) ^ (p.r + (s).frequency)))) < 1e-12 AS p_alive_ok,
       min(clv_p_alive(m.model, s.s)) FILTER (WHERE (s).frequency = 0) < 1 AS dropout_at_zero
FROM s, models m,
     LATERAL (SELECT (j->'mbgnbd'->>'r')::float8 AS r, (j->'mbgnbd'->>'alpha')::float8 AS alpha,
                     (j->'mbgnbd'->>'a')::float8 AS a, (j->'mbgnbd'->>'b')::float8 AS b
              FROM (SELECT m.model::jsonb AS j) x) p
WHERE m.kind = 'mbgnbd';

-- MBG/NBD E[X(t)] / P(alive) is BG/NBD's with b + 1: compare with a
-- BG/NBD model of the same r, alpha, a and b + 1, customer by customer
WITH mb AS (SELECT model FROM models WHERE kind = 'mbgnbd'),
bg AS (SELECT regexp_replace(replace(replace(mb.model::text, 'kind=mbgnbd ', ''), 'mbgnbd_', 'bgnbd_'),
                             ' bgnbd_boundary=false format_version=3', ' format_version=1')::clv_model AS m0,
              (mb.model::jsonb->'mbgnbd'->>'b')::float8 AS b
       FROM mb),
bg1 AS (SELECT regexp_replace(m0::text, ' b=[^ ]+ ', ' b=' || (b + 1)::text || ' ')::clv_model AS model FROM bg)
SELECT max(abs(clv_expected_purchases(mb.model, s, 39) / clv_p_alive(mb.model, s) -
               clv_expected_purchases(bg1.model, s, 39) / clv_p_alive(bg1.model, s))
           / (clv_expected_purchases(bg1.model, s, 39) / clv_p_alive(bg1.model, s))) < 1e-12 AS same_as_bgnbd_with_b_plus_1
FROM s, mb, bg1;

-- Pareto/NBD at the BTYD walkthrough's parameters (r = 0.5534,
-- alpha = 10.5802, s = 0.6061, beta = 11.6562): P(alive) of x = 26,
-- t_x = 30.86, T = 31 is 0.9979 (walkthrough, page 8); P(alive) and
-- E[X(52)] of three customers against mpmath (test/unit/ref/pareto_mbgnbd.py)
CREATE TABLE walkthrough AS
SELECT regexp_replace(regexp_replace(regexp_replace(regexp_replace(model::text,
         ' r=[^ ]+ ', ' r=0.5534 '), ' alpha=[^ ]+ ', ' alpha=10.5802 '),
         ' s=[^ ]+ ', ' s=0.6061 '), ' beta=[^ ]+ ', ' beta=11.6562 ')::clv_model AS model
FROM models WHERE kind = 'pareto_nbd';
SELECT round(clv_p_alive(model, (26, 30.86, 31, 0, 7)::btyd_summary)::numeric, 4) AS p_alive FROM walkthrough;
SELECT x, abs(clv_p_alive(w.model, (x, tx, t, 0, 7)::btyd_summary) / p_alive - 1) < 1e-12 AS p_alive_ok,
       abs(clv_expected_purchases(w.model, (x, tx, t, 0, 7)::btyd_summary, h) / e - 1) < 1e-12 AS expected_ok
FROM walkthrough w, (VALUES
  (26, 30.86, 31, 52, 0.99791776655190671, 25.454913511499725),
  (2, 30.43, 38.86, 39, 0.86911064396813704, 1.4550928438442546),
  (0, 0, 38.86, 39, 0.29496148643704222, 0.10702894636167581)) v(x, tx, t, h, p_alive, e)
ORDER BY x;

-- clv_estimate of a Pareto/NBD model is lifetimes' sum, in plain SQL:
-- spend * sum over months k of (E[X(k f)] - E[X((k - 1) f)]) / 1.01^k,
-- f = 30 days = 30/7 weeks
WITH m AS (SELECT model FROM models WHERE kind = 'pareto_nbd'),
c AS (SELECT id, s FROM s WHERE id % 200 = 0)
SELECT count(*) AS customers,
       max(abs(clv_estimate(m.model, c.s, 12, 0.01) - ref.v) / greatest(ref.v, 1e-9)) < 1e-10 AS estimate_ok
FROM c, m, LATERAL (
  SELECT clv_expected_spend(m.model, c.s) *
         sum((clv_expected_purchases(m.model, c.s, k * 30 / 7.0) -
              clv_expected_purchases(m.model, c.s, (k - 1) * 30 / 7.0)) / 1.01 ^ k) AS v
  FROM generate_series(1, 12) k) ref;

-- the holdout form reads the calibration summary and duration
SELECT clv_expected_purchases(model, (2, 30.43, 38.86, 0, 1, 0, 39, 7)::btyd_holdout) =
       clv_expected_purchases(model, (2, 30.43, 38.86, 0, 7)::btyd_summary, 39) AS holdout_same
FROM models WHERE kind = 'pareto_nbd';

-- errors (22P02): an unknown kind, another kind's field names, a BG/NBD
-- text with a kind, a version-3 value that says version 1, a Pareto/NBD
-- model with a NaN s (only a BG/NBD fit has a boundary)
SELECT 'kind=pareto format_version=3'::clv_model;
SELECT 'kind=pareto_nbd a=1 format_version=3'::clv_model;
SELECT ('kind=bgnbd ' || model::text)::clv_model FROM models WHERE kind = 'bgnbd';
SELECT replace(model::text, 'format_version=3', 'format_version=1')::clv_model FROM models WHERE kind = 'mbgnbd';
SELECT regexp_replace(model::text, ' s=[^ ]+ ', ' s=NaN ')::clv_model FROM models WHERE kind = 'pareto_nbd';

DROP TABLE cdnow, s, models, walkthrough;
