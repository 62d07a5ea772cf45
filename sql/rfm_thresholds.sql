-- rfm_thresholds: breakpoints of a population as a storable value; scoring
-- against them reproduces the window function's scores exactly; text and
-- binary forms round-trip; parallel plans give the same value.

-- 1..100: the k-th smallest (k = 20, 40, 60, 80) and, for recency, the k-th largest
SELECT rfm_thresholds(v, v, v) FROM generate_series(1, 100) v;
SELECT rfm_thresholds(v, v * 2, v / 4.0, 4) FROM generate_series(1, 10) v;

-- NULLs count only in their own dimension; an all-NULL dimension is empty
SELECT rfm_thresholds(NULLIF(v, 3), v, NULL::float8, 2) FROM generate_series(1, 4) v;
-- no rows: NULL
SELECT rfm_thresholds(v, v, v) FROM generate_series(1, 0) v;

-- the population scored against its own thresholds equals the window scores,
-- here with many ties and NULLs
CREATE TEMP TABLE pop AS
SELECT i, NULLIF(i % 17, 5) AS rec, (i * 7) % 11 AS freq, round(((i * 13) % 23) * 1.5, 2) AS mon
FROM generate_series(1, 500) i;
WITH thr AS (SELECT rfm_thresholds(rec, freq, mon) AS t FROM pop),
	 w AS (SELECT i, rfm_score(rec, freq, mon) OVER () AS s FROM pop)
SELECT count(*) AS rows, count(*) FILTER (WHERE w.s IS DISTINCT FROM rfm_score(rec, freq, mon, t)) AS differences
FROM pop JOIN w USING (i), thr;

-- scoring new customers against stored thresholds
SELECT (rfm_score(0, 0, 0, t)).cell AS worst_new, (rfm_score(1000, 1000, 1000, t)).cell AS odd,
	   (rfm_score(50, 50, 50, t)).cell AS median, (rfm_score(NULL, 50, 50, t)).cell AS null_recency,
	   rfm_score(1, 1, 1, NULL::rfm_thresholds) AS null_thresholds
FROM (SELECT rfm_thresholds(v, v, v) AS t FROM generate_series(1, 100) v) s;

-- text input: whitespace is free, output is canonical, the value round-trips
SELECT '{ "bins":3,"n":[10,0,5], "recency":[5,2],"frequency":[],"monetary":[1.5, 2.5] }'::rfm_thresholds;
SELECT t::text::rfm_thresholds::text = t::text AS text_roundtrip
FROM (SELECT rfm_thresholds(v * 0.1, v / 3.0, v * 1e10) AS t FROM generate_series(1, 1000) v) s;
-- counts are read as integers, exactly, over the binary form's whole range
-- (2^53 + 1 and 2^63 - 1 are not doubles); breakpoints as the shortest text
-- that reads back as the same double, NaN and the infinities bare
SELECT t, t::text::rfm_thresholds::text = t::text AS text_roundtrip,
	   substr(rfm_thresholds_send(t), 5, 8) AS recency_count_sent
FROM (VALUES ('{"bins": 2, "n": [9007199254740993, 1, 0], "recency": [1e+300], "frequency": [-0], "monetary": []}'::rfm_thresholds),
			 ('{"bins": 2, "n": [9223372036854775807, 0, 1], "recency": [NaN], "frequency": [], "monetary": [-Infinity]}'),
			 ('{"bins": 2, "n": [1, 1, 1], "recency": [1E-2], "frequency": [5e-324], "monetary": [0.1]}')) v(t);
SELECT rfm_thresholds_bins('{"bins": 4, "n": [0, 0, 0], "recency": [], "frequency": [], "monetary": []}');
-- scores from a hand-made threshold, as a marketer sets business rules
SELECT (rfm_score(d, 3, 120, '{"bins": 5, "n": [1, 1, 1], "recency": [365, 180, 90, 30], "frequency": [1, 2, 4, 8], "monetary": [50, 100, 250, 1000]}'::rfm_thresholds)).cell
FROM unnest(ARRAY[400, 365, 200, 90, 10]) d;

-- a table of thresholds survives storage
CREATE TEMP TABLE stored (name text, t rfm_thresholds);
INSERT INTO stored SELECT 'q1', rfm_thresholds(v, v, v) FROM generate_series(1, 20) v;
SELECT name, t FROM stored;

-- parallel plans give the same thresholds as a serial plan (temporary tables
-- are never scanned in parallel, so this one is a plain table)
CREATE TABLE big AS SELECT i, (i * 37) % 1000 AS rec, (i * 11) % 97 AS freq, (i % 1013) * 0.25 AS mon
FROM generate_series(1, 200000) i;
ANALYZE big;
SELECT rfm_thresholds(rec, freq, mon)::text AS serial FROM big \gset
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT rfm_thresholds(rec, freq, mon) FROM big;
SELECT rfm_thresholds(rec, freq, mon)::text = :'serial' AS parallel_equals_serial FROM big;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
DROP TABLE big;
