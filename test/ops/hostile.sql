-- Hostile calls for test/ops/hostile.sh, generated from the catalogue: every
-- function, aggregate and window function of the extension (pg_proc through
-- pg_depend deptype 'e'), except trigger functions, support functions taking
-- or returning `internal` and the types' input, output and receive functions
-- (exercised through casts and binary COPY instead), gets calls whose
-- arguments come from hv, the hostile values of each argument type.
-- Loaded after test/lib/typed_values.sql (t_<type> tables of valid values).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

-- a table whose row type the rule functions read, and a declared source
CREATE TABLE hostile_t (f1 int, f2 text, f3 timestamptz, f4 text[], f5 jsonb);
INSERT INTO hostile_t VALUES (1, 'a', '2025-01-01', '{vip}', '{"k": 1}'), (2, 'b', 'infinity', '{}', '[]');
CREATE TABLE hostile_ev (id int PRIMARY KEY, at timestamptz);
CREATE TABLE hostile_orders (id int, ev int REFERENCES hostile_ev, at timestamptz, amount numeric);
SELECT FROM segment_source_add('orders', 'hostile_orders', 'at');
CREATE TABLE hostile_membership (customer_key int, segment text, entered_at timestamptz, left_at timestamptz);

-- hv(typ, i, expr): i = 0 is the baseline, a valid value; the others are
-- hostile.  Each expression is a value of typ (cast where needed), so that
-- every error comes from the call, not from building its arguments.
CREATE TABLE hv (typ regtype, i int, expr text, PRIMARY KEY (typ, i));
CREATE FUNCTION hv_add(t regtype, VARIADIC exprs text[]) RETURNS void LANGUAGE sql AS $$
	INSERT INTO hv SELECT t, coalesce((SELECT max(i) + 1 FROM hv WHERE typ = t), 0) + o - 1, e
	FROM unnest(exprs) WITH ORDINALITY u(e, o)
$$;

SELECT FROM hv_add('float8', '1.5', 'NULL', '''NaN''', '''Infinity''', '''-Infinity''', '0', '-1', '2147483647',
	'-2147483648', '9223372036854775807', '1e308', '-1e308', '''-0''', '5e-324', '0.5');
