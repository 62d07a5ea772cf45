-- rfm_segment: the standard 11-segment map over (r, fm), fm = ceil((f + m) / 2),
-- and user maps given as jsonb (first matching entry wins).

-- the standard map as the grid README draws: rows r = 5..1, columns fm = 1..5
-- (f = m = fm gives that fm)
SELECT r, rfm_segment(r, 1, 1) AS fm1, rfm_segment(r, 2, 2) AS fm2, rfm_segment(r, 3, 3) AS fm3,
	   rfm_segment(r, 4, 4) AS fm4, rfm_segment(r, 5, 5) AS fm5
FROM generate_series(5, 1, -1) r;

-- fm rounds the mean of f and m up: (4, 1) is fm 3, (1, 2) is fm 2
SELECT rfm_segment(3, 4, 1) AS r3_fm3, rfm_segment(5, 1, 2) AS r5_fm2, rfm_segment(1, 5, 4) AS r1_fm5;

-- every one of the 125 scores has a segment, and there are eleven segments
SELECT count(*) AS scores, count(DISTINCT rfm_segment(r, f, m)) AS segments,
	   count(*) FILTER (WHERE rfm_segment(r, f, m) IS NULL) AS unmapped
FROM generate_series(1, 5) r, generate_series(1, 5) f, generate_series(1, 5) m;

-- NULL in, NULL out
SELECT rfm_segment(NULL, 1, 1) IS NULL AS strict;

-- the standard map as jsonb gives the same segments as the built-in map
SELECT count(*) FILTER (WHERE rfm_segment(r, f, m) IS DISTINCT FROM rfm_segment(r, f, m, rfm_standard_map())) AS differences
FROM generate_series(1, 5) r, generate_series(1, 5) f, generate_series(1, 5) m;

-- a user map: single scores or [low, high] ranges, missing keys cover all,
-- priority by position, NULL where nothing covers the score
SELECT s.r, s.f, s.m, rfm_segment(s.r, s.f, s.m,
	'[{"segment": "VIP", "r": [4, 5], "f": 5, "m": [4, 5]},
	  {"segment": "Dormant", "r": 1},
	  {"segment": "Big spender", "m": [5, 5]},
	  {"segment": "Middle", "fm": [2, 4], "r": [2, 4]}]') AS segment
FROM (VALUES (5, 5, 5), (4, 5, 4), (1, 5, 5), (3, 1, 5), (3, 3, 3), (5, 1, 1)) s(r, f, m);

-- a map applies to any bins: scores up to 10
SELECT rfm_segment(10, 9, 10, '[{"segment": "Top", "r": [9, 10], "fm": [9, 10]}]');

-- RFM in one query: score the population, name the segments, count them
SELECT (s).segment, count(*)
FROM (SELECT rfm_score(rec, freq, mon) OVER () AS s
	  FROM (SELECT i % 37 AS rec, i % 11 AS freq, (i * 7) % 101 AS mon
			FROM generate_series(1, 1000) i) t) q
GROUP BY 1 ORDER BY 2 DESC, 1;
