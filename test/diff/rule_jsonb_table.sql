-- The table of test/diff/rule_jsonb.sh: 300 rows of the column types whose
-- rules README says mean the same over a row and over to_jsonb of the row,
-- with NULLs, ties, non-ASCII text, text that looks like numbers, booleans
-- and dates (but is text), fractional seconds, a composite and a jsonb column.
-- No NaN or infinities, no timestamp in a daylight-saving gap of Europe/Berlin
-- (see the header of rule_jsonb.sh).
CREATE TYPE address AS (city text, zip text);
CREATE FUNCTION pick(anyarray, int, int) RETURNS anyelement
	LANGUAGE sql IMMUTABLE AS $$ SELECT $1[1 + abs(hashint4($2 * 7919 + $3)) % cardinality($1)] $$;

CREATE TABLE t AS
SELECT i AS id,
	pick(ARRAY['DE', 'AT', 'CH', 'de', 'Ü', 'FR', NULL, '', '30', '5', '2024-01-01', 'yes', 'true'], i, 1) AS country,
	pick(ARRAY['Zoë', 'ZOË', 'zoe', 'José', 'JOSE', 'jose', 'Ørsted', 'ørsted', 'München', 'Istanbul', 'İstanbul',
			   'MÜNCHEN', 'Москва', 'москва', 'Ærø', 'aero', 'O''Brien', 'Jo_e', 'Mo%e', NULL, 'STRASSE',
			   'straße', 'a\b', 'Zoe', '2025-06-30T10:00'], i, 3) AS name,
	pick(ARRAY['DE-10115', 'de', '10115', '', NULL, 'Mo%', 'Z1', '2024/01/05', 'x_y'], i, 21)::varchar(12) AS code,
	CASE WHEN i % 9 = 0 THEN NULL ELSE abs(hashint4(i * 3)) % 70 - 1 END AS age,
	pick(ARRAY[0, 5, 9007199254740993, -5, 7, NULL]::int8[], i, 22) AS big,
	pick(ARRAY[10.5, 100, 0, 99.99, 250.25, -3, 42.125, 42.1250, 1e2, NULL]::numeric[], i, 5) AS score,
	pick(ARRAY[0, 0.25, 0.5, 0.75, 1, 2, -0.5, NULL, 0.1, 0.1::float8 + 0.2::float8]::float8[], i, 6) AS ratio,
	pick(ARRAY[true, false, NULL], i, 7) AS unsubscribed,
	pick(ARRAY[true, false, false, NULL], i, 8) AS consent,
	CASE WHEN i % 11 = 0 THEN NULL ELSE date '2023-01-01' + abs(hashint4(i * 5)) % 920 END AS signup_date,
	CASE WHEN i % 13 = 0 THEN NULL
		 WHEN i % 50 = 0 THEN timestamptz '2025-06-30 12:00:00+00'
		 WHEN i % 51 = 0 THEN timestamptz '2025-06-30 12:00:00+00' - interval '30 days'
		 WHEN i % 37 = 0 THEN timestamptz '2025-01-15 10:00:00.5 Europe/Berlin'
		 ELSE timestamptz '2025-01-01 00:00:00+00' + (abs(hashint4(i * 7)) % 200) * interval '1 day'
			  + (abs(hashint4(i * 17)) % 24) * interval '1 hour'
			  + (abs(hashint4(i * 29)) % 3) * interval '0.25 second' END AS last_order_at,
	CASE WHEN i % 14 = 0 THEN NULL
		 WHEN i % 43 = 0 THEN timestamp '2025-03-15 12:00:00.25'
		 ELSE timestamp '2024-12-01 00:00' + (abs(hashint4(i * 19)) % 240) * interval '1 day'
			  + (abs(hashint4(i * 23)) % 48) * interval '30 minutes' END AS seen_at,
	pick(ARRAY['{vip,b2b}', '{newsletter}', '{}', NULL, '{vip,NULL}', '{Zoë,x}', '{30,""}',
			   '{b2b,newsletter,vip}', '{NULL}']::text[], i, 9)::text[] AS tags,
	pick(ARRAY['{1,2}', '{3}', '{}', NULL, '{1,NULL}', '{5,2,3}', '{-7}']::text[], i, 10)::int[] AS nums,
	CASE WHEN i % 10 = 0 THEN NULL
		 WHEN i % 10 = 1 THEN ROW(NULL, NULL)::address
		 ELSE ROW(pick(ARRAY['München', 'Zoë', 'Wien', NULL, 'zoe'], i, 11),
				  pick(ARRAY['DE', 'CH', '10115', NULL, '30'], i, 12))::address END AS addr,
	CASE WHEN i % 17 = 0 THEN NULL ELSE ('{' || concat_ws(',',
		'"plan":' || pick(ARRAY['"pro"', '"free"', '"Pro"', '5', 'null', NULL, 'true'], i, 13),
		'"n":' || pick(ARRAY['5', '30', '2.5', '"5"', '"30"', '-1', NULL, 'null'], i, 14),
		'"vip":' || pick(ARRAY['true', 'false', '"yes"', NULL, 'null'], i, 15),
		'"since":' || pick(ARRAY['"2024-01-01"', '"2025-06-01T10:00:00Z"', '"2025-06-30"', '"soon"', NULL], i, 16),
		'"city":' || pick(ARRAY['"München"', '"MÜNCHEN"', '"Zoë"', NULL, '3'], i, 17)
	) || '}')::jsonb END AS profile
FROM generate_series(1, 300) i;
-- a timestamp in the spring-forward gap of Europe/Berlin (2025-03-30 02:00-03:00) moves an hour on
UPDATE t SET seen_at = seen_at + interval '1 hour'
WHERE seen_at >= '2025-03-30 02:00' AND seen_at < '2025-03-30 03:00';
ANALYZE t;
