-- rule_match: segment_match over rows and jsonb documents.  Every operator,
-- three-valued logic, ICU, jsonb typing, paths into composite and jsonb
-- columns, within and as_of, the @@ operator, segment_rule_check, and every
-- binding error with its SQLSTATE.
SET timezone = 'Europe/Berlin';

CREATE TYPE address AS (city text, zip text);
CREATE TABLE customers (
	id int PRIMARY KEY,
	country text,
	plan text,
	age int,
	amount numeric,
	unsubscribed boolean,
	signup_date date,
	last_order_at timestamptz,
	tags text[],
	city text,
	email text,
	addr address,
	profile jsonb
);
INSERT INTO customers VALUES
	(1, 'DE', 'pro', 30, 1500, false, '2024-03-01', '2025-06-20 10:00+02', '{vip,b2b}', 'München',
	 'Joe@GMAIL.com', ROW('München', '80331'),
	 '{"plan": "pro", "n": 5, "since": "2024-01-05", "flags": {"beta": true}, "tags": ["x", "vip"]}'),
	(2, 'AT', 'free', NULL, 10, true, '2023-01-01', NULL, '{}', 'Wien', 'x@y.at', ROW('Wien', NULL),
	 '{"plan": "free", "n": "5", "since": "soon", "flags": {"beta": false}}'),
	(3, NULL, 'pro', 55, NULL, NULL, NULL, '2025-03-01 00:00+01', NULL, 'STRASSE', NULL, NULL, NULL),
	(4, 'CH', 'team', 25, 99.5, false, '2025-06-30', '2025-06-30 12:00+02', '{vip,NULL}', 'zürich',
	 'anna@corp.ch', ROW(NULL, NULL), '{"plan": null, "n": 30, "since": "2025-06-29T23:00:00Z"}');

CREATE FUNCTION pg_temp.m(rule text) RETURNS TABLE (id int, result boolean) LANGUAGE sql AS $$
	SELECT id, segment_match(rule::segment_rule, c, '2025-06-30 12:00+02') FROM customers c ORDER BY id
$$;
CREATE FUNCTION pg_temp.ms(rule text) RETURNS text LANGUAGE sql AS $$
	SELECT string_agg(coalesce(result::text, 'null'), ' ' ORDER BY id) FROM pg_temp.m(rule)
$$;

-- comparisons: the literal is read as the attribute's type
SELECT r AS rule, pg_temp.ms(r) AS "1 2 3 4" FROM (VALUES
	('age > 29'), ('age > ''29'''), ('age >= 30'), ('age < 30.5'), ('age = 55'), ('age <> 30'), ('age != 30'),
	('amount > 99'), ('amount <= 99.5'), ('amount = 1.5e3'), ('country = ''DE'''), ('country < ''CH'''),
	('signup_date >= ''2024-01-01'''), ('signup_date = ''2025-06-30'''),
	('last_order_at > ''2025-06-20 07:59:59+00'''), ('unsubscribed = false'), ('plan = null')
) v(r);

-- in, between, is null, like, bare booleans
SELECT r AS rule, pg_temp.ms(r) AS "1 2 3 4" FROM (VALUES
	('country in (''DE'', ''AT'')'), ('country not in (''DE'', ''AT'')'), ('country in (''DE'', null)'),
	('country not in (''DE'', null)'), ('age between 25 and 30'), ('age not between 25 and 30'),
	('age between 30 and 25'), ('country is null'), ('country is not null'), ('addr is null'),
	('addr is not null'), ('email like ''%.com'''), ('email not like ''%.com'''), ('plan like ''p_o'''),
	('unsubscribed'), ('not unsubscribed')
) v(r);

-- three-valued logic, exactly as SQL
SELECT r AS rule, pg_temp.ms(r) AS "1 2 3 4" FROM (VALUES
	('age > 26 and country = ''DE'''), ('age > 26 or country = ''DE'''), ('not (age > 26 or country = ''DE'')'),
	('unsubscribed or age > 50'), ('unsubscribed and age > 50'), ('not unsubscribed and country is null')
) v(r);

