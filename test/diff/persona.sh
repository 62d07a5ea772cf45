#!/usr/bin/env bash
# Differential test of personas against plain SQL: 120,000 rows in 9
# segments with two numbers, a boolean and an 11-value category, each with
# NULLs (and one number absent from some rows' objects).  For every segment,
# attribute and category value, segment_persona's mean or share, the
# population's, the lift and the standardised difference equal the same
# quantities computed natively (avg, count FILTER, stddev_pop over the 0/1
# indicator for shares) within 1e-9 relative; the rows of the one query
# (GROUP BY segment, the population as a window) are the rows of the plain
# SQL, no more and no fewer; ranks follow |difference|.  Zero differences.
set -uo pipefail
db=persona_diff
export PGOPTIONS="-c client_min_messages=warning"
. "$(dirname "$0")/../lib/suite.sh"
fresh_db
run -c 'CREATE EXTENSION segmentation' -c "
CREATE TABLE pop AS
SELECT i, i % 9 AS seg,
	   CASE WHEN i % 13 = 0 THEN NULL ELSE ((hashint4(i) & 1023) % 400) * (1 + i % 9) / 3.0 END::float8 AS spend,
	   CASE WHEN i % 11 = 0 THEN NULL ELSE ((hashint4(i * 3) & 65535) % 60) + (i % 9) * 2 END::float8 AS orders,
	   CASE WHEN i % 17 = 0 THEN NULL ELSE (hashint4(i * 5) & 7) < 2 + i % 9 % 5 END AS opted,
	   CASE WHEN i % 19 = 0 THEN NULL ELSE 'c' || ((hashint4(i * 7) & 65535) % (3 + i % 9)) END AS country
FROM generate_series(1, 120000) i;
ANALYZE pop;
CREATE VIEW attrs AS
SELECT i, seg, spend, orders, opted, country,
	   jsonb_strip_nulls(jsonb_build_object('spend', spend)) || jsonb_build_object('orders', orders, 'opted in', opted, 'country', country) AS a
FROM pop;
CREATE TABLE ext AS
SELECT s.seg, p.*
FROM (SELECT seg, segment_profile(a) AS profile, segment_profile_merge(segment_profile(a)) OVER () AS population
	  FROM attrs GROUP BY seg) s, segment_persona(s.profile, s.population) p;
CREATE TABLE ref AS
WITH num AS (
	SELECT seg, 'spend' AS attribute, avg(spend) AS sv FROM pop GROUP BY seg
	UNION ALL SELECT seg, 'orders', avg(orders) FROM pop GROUP BY seg),
numpop AS (
	SELECT 'spend' AS attribute, avg(spend) AS pv, stddev_pop(spend) AS sd FROM pop
	UNION ALL SELECT 'orders', avg(orders), stddev_pop(orders) FROM pop),
shares AS (
	SELECT seg, 'opted in' AS attribute, NULL::text AS value, avg(opted::int) AS sv FROM pop GROUP BY seg
	UNION ALL
	SELECT s.seg, 'country', v.country, count(*) FILTER (WHERE p.country = v.country)::float8 / count(p.country)
	FROM (SELECT DISTINCT seg FROM pop) s CROSS JOIN (SELECT DISTINCT country FROM pop WHERE country IS NOT NULL) v
	JOIN pop p ON p.seg = s.seg GROUP BY s.seg, v.country),
sharepop AS (
	SELECT 'opted in' AS attribute, NULL::text AS value, avg(opted::int) AS pv, stddev_pop(opted::int) AS sd FROM pop
	UNION ALL
	SELECT 'country', v.country, avg((p.country = v.country)::int), stddev_pop((p.country = v.country)::int)
	FROM (SELECT DISTINCT country FROM pop WHERE country IS NOT NULL) v CROSS JOIN pop p WHERE p.country IS NOT NULL
	GROUP BY v.country)
SELECT seg, attribute, NULL::text AS value, 'mean' AS measure, sv AS segment_value, pv AS population_value,
	   sv / nullif(pv, 0) AS lift, (sv - pv) / nullif(sd, 0) AS difference
FROM num JOIN numpop USING (attribute)
UNION ALL
SELECT s.seg, s.attribute, s.value, 'share', sv, pv, sv / nullif(pv, 0), (sv - pv) / nullif(sd, 0)
FROM shares s JOIN sharepop p ON s.attribute = p.attribute AND s.value IS NOT DISTINCT FROM p.value;" || { echo "not ok - setting up $db"; exit 1; }

check "the reference has a row per segment and attribute (9 x (2 numbers + 1 boolean + 11 countries))" 126 "SELECT count(*) FROM ref"
check "segment_persona has the rows of the plain SQL, no more and no fewer" "
SELECT count(*) FROM ext e FULL JOIN ref r
	ON e.seg = r.seg AND e.attribute = r.attribute AND e.value IS NOT DISTINCT FROM r.value
WHERE e.seg IS NULL OR r.seg IS NULL OR e.measure <> r.measure"
for col in segment_value population_value lift difference; do
	check "$col equals plain SQL's (avg, count FILTER, stddev_pop) within 1e-9 relative, 126 rows" "
	SELECT count(*) FROM ext e JOIN ref r
		ON e.seg = r.seg AND e.attribute = r.attribute AND e.value IS NOT DISTINCT FROM r.value
	WHERE (e.$col IS NULL) <> (r.$col IS NULL)
	   OR abs(e.$col - r.$col) > 1e-9 * greatest(1, abs(r.$col))"
done
check "the differences are not all small: the test data sets segments apart (|d| > 0.5 somewhere)" t \
	"SELECT max(abs(difference)) > 0.5 FROM ref"
check "ranks follow |difference|, largest first, within each segment" "
SELECT count(*) FROM ext a JOIN ext b ON a.seg = b.seg AND a.rank < b.rank
WHERE abs(a.difference) < abs(b.difference) OR (a.difference IS NULL AND b.difference IS NOT NULL)"
check "each segment's line names its top number as the plain SQL ranks it (high or low)" "
WITH top AS (
	SELECT DISTINCT ON (seg) seg, attribute, difference FROM ref WHERE measure = 'mean' AND abs(difference) >= 0.2
	ORDER BY seg, abs(difference) DESC),
line AS (
	SELECT seg, segment_persona_line(segment_profile(a), segment_profile_merge(segment_profile(a)) OVER (), 100, 0.2) AS l
	FROM attrs GROUP BY seg)
SELECT count(*) FROM top JOIN line USING (seg)
WHERE strpos(l, CASE WHEN difference > 0 THEN 'high ' ELSE 'low ' END || attribute) = 0"
drop_db
