-- rfm_score as a window function: the rank rule of API.md section 1
-- (1 + floor(bins * strictly-worse / n)), ties, NULLs, partitions, bins.

-- five distinct values fill five bins; recency is better when lower
SELECT v, (rfm_score(v, v, v) OVER ()).*
FROM (VALUES (10), (20), (30), (40), (50)) t(v) ORDER BY v;

-- ties never split: the three 20s share every score
SELECT v, (s).r, (s).f, (s).m, (s).cell
FROM (SELECT v, rfm_score(v, v, v) OVER () AS s
	  FROM (VALUES (10), (20), (20), (20), (30)) t(v)) q ORDER BY v;

-- all equal: nobody is strictly better or worse
SELECT DISTINCT (rfm_score(1, 1, 1.0) OVER ()).cell FROM generate_series(1, 7);

-- NULL in a dimension: that score is NULL, cell and segment too; the other
-- dimensions rank among their own non-NULL values (n = 3 for recency here)
SELECT id, (s).recency, (s).frequency, (s).monetary, (s).r, (s).f, (s).m, (s).cell, (s).segment
FROM (SELECT id, rfm_score(rec, freq, mon) OVER () AS s
	  FROM (VALUES (1, 5, 1, 10.00), (2, NULL, 2, 20.00), (3, 15, 3, NULL),
				   (4, 25, NULL, 40.50)) t(id, rec, freq, mon)) q
ORDER BY id;

-- one row per partition, several partitions, and an empty input
SELECT grp, v, (rfm_score(v, v, v) OVER (PARTITION BY grp)).cell
FROM (VALUES ('a', 1), ('a', 2), ('b', 7), ('c', 1), ('c', 1), ('c', 9)) t(grp, v)
ORDER BY grp, v;
SELECT (rfm_score(v, v, v) OVER ()).* FROM (SELECT 1 AS v WHERE false) t;

-- bins: 2, 3 and 10 (two-digit scores separate the cell with '-');
-- the standard segment is given for 5 bins only
SELECT v, (rfm_score(v, v, v, 2) OVER ()).cell AS bins2,
	   (rfm_score(v, v, v, 3) OVER ()).cell AS bins3,
	   (rfm_score(v, v, v, 10) OVER ()).cell AS bins10,
	   (rfm_score(v, v, v, 10) OVER ()).segment AS seg10
FROM generate_series(1, 10) v ORDER BY v;

-- argument types: integer, bigint, numeric and double precision all work;
-- numeric monetary is returned exactly as given, recency rounds to int
SELECT (rfm_score(2::int, 3::bigint, 19.90::numeric) OVER ()).*;
SELECT (rfm_score(2.5::float8, 3.0::numeric, 19.9::float8) OVER ()).*;

-- the ORDER BY of the window does not change the scores (whole partition)
SELECT v, (rfm_score(v, v, v) OVER (ORDER BY v DESC)).cell
FROM generate_series(1, 5) v ORDER BY v;

-- several calls in one query share the partition's ranking
SELECT v, (rfm_score(v, -v, v) OVER w).cell, (rfm_score(v, v, -v) OVER w).cell
FROM generate_series(1, 5) v WINDOW w AS () ORDER BY v;