-- contains: arrays (as @>, &&) and substrings of text
SELECT r AS rule, pg_temp.ms(r) AS "1 2 3 4" FROM (VALUES
	('tags contains ''vip'''), ('tags contains any (''b2b'', ''x'')'), ('tags contains all (''vip'', ''b2b'')'),
	('tags contains null'), ('email contains ''@'''), ('email contains ''%'''), ('email contains any (''corp'', ''y.a'')'),
	('email contains all (''@'', ''GMAIL'')')
) v(r);

-- within counts back from as_of: [as_of - N units, as_of]
SELECT r AS rule, pg_temp.ms(r) AS "1 2 3 4" FROM (VALUES
	('last_order_at within 10 days'), ('last_order_at within 0 days'), ('last_order_at within 4 months'),
	('signup_date within 1 day'), ('signup_date within 2 weeks'), ('not last_order_at within 30 days')
) v(r);
-- without as_of, within counts from the transaction timestamp
SELECT segment_match('last_order_at within 100000 days', c) AS within_now, segment_match('last_order_at within 0 days', c) AS today
FROM customers c ORDER BY id;

-- ICU: ~= at primary strength, ilike over full case folding
SELECT r AS rule, pg_temp.ms(r) AS "1 2 3 4" FROM (VALUES
	('city ~= ''munchen'''), ('city ~= ''MUNCHEN'''), ('city ~= ''zurich'''), ('city ~= ''strasse'''),
	('city ~= ''straße'''), ('city ilike ''straße'''), ('city ilike ''%ÜR%'''), ('city not ilike ''m%'''),
	('email ilike ''%@gmail.com'''), ('city ~= ''MÜNCHEN'' collate ''de''')
) v(r);
SELECT segment_icu_ilike('ÉCOLE', 'école') AS ecole, segment_icu_ilike('STRASSE', 'straße') AS strasse,
	   segment_icu_ilike('İstanbul', 'istanbul', 'tr') AS tr_dotted, segment_icu_ilike('ISTANBUL', 'istanbul', 'tr') AS tr_dotless,
	   segment_icu_ilike('ΣΊΣΥΦΟΣ', 'σίσυφος') AS final_sigma, segment_icu_equal('Ærø', 'aerø') AS ae,
	   segment_icu_equal('a', 'b') AS different;

-- paths into composite and jsonb columns
SELECT r AS rule, pg_temp.ms(r) AS "1 2 3 4" FROM (VALUES
	('addr.city = ''Wien'''), ('addr.zip is null'), ('addr.city ~= ''munchen'''),
	('profile.plan = ''pro'''), ('profile.plan is null'), ('profile.n > 4'), ('profile.n = ''5'''),
	('profile.flags.beta'), ('not profile.flags.beta'), ('profile.tags contains ''vip'''),
	('profile.since >= ''2024-06-01'''), ('profile.since within 1 day')
) v(r);

