#!/usr/bin/env bash
# Differential test of the catalogue functions' guards (src/rule/guard_pg.c):
# random catalogues of rules as marketing teams write them, most of them
# requiring a text column to equal a string (plan = 'pro'), with that test
# first, later or alone, among other conditions (<> of strings, comparisons
# of int4 and int8 columns with NULLs, others no guard covers), on columns
# with NULLs, empty and non-ASCII strings, strings no row holds, a varchar
# column and a column under a nondeterministic ICU collation (no guard:
# equality is not of bytes), and rules without such a test.  For every row of test/diff/rule_table.sql and
# every catalogue, segment_classify must equal the CASE WHEN of the rules'
# segment_sql (the analyst's query) and segment_memberships the rules
# evaluated one by one by segment_sql, both over the table's row (the values
# form the planner makes of it) and over a row value (the row form).
set -uo pipefail
db=rule_catalogue_diff
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/suite.sh"
export PGOPTIONS="-c client_min_messages=warning -c timezone=Europe/Berlin"
catalogues=${RULE_CATALOGUES:-150}
as_of='2025-06-30 12:00:00+00'
fresh_db
run -c 'CREATE EXTENSION segmentation' -f "$here/rule_table.sql" >/dev/null ||
	{ echo "not ok - setting up $db"; exit 1; }
run -v catalogues="$catalogues" >/dev/null <<'SQL' || { echo "not ok - setting up the catalogues"; exit 1; }
ALTER TABLE t ADD COLUMN code varchar(6), ADD COLUMN ci_plan text COLLATE ci, ADD COLUMN big bigint;
UPDATE t SET code = pick(ARRAY['A1', 'b2', 'A1 ', '', 'Ü', NULL], id, 30), ci_plan = plan,
	big = CASE WHEN id % 7 = 0 THEN NULL ELSE (id - 400) * 10000000000 END;
ANALYZE t;
SELECT setseed(0.2026);
-- the tests a rule is made of: a guard-like equality, or another condition
CREATE TABLE eqs AS
SELECT format('%s = %L', c, v) AS test
FROM (VALUES ('country'), ('plan'), ('name'), ('city'), ('code'), ('ci_plan')) c(c),
	 (VALUES ('DE'), ('de'), ('AT'), (''), ('Ü'), ('free'), ('pro'), ('Pro'), ('team'),
			 ('München'), ('Zoë'), ('ZOË'), ('O''Brien'), ('A1'), ('A1 '), ('b2'), ('nowhere')) v(v);
CREATE TABLE others (test text);
INSERT INTO others VALUES ('age < 30'), ('age >= 40'), ('unsubscribed'), ('not consent'),
	('tags contains ''vip'''), ('plan <> ''free'''), ('city is null'), ('score > 50'),
	('signup_date within 180 days'), ('country in (''DE'', ''AT'')'), ('name like ''Z%'''),
	('last_order_at within 30 days'), ('ratio between 0.25 and 1'), ('not (age < 18)'),
	('age < 30 or unsubscribed'), ('country = ''DE'' or plan = ''pro'''),
	('age = 30'), ('age <> 30'), ('age > 17'), ('age <= 50'), ('age between 20 and 39'),
	('id >= 400'), ('id < 100'), ('big > 0'), ('big >= 2000000000000'), ('big < -1000000000000'),
	('big = 10000000000'), ('big <> 10000000000'), ('country <> ''DE'''), ('code <> ''A1'''),
	('name <> ''Zoë'''), ('city <> '''''), ('ci_plan <> ''pro''');
CREATE TABLE cats (cat int, k int, name text, rule text);
-- each rule: an equality alone, an equality among one to three other
-- conditions at a random place, two equalities, or no equality at all
INSERT INTO cats
SELECT cat, k, format('r%s', k),
	   CASE WHEN shape < 0.25 THEN e1
			WHEN shape < 0.75 THEN array_to_string(
				(SELECT array_agg(x ORDER BY o)
				 FROM (SELECT e1 AS x, random() AS o
					   UNION ALL
					   SELECT test, random() FROM (SELECT test FROM others ORDER BY random() LIMIT 1 + (shape * 100)::int % 3) s) z),
				' and ')
			WHEN shape < 0.85 THEN e1 || ' and ' || e2
			ELSE o1 END
