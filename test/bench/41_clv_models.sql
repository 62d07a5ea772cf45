-- The other purchase models on the summaries of every customer (days, as
-- 40_clv.sql): clv_fit_pareto_nbd (target <= 5 s at 1,000,000 customers)
-- and clv_fit_mbgnbd beside clv_fit (BG/NBD), each with Gamma-Gamma; the
-- fitted Pareto/NBD and MBG/NBD parameters and log-likelihoods.
\set asof_ts 'TIMESTAMPTZ ''' :as_of ' 24:00'''
DROP TABLE IF EXISTS clv_models_bench;
CREATE TABLE clv_models_bench AS
SELECT customer_id, btyd_summary(ordered_at, amount, :asof_ts) AS s FROM orders GROUP BY customer_id;
SELECT count(*) AS summaries FROM clv_models_bench;
SELECT bench_time('SELECT clv_fit(s) FROM clv_models_bench') AS bgnbd_ms \gset
SELECT bench_time('SELECT clv_fit_pareto_nbd(s) FROM clv_models_bench') AS pareto_ms \gset
SELECT bench_time('SELECT clv_fit_mbgnbd(s) FROM clv_models_bench') AS mbgnbd_ms \gset
SELECT 'purchase models over every customer' AS benchmark,
	   :bgnbd_ms AS "clv_fit (BG/NBD) ms", :pareto_ms AS "clv_fit_pareto_nbd ms (target <= 5000)",
	   :mbgnbd_ms AS "clv_fit_mbgnbd ms";
CALL bench_row('issue 17: clv_fit_pareto_nbd over every customer''s summary, seconds', :pareto_ms / 1000.0, '<=', 5);
SELECT kind, j->kind->>'r' AS r, j->kind->>'alpha' AS alpha,
	   coalesce(j->kind->>'s', j->kind->>'a') AS "s or a", coalesce(j->kind->>'beta', j->kind->>'b') AS "beta or b",
	   round((j->kind->>'loglik')::numeric, 1) AS loglik, j->kind->>'iterations' AS iterations
FROM (SELECT kind, model::jsonb AS j
	  FROM (SELECT unnest(ARRAY['bgnbd', 'pareto_nbd', 'mbgnbd']) AS kind,
				   unnest(ARRAY[clv_fit(s), clv_fit_pareto_nbd(s), clv_fit_mbgnbd(s)]) AS model
			FROM clv_models_bench) m) x;
DROP TABLE clv_models_bench;
