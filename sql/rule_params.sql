-- Rules as parameters: a rule bound as text, varchar or an untyped parameter
-- works wherever a rule literal works, is inlined in a custom plan exactly as
-- a literal is, and an untyped literal still resolves to one function.
CREATE TABLE pc (id int PRIMARY KEY, country text, age int, unsubscribed boolean);
INSERT INTO pc SELECT i, (ARRAY['DE', 'AT', 'FR', 'US'])[1 + i % 4] || CASE WHEN i % 100 = 0 THEN 'X' ELSE '' END,
	18 + i % 60, i % 7 = 0 FROM generate_series(1, 4000) i;
CREATE INDEX pc_country ON pc (country);
ANALYZE pc;

-- the literal, then the same rule bound as varchar, text and untyped
SELECT count(*) FROM pc c WHERE segment_match('country = ''DEX'' and age > 30', c);
PREPARE p_varchar(varchar) AS SELECT count(*) FROM pc c WHERE segment_match($1, c);
PREPARE p_text(text) AS SELECT count(*) FROM pc c WHERE segment_match($1, c);
PREPARE p_untyped AS SELECT count(*) FROM pc c WHERE segment_match($1, c);
PREPARE p_op(varchar) AS SELECT count(*) FROM pc c WHERE c @@ $1;
PREPARE p_asof(text, timestamptz) AS SELECT count(*) FROM pc c WHERE segment_match($1, c, $2);
EXECUTE p_varchar('country = ''DEX'' and age > 30');
EXECUTE p_text('country = ''DEX'' and age > 30');
EXECUTE p_untyped('country = ''DEX'' and age > 30');
EXECUTE p_op('country = ''DEX'' and age > 30');
EXECUTE p_asof('country = ''DEX'' and age > 30', '2026-01-01');
SELECT parameter_types FROM pg_prepared_statements WHERE name = 'p_untyped';

-- a custom plan inlines the bound rule as it inlines a literal: the index serves it
EXPLAIN (COSTS OFF) SELECT count(*) FROM pc c WHERE segment_match('country = ''DEX''', c);
EXPLAIN (COSTS OFF) EXECUTE p_varchar('country = ''DEX''');
EXPLAIN (COSTS OFF) EXECUTE p_op('country = ''DEX''');

-- after five custom plans PostgreSQL compares the generic plan's cost with
-- theirs; the generic plan reads the rule per row (a seq scan with the
-- call), which costs more, so the custom plan is kept
EXECUTE p_varchar('country = ''DEX''');
EXECUTE p_varchar('country = ''DEX''');
EXECUTE p_varchar('country = ''DEX''');
EXECUTE p_varchar('country = ''DEX''');
EXECUTE p_varchar('country = ''DEX''');
EXECUTE p_varchar('country = ''DEX''');
SELECT name, generic_plans, custom_plans FROM pg_prepared_statements WHERE name = 'p_varchar';
EXPLAIN (COSTS OFF) EXECUTE p_varchar('country = ''DEX''');
-- the generic plan, forced: the rule is read from $1 and evaluated, same rows
SET plan_cache_mode = force_generic_plan;
PREPARE p_generic(varchar) AS SELECT count(*) FROM pc c WHERE segment_match($1, c);
EXPLAIN (COSTS OFF) EXECUTE p_generic('country = ''DEX''');
EXECUTE p_generic('country = ''DEX'' and age > 30');
EXECUTE p_generic('age < 20 or unsubscribed');
EXECUTE p_generic(NULL);
SELECT count(*) FROM pc WHERE age < 20 or unsubscribed;
RESET plan_cache_mode;
-- the cast keeps the last text's rule: rules that change from row to row
-- are each read right
SELECT count(*) FILTER (WHERE c @@ CASE WHEN c.id % 3 = 0 THEN 'age < 20' ELSE 'unsubscribed' END::text) AS rules,
	   count(*) FILTER (WHERE CASE WHEN c.id % 3 = 0 THEN age < 20 ELSE unsubscribed END) AS sql
  FROM pc c;
