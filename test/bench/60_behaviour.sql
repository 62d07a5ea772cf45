-- Behavioural conditions: rules over a customer's orders and events (the
-- sources `orders` and `events` that test/lib/events.sql declares), against
-- the SQL an analyst writes for the same audiences, on the same rows:
--  (a) one inlined rule, two behavioural and two row conditions, against the
--      faster of two hand-written forms (correlated subqueries; GROUP BY ...
--      HAVING joined back), with the cluster's work_mem and with 4MB, the
--      PostgreSQL default (target: extension / best hand-written <= 1.2)
--  (b) a catalogue of 20 behavioural segments assigned to every customer
--      with segment_memberships, against one hand-written query that
--      aggregates orders and events once each (FILTER aggregates) and maps
--      them to the same 20 memberships (target <= 2)
--  (c) the evaluator (a rule read from a table, which the planner cannot
--      inline): its cost per customer, one query per source and customer
--      served by the (key, time) indexes
--  (d) segment_estimate against the true size of behavioural audiences
--      (target: within a factor of 3)
-- Every pair of queries must give the same answer: the section stops with an
-- error before printing a time for queries that disagree.
SET timezone = 'UTC';
-- serial plans, as in 30_rule.sql: the per-customer cost is what is measured
SET max_parallel_workers_per_gather = 0;
SET client_min_messages = warning;