-- rules over jsonb documents: typing
SELECT d AS doc, r AS rule, segment_match(r::segment_rule, d::jsonb, '2025-06-30 12:00+02') AS result
FROM (VALUES
	('{"n": 5}', 'n > 4'), ('{"n": 5}', 'n > ''4'''), ('{"n": 5}', 'n = 5.0'), ('{"n": "5"}', 'n = 5'),
	('{"n": "5"}', 'n = ''5'''), ('{"n": "10"}', 'n > ''9'''), ('{"n": 10}', 'n > ''9'''),
	('{"s": "b"}', 's > ''a'''), ('{"s": "b"}', 's in (''a'', ''b'')'), ('{"s": "b"}', 's in (''a'', 1)'),
	('{"d": "2024-05-01"}', 'd >= ''2024-01-01'''), ('{"d": "2024-05-01T10:00:00+02:00"}', 'd > ''2024-05-01 09:59'''),
	('{"d": "2024-05-01T10:00:00+02:00"}', 'd > ''2024-05-01 10:01'''), ('{"d": "soon"}', 'd >= ''2024-01-01'''),
	('{"b": true}', 'b'), ('{"b": true}', 'b = true'), ('{"b": true}', 'b = ''yes'''), ('{"b": "true"}', 'b'),
	('{"b": false}', 'not b'), ('{"x": null}', 'x is null'), ('{}', 'x is null'), ('{"x": 1}', 'x.y is null'),
	('{"a": {"b": {"c": 3}}}', 'a.b.c between 1 and 3'), ('{"t": ["a", 5]}', 't contains 5'),
	('{"t": ["a", 5]}', 't contains all (''a'', 5)'), ('{"t": ["a", 5]}', 't contains any (''b'', ''c'')'),
	('{"t": "vip list"}', 't contains ''vip'''), ('{"t": {"vip": 1}}', 't contains ''vip'''),
	('{"o": {"k": 1}}', 'o = ''x'''), ('{"c": "München"}', 'c ~= ''munchen'''), ('{"c": "München"}', 'c ilike ''MÜN%'''),
	('{"c": "München"}', 'c like ''M%'''), ('{"w": "2025-06-25"}', 'w within 1 week'), ('[1, 2]', 'x is null'),
	('5', 'x = 5')
) v(d, r);
SELECT segment_match('x is null', NULL::jsonb) AS null_doc, segment_match(NULL::segment_rule, '{}'::jsonb) AS null_rule,
	   segment_match('w within 1 day', '{"w": "2025-06-25"}'::jsonb, NULL) AS null_as_of;

-- the operator form, over rows and documents
SELECT id FROM customers c WHERE c @@ 'country in (''DE'', ''CH'') and not unsubscribed'::segment_rule ORDER BY id;
SELECT '{"plan": "pro"}'::jsonb @@ 'plan = ''pro'''::segment_rule AS doc_op;
-- @@ with an untyped literal still means what it meant before the extension
SELECT '{"a": 1}'::jsonb @@ '$.a == 1' AS jsonpath_match, to_tsvector('simple', 'a b') @@ 'a' AS text_search;
-- over a view, a composite value and an anonymous record
CREATE VIEW paying AS SELECT id, plan, amount FROM customers WHERE plan <> 'free';
SELECT id, segment_match('amount > 50', p) FROM paying p ORDER BY id;
SELECT segment_match('city = ''Wien''', ROW('Wien', '1010')::address) AS composite;
SELECT segment_match('f1 > 1', ROW(2, 'x')) AS record;
-- a column of type unknown (an untyped literal in ROW()) is text, as SQL
-- resolves an untyped literal: compared, matched and classified as text
SELECT segment_match('f2 = ''a''', ROW(1, 'a')) AS unknown_eq,
	   segment_match('f2 like ''a%'' and f2 ~= ''ABC'' and f3 is null', ROW(1, 'abc', NULL)) AS unknown_text,
	   ROW(1, 'b') @@ 'f2 = ''a'''::segment_rule AS unknown_op;
SELECT id, segment_match('f2 >= ''b''', r) FROM (VALUES (1, ROW(1, 'a')), (2, ROW(2, 'b')), (3, ROW(3, NULL))) v(id, r) ORDER BY id;
SELECT segment_classify(ARRAY['x', 'y'], ARRAY['f2 = ''b''', 'f2 = ''a''']::segment_rule[], ROW(1, 'a')) AS classify,
	   segment_memberships(ARRAY['x', 'y'], ARRAY['f2 = ''a''', 'f2 contains ''a''']::segment_rule[], ROW(1, 'a')) AS memberships;
-- a NULL row of a known type: every attribute is NULL
SELECT segment_match('age is null and not (age > 1)', NULL::customers) AS null_row,
	   segment_match(NULL::segment_rule, c) AS null_rule FROM customers c WHERE id = 1;
