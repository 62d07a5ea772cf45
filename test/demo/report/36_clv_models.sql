-- Which purchase model fits the sample CRM best?  BG/NBD, Pareto/NBD and
-- MBG/NBD fitted on the weekly summaries at the end of the calibration period
-- (26 weeks before as_of), each with its log-likelihood, AIC and BIC, and
-- its error in predicting every customer's purchase days of the 26 weeks
-- that follow (MAE, RMSE, and the totals), best first; then the mean
-- actual and predicted holdout purchases per calibration frequency.
\set cal_end 'DATE ''' :as_of ''' - 182'
\set obs_end 'DATE ''' :as_of ''''
CREATE TEMP TABLE demo_holdout AS
SELECT customer_id,
	   btyd_holdout_summary(ordered_at, amount, (:cal_end)::timestamptz, (:obs_end)::timestamptz, '7 days') AS h
FROM orders GROUP BY customer_id;
CREATE TEMP TABLE demo_candidates AS
SELECT unnest(ARRAY['bgnbd', 'pareto_nbd', 'mbgnbd']) AS kind,
	   unnest(ARRAY[clv_fit(h::btyd_summary), clv_fit_pareto_nbd(h::btyd_summary),
					clv_fit_mbgnbd(h::btyd_summary)]) AS model
FROM demo_holdout WHERE (h).t IS NOT NULL;
\echo
\echo == Purchase models fitted up to 26 weeks before :as_of, ranked by their holdout error
SELECT c.kind AS model,
	   round((c.model::jsonb -> c.kind ->> 'loglik')::numeric, 1) AS loglik,
	   round((c.model::jsonb -> c.kind ->> 'aic')::numeric, 1) AS aic,
	   round((c.model::jsonb -> c.kind ->> 'bic')::numeric, 1) AS bic,
	   round(e.mae::numeric, 3) AS mae, round(e.rmse::numeric, 3) AS rmse,
	   round(e.predicted::numeric) AS predicted, e.actual
FROM demo_candidates c,
	 LATERAL (SELECT avg(abs(clv_expected_purchases(c.model, h) - (h).frequency_holdout)) AS mae,
					 sqrt(avg((clv_expected_purchases(c.model, h) - (h).frequency_holdout) ^ 2)) AS rmse,
					 sum(clv_expected_purchases(c.model, h)) AS predicted,
					 sum((h).frequency_holdout) AS actual
			  FROM demo_holdout WHERE (h).t IS NOT NULL) e
ORDER BY e.rmse;

\echo
\echo == Mean holdout purchases per calibration frequency: actual and predicted by each model
SELECT least((h).frequency, 7) AS frequency, count(*) AS customers,
	   round(avg((h).frequency_holdout), 3) AS actual,
	   round(avg(clv_expected_purchases(b.model, h))::numeric, 3) AS bgnbd,
	   round(avg(clv_expected_purchases(p.model, h))::numeric, 3) AS pareto_nbd,
	   round(avg(clv_expected_purchases(m.model, h))::numeric, 3) AS mbgnbd
FROM demo_holdout,
	 (SELECT model FROM demo_candidates WHERE kind = 'bgnbd') b,
	 (SELECT model FROM demo_candidates WHERE kind = 'pareto_nbd') p,
	 (SELECT model FROM demo_candidates WHERE kind = 'mbgnbd') m
WHERE (h).t IS NOT NULL
GROUP BY 1 ORDER BY 1;