-- feature vectors (k-means): three features match the stored models' baseline
SELECT FROM hv_add('float8[]', '''{1,2,3}''::float8[]', 'NULL', '''{}''::float8[]', '''{NaN,1,2}''::float8[]',
	'''{Infinity,-Infinity,0}''::float8[]', '''{1,NULL,3}''::float8[]', '''{{1,2},{3,4}}''::float8[]',
	'''[5:7]={1,2,3}''::float8[]', 'array_fill(1e308::float8, ARRAY[3])', 'array_fill(-1e308::float8, ARRAY[3])',
	'(SELECT array_agg(i::float8) FROM generate_series(1, 100000) i)', '''{5e-324,-0,-5e-324}''::float8[]',
	'''{-1,-0.5,-1}''::float8[]', '''{1,2}''::float8[]', 'array_fill(0::float8, ARRAY[100])');
SELECT FROM hv_add('numeric', '12.34', 'NULL', '''NaN''', '''Infinity''', '''-Infinity''', '0', '-1', '2147483647',
	'9223372036854775807', '1e308', '-1e308', '(''1e1000'')', '(''1e-1000'')', '''0.000000000000000000001''');
-- experiments: weights arrays and conversions
SELECT FROM hv_add('float8[]', '''{0.5,0.5}''', 'NULL', '''{}''::float8[]', '''{NULL}''::float8[]', '''{NaN,1}''',
	'''{Infinity,-Infinity}''', '''{-1,2}''', 'array_fill(0.001::float8, ARRAY[1000])', '''{{0.5},{0.5}}''::float8[]',
	'''[5:6]={0.5,0.5}''::float8[]', '(SELECT array_agg(1e-5::float8) FROM generate_series(1, 100000))', '''{1e308,1e308}''',
	'''{5e-324,1}''');
SELECT FROM hv_add('boolean', 'true', 'NULL', 'false');
SELECT FROM hv_add('int4', '3', 'NULL', '0', '-1', '1', '2', '11', '2147483647', '-2147483648');
SELECT FROM hv_add('int8', '3', 'NULL', '0', '-1', '9223372036854775807', '(-9223372036854775807 - 1)', '2147483648');
SELECT FROM hv_add('text', '''f1''', 'NULL', '''''', 'repeat(''x'', 100000)', 'repeat(''é'', 50000)', '''f1 > 1''',
	'''de''', '''und-u-ks-level2''', '''a''', '''%''', '''ZZ-@@@!!''', 'repeat(''de-'', 30000)', '''orders''',
	'''hostile_t''', '''f2''', '''at''', '''ev''', '''id''', '''"''', '''  ''', '''at; DROP TABLE hostile_t''');
SELECT FROM hv_add('text[]', '''{f1,f2}''', 'NULL', '''{}''::text[]', '(SELECT array_agg(''s'' || i) FROM generate_series(1, 100000) i)',
	'''{NULL}''::text[]', 'ARRAY[repeat(''x'', 100000)]', '''{a,b,c}''', '''{{a,b},{c,d}}''::text[]',
	'''[5:6]={a,b}''::text[]');
SELECT FROM hv_add('jsonb', '''{"k": 1}''', 'NULL', '''{}''', '''[]''', '''[1, 2]''', '''null''', '''"x"''', '''1e308''',
	'rfm_standard_map()', '''{"r": [1.5, 2]}''', '''{"bins": 1e999}''', 'jsonb_build_object(''x'', repeat(''x'', 100000))',
	'(repeat(''['', 5000) || repeat('']'', 5000))::jsonb', '(SELECT jsonb_agg(i) FROM generate_series(1, 100000) i)',
	'''{"f1": 5, "f2": "a", "f3": "infinity", "f4": ["vip"]}''', '''{"f1": "NaN", "f2": [], "f3": "-infinity"}''',
	'(SELECT jsonb_object_agg(s, ''x'') FROM jsonb_object_keys(rfm_standard_map()) s)');
SELECT FROM hv_add('timestamptz', '''2025-01-01''', 'NULL', '''infinity''', '''-infinity''', '''4713-01-01 BC''',
	'''294276-12-31 23:59:59''', '''1970-01-01''', '''2025-01-01 00:00:00.000001''', '''2000-01-01''');
SELECT FROM hv_add('date', '''2025-01-01''', 'NULL', '''infinity''', '''-infinity''', '''4713-01-01 BC''', '''5874897-12-31''');
SELECT FROM hv_add('interval', '''7 days''', 'NULL', '''0''', '''-1 day''', '''1 microsecond''', '''178000000 years''',
	'''-178000000 years''', '''1 mon''', '''-00:00:00.000001''');
SELECT FROM hv_add('regclass', '''hostile_t''', 'NULL', '''pg_class''', '0', '''hostile_orders''', '''hostile_membership''',
	'''hv''', '''pg_class_oid_index''', '''hostile_t_f1_seq''', '4294967295');
SELECT FROM hv_add('bytea', 'segment_rule_to_bytea(''f1 > 1'')', 'NULL', '''\x''', '''\x00''', '''\xffffffffffffffff''',
	'decode(repeat(''ab'', 100000), ''hex'')', 'substr(segment_rule_to_bytea(''f1 > 1 and f2 = ''''a''''''), 1, 7)',
	'segment_rule_to_bytea(''f1 > 1'') || ''\x00''', 'rfm_thresholds_send(''{"bins": 2, "n": [1, 1, 1], "recency": [1], "frequency": [1], "monetary": [1]}'')');

-- the extension's own types: a baseline for the rule functions, then valid
-- values from typed_values.sql (the first two, the middle, the last and any
-- NULL; every segment_rule, with its deep nesting and long list), then hostile
-- ones built around the types' own checks
SELECT FROM hv_add('segment_rule', '''f1 > 1 and f2 ilike ''''%a%''''''');
SELECT FROM hv_add('rfm_thresholds', '(SELECT v FROM t_rfm_thresholds WHERE id = 5)');
DO $$
DECLARE r record; ids int[];
BEGIN
	FOR r IN SELECT c.relname, substr(c.relname, 3) AS typ FROM pg_class c
			 WHERE c.relname LIKE 't\_%' AND c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace ORDER BY 1
	LOOP
		EXECUTE format('SELECT array_agg(id ORDER BY id) FROM (SELECT id, v IS NULL AS nul, row_number() OVER (ORDER BY id) AS rn,
			count(*) OVER () AS n FROM %I) s WHERE rn IN (1, 2, n / 2, n) OR nul OR %L = ''segment_rule''', r.relname, r.typ) INTO ids;
		PERFORM hv_add(r.typ::regtype, VARIADIC (SELECT array_agg(format('(SELECT v FROM %I WHERE id = %s)', r.relname, id)) FROM unnest(ids) id));
	END LOOP;
END $$;
SELECT FROM hv_add('segment_rule', '''f2 = ''''a''''''', '''f3 within 30 days''', '''f4 contains ''''vip''''''',
	'''f1 > ''''thirty''''''', '''nosuch = 1''', '''f5 = 1''', '''f1 in (1, 2, null)''', '''f2 ~= ''''A'''' collate ''''und-u-ks-level2''''''',
	'''f3 >= ''''infinity''''''', '''f1 > 1e308''', '''f1 between 2147483647 and -2147483648''',
	'(repeat(''('', 200) || ''f1 > 1'' || repeat('')'', 200))::segment_rule',
	'(repeat(''not '', 1000) || ''f1 > 1'')::segment_rule',
	'(SELECT string_agg(''f1 = '' || i, '' or '')::segment_rule FROM generate_series(1, 5000) i)');
SELECT FROM hv_add('segment_rule[]', 'ARRAY[''f1 > 1'', ''f2 = ''''a'''''']::segment_rule[]', 'NULL', '''{}''::segment_rule[]',
	'ARRAY[NULL]::segment_rule[]', '(SELECT array_agg(v ORDER BY id) FROM t_segment_rule)',
	'array_fill(''f1 > 1''::segment_rule, ARRAY[100000])', 'ARRAY[''f1 > 1'']::segment_rule[]',
	'array_fill(''f1 > 1''::segment_rule, ARRAY[2, 2])');
SELECT FROM hv_add('btyd_summary', '(0, ''NaN'', 1, 1, 1)::btyd_summary', '(-1, -1, -1, -1, -1)::btyd_summary',
	'(2147483647, ''Infinity'', ''Infinity'', 1e308, 1e308)::btyd_summary', '(5, 10, 2, 3, 7)::btyd_summary',
	'(1, ''-Infinity'', ''NaN'', ''-Infinity'', ''-Infinity'')::btyd_summary', '(NULL, NULL, NULL, NULL, NULL)::btyd_summary',
	'(0, 0, 0, 0, 0)::btyd_summary', '(2, 5, 10, 3, ''NaN'')::btyd_summary', '(2, 5, 10, 3, ''Infinity'')::btyd_summary',
	'(2, 5, 10, 3, 5e-324)::btyd_summary', '(2, 5, 10, 3, NULL)::btyd_summary');
SELECT FROM hv_add('btyd_holdout', '(1, 1, 1, 1, -1, ''NaN'', 0, 0)::btyd_holdout', '(2147483647, 1e308, 1e308, 1e308, 2147483647, 1e308, ''Infinity'', ''NaN'')::btyd_holdout',
	'(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)::btyd_holdout', '(1, 1, 2, 1, 1, 1, 1, -7)::btyd_holdout');
-- BG/BB and sBG: summaries and models are composites; the first value of each is valid
SELECT FROM hv_add('bgbb_summary', '(2, 4, 6)::bgbb_summary', 'NULL', '(NULL, NULL, NULL)::bgbb_summary',
	'(-1, -1, -1)::bgbb_summary', '(2147483647, 2147483647, 2147483647)::bgbb_summary', '(0, 0, 0)::bgbb_summary',
	'(3, 2, 6)::bgbb_summary', '(0, 5, 6)::bgbb_summary', '(1, 1, 100000)::bgbb_summary', '(0, 0, 100000)::bgbb_summary',
	'(-2147483648, 0, 1)::bgbb_summary', '(2, 2, NULL)::bgbb_summary');
SELECT FROM hv_add('bgbb_model', '(1.204, 0.75, 0.657, 2.783, 0.07, 0.03, 0.05, 0.32, -33225.6, 66459.2, 66488.4, 11104, 23, 0)::bgbb_model',
	'NULL', '(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)::bgbb_model',
	'(''NaN'', 1, 1, 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)::bgbb_model',
	'(1, ''Infinity'', 1, 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)::bgbb_model',
	'(1, 1, 0, 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)::bgbb_model',
	'(1, 1, 1, -1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)::bgbb_model',
	'(1e308, 1e308, 1e308, 1e308, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)::bgbb_model',
	'(5e-324, 5e-324, 5e-324, 5e-324, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)::bgbb_model',
	'(1e-300, 1e300, 1, 1e300, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)::bgbb_model',
	'(1.2, 0.75, 1, 2.8, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)::bgbb_model');
SELECT FROM hv_add('sbg_model', '(0.704, 1.182, 0.07, 0.15, -1680.27, 3364.5, 3374.3, 1000, 11, 0)::sbg_model',
	'NULL', '(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)::sbg_model',
	'(''NaN'', 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)::sbg_model',
	'(1, ''-Infinity'', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)::sbg_model',
	'(0, 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)::sbg_model',
	'(1e308, 1e308, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)::sbg_model',
	'(5e-324, 5e-324, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)::sbg_model',
	'(1e-300, 1e300, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)::sbg_model');
SELECT FROM hv_add('lifecycle_policy', '(''-1 day'', ''0'', ''178000000 years'', -1, NULL)::lifecycle_policy',
	'(NULL, NULL, NULL, NULL, NULL)::lifecycle_policy', '(''1 day'', ''1 day'', ''1 day'', 2147483647, ''-178000000 years'')::lifecycle_policy');
SELECT FROM hv_add('anyelement', '(1, ''a'', ''2025-01-01'', ''{vip}'', ''{}'')::hostile_t', 'NULL::hostile_t', 'ROW(1, ''a'')',
	'ROW(1, ''a''::text)', 'ROW(NULL, NULL)', '1', '''x''::text', 'ROW()', '(SELECT t FROM hostile_t t WHERE f1 = 2)',
	'ROW(repeat(''x'', 100000), NULL::int)', '''{"f1": 1}''::jsonb', 'ARRAY[1, 2]', '(2147483647, repeat(''é'', 50000), ''-infinity'', ''{}'', ''[]'')::hostile_t',
	'(SELECT h FROM hv h LIMIT 1)');
-- the column values of the values forms (segment_match_values and the like),
-- which must be of the row type's column types, one per column
SELECT FROM hv_add('"any"', '1', 'NULL', '''a''::text', '''x''', '''2025-01-01''::timestamptz', '''{vip}''::text[]',
	'''{"k": 1}''::jsonb', 'repeat(''x'', 100000)', 'ROW(1, ''a'')', '(1, ''a'', ''2025-01-01'', ''{vip}'', ''{}'')::hostile_t',
	'NULL::int', '''NaN''::float8', 'ARRAY[1, 2]');

-- the functions under test
CREATE TABLE fns AS
SELECT p.proname::text AS name, p.prokind AS kind, ARRAY(SELECT unnest(p.proargtypes::oid[]))::regtype[] AS args,
	   p.pronargdefaults AS ndefaults, p.oid::regprocedure::text AS sig
FROM pg_proc p
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'segmentation'
WHERE p.prorettype NOT IN ('trigger'::regtype, 'event_trigger'::regtype, 'internal'::regtype)
  AND NOT 'internal'::regtype = ANY (p.proargtypes::oid[]::regtype[])
  AND NOT EXISTS (SELECT FROM pg_type t WHERE p.oid IN (t.typinput, t.typoutput, t.typreceive));

-- one call: vals[k] is the index into hv of argument k.  An aggregate or
-- window function runs over a VALUES list (the chosen values, the baseline,
-- the chosen values again), or over no row when empty
CREATE FUNCTION hostile_call(f fns, vals int[], nargs int, empty bool DEFAULT false) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	a text[] := '{}'; b text[] := '{}'; cols text[] := '{}'; k int; e text; pseudo bool;
BEGIN
	FOR k IN 1 .. nargs LOOP
		SELECT expr INTO e FROM hv WHERE typ = f.args[k] AND i = vals[k];
		pseudo := (SELECT typtype = 'p' FROM pg_type WHERE oid = f.args[k]);
		a := a || CASE WHEN pseudo THEN e ELSE format('(%s)::%s', e, f.args[k]) END;
		SELECT expr INTO e FROM hv WHERE typ = f.args[k] AND i = 0;
		b := b || CASE WHEN pseudo THEN e ELSE format('(%s)::%s', e, f.args[k]) END;
		cols := cols || ('a' || k);
	END LOOP;
	IF f.kind = 'f' THEN
		RETURN format('SELECT (%I(%s))::text', f.name, array_to_string(a, ', '));
	END IF;
	RETURN format('SELECT (%I(%s)%s)::text FROM (VALUES (%s), (%s), (%s)) v(%s)%s', f.name,
		array_to_string(cols, ', '), CASE f.kind WHEN 'w' THEN ' OVER ()' ELSE '' END,
		array_to_string(a, ', '), array_to_string(b, ', '), array_to_string(a, ', '),
		array_to_string(cols, ', '), CASE WHEN empty THEN ' WHERE false' ELSE '' END);
END $$;

-- the calls: for each function the baseline, each argument through each of
-- its values with the others at the baseline, calls leaving out defaulted
-- arguments, an aggregate over no row, and :random combinations drawn by
-- hash (deterministic); then every hostile text cast to each base type of the
-- extension
CREATE TABLE calls (id serial PRIMARY KEY, sig text, sql text);
INSERT INTO calls (sig, sql)
SELECT sig, sql FROM (
	SELECT f.sig, hostile_call(f, array_fill(0, ARRAY[cardinality(f.args)]), cardinality(f.args)) AS sql, 0 AS o FROM fns f
	UNION ALL
	SELECT f.sig, hostile_call(f, array_fill(0, ARRAY[cardinality(f.args)]), cardinality(f.args), true), 1 FROM fns f WHERE f.kind = 'a'
	UNION ALL
	SELECT f.sig, hostile_call(f, array_fill(0, ARRAY[cardinality(f.args)]), cardinality(f.args) - d), 2
	FROM fns f, generate_series(1, f.ndefaults) d
	UNION ALL
	SELECT f.sig, hostile_call(f, array_fill(0, ARRAY[k - 1]) || h.i || array_fill(0, ARRAY[cardinality(f.args) - k]), cardinality(f.args)), 3
	FROM fns f, generate_subscripts(f.args, 1) k, hv h WHERE h.typ = f.args[k] AND h.i > 0
	UNION ALL
	SELECT f.sig, hostile_call(f, (SELECT array_agg((abs(hashtext(f.sig || ':' || j || ':' || k)) % (SELECT count(*) FROM hv WHERE typ = f.args[k]))::int ORDER BY k)
								   FROM generate_subscripts(f.args, 1) k), cardinality(f.args)), 4
	FROM fns f, generate_series(1, :random) j WHERE cardinality(f.args) > 1
	UNION ALL
	SELECT 'cast to ' || t.oid::regtype, format('SELECT ((%s)::%s)::text', h.expr, t.oid::regtype), 5
	FROM pg_type t JOIN pg_depend d ON d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e'
	JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'segmentation', hv h
	WHERE t.typtype = 'b' AND h.typ = 'text'::regtype
) s ORDER BY o, sig, sql;

-- run one call in a subtransaction that is always rolled back (so that
-- segment_source_add and the like leave nothing behind): 'ok', or the
-- SQLSTATE and message it raised
CREATE FUNCTION hostile_try(call_id int) RETURNS text LANGUAGE plpgsql AS $$
DECLARE q text; st text; msg text; t0 timestamptz := clock_timestamp();
BEGIN
	SELECT sql INTO q FROM calls WHERE id = call_id;
	BEGIN
		EXECUTE q;
		RAISE SQLSTATE 'ZZ901';
	EXCEPTION WHEN SQLSTATE 'ZZ901' THEN
		st := 'ok';
	WHEN query_canceled OR OTHERS THEN
		GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
	END;
	RETURN concat_ws('|', st, round(extract(epoch FROM clock_timestamp() - t0) * 1000), replace(left(msg, 300), E'\n', ' '));
END $$;

-- corrupted binary values of every base type of the extension: the binary
-- form of valid values (as in a COPY of typed_values.sql's table) with
-- bytes flipped, zeroed, set, the value truncated and extended, and random
-- bytes; written as a one-row binary COPY file by the server, read back into
-- a table of the type (the field's length word always matches, so that the
-- type's receive function, not COPY, sees the damage)
CREATE TABLE bvar (id serial PRIMARY KEY, typ regtype, what text, b bytea);
DO $$
DECLARE r record; v record; len int; p int; m int;
BEGIN
	FOR r IN SELECT t.oid::regtype AS typ, t.typsend::regproc AS send, 't_' || t.typname AS tab FROM pg_type t
			 JOIN pg_depend d ON d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e'
			 JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'segmentation'
			 WHERE t.typtype = 'b' ORDER BY 1::text
	LOOP
		EXECUTE format('CREATE TABLE %I (v %s)', 'c_' || r.typ, r.typ);
		-- up to six values of distinct sizes
		FOR v IN EXECUTE format('SELECT DISTINCT ON (length(b)) id, b FROM (SELECT id, %s(v) AS b FROM %I WHERE v IS NOT NULL) s
								 ORDER BY length(b), id', r.send, r.tab)
		LOOP
			CONTINUE WHEN (SELECT count(DISTINCT what) FROM bvar WHERE typ = r.typ AND what LIKE 'value %') >= 6
				AND v.id % 3 <> 0;
			CONTINUE WHEN (SELECT count(DISTINCT split_part(what, ':', 1)) FROM bvar WHERE typ = r.typ) >= 8;
			len := length(v.b);
			INSERT INTO bvar (typ, what, b) VALUES (r.typ, format('value %s: intact', v.id), v.b);
			-- bytes at the start (headers, counts), the middle and the end, and
			-- a spread chosen by hash
			FOR p IN SELECT DISTINCT x FROM (SELECT unnest(ARRAY[0, 1, 2, 3, 4, 5, 6, 7, 8, 11, 12, len / 2, len - 8, len - 4, len - 1]) x
											UNION SELECT abs(hashint4(v.id * 100 + k)) % len FROM generate_series(1, 6) k) s
					 WHERE x BETWEEN 0 AND len - 1 ORDER BY x
			LOOP
				FOREACH m IN ARRAY ARRAY[255, 1, 128] LOOP
					INSERT INTO bvar (typ, what, b) VALUES (r.typ, format('value %s: byte %s xor %s', v.id, p, m),
						set_byte(v.b, p, get_byte(v.b, p) # m));
				END LOOP;
				INSERT INTO bvar (typ, what, b) VALUES (r.typ, format('value %s: byte %s = 0', v.id, p), set_byte(v.b, p, 0)),
					(r.typ, format('value %s: byte %s = 255', v.id, p), set_byte(v.b, p, 255));
			END LOOP;
			INSERT INTO bvar (typ, what, b)
			SELECT r.typ, format('value %s: first %s bytes', v.id, n), substr(v.b, 1, n)
			FROM unnest(ARRAY[0, 1, 2, 3, 4, 7, 8, len / 2, len - 8, len - 4, len - 1]) n WHERE n BETWEEN 0 AND len - 1
			UNION ALL
			SELECT r.typ, format('value %s: %s extra bytes %s', v.id, n, x), v.b || decode(repeat(x, n), 'hex')
			FROM unnest(ARRAY[1, 8, 1000]) n, unnest(ARRAY['00', 'ff']) x
			UNION ALL
			SELECT r.typ, format('value %s: twice', v.id), v.b || v.b;
		END LOOP;
		-- random bytes of a few lengths
		INSERT INTO bvar (typ, what, b)
		SELECT r.typ, format('random %s bytes #%s', n, k),
			   (SELECT coalesce(string_agg(set_byte('\x00'::bytea, 0, abs(hashint4(n * 1000 + k * 100 + i)) % 256), ''::bytea), ''::bytea)
				FROM generate_series(1, n) i)
		FROM unnest(ARRAY[1, 4, 8, 16, 64, 216, 1024]) n, generate_series(1, 3) k;
	END LOOP;
END $$;

CREATE FUNCTION bin_try(variant int, dir text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE t regtype; f text := format('%s/%s.bin', dir, variant); st text; msg text;
BEGIN
	SELECT typ INTO t FROM bvar WHERE id = variant;
	EXECUTE format('COPY (SELECT b FROM bvar WHERE id = %s) TO %L (FORMAT binary)', variant, f);
	BEGIN
		EXECUTE format('COPY %I FROM %L (FORMAT binary)', 'c_' || t, f);
		EXECUTE format('SELECT v::text FROM %I', 'c_' || t);
		RAISE SQLSTATE 'ZZ901';
	EXCEPTION WHEN SQLSTATE 'ZZ901' THEN
		RETURN 'ok|0|';
	WHEN query_canceled OR OTHERS THEN
		GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
		RETURN st || '|0|' || replace(left(msg, 300), E'\n', ' ');
	END;
END $$;
