-- BG/BB and sBG benchmark on every customer, with yearly opportunities:
--  (1) bgbb_summary per customer (the calendar year of each order, as of the
--      year before as_of's)
--  (2) bgbb_fit over the summaries (penalized 0.001: the simulated customers
--      share one yearly purchase probability, a boundary without penalty)
--  (3) scoring every stored summary: P(alive) and the purchases expected in
--      the next three years
--  (4) sbg_fit over every customer as a subscriber: years between the first
--      and last order, cancelled if the last is before the as_of year
SELECT extract(year FROM :'as_of'::date)::int - 1 AS last_year \gset
SELECT format('SELECT customer_id, bgbb_summary(extract(year FROM ordered_at)::bigint, %s) AS s FROM orders GROUP BY customer_id', :last_year) AS summaries \gset
DROP TABLE IF EXISTS bgbb_bench_summaries, bgbb_bench_model, sbg_bench_subscribers;
CREATE TABLE bgbb_bench_summaries AS :summaries;
CREATE TABLE bgbb_bench_model AS SELECT bgbb_fit(s, 1, 0.001) AS m FROM bgbb_bench_summaries;
CREATE TABLE sbg_bench_subscribers AS
SELECT customer_id, (max(extract(year FROM ordered_at)) - min(extract(year FROM ordered_at)))::int
	   + (max(extract(year FROM ordered_at)) < :last_year + 1)::int AS periods,
	   max(extract(year FROM ordered_at)) < :last_year + 1 AS churned
FROM orders GROUP BY customer_id;

SELECT count(*) AS customers, count(s) AS summaries, count(DISTINCT s) AS "distinct summaries" FROM bgbb_bench_summaries;
SELECT bench_time(:'summaries') AS summary_ms \gset
SELECT bench_time('SELECT bgbb_fit(s, 1, 0.001) FROM bgbb_bench_summaries') AS fit_ms \gset
SELECT bench_time('SELECT bgbb_p_alive(m, s), bgbb_expected_purchases(m, s, 3) FROM bgbb_bench_summaries, bgbb_bench_model WHERE s IS NOT NULL') AS scoring_ms \gset
SELECT bench_time('SELECT sbg_fit(periods, churned, 0.001) FROM sbg_bench_subscribers') AS sbg_ms \gset

SELECT 'BG/BB and sBG over every customer' AS benchmark,
	   :summary_ms AS "bgbb_summary ms", :fit_ms AS "bgbb_fit ms", :scoring_ms AS "P(alive) + E[X] ms",
	   :sbg_ms AS "sbg_fit ms";
SELECT (m).* FROM bgbb_bench_model;
SELECT (sbg_fit(periods, churned, 0.001)).* FROM sbg_bench_subscribers;
DROP TABLE bgbb_bench_summaries, bgbb_bench_model, sbg_bench_subscribers;
