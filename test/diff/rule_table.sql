-- The table of the rule differential test (test/diff/rule_match.sh): 800
-- rows with NULLs, ties, non-ASCII text, arrays, dates, timestamps around the
-- as_of (2025-06-30 12:00 UTC), numerics, a composite and a jsonb column
-- whose keys change type from row to row.
CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level1', deterministic = false);
CREATE TYPE address AS (city text, zip text);
CREATE FUNCTION pick(anyarray, int, int) RETURNS anyelement
	LANGUAGE sql IMMUTABLE AS $$ SELECT $1[1 + abs(hashint4($2 * 7919 + $3)) % cardinality($1)] $$;

CREATE TABLE t AS
SELECT i AS id,
	pick(ARRAY['DE', 'AT', 'CH', 'de', 'Ü', 'FR', NULL, ''], i, 1) AS country,
	pick(ARRAY['free', 'pro', 'team', 'Pro', NULL], i, 2) AS plan,
	pick(ARRAY['Zoë', 'ZOË', 'zoe', 'José', 'JOSE', 'jose', 'Ørsted', 'ørsted', 'München',
			   'MÜNCHEN', 'Москва', 'москва', 'Ærø', 'aero', 'O''Brien', 'Jo_e', 'Mo%e', NULL], i, 3) AS name,
	pick(ARRAY['München', 'munchen', 'Wien', 'Zürich', 'Zoë', NULL], i, 4) AS city,
	CASE WHEN i % 9 = 0 THEN NULL ELSE abs(hashint4(i * 3)) % 70 - 1 END AS age,
	pick(ARRAY[10.5, 100, 0, 99.99, 250.25, -3, 42.125, NULL]::numeric[], i, 5) AS score,
	pick(ARRAY[0, 0.25, 0.5, 0.75, 1, 2, NULL]::float8[], i, 6) AS ratio,
	pick(ARRAY[true, false, NULL], i, 7) AS unsubscribed,
	pick(ARRAY[true, false, false, NULL], i, 8) AS consent,
	CASE WHEN i % 11 = 0 THEN NULL ELSE date '2023-01-01' + abs(hashint4(i * 5)) % 920 END AS signup_date,
	CASE WHEN i % 13 = 0 THEN NULL
		 WHEN i % 50 = 0 THEN timestamptz '2025-06-30 12:00:00+00'
		 WHEN i % 51 = 0 THEN timestamptz '2025-06-30 12:00:00+00' - interval '30 days'
		 ELSE timestamptz '2025-01-01 00:00:00+00' + (abs(hashint4(i * 7)) % 200) * interval '1 day'
			  + (abs(hashint4(i * 17)) % 24) * interval '1 hour' END AS last_order_at,
	CASE WHEN i % 14 = 0 THEN NULL
		 ELSE timestamp '2024-12-01 00:00' + (abs(hashint4(i * 19)) % 240) * interval '1 day'
			  + (abs(hashint4(i * 23)) % 48) * interval '30 minutes' END AS seen_at,
	pick(ARRAY['{vip,b2b}', '{newsletter}', '{}', NULL, '{vip,NULL}', '{Zoë,x}',
			   '{b2b,newsletter,vip}']::text[], i, 9)::text[] AS tags,
	pick(ARRAY['{1,2}', '{3}', '{}', NULL, '{1,NULL}', '{5,2,3}']::text[], i, 10)::int[] AS nums,
	CASE WHEN i % 10 = 0 THEN NULL
		 WHEN i % 10 = 1 THEN ROW(NULL, NULL)::address
		 ELSE ROW(pick(ARRAY['München', 'Zoë', 'Wien', NULL], i, 11),
				  pick(ARRAY['DE', 'CH', '10115', NULL], i, 12))::address END AS addr,
	CASE WHEN i % 17 = 0 THEN NULL ELSE ('{' || concat_ws(',',
		'"plan":' || pick(ARRAY['"pro"', '"free"', '"Pro"', '5', 'null', NULL, 'true'], i, 13),
		'"n":' || pick(ARRAY['5', '30', '2.5', '"5"', '"30"', '-1', NULL, 'null', '10', '0'], i, 14),
		'"vip":' || pick(ARRAY['true', 'false', '"yes"', NULL, 'null', '"true"'], i, 15),
		'"since":' || pick(ARRAY['"2024-01-01"', '"2025-06-01T10:00:00Z"', '"2025-06-30"',
								 '"2025-06-29T23:00:00+02:00"', '"soon"', '"2024/01/05"', NULL,
								 '"2025-05-15 08:30"', '"2025-06-30T12:00:00.5Z"'], i, 16),
		'"city":' || pick(ARRAY['"München"', '"MÜNCHEN"', '"Zoë"', '"zoe"', '"Wien"', NULL, '3'], i, 17),
		'"tags":' || pick(ARRAY['["vip", "b2b"]', '["x"]', '[]', '"vip list"', '["Zoë", 5]', NULL,
								'[1.0, 2]', '[null, "vip"]'], i, 18),
		'"a":' || pick(ARRAY['{"b": 5}', '{"b": "x"}', '"str"', NULL, '{"b": null}', '{"b": 2.5}', '{"b": 30}'], i, 19),
		'"score":' || pick(ARRAY['5', '"5"', 'true', '[5]', '{"x": 1}', NULL, '30'], i, 20)
	) || '}')::jsonb END AS profile
FROM generate_series(1, 800) i;
ANALYZE t;
