-- rfm_inputs: what rfm_score does with values that are not plain integers
-- (NaN, +-Infinity, values beyond int, fractions), in the window form and
-- against stored thresholds.  Scores are of the exact value (README: NaN
-- ranks above every number, the infinities at the ends); the rfm value's int
-- recency and frequency show the value rounded as ::integer rounds, or NULL
-- where no int holds it.  Nothing here is an error.

CREATE TEMP TABLE odd (id int, rec float8, freq float8, mon float8);
INSERT INTO odd VALUES
	(1, 1, 1, 1),
	(2, 2, 'NaN', 2),
	(3, 'Infinity', 3000000000, 'NaN'),
	(4, '-Infinity', 1.4, '-Infinity'),
	(5, 1.6, 2.5, 3),
	(6, 1.4, 'Infinity', 'Infinity'),
	(7, -3000000000, '-Infinity', 0.5);

-- the window form, row by row
SELECT id, rec, freq, mon, (s).*
FROM (SELECT id, rec, freq, mon, rfm_score(rec, freq, mon) OVER () AS s FROM odd) q
ORDER BY id;

-- the same scores from the rank rule in plain SQL (float8 comparison puts NaN
-- above every number, as README says), and the echo from ::integer where it
-- fits: no row differs
WITH n AS (SELECT count(*) AS n FROM odd),
expect AS (
	SELECT o.id,
		   1 + floor(5 * (SELECT count(*) FROM odd x WHERE x.rec > o.rec) / n.n) AS r,
		   1 + floor(5 * (SELECT count(*) FROM odd x WHERE x.freq < o.freq) / n.n) AS f,
		   1 + floor(5 * (SELECT count(*) FROM odd x WHERE x.mon < o.mon) / n.n) AS m,
		   CASE WHEN abs(o.rec) < 2147483648 THEN o.rec::int END AS recency,
		   CASE WHEN abs(o.freq) < 2147483648 THEN o.freq::int END AS frequency,
		   o.mon::numeric AS monetary
	FROM odd o, n),
got AS (SELECT id, (rfm_score(rec, freq, mon) OVER ()).* FROM odd)
SELECT e.id FROM expect e JOIN got g USING (id)
WHERE (e.r, e.f, e.m, e.recency, e.frequency, e.monetary)
	  IS DISTINCT FROM (g.r, g.f, g.m, g.recency, g.frequency, g.monetary);

-- the issue's reproducers: a NaN frequency, a bigint beyond int
SELECT (rfm_score(r, f, m) OVER ()).*
FROM (VALUES (1::float8, 1::float8, 1::float8), (2, 'NaN', 2)) v(r, f, m);
SELECT (rfm_score(r, f, m) OVER ()).*
FROM (VALUES (1::bigint, 1::bigint, 1::bigint), (2, 3000000000, 2)) v(r, f, m);

-- fractions rank on their exact value: 1.5, 1.6 and 2.5 all show as 2
-- (rounded half to even, as ::integer rounds) yet score 3, 4 and 5
SELECT v, (s).frequency, (s).f
FROM (SELECT v, rfm_score(1, v, 1) OVER () AS s
	  FROM (VALUES (1.4::float8), (1.6), (0.5), (1.5), (2.5)) t(v)) q
ORDER BY v;

-- a numeric monetary beyond double precision ranks as +Infinity (ties with
-- it) and is shown exactly; numeric NaN and Infinity likewise
SELECT (s).monetary = 1e400 AS exact, (s).m
FROM (SELECT v, rfm_score(1, 1, v) OVER () AS s
	  FROM (VALUES (1e400::numeric), ('Infinity'), (5), ('NaN')) t(v)) q
ORDER BY v;

-- against stored thresholds (of 1..10, 5 bins: frequency breakpoints 2, 4,
-- 6, 8; recency 9, 7, 5, 3): the same echo, scores by the breakpoints
SELECT id, (rfm_score(rec, freq, mon, t)).*
FROM odd, (SELECT rfm_thresholds(x, x, x) AS t FROM generate_series(1, 10) x) s
ORDER BY id;

-- thresholds computed from the odd values themselves: each row scores as the
-- window function scores it (README, Stored thresholds)
SELECT count(*) AS rows,
	   count(*) FILTER (WHERE (w).r = (t).r AND (w).f = (t).f AND (w).m = (t).m) AS same
FROM (SELECT rfm_score(rec, freq, mon) OVER () AS w,
			 rfm_score(rec, freq, mon, (SELECT rfm_thresholds(rec, freq, mon) FROM odd)) AS t
	  FROM odd) q;
