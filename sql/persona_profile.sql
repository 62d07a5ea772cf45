-- Personas: segment_profile, segment_profile_merge, segment_persona and
-- segment_persona_line on ten rows whose answers are worked out by hand in
-- the comments; the type's text, binary and jsonb forms; NULLs, missing
-- values and kinds; every error; parallel and serial plans.
SET extra_float_digits = 0;

CREATE TABLE persona_people (id int, seg int, spend float8, opted boolean, country text);
-- spend 1..10: population mean 5.5, population sd sqrt(8.25) = 2.8723
-- segment 2 = rows 8, 9, 10: mean 9, lift 9 / 5.5 = 1.6364,
--   difference 3.5 / 2.8723 = 1.2185
-- opted in: rows 1, 2, 8, 10 (0.4); segment 2: 2 of 3 (0.6667),
--   lift 1.6667, difference (0.6667 - 0.4) / sqrt(0.24) = 0.5443
-- country: DE DE AT FR DE FR DE DE DE FR (DE 0.6, FR 0.3, AT 0.1);
--   segment 2: DE DE FR: DE 0.6667 (d = 0.0667 / sqrt(0.24) = 0.1361),
--   FR 0.3333 (d = 0.0333 / sqrt(0.21) = 0.0727), AT 0 (d = -0.1 / 0.3 = -0.3333)
INSERT INTO persona_people
SELECT i, CASE WHEN i >= 8 THEN 2 ELSE 1 END, i, i IN (1, 2, 8, 10),
	   (ARRAY['DE', 'DE', 'AT', 'FR', 'DE', 'FR', 'DE', 'DE', 'DE', 'FR'])[i]
FROM generate_series(1, 10) i;

-- The profile as jsonb: attributes in jsonb key order (length, then bytes)
SELECT segment_profile(jsonb_build_object('spend', spend, 'opted in', opted, 'country', country))::jsonb FROM persona_people;

-- One query: per segment its profile, the population as a window over them
SELECT s.seg, p.rank, p.attribute, p.value, p.measure, round(p.segment_value::numeric, 4) AS segment_value,
	   round(p.population_value::numeric, 4) AS population_value, round(p.lift::numeric, 4) AS lift,
	   round(p.difference::numeric, 4) AS difference
FROM (SELECT seg, segment_profile(jsonb_build_object('spend', spend, 'opted in', opted, 'country', country)) AS profile,
			 segment_profile_merge(segment_profile(jsonb_build_object('spend', spend, 'opted in', opted, 'country', country))) OVER () AS population
	  FROM persona_people GROUP BY seg) s,
	 segment_persona(s.profile, s.population) p
WHERE s.seg = 2
ORDER BY p.rank;

-- The line: numbers first, then booleans and categories; top and threshold
SELECT seg, segment_persona_line(segment_profile(a), segment_profile_merge(segment_profile(a)) OVER ()) AS persona,
	   segment_persona_line(segment_profile(a), segment_profile_merge(segment_profile(a)) OVER (), 1) AS top1,
	   segment_persona_line(segment_profile(a), segment_profile_merge(segment_profile(a)) OVER (), 5, 0.5) AS strong,
	   segment_persona_line(segment_profile(a), segment_profile_merge(segment_profile(a)) OVER (), 5, 5) AS none
FROM (SELECT seg, jsonb_build_object('cheap|premium', spend, 'opted in', opted, 'country', country) AS a FROM persona_people) x
GROUP BY seg ORDER BY seg;

-- The population as a CROSS JOIN gives the same as the window
SELECT seg, segment_persona_line(s.profile, p.profile) AS persona
FROM (SELECT seg, segment_profile(jsonb_build_object('spend', spend)) AS profile FROM persona_people GROUP BY seg) s,
	 (SELECT segment_profile(jsonb_build_object('spend', spend)) AS profile FROM persona_people) p
ORDER BY seg;

-- Missing values: an absent key and a JSON null count as missing (n 2 of
-- 3 rows); a NULL object is a row with every attribute missing
SELECT segment_profile(a)::jsonb
FROM (VALUES ('{"x": 1, "c": "a"}'::jsonb), ('{"x": null}'), ('{"x": 3, "c": "b"}'), (NULL)) v(a);
-- no rows: NULL
SELECT segment_profile(a) IS NULL AS no_rows FROM (SELECT '{}'::jsonb WHERE false) v(a);
-- an attribute only ever null has no kind and no persona row
SELECT * FROM segment_persona(
	(SELECT segment_profile(jsonb_build_object('x', NULL::int, 'y', i)) FROM generate_series(1, 2) i),
	(SELECT segment_profile(jsonb_build_object('x', NULL::int, 'y', i)) FROM generate_series(1, 4) i));