SELECT segment_rule('AGE > 30'), segment_rule('a = 1') = 'a = 1'::segment_rule;
-- a bad rule in a parameter is the literal's error
EXECUTE p_text('country = ');
EXECUTE p_text('contry = ''DE''');

-- the other functions that take a rule, with text and varchar arguments
PREPARE p_sql(varchar) AS SELECT segment_sql($1, 'pc');
EXECUTE p_sql('country in (''DE'', ''AT'') and not unsubscribed');
SELECT segment_sql('country in (''DE'', ''AT'') and not unsubscribed', 'pc');
PREPARE p_est(text) AS SELECT segment_estimate($1, 'pc') BETWEEN 900 AND 1100;
EXECUTE p_est('country = ''DE''');
PREPARE p_check(varchar) AS SELECT segment_rule_check($1, 'pc');
EXECUTE p_check('age between 20 and 30');
EXECUTE p_check('agee between 20 and 30');
SELECT segment_rule_attributes('a = 1 and b.c = 2'::text);
PREPARE p_classify(text[], varchar[]) AS
	SELECT segment_classify($1, $2, c) AS segment, count(*) FROM pc c GROUP BY 1 ORDER BY 1;
EXECUTE p_classify('{x,de,young}', '{"country = ''DEX''", "country = ''DE''", "age < 30"}');
SELECT segment_classify('{x,de,young}', '{"country = ''DEX''", "country = ''DE''", "age < 30"}', c) AS segment, count(*)
	FROM pc c GROUP BY 1 ORDER BY 1;
SELECT segment_memberships(ARRAY['de', 'young'], ARRAY['country = ''DE''', 'age < 20']::varchar[], c)
	FROM pc c WHERE id = 4;

-- a rule kept as text in a column: saved segments without the type
CREATE TABLE pc_segments (name text, rule text);
INSERT INTO pc_segments VALUES ('dex', 'country = ''DEX'''), ('old', 'age >= 70');
SELECT s.name, count(*) FROM pc_segments s JOIN pc c ON c @@ s.rule GROUP BY 1 ORDER BY 1;
SELECT segment_match(rule, c) FROM pc_segments s, pc c WHERE s.name = 'old' AND c.id = 52;
-- a jsonb document with a text rule
SELECT segment_match('a > 1'::text, '{"a": 2}'::jsonb), '{"a": 2}'::jsonb @@ 'a > 1'::varchar;

-- resolution: an untyped literal resolves to one function, as before; @@ of
-- jsonpath and tsquery keep their operators
SELECT count(*) FROM pc c WHERE segment_match('country = ''DEX''', c);
SELECT count(*) FROM pc c WHERE c @@ 'country = ''DEX''';
SELECT '{"a":1}'::jsonb @@ '$.a == 1' AS jsonpath, to_tsvector('simple', 'cat dog') @@ 'cat' AS tsquery,
	'cat dog'::text @@ 'dog' AS text_tsquery;
CREATE VIEW pc_resolved AS
	SELECT '{"a":1}'::jsonb @@ '$.a == 1' AS j, to_tsvector('simple', 'cat') @@ 'cat' AS t,
		   (SELECT count(*) FROM pc c WHERE segment_match('country = ''DEX''', c)) AS r;
SELECT pg_get_viewdef('pc_resolved');
SELECT p.oid::regprocedure FROM pg_depend d JOIN pg_proc p ON p.oid = d.refobjid
 WHERE d.classid = 'pg_rewrite'::regclass
   AND d.objid = (SELECT oid FROM pg_rewrite WHERE ev_class = 'pc_resolved'::regclass)
   AND d.refclassid = 'pg_proc'::regclass ORDER BY 1::text;
DROP VIEW pc_resolved;
-- what the cast changes: a typed text on the right of @@, which no operator
-- took before, is now read as a rule (and a tsvector is not a row)
SELECT to_tsvector('simple', 'cat') @@ 'cat'::text;
DROP TABLE pc_segments, pc;