-- saved rules from a table: several rules, one query
CREATE TABLE segments (name text PRIMARY KEY, rule segment_rule CHECK (segment_rule_check(rule, 'customers')));
INSERT INTO segments VALUES ('vip', 'tags contains ''vip'''), ('dach', 'country in (''DE'', ''AT'', ''CH'')'),
	('young', 'age < 28'), ('beta', 'profile.flags.beta');
SELECT s.name, array_agg(c.id ORDER BY c.id) FILTER (WHERE segment_match(s.rule, c)) AS members
FROM segments s CROSS JOIN customers c GROUP BY s.name ORDER BY s.name;
INSERT INTO segments VALUES ('typo', 'contry = ''DE''');

-- segment_rule_check
SELECT segment_rule_check('age > 3 and tags contains ''x'' and profile.anything = 1', 'customers');
SELECT segment_rule_check('age > 3', 'customers_pkey');

-- binding errors, with their SQLSTATEs
\set VERBOSITY default
\set SHOW_CONTEXT always
SELECT segment_match('agee > 30', c) FROM customers c;
SELECT segment_match('xyzzy = 1', c) FROM customers c;
SELECT segment_match('addr.cty = ''x''', c) FROM customers c;
SELECT segment_match('age.x = 1', c) FROM customers c;
SELECT segment_match('age > ''thirty''', c) FROM customers c;
SELECT segment_match('signup_date > ''2024-13-01''', c) FROM customers c;
SELECT segment_match('country = 10', c) FROM customers c;
SELECT segment_match('age like ''3%''', c) FROM customers c;
SELECT segment_match('age', c) FROM customers c;
SELECT segment_match('age within 3 days', c) FROM customers c;
SELECT segment_match('age contains 3', c) FROM customers c;
SELECT segment_match('age ~= ''3''', c) FROM customers c;
SELECT segment_match('tags contains 3', c) FROM customers c;
SELECT segment_match('country ~= ''x'' collate ''no-such-locale-at-all''', c) FROM customers c WHERE id = 1;
SELECT segment_match('age > 1', 42);
SELECT segment_classify(ARRAY['a'], ARRAY['age > 1'::segment_rule], '{"age": 2}'::jsonb);
-- a column of type unknown is text: comparing it with a number is text's 42804
SELECT segment_match('f2 > 5', ROW(1, 'a'));
\set SHOW_CONTEXT errors
\set VERBOSITY terse
CREATE FUNCTION pg_temp.bind_error(rule text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	state text;
BEGIN
	PERFORM segment_rule_check(rule::segment_rule, 'customers');
	RETURN 'binds';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE;
	RETURN state;
END $$;
SELECT r AS rule, pg_temp.bind_error(r) AS sqlstate FROM (VALUES
	('agee > 30'), ('addr.cty = 1'), ('age.x = 1'), ('age > ''x'''), ('amount > ''1,5'''), ('country = 10'),
	('country = true'), ('age'), ('age within 1 day'), ('age contains 1'), ('age ilike ''x'''),
	('tags contains ''x'''), ('profile.x.y.z = 1'), ('signup_date = ''yesterday''')
) v(r);

-- operators resolve in pg_catalog and the attribute type's schema only: an
-- operator planted ahead of pg_catalog on the search path captures a
-- hand-written WHERE but not a rule
CREATE SCHEMA trap;
CREATE FUNCTION trap.always(int, int) RETURNS boolean LANGUAGE sql AS 'SELECT true';
CREATE OPERATOR trap.> (LEFTARG = int, RIGHTARG = int, FUNCTION = trap.always);
SET search_path = trap, pg_catalog, public;
SELECT id, age > 100 AS hand_written, segment_match('age > 100', c) AS rule FROM customers c ORDER BY id;
RESET search_path;

-- volatility, strictness and parallel safety of what this file uses
SELECT p.oid::regprocedure, p.provolatile, p.proisstrict, p.proparallel
FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
WHERE p.proname IN ('segment_match', 'segment_rule_check', 'segment_icu_equal', 'segment_icu_ilike',
					'segment_rule_match_row', 'segment_rule_match_jsonb')
ORDER BY 1::text;

-- a constant rule over a table row is inlined by the planner into native
-- quals (segmentation.inline_rules), so indexes apply
CREATE INDEX customers_country ON customers (country);
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM customers c WHERE segment_match('country = ''DE''', c);
EXPLAIN (COSTS OFF) SELECT id FROM customers c
WHERE c @@ 'country in (''DE'', ''AT'') and age between 25 and 54 and not unsubscribed and profile.plan = ''pro'''::segment_rule;
EXPLAIN (COSTS OFF) SELECT id FROM customers c WHERE segment_match('last_order_at within 30 days', c, '2025-06-30');
SET segmentation.inline_rules = off;
EXPLAIN (COSTS OFF) SELECT id FROM customers c WHERE segment_match('country = ''DE''', c);
RESET segmentation.inline_rules;
RESET enable_seqscan;

-- segment_sql: the native WHERE clause a rule means on a table
SELECT segment_sql('country in (''DE'', ''AT'') and age between 25 and 54 and not unsubscribed', 'customers');
SELECT segment_sql('tags contains any (''vip'', ''b2b'') or email contains ''%'' or profile.plan = ''pro''', 'customers');
SELECT segment_sql('last_order_at within 30 days and city ~= ''munchen''', 'customers', '2025-06-30 12:00+02');
SELECT segment_sql('addr.city is null', 'customers');
SELECT segment_sql('agee > 1', 'customers');
-- segment_estimate: the planner's estimate, no scan (an exact count here:
-- ANALYZE reads all of a small table)
ANALYZE customers;
SELECT segment_estimate('country = ''DE''', 'customers') AS de, segment_estimate('age > 20', 'customers') AS over_20;
SELECT segment_estimate('age > 1', 'customers_country');
CREATE ROLE segmentation_no_select;
SET ROLE segmentation_no_select;
SELECT segment_estimate('age > 1', 'customers');
RESET ROLE;
DROP ROLE segmentation_no_select;