FROM (SELECT cat, k, random() AS shape,
			 (SELECT test FROM eqs ORDER BY random() + 0 * k * cat LIMIT 1) AS e1,
			 (SELECT test FROM eqs ORDER BY random() + 0 * k * cat LIMIT 1) AS e2,
			 (SELECT test FROM others ORDER BY random() + 0 * k * cat LIMIT 1) AS o1
	  FROM generate_series(1, :catalogues) cat,
		   LATERAL generate_series(1, 1 + (cat * 37) % 40) k) r;
SQL
[ "$(run -c 'SELECT count(DISTINCT cat) FROM cats')" = "$catalogues" ] ||
	{ echo "not ok - setting up the catalogues"; exit 1; }

# per catalogue: rows whose classification or memberships differ from the
# analyst's SQL, in the values form and the row form; and how many rows
# each catalogue classified (the test is only as good as its spread)
got=$(run -c "DO \$\$
DECLARE
	c record;
	case_expr text;
	want_expr text;
	n bigint;
	bad bigint := 0;
	classified bigint := 0;
	alone bigint := 0;
	alone_all bigint := 0;
	total bigint := 0;
BEGIN
	FOR c IN SELECT cat, array_agg(name ORDER BY k) AS names, array_agg(rule::segment_rule ORDER BY k) AS rules,
					array_agg(rule ORDER BY k) AS texts
			 FROM cats GROUP BY cat ORDER BY cat LOOP
		SELECT 'CASE ' || string_agg(format('WHEN %s THEN %L', segment_sql(r, 't', '$as_of'), nm), ' ' ORDER BY k) || ' END',
			   'array_remove(ARRAY[' || string_agg(format('CASE WHEN %s THEN %L END', segment_sql(r, 't', '$as_of'), nm), ', ' ORDER BY k) || ']::text[], NULL)'
		INTO case_expr, want_expr
		FROM unnest(c.names, c.rules) WITH ORDINALITY u(nm, r, k);
		EXECUTE format(\$q\$
			SELECT count(*) FILTER (WHERE segment_classify(\$1, \$2, t, '$as_of') IS DISTINCT FROM %1\$s
										 OR segment_memberships(\$1, \$2, t, '$as_of') IS DISTINCT FROM %2\$s)
				 + count(*) FILTER (WHERE segment_classify(\$1, \$2, (SELECT t2 FROM t t2 WHERE t2.id = t.id), '$as_of') IS DISTINCT FROM %1\$s
										 OR segment_memberships(\$1, \$2, (SELECT t2 FROM t t2 WHERE t2.id = t.id), '$as_of') IS DISTINCT FROM %2\$s),
				   count(*) FILTER (WHERE %1\$s IS NOT NULL),
				   count(*) FILTER (WHERE (\$3)[substr(%1\$s, 2)::int] ~ '^[a-z_]+ = ''[^'']*''\$')
			FROM t\$q\$, case_expr, want_expr)
		INTO n, total, alone USING c.names, c.rules, c.texts;
		IF n > 0 THEN
			RAISE WARNING 'catalogue %: % rows differ', c.cat, n;
			bad := bad + 1;
		END IF;
		classified := classified + total;
		alone_all := alone_all + alone;
	END LOOP;
	RAISE WARNING 'checked: % catalogues differ, % rows classified, % by a rule that is one equality', bad, classified, alone_all;
END \$\$" 2>&1 | grep -E 'WARNING' | head -5)
if grep -q "checked: 0 catalogues differ" <<<"$got"; then
	echo "ok - segment_classify and segment_memberships of $catalogues random catalogues equal the CASE WHEN of segment_sql on every row, values and row form (${got#*differ, })"
else
	echo "not ok - catalogues differ from the CASE WHEN of segment_sql: $got"
fi
drop_db
