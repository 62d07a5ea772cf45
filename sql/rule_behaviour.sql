-- Behavioural conditions of segment rules over a handful of customers whose
-- every event is known, so that each answer can be checked by hand: windows
-- at their boundary instants, events after as_of or without a time, a NULL
-- customer key, every aggregate, NULLs of three-valued logic; both the
-- planner's inlined form and the evaluator (a rule that is not a constant);
-- segment_sql, errors, privileges and row-level security.  And matches,
-- starts with, ends with over rows and jsonb.
SET client_min_messages = warning;
SET timezone = 'UTC';

CREATE TABLE cust (id int, name text, ref int, country text);
INSERT INTO cust VALUES (1, 'ann', 1, 'DE'), (2, 'bob', 2, 'AT'), (3, 'cy', NULL, 'DE'),
	(4, 'dee', 4, 'FR');

-- as_of is 2026-06-30 12:00 UTC
CREATE TABLE ord (ref int, at timestamptz, amount numeric, status text, category text);
INSERT INTO ord VALUES
	(1, '2026-06-29 12:00+00', 10, 'paid', 'shoes'),		-- 1 day before
	(1, '2026-06-20 12:00+00', 20, 'paid', 'shirts'),		-- 10 days before
	(1, '2026-05-21 12:00+00', 30, 'refunded', 'shoes'),	-- 40 days before
	(1, '2026-07-01 12:00+00', 1000, 'paid', 'bags'),		-- after as_of: never counted
	(1, NULL, 500, 'paid', 'bags'),							-- no time: never counted
	(4, '2026-05-31 12:00+00', 5, 'paid', NULL),			-- exactly 30 days before
	(4, '2026-05-31 11:59:59.999999+00', 7, 'paid', 'hats'),	-- 1 microsecond earlier
	(4, '2026-06-30 12:00+00', NULL, 'paid', 'hats'),		-- exactly as_of
	(NULL, '2026-06-29 12:00+00', 99, 'paid', 'shoes');		-- nobody's

CREATE TABLE ev (ref int, at timestamptz, name text);
INSERT INTO ev VALUES
	(1, '2026-06-30 11:00+00', 'cart_add'),
	(1, '2026-06-25 12:00+00', 'email_open'),
	(2, '2026-06-27 12:00+00', 'email_open'),
	(2, '2026-06-28 11:00+00', 'cart_add'),				-- 49 hours before
	(2, '2026-06-28 13:00+00', 'cart_add');				-- 47 hours before
ANALYZE cust, ord, ev;

SELECT segment_source_add('orders', 'ord', 'at', 'ref', 'ref');
SELECT segment_source_add('events', 'ev', 'at', 'ref', 'ref');
SELECT name, relation, event_key, event_time, customer_key FROM segment_source ORDER BY name;

-- each rule over every customer, inlined (a constant rule) and evaluated (a
-- rule the planner cannot see: OFFSET 0 keeps the subquery)
CREATE FUNCTION show(r text) RETURNS TABLE (customer text, inlined boolean, evaluated boolean)
LANGUAGE plpgsql AS $$
BEGIN
	RETURN QUERY EXECUTE format(
		'SELECT c.name, segment_match(%L::segment_rule, c, %L), segment_match(x.rule, c, %L)
		 FROM cust c, (SELECT %L::segment_rule AS rule OFFSET 0) x ORDER BY c.id',
		r, '2026-06-30 12:00+00', '2026-06-30 12:00+00', r);
END
$$;

-- counts: ann 2 (1 and 10 days), bob 0, cy (no key) 0, dee 2 (the boundary
-- instant and as_of itself, not the microsecond before)
SELECT * FROM show('count(orders within 30 days) >= 2');
-- no window: every event up to as_of (ann 3, dee 3)
SELECT * FROM show('count(orders) = 3');
-- count over no events is 0, so "= 0" holds for bob and cy
SELECT * FROM show('count(orders within 30 days) = 0');
-- count of a column counts its non-NULL values (dee: 2 of 3 amounts)
SELECT * FROM show('count(orders.amount) = 2');
SELECT * FROM show('count(distinct orders.category) >= 2');
-- sum over no events is 0: ann 60, bob 0, cy 0, dee 12 (NULL ignored)
SELECT * FROM show('sum(orders.amount) > 10');
SELECT * FROM show('not sum(orders.amount) > 10');
-- avg, min, max over no events are NULL
SELECT * FROM show('avg(orders.amount) > 15');
SELECT * FROM show('not avg(orders.amount) > 15');
SELECT * FROM show('avg(orders.amount) is null');
SELECT * FROM show('min(orders.category) = ''hats''');
SELECT * FROM show('max(orders.amount within 30 days) >= 10');
-- first and last: the earliest (latest) event's value; ann's first order was
-- refunded shoes, her last shoes; dee's first the hats of a microsecond
-- earlier, her last hats at as_of
SELECT * FROM show('first(orders.category) = ''shoes''');
SELECT * FROM show('last(orders.status) = ''paid''');
SELECT * FROM show('first(orders.at) within 35 days');
SELECT * FROM show('last(orders.at) within 1 day');
-- a window that ends before as_of: ann's order of 40 days ago, dee's two of 30
SELECT * FROM show('count(orders between 35 and 5 days ago) >= 1');
SELECT * FROM show('count(orders between 45 and 30 days ago) = 2');
-- filters are rules over the event's columns
SELECT * FROM show('count(orders where status = ''paid'' and amount > 5) >= 2');
-- the cart abandoners of the last two days, with the customers' own columns
SELECT * FROM show('exists(events where name = ''cart_add'' within 2 days) and not exists(orders within 2 days)');
SELECT * FROM show('exists(events where name = ''cart_add'' within 2 days) or country = ''FR''');
-- a null literal makes the comparison NULL for everyone
SELECT * FROM show('count(orders) = null');
SELECT * FROM show('count(orders) in (3, null)');