-- a rule over a view is inlined too (the planner has expanded the view into
-- its columns by then); a rule from a column is not
EXPLAIN (COSTS OFF) SELECT id FROM paying p WHERE segment_match('amount > 50 and plan <> ''team''', p);
EXPLAIN (COSTS OFF) SELECT s.name, c.id FROM segments s JOIN customers c ON segment_match(s.rule, c);

-- catalogues: names and rules in priority order; classify gives the first
-- match, memberships every match (a NULL rule result is no match, as in WHERE)
SELECT id, segment_classify(n, r, c, '2025-06-30 12:00+02') AS classify, segment_memberships(n, r, c, '2025-06-30 12:00+02') AS memberships
FROM customers c, (SELECT ARRAY['dach', 'vip', 'recent', 'everyone'] AS n,
						  ARRAY['country in (''DE'', ''AT'', ''CH'')', 'tags contains ''vip''',
								'last_order_at within 30 days', 'id > 0']::segment_rule[] AS r) cat
ORDER BY id;
SELECT segment_classify(ARRAY['a'], ARRAY['age > 100']::segment_rule[], c) AS no_match,
	   segment_memberships(ARRAY['a'], ARRAY['age > 100']::segment_rule[], c) AS none,
	   segment_memberships('{}', '{}', c) AS empty_catalogue,
	   segment_classify(NULL, ARRAY['age > 1']::segment_rule[], c) AS null_names
FROM customers c WHERE id = 1;
SELECT segment_classify(ARRAY['a', 'b'], ARRAY['age > 1']::segment_rule[], c) FROM customers c;
SELECT segment_classify(ARRAY['a', NULL], ARRAY['age > 1', 'age > 2']::segment_rule[], c) FROM customers c;
SELECT segment_memberships(ARRAY['a'], ARRAY['agee > 1']::segment_rule[], c) FROM customers c;
