-- The values form: a rule call over a table's whole row that the planner does
-- not inline (a rule from a column, segmentation.inline_rules off, a
-- catalogue) is planned over the table's columns instead of the row
-- (segment_match_values, segment_classify_values, segment_memberships_values).
-- Pinned down here: where the rewrite happens and where it does not, and that
-- every shape of row (a dropped column, a domain, a toasted value, the NULL
-- row of an outer join, a view's row) gives what the row form gives, the row
-- form being a subquery's row, which is never rewritten.
SET timezone = 'UTC';
CREATE DOMAIN vt_score AS int CHECK (VALUE > 0);
CREATE TABLE vt (id int, country text, gone int, age int, tags text[], profile jsonb, note text, d date);
ALTER TABLE vt DROP COLUMN gone;
ALTER TABLE vt ADD COLUMN score vt_score;
INSERT INTO vt VALUES
	(1, 'DE', 25, '{vip}', '{"plan": "pro"}', 'abc', '2025-06-20', 5),
	(2, 'AT', 41, '{}', '{"plan": "free"}', NULL, '2025-01-01', 1),
	(3, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
	(4, 'DE', 33, '{b2b,vip}', '{}', 'xyz', '2025-06-30', 4),
	(5, 'FR', 19, NULL, '{"plan": "pro"}', 'an abc', '2024-12-31', NULL);
-- a value stored out of line (toasted): the rule reads it only where it needs it
INSERT INTO vt SELECT 6, 'US', 50, '{vip}', '{"plan": "pro"}',
	(SELECT string_agg(md5(i::text), '') FROM generate_series(1, 4000) i) || 'abc', '2025-06-29', 9;
SELECT id, pg_column_size(note) > 100000 AS toasted FROM vt WHERE id = 6;
CREATE TABLE vrules (k int, rule segment_rule);
INSERT INTO vrules VALUES (1, 'country = ''DE'''), (2, 'age between 20 and 40 or tags contains ''vip'''),
	(3, 'profile.plan = ''pro'''), (4, 'note like ''%abc'''), (5, 'score > 3'), (6, 'd within 30 days'),
	(7, 'country is null'), (8, 'not (age > 30)');

-- rules read from a table: the call is planned over the columns; the dropped
-- column is a NULL in its place
EXPLAIN (COSTS OFF) SELECT r.k, v.id FROM vrules r JOIN vt v ON segment_match(r.rule, v, '2025-06-30');
SELECT r.k, array_agg(v.id ORDER BY v.id) AS ids
FROM vrules r JOIN vt v ON segment_match(r.rule, v, '2025-06-30') GROUP BY r.k ORDER BY r.k;
-- the same, and the NULLs, through the row form (a subquery's row is passed whole)
SELECT count(*) AS calls,
	   count(*) FILTER (WHERE segment_match(r.rule, v, '2025-06-30') IS DISTINCT FROM
							  (SELECT segment_match(r.rule, s, '2025-06-30') FROM (SELECT * FROM vt OFFSET 0) s
							   WHERE s.id = v.id)) AS differ
FROM vrules r, vt v;
-- @@ and the overload without as_of
EXPLAIN (COSTS OFF) SELECT count(*) FROM vrules r, vt v WHERE v @@ r.rule;
SELECT count(*) FROM vrules r, vt v WHERE v @@ r.rule AND r.k <> 6;
SELECT count(*) FROM vrules r, vt v WHERE segment_match(r.rule, v) AND r.k <> 6;

-- the NULL row of an outer join is every column NULL, as for a NULL row
SELECT g.i, segment_match('country is null', v) AS values_form, segment_match('country is null', NULL::vt) AS null_row,
	   segment_match('age > 1', v) AS age
FROM generate_series(1, 2) g(i) LEFT JOIN vt v ON v.id = g.i * 100 ORDER BY g.i;

-- a constant rule with inlining off: the values form; with inlining on, native quals
SET segmentation.inline_rules = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM vt v WHERE segment_match('age > 30', v, '2025-06-30');
SELECT count(*) FROM vt v WHERE segment_match('age > 30', v, '2025-06-30');
RESET segmentation.inline_rules;
EXPLAIN (COSTS OFF) SELECT count(*) FROM vt v WHERE segment_match('age > 30', v, '2025-06-30');

-- a view's row (the view pulled up into its columns)
CREATE VIEW vv AS SELECT id, country, age FROM vt WHERE id < 6;
EXPLAIN (COSTS OFF) SELECT r.k, w.id FROM vrules r JOIN vv w ON segment_match(r.rule, w) WHERE r.k IN (1, 7, 8);
SELECT r.k, array_agg(w.id ORDER BY w.id) AS ids
FROM vrules r JOIN vv w ON segment_match(r.rule, w) WHERE r.k IN (1, 7, 8) GROUP BY r.k ORDER BY r.k;

-- catalogues: classify and memberships over the columns, equal to the row form
EXPLAIN (COSTS OFF, VERBOSE)
SELECT segment_classify(g.names, g.rules, v, '2025-06-30')
FROM vt v, (SELECT array_agg('s' || k ORDER BY k) AS names, array_agg(rule ORDER BY k) AS rules FROM vrules) g;
SELECT v.id, segment_classify(g.names, g.rules, v, '2025-06-30') AS classify,
	   segment_memberships(g.names, g.rules, v, '2025-06-30') AS memberships,
	   segment_memberships(g.names, g.rules, s, '2025-06-30') = segment_memberships(g.names, g.rules, v, '2025-06-30') AS same
FROM vt v JOIN (SELECT * FROM vt OFFSET 0) s USING (id),
	 (SELECT array_agg('s' || k ORDER BY k) AS names, array_agg(rule ORDER BY k) AS rules FROM vrules) g
ORDER BY v.id;

-- a table of more columns than a function takes arguments keeps the row
DO $$
BEGIN
	EXECUTE 'CREATE TABLE vwide (' || (SELECT string_agg('c' || i || ' int', ', ') FROM generate_series(1, 120) i) || ')';
END $$;
INSERT INTO vwide (c1, c120) VALUES (1, 2), (5, 6);
SET segmentation.inline_rules = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM vwide w WHERE segment_match('c120 > 3', w);
SELECT count(*) FROM vwide w WHERE segment_match('c120 > 3', w);
RESET segmentation.inline_rules;

-- called by hand: one value of each column's type per column, a NULL for the
-- dropped one
SELECT segment_match_values('age > 30 and country = ''DE''', '2025-06-30', NULL::vt,
							4, 'DE'::text, NULL, 33, '{}'::text[], '{}'::jsonb, 'n'::text, '2025-01-01'::date, 3::vt_score) AS by_hand;
SELECT segment_match_values(NULL, '2025-06-30', NULL::vt, 4, 'DE', NULL, 33, '{}'::text[], '{}'::jsonb, 'n',
							'2025-01-01'::date, 3::vt_score) AS null_rule;
SELECT segment_classify_values(ARRAY['old'], ARRAY['age > 30']::segment_rule[], '2025-06-30', NULL::vt,
							   4, 'DE'::text, NULL, 33, '{}'::text[], '{}'::jsonb, 'n'::text, '2025-01-01'::date, 3::vt_score) AS classify;
-- each value of its column's type: an untyped literal is not text here
SELECT segment_match_values('age > 30', '2025-06-30', NULL::vt, 4, 'DE');
SELECT segment_match_values('age > 30', '2025-06-30', NULL::vt, 4, 'DE', NULL, 33, '{}'::text[],
							'{}'::jsonb, 'n'::text, '2025-01-01'::date, 3::vt_score);
SELECT segment_match_values('age > 30', '2025-06-30', NULL::vt, 4, 'DE'::text, NULL, '33'::text, '{}'::text[],
							'{}'::jsonb, 'n'::text, '2025-01-01'::date, 3::vt_score);
SELECT segment_match_values('age > 30', '2025-06-30', 1, 4);
SELECT segment_memberships_values(ARRAY['a'], ARRAY['age > 30']::segment_rule[], '2025-06-30', ROW(1, 2), 1, 2);