-- a constant attribute: no standardised difference (NULL), last
SELECT attribute, segment_value, population_value, lift, difference FROM segment_persona(
	(SELECT segment_profile(jsonb_build_object('k', 7, 'y', i)) FROM generate_series(1, 2) i),
	(SELECT segment_profile(jsonb_build_object('k', 7, 'y', i)) FROM generate_series(1, 4) i));

-- Text and binary forms round-trip, and the merge of parts is the whole
CREATE TABLE persona_profiles AS
SELECT seg, segment_profile(jsonb_build_object('spend', spend, 'opted in', opted, 'country', country)) AS p
FROM persona_people GROUP BY seg;
SELECT seg, p::text::segment_profile::text = p::text AS text_round_trip,
	   segment_profile_send(p::text::segment_profile) = segment_profile_send(p) AS same_bytes
FROM persona_profiles ORDER BY seg;
SELECT (SELECT segment_profile_merge(p) FROM persona_profiles)::jsonb =
	   (SELECT segment_profile(jsonb_build_object('spend', spend, 'opted in', opted, 'country', country)) FROM persona_people)::jsonb AS merge_is_whole;

-- Errors
SELECT segment_profile(a) FROM (VALUES ('{"x": 1}'::jsonb), ('{"x": "one"}')) v(a);
SELECT segment_profile(a) FROM (VALUES ('{"x": true}'::jsonb), ('{"x": 2}')) v(a);
SELECT segment_profile('[1, 2]'::jsonb);
SELECT segment_profile('{"x": {"y": 1}}'::jsonb);
SELECT segment_profile('{"x": 1e400}'::jsonb);
SELECT segment_profile(jsonb_build_object('x', 1.5e308)) FROM generate_series(1, 2);
SELECT segment_profile(jsonb_build_object(repeat('n', 201), 1));
SELECT segment_profile(a) FROM (SELECT jsonb_object_agg('a' || i, i) AS a FROM generate_series(1, 101) i) s;
SELECT segment_profile(jsonb_build_object('c', 'v' || i)) FROM generate_series(1, 1001) i;
SELECT segment_persona_line(p, p, 0) FROM persona_profiles WHERE seg = 1;
SELECT segment_persona_line(p, p, 5, 'NaN') FROM persona_profiles WHERE seg = 1;
SELECT segment_persona_line(p, p, 5, -1) FROM persona_profiles WHERE seg = 1;
SELECT * FROM segment_persona((SELECT segment_profile('{"x": 1}'::jsonb)), (SELECT segment_profile('{"x": "a"}'::jsonb)));
SELECT 'zz'::segment_profile;
SELECT '0001'::segment_profile;
SELECT '000000020000000000000000000000000'::segment_profile;
SELECT '00000002000000000000000000000000'::segment_profile;
-- one attribute "x", kind number, n 1, sum 1, but a sum of squares of 1: impossible
SELECT '000000010000000000000001000000010001780100000000000000013ff00000000000003ff0000000000000'::segment_profile;
-- the same with sum of squares 0 is valid
SELECT '000000010000000000000001000000010001780100000000000000013ff00000000000000000000000000000'::segment_profile::jsonb;

-- Parallel plans give the serial counts and, to rounding, the serial sums
CREATE TABLE persona_many AS
SELECT i, i % 4 AS seg, (hashint4(i) % 1000) / 10.0 AS spend, i % 7 = 0 AS opted,
	   (ARRAY['DE', 'FR', 'AT'])[i % 3 + 1] AS country
FROM generate_series(1, 200000) i;
ANALYZE persona_many;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF)
SELECT seg, segment_profile(jsonb_build_object('spend', spend, 'opted in', opted, 'country', country)) AS p FROM persona_many GROUP BY seg;
CREATE TEMP TABLE par AS
SELECT seg, segment_profile(jsonb_build_object('spend', spend, 'opted in', opted, 'country', country)) AS p FROM persona_many GROUP BY seg;
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE ser AS
SELECT seg, segment_profile(jsonb_build_object('spend', spend, 'opted in', opted, 'country', country)) AS p FROM persona_many GROUP BY seg;
RESET max_parallel_workers_per_gather;
SELECT count(*) AS groups,
	   count(*) FILTER (WHERE (a.p::jsonb #- '{attributes,0,sd}' #- '{attributes,0,ssd}' #- '{attributes,0,mean}' #- '{attributes,0,sum}')
						  = (b.p::jsonb #- '{attributes,0,sd}' #- '{attributes,0,ssd}' #- '{attributes,0,mean}' #- '{attributes,0,sum}')) AS same_counts,
	   max(abs((a.p::jsonb #>> '{attributes,0,mean}')::float8 / (b.p::jsonb #>> '{attributes,0,mean}')::float8 - 1)) < 1e-12 AS same_mean,
	   max(abs((a.p::jsonb #>> '{attributes,0,sd}')::float8 / (b.p::jsonb #>> '{attributes,0,sd}')::float8 - 1)) < 1e-12 AS same_sd
FROM par a JOIN ser b USING (seg);