CREATE OR REPLACE FUNCTION pg_temp.bench_assert(ok boolean, what text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
	IF ok IS NOT TRUE THEN
		RAISE EXCEPTION '60_behaviour: %', what;
	END IF;
	RETURN 'yes';
END
$$;

-- the last moment of as_of: the events of test/lib/events.sql end there
\set asof_ts '''' :as_of ' 24:00+00'''

-- ---------------------------------------------------------------------------
-- (a) one rule: customers in Germany, subscribed, with three orders or more
-- in the last year who opened an email in the last 30 days
-- ---------------------------------------------------------------------------
SELECT 'count(orders within 365 days) >= 3 and exists(events where name = ''email_open'' within 30 days) and country = ''DE'' and not unsubscribed' AS rule_a \gset
SELECT format('SELECT customer_id FROM customers c WHERE segment_match(%L, c, %s)', :'rule_a', :'asof_ts') AS ext_a,
	   format($q$SELECT customer_id FROM customers c
WHERE country = 'DE' AND NOT unsubscribed
  AND (SELECT count(*) FROM orders o WHERE o.customer_id = c.customer_id
		  AND o.ordered_at >= %1$s::timestamptz - interval '365 days' AND o.ordered_at <= %1$s::timestamptz) >= 3
  AND EXISTS (SELECT 1 FROM events e WHERE e.customer_id = c.customer_id AND e.name = 'email_open'
		  AND e.occurred_at >= %1$s::timestamptz - interval '30 days' AND e.occurred_at <= %1$s::timestamptz)$q$, :'asof_ts') AS corr_a,
	   format($q$SELECT c.customer_id FROM customers c
JOIN (SELECT customer_id FROM orders
	  WHERE ordered_at >= %1$s::timestamptz - interval '365 days' AND ordered_at <= %1$s::timestamptz
	  GROUP BY customer_id HAVING count(*) >= 3) o USING (customer_id)
JOIN (SELECT customer_id FROM events
	  WHERE name = 'email_open' AND occurred_at >= %1$s::timestamptz - interval '30 days' AND occurred_at <= %1$s::timestamptz
	  GROUP BY customer_id) e USING (customer_id)
WHERE c.country = 'DE' AND NOT c.unsubscribed$q$, :'asof_ts') AS group_a \gset

SELECT (SELECT count(*) FROM (:ext_a) x) AS ext_n, (SELECT count(*) FROM (:corr_a) x) AS corr_n,
	   (SELECT count(*) FROM (:group_a) x) AS group_n,
	   (SELECT count(*) FROM ((:ext_a) EXCEPT (:group_a)) x) + (SELECT count(*) FROM ((:group_a) EXCEPT (:ext_a)) x) AS a_diff \gset
SELECT :'rule_a' AS "(a) rule", :ext_n AS "segment_match", :corr_n AS "correlated subqueries",
	   :group_n AS "GROUP BY ... HAVING", :a_diff AS "customers in one and not the other",
	   pg_temp.bench_assert(:ext_n = :corr_n AND :ext_n = :group_n AND :a_diff = 0,
							'(a): the three queries disagree') AS "agree";

SHOW work_mem \gset cluster_
SELECT bench_time(:'ext_a') AS a_ext_ms \gset
SELECT bench_time(:'corr_a') AS a_corr_ms \gset
SELECT bench_time(:'group_a') AS a_group_ms \gset
SET work_mem = '4MB';
SELECT bench_time(:'ext_a') AS a_ext4_ms \gset
SELECT bench_time(:'corr_a') AS a_corr4_ms \gset
SELECT bench_time(:'group_a') AS a_group4_ms \gset
RESET work_mem;

SELECT '(a) 2 behavioural + 2 row conditions over every customer' AS benchmark, w AS work_mem,
	   e AS "segment_match (inlined) ms", c AS "correlated ms", g AS "GROUP BY/HAVING ms",
	   round(e / least(c, g), 2) AS "ext / best hand (target <= 1.2)"
FROM (VALUES (:'cluster_work_mem', :a_ext_ms, :a_corr_ms, :a_group_ms),
			 ('4MB (default)', :a_ext4_ms, :a_corr4_ms, :a_group4_ms)) v(w, e, c, g);

-- ---------------------------------------------------------------------------
-- (b) a catalogue of 20 behavioural segments, every customer's memberships
-- ---------------------------------------------------------------------------
DROP TABLE IF EXISTS beh_catalogue, beh_segments;
CREATE TABLE beh_segments (k int, name text, rule segment_rule);
INSERT INTO beh_segments VALUES
	(1, 'active_30', 'count(orders within 30 days) >= 1'),
	(2, 'frequent_90', 'count(orders within 90 days) >= 3'),
	(3, 'loyal_365', 'count(orders within 365 days) >= 10'),
	(4, 'spender_90', 'sum(orders.amount within 90 days) > 500'),
	(5, 'vip_365', 'sum(orders.amount within 365 days) > 2000'),
	(6, 'never_bought', 'count(orders) = 0'),
	(7, 'lapsed', 'count(orders) >= 1 and count(orders within 365 days) = 0'),
	(8, 'high_basket', 'avg(orders.amount) > 150'),
	(9, 'big_ticket_180', 'max(orders.amount within 180 days) > 250'),
	(10, 'premium_365', 'count(orders where amount > 100 within 365 days) >= 2'),
	(11, 'churned', 'count(orders between 730 and 365 days ago) >= 3 and count(orders within 365 days) = 0'),
	(12, 'cart_abandoner', 'exists(events where name = ''cart_add'' within 2 days) and not exists(orders within 2 days)'),
	(13, 'email_engaged', 'count(events where name = ''email_open'' within 30 days) >= 2'),
	(14, 'clicker_90', 'exists(events where name = ''email_click'' within 90 days)'),
	(15, 'browsing_7', 'count(events where name = ''page_view'' within 7 days) >= 3'),
	(16, 'email_dormant', 'not exists(events where name = ''email_open'' within 180 days)'),
	(17, 'explorer_365', 'count(distinct events.url within 365 days) >= 5'),
	(18, 'hesitant_30', 'count(events where name = ''cart_add'' within 30 days) >= 2 and count(orders within 30 days) = 0'),
	(19, 'sale_hunter_30', 'exists(events where url = ''/sale'' within 30 days)'),
	(20, 'very_active_30', 'count(events within 30 days) >= 10');
CREATE TABLE beh_catalogue AS
SELECT array_agg(name ORDER BY k) AS names, array_agg(rule ORDER BY k) AS rules FROM beh_segments;

SELECT format('SELECT c.customer_id, segment_memberships(g.names, g.rules, c, %s) AS segs FROM customers c, beh_catalogue g',
			  :'asof_ts') AS ext_b,
	   format($q$SELECT c.customer_id, array_remove(ARRAY[
	CASE WHEN o.n30 >= 1 THEN 'active_30' END,
	CASE WHEN o.n90 >= 3 THEN 'frequent_90' END,
	CASE WHEN o.n365 >= 10 THEN 'loyal_365' END,
	CASE WHEN o.s90 > 500 THEN 'spender_90' END,
	CASE WHEN o.s365 > 2000 THEN 'vip_365' END,
	CASE WHEN coalesce(o.n, 0) = 0 THEN 'never_bought' END,
	CASE WHEN o.n >= 1 AND o.n365 = 0 THEN 'lapsed' END,
	CASE WHEN o.avg_amount > 150 THEN 'high_basket' END,
	CASE WHEN o.max180 > 250 THEN 'big_ticket_180' END,
	CASE WHEN o.n365_over100 >= 2 THEN 'premium_365' END,
	CASE WHEN o.n730_365 >= 3 AND o.n365 = 0 THEN 'churned' END,
	CASE WHEN e.cart2 >= 1 AND coalesce(o.n2, 0) = 0 THEN 'cart_abandoner' END,
	CASE WHEN e.open30 >= 2 THEN 'email_engaged' END,
	CASE WHEN e.click90 >= 1 THEN 'clicker_90' END,
	CASE WHEN e.view7 >= 3 THEN 'browsing_7' END,
	CASE WHEN coalesce(e.open180, 0) = 0 THEN 'email_dormant' END,
	CASE WHEN e.urls365 >= 5 THEN 'explorer_365' END,
	CASE WHEN e.cart30 >= 2 AND coalesce(o.n30, 0) = 0 THEN 'hesitant_30' END,
	CASE WHEN e.sale30 >= 1 THEN 'sale_hunter_30' END,
	CASE WHEN e.n30 >= 10 THEN 'very_active_30' END], NULL) AS segs
FROM customers c
LEFT JOIN (SELECT customer_id, count(*) AS n, avg(amount) AS avg_amount,
				  count(*) FILTER (WHERE ordered_at >= %1$s::timestamptz - interval '2 days') AS n2,
				  count(*) FILTER (WHERE ordered_at >= %1$s::timestamptz - interval '30 days') AS n30,
				  count(*) FILTER (WHERE ordered_at >= %1$s::timestamptz - interval '90 days') AS n90,
				  count(*) FILTER (WHERE ordered_at >= %1$s::timestamptz - interval '365 days') AS n365,
				  sum(amount) FILTER (WHERE ordered_at >= %1$s::timestamptz - interval '90 days') AS s90,
				  sum(amount) FILTER (WHERE ordered_at >= %1$s::timestamptz - interval '365 days') AS s365,
				  max(amount) FILTER (WHERE ordered_at >= %1$s::timestamptz - interval '180 days') AS max180,
				  count(*) FILTER (WHERE amount > 100 AND ordered_at >= %1$s::timestamptz - interval '365 days') AS n365_over100,
				  count(*) FILTER (WHERE ordered_at >= %1$s::timestamptz - interval '730 days'
									 AND ordered_at <= %1$s::timestamptz - interval '365 days') AS n730_365
		   FROM orders WHERE ordered_at <= %1$s::timestamptz GROUP BY customer_id) o USING (customer_id)
$q$, :'asof_ts') AS hand_head,
	   format($q$LEFT JOIN (SELECT customer_id,
				  count(*) FILTER (WHERE name = 'cart_add' AND occurred_at >= %1$s::timestamptz - interval '2 days') AS cart2,
				  count(*) FILTER (WHERE name = 'email_open' AND occurred_at >= %1$s::timestamptz - interval '30 days') AS open30,
				  count(*) FILTER (WHERE name = 'email_click' AND occurred_at >= %1$s::timestamptz - interval '90 days') AS click90,
				  count(*) FILTER (WHERE name = 'page_view' AND occurred_at >= %1$s::timestamptz - interval '7 days') AS view7,
				  count(*) FILTER (WHERE name = 'email_open' AND occurred_at >= %1$s::timestamptz - interval '180 days') AS open180,
				  count(DISTINCT url) FILTER (WHERE occurred_at >= %1$s::timestamptz - interval '365 days') AS urls365,
				  count(*) FILTER (WHERE name = 'cart_add' AND occurred_at >= %1$s::timestamptz - interval '30 days') AS cart30,
				  count(*) FILTER (WHERE url = '/sale' AND occurred_at >= %1$s::timestamptz - interval '30 days') AS sale30,
				  count(*) FILTER (WHERE occurred_at >= %1$s::timestamptz - interval '30 days') AS n30
		   FROM events WHERE occurred_at <= %1$s::timestamptz GROUP BY customer_id) e USING (customer_id)$q$,
			  :'asof_ts') AS hand_events \gset
SELECT :'hand_head' || :'hand_events' AS hand_b \gset
-- the same, with the distinct URLs counted by a first GROUP BY (customer_id,
-- url) instead of count(DISTINCT): every aggregate a hash aggregate over a
-- sequential scan, where count(DISTINCT) makes the planner sort (or read the
-- events in customer order through the index).  The faster of the two is the
-- baseline.
SELECT :'hand_head' || format($q$LEFT JOIN (SELECT customer_id, sum(cart2) AS cart2, sum(open30) AS open30, sum(click90) AS click90,
				  sum(view7) AS view7, sum(open180) AS open180,
				  count(*) FILTER (WHERE url IS NOT NULL AND n365 > 0) AS urls365,
				  sum(cart30) AS cart30, sum(sale30) AS sale30, sum(n30) AS n30
		   FROM (SELECT customer_id, url,
						count(*) FILTER (WHERE name = 'cart_add' AND occurred_at >= %1$s::timestamptz - interval '2 days') AS cart2,
						count(*) FILTER (WHERE name = 'email_open' AND occurred_at >= %1$s::timestamptz - interval '30 days') AS open30,
						count(*) FILTER (WHERE name = 'email_click' AND occurred_at >= %1$s::timestamptz - interval '90 days') AS click90,
						count(*) FILTER (WHERE name = 'page_view' AND occurred_at >= %1$s::timestamptz - interval '7 days') AS view7,
						count(*) FILTER (WHERE name = 'email_open' AND occurred_at >= %1$s::timestamptz - interval '180 days') AS open180,
						count(*) FILTER (WHERE occurred_at >= %1$s::timestamptz - interval '365 days') AS n365,
						count(*) FILTER (WHERE name = 'cart_add' AND occurred_at >= %1$s::timestamptz - interval '30 days') AS cart30,
						count(*) FILTER (WHERE url = '/sale' AND occurred_at >= %1$s::timestamptz - interval '30 days') AS sale30,
						count(*) FILTER (WHERE occurred_at >= %1$s::timestamptz - interval '30 days') AS n30
				 FROM events WHERE occurred_at <= %1$s::timestamptz GROUP BY customer_id, url) eu
		   GROUP BY customer_id) e USING (customer_id)$q$,
			  :'asof_ts') AS hand_b2 \gset

-- the results once each, compared customer by customer (same names in the
-- same order); then timed
DROP TABLE IF EXISTS beh_ext, beh_hand, beh_hand2;
CREATE TEMP TABLE beh_ext AS :ext_b;
CREATE TEMP TABLE beh_hand AS :hand_b;
CREATE TEMP TABLE beh_hand2 AS :hand_b2;
SELECT (SELECT sum(cardinality(segs)) FROM beh_ext) AS b_ext_pairs,
	   (SELECT sum(cardinality(segs)) FROM beh_hand) AS b_hand_pairs,
	   (SELECT sum(cardinality(segs)) FROM beh_hand2) AS b_hand2_pairs,
	   (SELECT count(*) FROM beh_ext x FULL JOIN beh_hand h USING (customer_id)
		WHERE x.segs IS DISTINCT FROM h.segs)
	   + (SELECT count(*) FROM beh_ext x FULL JOIN beh_hand2 h USING (customer_id)
		  WHERE x.segs IS DISTINCT FROM h.segs) AS b_diff \gset
SELECT s.name AS "(b) segment", coalesce(x.n, 0) AS "segment_memberships", coalesce(h.n, 0) AS "hand-written"
FROM beh_segments s
LEFT JOIN (SELECT name, count(*) AS n FROM beh_ext, unnest(segs) name GROUP BY name) x USING (name)
LEFT JOIN (SELECT name, count(*) AS n FROM beh_hand, unnest(segs) name GROUP BY name) h USING (name)
ORDER BY s.k;
SELECT :b_ext_pairs AS "(b) (customer, segment) pairs: segment_memberships", :b_hand_pairs AS "hand-written",
	   :b_hand2_pairs AS "hand-written, two-level", :b_diff AS "customers whose memberships differ",
	   pg_temp.bench_assert(:b_ext_pairs = :b_hand_pairs AND :b_ext_pairs = :b_hand2_pairs AND :b_diff = 0,
							'(b): the memberships disagree') AS "agree";
DROP TABLE beh_ext, beh_hand, beh_hand2;

-- one run each: at 1M customers the evaluator takes minutes a run, and the
-- runs above (building beh_ext and beh_hand) already read every page
SELECT bench_time(:'hand_b', 1) AS b_hand_ms \gset
SELECT bench_time(:'hand_b2', 1) AS b_hand2_ms \gset
SELECT bench_time(:'ext_b', 1) AS b_ext_ms \gset
SELECT '(b) 20 behavioural segments, every customer' AS benchmark,
	   :b_ext_ms AS "segment_memberships ms", :b_hand_ms AS "hand one pass, count(DISTINCT) ms",
	   :b_hand2_ms AS "hand one pass, two-level ms",
	   round(:b_ext_ms / least(:b_hand_ms, :b_hand2_ms), 2) AS "ext / best hand (target <= 2)";

-- ---------------------------------------------------------------------------
-- (c) the evaluator: a rule read from a table, over 100,000 customers (or all
-- of them if there are fewer), one query per source and customer
-- ---------------------------------------------------------------------------
DROP TABLE IF EXISTS beh_rules;
CREATE TABLE beh_rules (name text, rule segment_rule);
INSERT INTO beh_rules VALUES
	('orders', 'count(orders within 365 days) >= 3'),
	('orders and events', 'count(orders within 365 days) >= 3 and exists(events where name = ''email_open'' within 30 days)');
SELECT least(100000, (SELECT max(customer_id) FROM customers)) AS c_n \gset
SELECT format('SELECT c.customer_id FROM customers c, (SELECT rule FROM beh_rules WHERE name = ''orders'' OFFSET 0) x WHERE c.customer_id <= %s AND segment_match(x.rule, c, %s)', :c_n, :'asof_ts') AS c1_ext,
	   format('SELECT c.customer_id FROM customers c WHERE c.customer_id <= %s AND segment_match(%L, c, %s)', :c_n, 'count(orders within 365 days) >= 3', :'asof_ts') AS c1_inl,
	   format('SELECT c.customer_id FROM customers c, (SELECT rule FROM beh_rules WHERE name = ''orders and events'' OFFSET 0) x WHERE c.customer_id <= %s AND segment_match(x.rule, c, %s)', :c_n, :'asof_ts') AS c2_ext,
	   format($q$SELECT c.customer_id FROM customers c WHERE c.customer_id <= %s
  AND (SELECT count(*) FROM orders o WHERE o.customer_id = c.customer_id
		  AND o.ordered_at >= %2$s::timestamptz - interval '365 days' AND o.ordered_at <= %2$s::timestamptz) >= 3$q$, :c_n, :'asof_ts') AS c1_hand,
	   format($q$SELECT c.customer_id FROM customers c WHERE c.customer_id <= %s
  AND (SELECT count(*) FROM orders o WHERE o.customer_id = c.customer_id
		  AND o.ordered_at >= %2$s::timestamptz - interval '365 days' AND o.ordered_at <= %2$s::timestamptz) >= 3
  AND EXISTS (SELECT 1 FROM events e WHERE e.customer_id = c.customer_id AND e.name = 'email_open'
		  AND e.occurred_at >= %2$s::timestamptz - interval '30 days' AND e.occurred_at <= %2$s::timestamptz)$q$, :c_n, :'asof_ts') AS c2_hand,
	   format('SELECT c.customer_id FROM customers c WHERE c.customer_id <= %s', :c_n) AS c_floor \gset
SELECT (SELECT count(*) FROM (:c1_ext) x) AS c1_ext_n, (SELECT count(*) FROM (:c1_hand) x) AS c1_hand_n,
	   (SELECT count(*) FROM (:c1_inl) x) AS c1_inl_n,
	   (SELECT count(*) FROM (:c2_ext) x) AS c2_ext_n, (SELECT count(*) FROM (:c2_hand) x) AS c2_hand_n \gset
SELECT pg_temp.bench_assert(:c1_ext_n = :c1_hand_n AND :c1_ext_n = :c1_inl_n AND :c2_ext_n = :c2_hand_n,
							'(c): the evaluator and the hand-written query disagree') \g /dev/null
SELECT bench_time(:'c_floor') AS c_floor_ms \gset
SELECT bench_time(:'c1_ext') AS c1_ext_ms \gset
SELECT bench_time(:'c1_inl') AS c1_inl_ms \gset
SELECT bench_time(:'c1_hand') AS c1_hand_ms \gset
SELECT bench_time(:'c2_ext') AS c2_ext_ms \gset
SELECT bench_time(:'c2_hand') AS c2_hand_ms \gset
SELECT format('(c) evaluated rule from a table, %s customers', :c_n) AS benchmark, r AS rule, n AS matches,
	   e AS "evaluated ms", round((e * 1000 / :c_n)::numeric, 2) AS "evaluated µs/customer",
	   round(((e - :c_floor_ms) * 1000 / :c_n)::numeric, 2) AS "less the scan, µs/customer",
	   i AS "inlined ms", h AS "hand correlated ms", round(e / h, 2) AS "evaluated / hand"
FROM (VALUES ('count(orders within 365 days) >= 3', :c1_ext_n, :c1_ext_ms, :c1_inl_ms, :c1_hand_ms),
			 ('... and exists(events where name = ''email_open'' within 30 days)', :c2_ext_n, :c2_ext_ms, NULL, :c2_hand_ms)) v(r, n, e, i, h);
SELECT :c_floor_ms AS "(c) the scan of those customers alone ms";
DROP TABLE beh_rules;

-- ---------------------------------------------------------------------------
-- (d) segment_estimate against the true count.  segment_estimate has no
-- as_of: its windows count back from the transaction timestamp, so the true
-- count here is segment_match's for the same instant (now()), in the same
-- statement; audiences below 500 customers are shown but not judged.  A
-- behavioural rule is counted on samples of the customers
-- (segmentation.estimate_sample_rows, README "Behavioural conditions"); the
-- time each estimate took is shown, and beside it the planner's own estimate
-- (estimate_sample_rows = 0, what segment_estimate returned before).
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION pg_temp.estimate_vs_true(rules text[])
RETURNS TABLE (rule text, estimate bigint, estimate_ms numeric, planner bigint, true_count bigint,
			   ratio numeric, planner_ratio numeric)
LANGUAGE plpgsql AS $$
DECLARE
	r text;
	t0 timestamptz;
	limit_rows text;
BEGIN
	FOREACH r IN ARRAY rules LOOP
		rule := r;
		t0 := clock_timestamp();
		estimate := segment_estimate(r::segment_rule, 'customers');
		estimate_ms := round((extract(epoch FROM clock_timestamp() - t0) * 1000)::numeric, 1);
		-- the setting exists once the library is loaded
		limit_rows := current_setting('segmentation.estimate_sample_rows');
		PERFORM set_config('segmentation.estimate_sample_rows', '0', true);
		planner := segment_estimate(r::segment_rule, 'customers');
		PERFORM set_config('segmentation.estimate_sample_rows', limit_rows, true);
		EXECUTE format('SELECT count(*) FROM customers c WHERE segment_match(%L, c, %L::timestamptz)', r, now())
			INTO true_count;
		ratio := round(greatest(estimate::numeric / nullif(true_count, 0), true_count::numeric / nullif(estimate, 0)), 2);
		planner_ratio := round(greatest(planner::numeric / nullif(true_count, 0), true_count::numeric / nullif(planner, 0)), 2);
		RETURN NEXT;
	END LOOP;
END
$$;
CREATE TEMP TABLE beh_estimates AS
SELECT * FROM pg_temp.estimate_vs_true(ARRAY[
	'count(orders) >= 10',
	'count(orders) = 0',
	'sum(orders.amount) > 2000',
	'avg(orders.amount) > 150',
	'count(orders within 365 days) >= 3',
	'exists(events where name = ''email_click'')',
	'count(events where name = ''cart_add'') >= 5',
	'count(distinct events.url) >= 8',
	'count(orders within 365 days) >= 3 and country = ''DE'' and not unsubscribed',
	'exists(events where name = ''email_open'' within 730 days) and count(orders within 365 days) = 0',
	-- small audiences: a few thousand customers of the million, and fewer
	'max(orders.amount) > 290',
	'count(events where name = ''cart_add'') >= 5 and country = ''AT'' and plan = ''enterprise''',
	'count(events where name = ''email_click'' within 365 days) >= 8']);
SELECT rule AS "(d) audience (as of now())", estimate AS "segment_estimate", estimate_ms AS "its ms",
	   true_count AS "true count",
	   CASE WHEN true_count >= 500 THEN ratio::text ELSE 'below 500, not judged' END AS "max(est/true, true/est)",
	   planner AS "planner alone", planner_ratio AS "its ratio"
FROM beh_estimates;
SELECT count(*) AS "(d) audiences judged", max(ratio) AS "worst ratio (target <= 3)",
	   count(*) FILTER (WHERE ratio > 3 OR ratio IS NULL) AS "beyond 3",
	   max(estimate_ms) AS "slowest estimate ms", max(planner_ratio) AS "planner alone: worst ratio"
FROM beh_estimates WHERE true_count >= 500;
DROP TABLE beh_estimates, beh_catalogue, beh_segments;
