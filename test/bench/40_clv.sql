-- CLV benchmark on the summaries of every customer (days):
--  (1) btyd_summary per customer alone, the baseline of scoring
--  (2) clv_fit over the million summaries (target <= 1 s, issue 17)
--  (3) scoring every customer: clv_estimate over btyd_summary in the same
--      GROUP BY (target <= 2 x (1))
\set asof_ts 'TIMESTAMPTZ ''' :as_of ' 24:00'''
SELECT format('SELECT customer_id, btyd_summary(ordered_at, amount, %s) AS s FROM orders GROUP BY customer_id', :'asof_ts') AS summaries \gset
DROP TABLE IF EXISTS clv_bench_summaries, clv_bench_model;
CREATE TABLE clv_bench_summaries AS :summaries;
CREATE TABLE clv_bench_model AS SELECT clv_fit(s) AS model FROM clv_bench_summaries;
SELECT format('SELECT customer_id, clv_estimate((SELECT model FROM clv_bench_model), btyd_summary(ordered_at, amount, %s)) FROM orders GROUP BY customer_id', :'asof_ts') AS scoring \gset

SELECT count(*) AS summaries, count(DISTINCT s) AS "distinct summaries" FROM clv_bench_summaries;
SELECT bench_time(:'summaries') AS summary_ms \gset
SELECT bench_time('SELECT clv_fit(s) FROM clv_bench_summaries') AS fit_ms \gset
SELECT bench_time(:'scoring') AS scoring_ms \gset

SELECT 'BTYD over every customer' AS benchmark,
	   :summary_ms AS "btyd_summary ms", :fit_ms AS "clv_fit ms (target <= 1000)",
	   :scoring_ms AS "btyd_summary + clv_estimate ms",
	   round(:scoring_ms / :summary_ms, 2) AS "scoring / summary (target <= 2)";
CALL bench_row('issue 17: clv_fit (BG/NBD + Gamma-Gamma) over every customer''s summary, seconds', :fit_ms / 1000.0, '<=', 1);
CALL bench_row('issue 17: scoring every customer (btyd_summary + clv_estimate) / btyd_summary alone', :scoring_ms / :summary_ms, '<=', 2);
SELECT jsonb_pretty(model::jsonb) AS "fitted model" FROM clv_bench_model;
DROP TABLE clv_bench_summaries, clv_bench_model;
