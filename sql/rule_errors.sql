-- rule_errors: every error of the segment_rule type, with its SQLSTATE,
-- message and detail: syntax errors say where (the 1-based character
-- position, as PostgreSQL reports positions in a query, and the offending
-- token, whole) and what was expected (42601); limits on nesting
-- (54001), size, lists, paths and names (54000); an out-of-range within
-- count (22003); a malformed locale (22023); and binary values that are not
-- rules (22P03), including random and mutated bytes fed to the receive path
-- from SQL, every one of which must give a clean error or an exact value.
\set SHOW_CONTEXT never

CREATE FUNCTION pg_temp.rule_error(rule text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	state text;
	msg text;
	det text;
BEGIN
	PERFORM rule::segment_rule;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL;
	RETURN state || ' ' || msg || ' | ' || coalesce(det, '');
END $$;

-- syntax errors: 42601, where, and what was expected
SELECT r AS rule, pg_temp.rule_error(r) AS error
FROM (VALUES
	(''), ('a ='), ('a = b'), ('a = 1 b'), ('(a = 1 b)'), ('(a = 1'), ('a = 1)'),
	('a b'), ('a and'), ('and a'), ('in = 1'), ('a. = 1'), ('a not = 1'),
	('a in 1'), ('a in ()'), ('a in (1 2)'), ('a between 1 or 2'), ('a is 1'),
	('a is not 1'), ('a contains any ''x'''), ('a within days'), ('a within 1.5 days'),
	('a within 3 years'), ('a ~= ''x'' collate tr'), ('a like ''x'' collate ''de'''),
	('a = -''x'''), ('a = ''abc'), ('"abc = 1'), ('"" = 1'), ('a = 30days'),
	('a = 1.2.3'), ('a = #'), ('a ! 1'), ('a = 1 ' || chr(1))
) v(r);

-- the whole report of one syntax error, and a hint for an unquoted value
SELECT 'country in (''DE'' ''AT'')'::segment_rule;
SELECT 'country = DE'::segment_rule;
SELECT 'country = "DE"'::segment_rule;
SELECT 'city = ''München'' Berlin'::segment_rule;

-- limits: 54001 nesting, 54000 size, list, path and name length
SELECT pg_temp.rule_error(repeat('not ', 99) || 'a') AS not_99,
	   pg_temp.rule_error(repeat('not ', 100) || 'a') AS not_100;
SELECT pg_temp.rule_error(repeat('(', 101) || 'a' || repeat(')', 101)) AS parens_101;
SELECT pg_temp.rule_error(repeat('a or (a and (', 50) || 'a' || repeat('))', 50)) AS tree_101_deep;
SELECT pg_temp.rule_error('a in (' || repeat('1, ', 999) || '1)') AS list_1000,
	   pg_temp.rule_error('a in (' || repeat('1, ', 1000) || '1)') AS list_1001;
SELECT pg_temp.rule_error('a = ''' || repeat('x', 65530) || '''') AS text_65536,
	   pg_temp.rule_error('a = ''' || repeat('x', 65531) || '''') AS text_65537;
SELECT pg_temp.rule_error('a=1' || repeat(' or a=1', 9000)) AS canonical_too_long;
SELECT pg_temp.rule_error('a.b.c.d.e.f.g.h = 1') AS path_8,
	   pg_temp.rule_error('a.b.c.d.e.f.g.h.i = 1') AS path_9;
SELECT pg_temp.rule_error(repeat('n', 63) || ' = 1') AS name_63,
	   pg_temp.rule_error(repeat('n', 64) || ' = 1') AS name_64;
-- a long non-ASCII name is shown whole (it was once cut after 40 bytes), with
-- 2-, 3- and 4-byte characters
SELECT pg_temp.rule_error('"' || repeat(chr(252), 40) || '" = 1') AS name_umlauts;
SELECT pg_temp.rule_error('"' || repeat(chr(252) || chr(8364) || chr(128512), 14) || '" = 1') AS name_mixed;

-- values out of range and malformed locales
SELECT pg_temp.rule_error('a within 2147483647 days') AS within_max,
	   pg_temp.rule_error('a within 2147483648 days') AS within_too_big;
SELECT pg_temp.rule_error('a ~= ''x'' collate ''a b''') AS bad_locale,
	   pg_temp.rule_error('a ilike ''x'' collate ''''') AS empty_locale;

-- random token sequences through the text input: every one a clean error of
-- the rule language or a value whose canonical text reads back as itself
CREATE FUNCTION pg_temp.text_outcome(rule text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	r segment_rule;
BEGIN
	r := rule::segment_rule;
	RETURN CASE WHEN r::text::segment_rule = r THEN 'reads back' ELSE 'does not read back' END;
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END $$;
SELECT setseed(0.5);
SELECT outcome, count(*) > 0 AS seen
FROM (SELECT pg_temp.text_outcome(string_agg(
		(ARRAY['a', 'b.c', '"X y"', '=', '<>', '!=', '<', '>=', '~=', 'in', 'not', 'and', 'or',
			   '(', ')', ',', '''s''', '''it''''s''', '1', '-2.5', '1e3', 'true', 'null',
			   'between', 'is', 'like', 'ilike', 'contains', 'any', 'all', 'within', '3',
			   'days', 'collate', '''de''', '#', '"', '''', '--', E'\n'])[1 + (random() * 39)::int],
		' ') ) AS outcome
	  FROM generate_series(1, 3000) i, generate_series(1, 1 + i % 12) j GROUP BY i) t
GROUP BY outcome ORDER BY outcome;

-- binary values that are not rules: 22P03 with what is wrong and where
CREATE FUNCTION pg_temp.bytes_error(b bytea) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	state text;
	msg text;
	det text;
	r segment_rule;
BEGIN
	r := b::segment_rule;
	RETURN CASE WHEN r::bytea = b THEN 'exact' ELSE 'accepted, but not exact' END;
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL;
	RETURN state || ' ' || msg || ' | ' || coalesce(det, '');
END $$;
-- a = 1 is 01000000 04000101 01000000 01000000 61000000 02010000 31000000
SELECT what, pg_temp.bytes_error(decode(hex, 'hex')) AS error
FROM (VALUES
	('the value itself', '01000000040001010100000001000000610000000201000031000000'),
	('empty', ''),
	('version 2', '02000000040001010100000001000000610000000201000031000000'),
	('node kind 0', '01000000000001010100000001000000610000000201000031000000'),
	('node kind 16', '01000000100001010100000001000000610000000201000031000000'),
	('negated =', '01000000040101010100000001000000610000000201000031000000'),
	('operator 7', '01000000040007010100000001000000610000000201000031000000'),
	('no path parts', '01000000040001000100000001000000610000000201000031000000'),
	('nine path parts', '01000000040001090100000001000000610000000201000031000000'),
	('two literals', '01000000040001010200000001000000610000000201000031000000'),
	('name of 64 bytes', '01000000040001010100000040000000610000000201000031000000'),
	('name length 257', '01000000040001010100000001010000610000000201000031000000'),
	('zero byte in a name', '01000000040001010100000001000000000000000201000031000000'),
	('padding not zero', '01000000040001010100000001000000610078000201000031000000'),
	('literal kind 5', '01000000040001010100000001000000610000000501000031000000'),
	('null with a length', '01000000040001010100000001000000610000000401000031000000'),
	('number x', '01000000040001010100000001000000610000000201000078000000'),
	('bool 1', '01000000040001010100000001000000610000000301000031000000'),
	('truncated', '010000000400010101000000010000006100000002010000'),
	('trailing bytes', '0100000004000101010000000100000061000000020100003100000000000000'),
	('invalid UTF-8 name', '01000000040001010100000001000000ff0000000201000031000000')
) v(what, hex);

-- random bytes (half of them behind a valid version word) and single-byte
-- mutations through the bytea cast (the same validation as segment_rule_recv):
-- every one a clean error or an exact value
SELECT setseed(0.25);
CREATE TEMP TABLE rule_outcomes AS
SELECT pg_temp.bytes_error(b) AS outcome
FROM (SELECT decode(CASE WHEN i % 2 = 0 THEN '01000000' ELSE '' END ||
					string_agg(lpad(to_hex((random() * 255)::int), 2, '0'), ''), 'hex') AS b
	  FROM generate_series(1, 2000) i, generate_series(1, (i % 60)) j GROUP BY i) r
UNION ALL
SELECT pg_temp.bytes_error(set_byte(v, k, (get_byte(v, k) + d) % 256))
FROM (SELECT 'country in (''DE'', ''AT'') and not x within 3 days or "y z".w ~= ''m'' collate ''de'''::segment_rule::bytea AS v) s,
	 generate_series(0, length(v) - 1) k, unnest(ARRAY[1, 2, 16, 128, 255]) d;
SELECT count(*) AS cases,
	   count(*) FILTER (WHERE outcome NOT LIKE '22P03 invalid binary segment_rule value | %'
							AND outcome NOT LIKE '22021 %' AND outcome <> 'exact') AS unclean
FROM rule_outcomes;

-- a damaged value in a COPY BINARY file is refused by segment_rule_recv
CREATE TABLE rule_copy (r segment_rule);
SELECT lo_from_bytea(0,
	'\x5047434f50590aff0d0a00'::bytea || '\x0000000000000000'::bytea ||
	'\x0001'::bytea || int4send(28) ||
	'\x02000000040001010100000001000000610000000201000031000000'::bytea ||
	'\xffff'::bytea) AS loid \gset
SELECT lo_export(:loid, current_setting('data_directory') || '/rule_errors_copy.bin') AS exported,
	   lo_unlink(:loid) AS unlinked;
DO $$
BEGIN
	EXECUTE format('COPY rule_copy FROM %L (FORMAT binary)',
				   current_setting('data_directory') || '/rule_errors_copy.bin');
END $$;
SELECT count(*) AS rows_copied FROM rule_copy;
DROP TABLE rule_copy;

-- nothing is cut: a 3002-byte literal and a 3000-byte name appear whole in
-- the message (the texts were once 256-byte buffers and the token an
-- excerpt of 40 bytes)
SELECT length(e) AS message_length,
	   strpos(e, 'syntax error at or near "''' || repeat('0123456789', 300) || '''" in segment rule') = 7 AS literal_whole
FROM pg_temp.rule_error('a = 1 ''' || repeat('0123456789', 300) || '''') e;
SELECT length(e) AS message_length,
	   strpos(e, 'name "' || repeat('n', 3000) || '" is too long in segment rule') = 7 AS name_whole
FROM pg_temp.rule_error(repeat('n', 3000) || ' = 1') e;

-- positions are 1-based characters, as PostgreSQL counts a query's, not
-- bytes: each rule below has multibyte characters before the error (in the
-- UTF8 test database; counted by hand): "2" is at 0-based byte offset 11 of
-- the first rule and its 8th character; "und" at byte offset 23 of the
-- second and its 22nd character; "#" at byte offset 15 of the third and its
-- 10th character
SELECT r AS rule, octet_length(r) AS bytes, length(r) AS characters, pg_temp.rule_error(r) AS error
FROM (VALUES ('名前 = 1 2'), ('straße = ''Göttingen'' und'), ('"🚀🚀" = 1 #')) v(r);
