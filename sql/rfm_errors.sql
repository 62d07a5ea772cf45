-- rfm_errors: every RFM error, with its SQLSTATE and message.
\set SHOW_CONTEXT never

-- the SQLSTATE of each error below, in order
CREATE FUNCTION pg_temp.sqlstate_of(query text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE query;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END $$;
SELECT q AS query, pg_temp.sqlstate_of(q) AS sqlstate
FROM unnest(ARRAY[
	'SELECT rfm_score(1, 1, 1, 1) OVER ()',
	'SELECT rfm_thresholds(v, v, v, 0) FROM generate_series(1, 3) v',
	'SELECT rfm_score(1, 1, 1, NULL) OVER ()',
	'SELECT rfm_score(v, v, v, v) OVER () FROM generate_series(2, 3) v',
	'SELECT rfm_thresholds(v, v, v, v) FROM generate_series(2, 3) v',
	'SELECT rfm_segment(6, 1, 1)',
	'SELECT rfm_segment(0, 1, 1, ''[]'')',
	'SELECT rfm_segment(1, 1, 1, ''[{"r": 1}]'')',
	'SELECT rfm_segment(1, 1, 1, ''[{"segment": "x", "r": [1.5, 2]}]'')',
	'SELECT rfm_segment(1, 1, 1, ''[{"segment": "x", "r": [1, 1e999]}]'')',
	'SELECT ''nonsense''::rfm_thresholds',
	'SELECT ''{"bins": 2, "n": [1, 1, 1], "recency": [1e999], "frequency": [1], "monetary": [1]}''::rfm_thresholds',
	'SELECT ''{"bins": 3, "n": [1, 1, 1], "recency": [1, 2], "frequency": [1, 2], "monetary": [1, 2]}''::rfm_thresholds'
]) q;

-- bins outside 2..10 (22023)
SELECT rfm_score(1, 1, 1, 1) OVER ();
SELECT rfm_score(1, 1, 1, 11) OVER ();
SELECT rfm_thresholds(v, v, v, 0) FROM generate_series(1, 3) v;
-- bins must not be NULL (22004), and must be constant within a partition or group
SELECT rfm_score(1, 1, 1, NULL) OVER ();
SELECT rfm_score(v, v, v, v) OVER () FROM generate_series(2, 3) v;
SELECT rfm_thresholds(v, v, v, v) FROM generate_series(2, 3) v;

-- the standard map covers 1..5 only; user maps check their scores (22023)
SELECT rfm_segment(6, 1, 1);
SELECT rfm_segment(0, 1, 1, '[]');
SELECT rfm_segment(1, 1, 1, '{"segment": "x"}');
SELECT rfm_segment(1, 1, 1, '[{"r": 1}]');
SELECT rfm_segment(1, 1, 1, '[{"segment": "x", "recency": 1}]');
SELECT rfm_segment(1, 1, 1, '[{"segment": "x", "r": [3, 2]}]');
SELECT rfm_segment(1, 1, 1, '[{"segment": "x", "r": [0, 2]}]');
SELECT rfm_segment(1, 1, 1, '[{"segment": "x", "r": "high"}]');
SELECT rfm_segment(1, 1, 1, '[42]');
-- scores are whole numbers from 1 to 10, checked before any conversion: a
-- fraction is not rounded to a score, a huge bound is the map's error
SELECT rfm_segment(1, 1, 1, '[{"segment": "x", "r": [1.5, 2]}]');
SELECT rfm_segment(1, 1, 1, '[{"segment": "x", "f": 2.000001}]');
SELECT rfm_segment(1, 1, 1, '[{"segment": "x", "r": [1, 1e999]}]');
SELECT rfm_segment(1, 1, 1, '[{"segment": "x", "m": -1e999}]');

-- rfm_thresholds text input (22P02)
SELECT 'nonsense'::rfm_thresholds;
SELECT '{"bins": 11, "n": [0, 0, 0], "recency": [], "frequency": [], "monetary": []}'::rfm_thresholds;
SELECT '{"bins": 3, "n": [1, 1, 1], "recency": [1], "frequency": [1, 2], "monetary": [1, 2]}'::rfm_thresholds;
SELECT '{"bins": 3, "n": [1, 1, 1], "recency": [1, 2], "frequency": [1, 2], "monetary": [1, 2]}'::rfm_thresholds;
SELECT '{"bins": 3, "n": [1, -1, 1], "recency": [2, 1], "frequency": [1, 2], "monetary": [1, 2]}'::rfm_thresholds;
SELECT '{"bins": 3, "n": [1, 1, 1], "recency": [2, 1], "frequency": [1, 2], "monetary": [1, 2]} extra'::rfm_thresholds;
SELECT '{"bins": 3, "n": [1, 1, 1], "recency": [2, 1], "frequency": [1, x], "monetary": [1, 2]}'::rfm_thresholds;

-- numbers are JSON numbers (or NaN, Infinity, -Infinity as output writes
-- them): no hexadecimal, no inf, no leading dot or zero
SELECT '{"bins": 2, "n": [1, 1, 1], "recency": [0x50], "frequency": [1], "monetary": [1]}'::rfm_thresholds;
SELECT '{"bins": 2, "n": [1, 1, 1], "recency": [inf], "frequency": [1], "monetary": [1]}'::rfm_thresholds;
SELECT '{"bins": 2, "n": [1, 1, 1], "recency": [.5], "frequency": [1], "monetary": [1]}'::rfm_thresholds;
SELECT '{"bins": 2, "n": [1, 1, 1], "recency": [1], "frequency": [01], "monetary": [1]}'::rfm_thresholds;
SELECT '{"bins": 2, "n": [1, 1, 1], "recency": [1], "frequency": [-NaN], "monetary": [1]}'::rfm_thresholds;
-- a breakpoint beyond double precision is the type's input error (22P02)
SELECT '{"bins": 2, "n": [1, 1, 1], "recency": [1e999], "frequency": [1], "monetary": [1]}'::rfm_thresholds;
-- bins and counts are integers written as integers, counts up to 2^63 - 1
SELECT '{"bins": 2.0, "n": [1, 1, 1], "recency": [1], "frequency": [1], "monetary": [1]}'::rfm_thresholds;
SELECT '{"bins": 2, "n": [1.0, 1, 1], "recency": [1], "frequency": [1], "monetary": [1]}'::rfm_thresholds;
SELECT '{"bins": 2, "n": [1e3, 1, 1], "recency": [1], "frequency": [1], "monetary": [1]}'::rfm_thresholds;
SELECT '{"bins": 2, "n": [0x50, 1, 1], "recency": [1], "frequency": [1], "monetary": [1]}'::rfm_thresholds;
SELECT '{"bins": 2, "n": [9223372036854775808, 1, 1], "recency": [1], "frequency": [1], "monetary": [1]}'::rfm_thresholds;
SELECT '{"bins": 2, "n": [1, 1], "recency": [1], "frequency": [1], "monetary": [1]}'::rfm_thresholds;
SELECT '{"bins": 2, "n": [1, 1, 1, 1], "recency": [1], "frequency": [1], "monetary": [1]}'::rfm_thresholds;