-- a catalogue reads a customer's events once per source: four segments over
-- orders, four customers, four scans of ord (not sixteen)
SELECT pg_stat_force_next_flush();
SELECT seq_scan + coalesce(idx_scan, 0) AS scans FROM pg_stat_user_tables WHERE relname = 'ord' \gset
SELECT c.name, segment_memberships(ARRAY['two', 'big', 'shoes', 'none'],
	ARRAY['count(orders within 30 days) >= 2', 'sum(orders.amount) > 50',
		  'exists(orders where category = ''shoes'')', 'count(orders) = 0']::segment_rule[],
	c, '2026-06-30 12:00+00') FROM cust c ORDER BY c.id;
SELECT pg_stat_force_next_flush();
SELECT seq_scan + coalesce(idx_scan, 0) - :scans AS "scans of ord" FROM pg_stat_user_tables WHERE relname = 'ord';

-- an evaluated rule tests its conditions on the row's own columns before its
-- behavioural ones, as the planner orders an inlined rule's quals: no
-- customer is in XX, so ord is never read (it was read once per customer
-- when the rule's order was kept)
SELECT pg_stat_force_next_flush();
SELECT seq_scan + coalesce(idx_scan, 0) AS scans FROM pg_stat_user_tables WHERE relname = 'ord' \gset
SELECT count(*) FROM cust c,
	(SELECT 'count(orders) >= 1 and country = ''XX'''::segment_rule AS rule OFFSET 0) x
WHERE segment_match(x.rule, c, '2026-06-30 12:00+00');
SELECT pg_stat_force_next_flush();
SELECT seq_scan + coalesce(idx_scan, 0) - :scans AS "scans of ord" FROM pg_stat_user_tables WHERE relname = 'ord';

-- what the planner gets: one hashed SubPlan per condition
EXPLAIN (COSTS OFF)
SELECT name FROM cust c
WHERE segment_match('count(orders within 30 days) >= 2 and country = ''DE''', c, '2026-06-30 12:00+00');
SELECT segment_sql('count(orders within 30 days) >= 2', 'cust', '2026-06-30 12:00+00');
SELECT segment_sql('count(orders within 30 days) = 0', 'cust', '2026-06-30 12:00+00');
SELECT segment_sql('avg(orders.amount) > 15', 'cust', '2026-06-30 12:00+00');
SELECT segment_rule_check('count(orders within 30 days) >= 2', 'cust');
-- estimates on a chosen date, as segment_sql: a number of customers, from the
-- statistics
SELECT segment_estimate('count(orders within 30 days) >= 2', 'cust', '2026-06-30 12:00+00')
	BETWEEN 1 AND 4 AS estimated;
-- an as_of that changes from row to row stays with the evaluator, which
-- reads one customer's events instead of grouping the source for each row
CREATE TABLE asof (t timestamptz);
INSERT INTO asof VALUES ('2026-06-30 12:00+00');
EXPLAIN (COSTS OFF)
SELECT name FROM cust c, asof a WHERE segment_match('count(orders within 30 days) >= 2', c, a.t);
SELECT name FROM cust c, asof a WHERE segment_match('count(orders within 30 days) >= 2', c, a.t)
ORDER BY id;

-- a cached plan follows a source's declaration: redeclared to read the view
-- of paid orders below, a prepared statement sees it at its next execution
PREPARE frequent AS SELECT name FROM cust c
	WHERE segment_match('count(orders) >= 3', c, '2026-06-30 12:00+00') ORDER BY id;
EXECUTE frequent;

-- a view as a source
CREATE VIEW paid AS SELECT * FROM ord WHERE status = 'paid';
SELECT segment_source_add('paid', 'paid', 'at', 'ref', 'ref');
SELECT * FROM show('count(paid) >= 3');
SELECT segment_source_add('orders', 'paid', 'at', 'ref', 'ref');
EXECUTE frequent;
SELECT segment_source_add('orders', 'ord', 'at', 'ref', 'ref');
EXECUTE frequent;
DEALLOCATE frequent;

-- errors
SELECT segment_match('count(oders) > 1', c) FROM cust c;
SELECT segment_match('sum(orders.amont) > 1', c) FROM cust c;
SELECT segment_match('sum(orders.status) > 1', c) FROM cust c;
SELECT segment_match('count(orders) > ''many''', c) FROM cust c;
SELECT segment_match('min(orders.category) within 3 days', c) FROM cust c;
SELECT segment_rule_check('count(orders) > 1', 'ord');
SELECT segment_match('count(orders) > 1', '{"ref": 1}'::jsonb);
SELECT segment_match('count(orders) > 1', x) FROM (SELECT 1 AS id) x;
SELECT segment_source_add('timeless', 'ev', NULL, 'ref', 'ref');
SELECT segment_match('count(timeless within 3 days) > 1', c) FROM cust c;
SELECT segment_match('count(timeless) = 2', c) FROM cust c ORDER BY id;
SELECT segment_source_add('bad', 'ev', 'name', 'ref', 'ref');
SELECT segment_source_add('bad', 'ev', 'at', 'nope', 'ref');
SELECT segment_source_add('bad', 'ev', 'at');
SELECT segment_source_drop('timeless'), segment_source_drop('timeless');
DROP TABLE ev CASCADE;
SELECT segment_match('exists(events)', c) FROM cust c;
SELECT segment_source_drop('events');

-- privileges: a role without SELECT on the events gets 42501 by both paths,
-- never a silent count of 0
CREATE ROLE seg_behaviour_reader;
GRANT SELECT ON cust TO seg_behaviour_reader;
SET ROLE seg_behaviour_reader;
SELECT name FROM cust c WHERE segment_match('count(orders) > 1', c, '2026-06-30 12:00+00');
SELECT name FROM cust c, (SELECT 'count(orders) > 1'::segment_rule AS rule OFFSET 0) x
WHERE segment_match(x.rule, c, '2026-06-30 12:00+00');
RESET ROLE;

-- row-level security applies to what a rule reads: the reader sees paid
-- orders only (ann 2, dee 3, where the owner sees 3 and 3)
GRANT SELECT ON ord TO seg_behaviour_reader;
ALTER TABLE ord ENABLE ROW LEVEL SECURITY;
CREATE POLICY paid_only ON ord FOR SELECT TO seg_behaviour_reader USING (status = 'paid');
SET ROLE seg_behaviour_reader;
SELECT * FROM show('count(orders) = 3');
RESET ROLE;
SELECT * FROM show('count(orders) = 3');
DROP POLICY paid_only ON ord;
ALTER TABLE ord DISABLE ROW LEVEL SECURITY;
REVOKE ALL ON ord, cust FROM seg_behaviour_reader;
DROP ROLE seg_behaviour_reader;

-- matches, starts with, ends with: SQL's ~ and LIKE with the literal taken
-- literally, over a row and over a jsonb document
CREATE TABLE pages (id int, url text);
INSERT INTO pages VALUES (1, '/sale/shoes'), (2, '/shoes_50%'), (3, '/SALE'), (4, NULL);
SELECT id, segment_match('url matches ''^/sale''', p) AS m,
	   segment_match('url not matches ''^/sale''', p) AS nm,
	   segment_match('url starts with ''/s''', p) AS sw,
	   segment_match('url ends with ''_50%''', p) AS ew,
	   segment_match('url ends with ''0%''', p) AS ew2,
	   segment_match('url starts with ''%''', p) AS pct
FROM pages p ORDER BY id;
SELECT segment_sql('url starts with ''a_b%'' and url ends with ''x\y''', 'pages');
SELECT d, segment_match('url matches ''^/sale''', d) AS m, segment_match('url starts with ''/s''', d) AS sw,
	   segment_match('url ends with ''_50%''', d) AS ew
FROM (VALUES ('{"url": "/sale/shoes"}'::jsonb), ('{"url": "/shoes_50%"}'), ('{"url": 5}'), ('{}')) v(d);
SELECT segment_match('n starts with ''1''', p) FROM (SELECT 1 AS n) p;

-- segment_sql qualifies everything it prints: pasted into a query under a
-- search_path with a planted now(), it still reads pg_catalog's
CREATE TABLE visits (at timestamptz);
INSERT INTO visits VALUES (now() - interval '1 hour');
CREATE SCHEMA planted;
CREATE FUNCTION planted.now() RETURNS timestamptz LANGUAGE sql AS $$ SELECT timestamptz '1999-01-01' $$;
SELECT segment_sql('at within 1 day', 'visits') AS sql \gset
SET search_path = planted, pg_catalog, public;
SELECT now() < '2000-01-01' AS planted_now_is_found;
SELECT count(*) AS visits_within_a_day FROM visits WHERE :sql;
RESET search_path;
DROP SCHEMA planted CASCADE;
