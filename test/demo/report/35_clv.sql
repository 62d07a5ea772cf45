-- Customer lifetime value of the sample CRM: BG/NBD and Gamma-Gamma fitted
-- on every customer's summary (weeks) at the end of as_of, the parameters
-- with their standard errors, then the top decile of customers by the
-- 12-month CLV (1% monthly discount).
\set asof_day 'TIMESTAMPTZ ''' :as_of ''''
CREATE TEMP TABLE demo_summaries AS
SELECT customer_id, btyd_summary(ordered_at, amount, :asof_day, '7 days') AS s
FROM orders GROUP BY customer_id;
CREATE TEMP TABLE demo_model AS SELECT clv_fit(s, 0, '7 days') AS model FROM demo_summaries;
\echo
\echo == CLV model fitted at the end of :as_of (BG/NBD and Gamma-Gamma, weeks)
SELECT m.key AS model, p.key AS parameter, round(p.value::numeric, 4) AS estimate,
	   round((j->m.key->'se'->>p.key)::numeric, 4) AS "std error"
FROM (SELECT model::jsonb AS j FROM demo_model) x,
	 LATERAL (VALUES ('bgnbd', 1), ('gamma_gamma', 2)) m(key, ord),
	 LATERAL jsonb_each_text(j->m.key) p
WHERE p.key IN ('r', 'alpha', 'a', 'b', 'p', 'q', 'gamma')
ORDER BY m.ord, array_position(ARRAY['r', 'alpha', 'a', 'b', 'p', 'q', 'gamma'], p.key);

\echo
\echo == Top decile of customers by 12-month CLV
WITH scored AS (
	SELECT s.customer_id, s.s, clv_p_alive(model, s) AS p_alive,
		   clv_expected_purchases(model, s, 52) AS purchases_next_year,
		   clv_estimate(model, s) AS clv,
		   ntile(10) OVER (ORDER BY clv_estimate(model, s) DESC) AS decile
	FROM demo_summaries s, demo_model)
SELECT 'top 10%' AS customers, count(*) AS n, round(avg((s).frequency), 1) AS "avg repeat days",
	   round(avg(p_alive)::numeric, 3) AS "avg P(alive)", round(avg(purchases_next_year)::numeric, 2) AS "purchases next 52 weeks",
	   round(avg(clv)::numeric, 2) AS "avg CLV", round(sum(clv)::numeric, 0) AS "total CLV",
	   round((100 * sum(clv) / (SELECT sum(clv) FROM scored))::numeric, 1) AS "share of all CLV %"
FROM scored WHERE decile = 1
UNION ALL
SELECT 'the other 90%', count(*), round(avg((s).frequency), 1), round(avg(p_alive)::numeric, 3),
	   round(avg(purchases_next_year)::numeric, 2), round(avg(clv)::numeric, 2), round(sum(clv)::numeric, 0),
	   round((100 * sum(clv) / (SELECT sum(clv) FROM scored))::numeric, 1)
FROM scored WHERE decile > 1;
