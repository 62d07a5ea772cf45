-- Segment rule benchmark: the six-condition rule of the issue (country in,
-- plan <>, not unsubscribed, age between, signup_date >=, last order within
-- 90 days) counted over every customer, three ways on the same rows:
--  (1) the hand-written WHERE over columns, the baseline
--  (2) segment_match over the row: inlined by the planner into the same
--      quals (segmentation.inline_rules, the default), and evaluated by the
--      function when inlining is off
--  (3) segment_match over a jsonb profile holding the same six values,
--      against the same test written in jsonpath (@@), as analysts do today
-- The four counts must agree; each query is the count(*) a segment-size
-- widget sends.  jsonpath compares the ISO strings as text.
SET timezone = 'UTC';
-- serial plans: the per-row cost of a rule is what is measured here (worker
-- start-up would dominate a 200k-row run; 50_parallel.sql measures parallel)
SET max_parallel_workers_per_gather = 0;
DROP TABLE IF EXISTS rule_bench;
CREATE TABLE rule_bench AS
SELECT c.customer_id, c.country, c.plan, c.unsubscribed, c.age, c.signup_date, o.last_order_at,
	   jsonb_build_object('country', c.country, 'plan', c.plan, 'unsubscribed', c.unsubscribed,
						  'age', c.age, 'signup_date', c.signup_date,
						  'last_order_at', to_jsonb(o.last_order_at)) AS doc
FROM customers c
LEFT JOIN (SELECT customer_id, max(ordered_at) AS last_order_at FROM orders GROUP BY customer_id) o USING (customer_id);
VACUUM ANALYZE rule_bench;

\set asof_ts '''' :as_of ' 24:00+00'''
SELECT 'country in (''DE'', ''AT'', ''FR'') and plan <> ''free'' and not unsubscribed and age between 25 and 54 and signup_date >= ''2025-01-01'' and last_order_at within 90 days' AS rule \gset
SELECT format($q$SELECT count(*) FROM rule_bench WHERE country IN ('DE', 'AT', 'FR') AND plan <> 'free' AND NOT unsubscribed AND age BETWEEN 25 AND 54 AND signup_date >= '2025-01-01' AND last_order_at >= %1$s::timestamptz - interval '90 days' AND last_order_at <= %1$s::timestamptz$q$, :'asof_ts') AS hand,
	   format('SELECT count(*) FROM rule_bench r WHERE segment_match(%L, r, %s)', :'rule', :'asof_ts') AS ext,
	   format('SELECT count(*) FROM rule_bench WHERE segment_match(%L, doc, %s)', :'rule', :'asof_ts') AS ext_doc,
	   format($q$SELECT count(*) FROM rule_bench WHERE doc @@ '($.country == "DE" || $.country == "AT" || $.country == "FR") && $.plan != "free" && $.unsubscribed == false && $.age >= 25 && $.age <= 54 && $.signup_date >= "2025-01-01" && $.last_order_at >= "%s" && $.last_order_at <= "%s"'$q$,
			  to_char(:asof_ts::timestamptz - interval '90 days', 'YYYY-MM-DD"T"HH24:MI:SS+00:00'),
			  to_char(:asof_ts::timestamptz, 'YYYY-MM-DD"T"HH24:MI:SS+00:00')) AS jsonpath \gset

SELECT (:hand) AS "hand-written", (:ext) AS "segment_match row",
	   (:ext_doc) AS "segment_match jsonb", (:jsonpath) AS "jsonpath @@";

SELECT bench_time(:'hand') AS hand_ms \gset
SELECT bench_time(:'ext') AS ext_ms \gset
SELECT bench_time(:'ext_doc') AS doc_ms \gset
SET segmentation.inline_rules = off;
SELECT bench_time(:'ext') AS noinline_ms \gset
RESET segmentation.inline_rules;
SELECT bench_time(:'jsonpath') AS jp_ms \gset

SELECT 'six-condition rule over every customer' AS benchmark,
	   :hand_ms AS "hand WHERE ms", :ext_ms AS "segment_match row ms",
	   round(:ext_ms / :hand_ms, 2) AS "row / hand (target <= 1.5)",
	   :noinline_ms AS "row, inline_rules off ms", round(:noinline_ms / :hand_ms, 2) AS "off / hand",
	   :jp_ms AS "jsonpath @@ ms", :doc_ms AS "segment_match jsonb ms",
	   round(:jp_ms / :doc_ms, 2) AS "jsonpath / jsonb (target >= 2)";
-- a catalogue of 50 saved segments (country x age band x plan), classified
-- in one call per customer, against one rule's evaluation (the function,
-- not inlined, since a catalogue is never inlined)
CREATE TABLE rule_bench_catalogue AS
SELECT array_agg(format('%s %s-%s %s', c, lo, lo + 9, p) ORDER BY k) AS names,
	   array_agg(format('country = %L and age between %s and %s and plan %s ''free''', c, lo, lo + 9,
						CASE WHEN k % 2 = 0 THEN '=' ELSE '<>' END)::segment_rule ORDER BY k) AS rules
FROM (SELECT k, (ARRAY['DE', 'AT', 'FR', 'US', 'GB'])[1 + k % 5] AS c, 20 + 10 * ((k / 5) % 5) AS lo,
			 CASE WHEN k % 2 = 0 THEN 'free' ELSE 'paid' END AS p
	  FROM generate_series(0, 49) k) s;
SELECT bench_time('SELECT count(*) FROM rule_bench r, rule_bench_catalogue g WHERE segment_classify(g.names, g.rules, r) IS NOT NULL') AS cat_ms \gset
SET segmentation.inline_rules = off;
SELECT bench_time($q$SELECT count(*) FROM rule_bench r WHERE segment_match('country = ''DE'' and age between 20 and 29 and plan = ''free''', r)$q$) AS one_ms \gset
RESET segmentation.inline_rules;
SELECT 'catalogue of 50 segments, classified per customer' AS benchmark,
	   :one_ms AS "one rule (evaluated) ms", :cat_ms AS "segment_classify, 50 rules ms",
	   round(:cat_ms / :one_ms, 2) AS "50 rules / one (target <= 3)";
DROP TABLE rule_bench_catalogue;

-- a selective rule on an indexed column: inlined, the planner uses the index
CREATE INDEX ON rule_bench (customer_id);
SELECT format('SELECT count(*) FROM rule_bench r WHERE segment_match(%L, r)', 'customer_id between 500000 and 500999') AS idx_rule \gset
SELECT bench_time(:'idx_rule') AS idx_on_ms \gset
SET segmentation.inline_rules = off;
SELECT bench_time(:'idx_rule') AS idx_off_ms \gset
RESET segmentation.inline_rules;
SELECT 'rule on an indexed column (1,000 of 1M customers)' AS benchmark,
	   :idx_on_ms AS "inlined (index) ms", :idx_off_ms AS "inline_rules off ms",
	   round(:idx_off_ms / :idx_on_ms, 1) AS "off / inlined (target >= 100)";
DROP TABLE rule_bench;
