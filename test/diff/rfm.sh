#!/usr/bin/env bash
# Differential test of RFM scoring against the rank rule written in plain SQL:
# for each row, 1 + floor(bins * (rows strictly worse) / n), with rank() as the
# independent count of strictly worse rows.  120,000 rows in 7 partitions,
# many ties and NULLs, every bins from 2 to 10; then thresholds against the
# window function, and parallel against serial.  Zero differences required.
set -uo pipefail
db=rfm_diff
export PGOPTIONS="-c client_min_messages=warning"
. "$(dirname "$0")/../lib/suite.sh"
fresh_db
run -c 'CREATE EXTENSION segmentation' -c "
CREATE TABLE pop AS
SELECT i, i % 7 AS grp,
	   CASE WHEN i % 13 = 0 THEN NULL ELSE (hashint4(i) & 1023) % 400 END::int AS rec,
	   CASE WHEN i % 11 = 0 THEN NULL ELSE ((hashint4(i * 3) & 65535) % 60)::bigint END AS freq,
	   CASE WHEN i % 17 = 0 THEN NULL ELSE round(((hashint4(i * 5) & 65535) % 5000) / 7.0, 2) END AS mon
FROM generate_series(1, 120000) i;
ANALYZE pop;" || { echo "not ok - setting up $db"; exit 1; }


for bins in 2 3 4 5 7 10; do
	check "rfm_score equals the SQL rank rule, bins $bins, 120000 rows in 7 partitions" "
	WITH ext AS (
		SELECT i, rfm_score(rec, freq, mon, $bins) OVER (PARTITION BY grp) AS s FROM pop),
	ref AS (
		SELECT i,
			   CASE WHEN rec IS NOT NULL THEN 1 + ($bins * (rank() OVER (PARTITION BY grp, rec IS NULL ORDER BY rec DESC) - 1)) / count(rec) OVER (PARTITION BY grp) END AS r,
			   CASE WHEN freq IS NOT NULL THEN 1 + ($bins * (rank() OVER (PARTITION BY grp, freq IS NULL ORDER BY freq) - 1)) / count(freq) OVER (PARTITION BY grp) END AS f,
			   CASE WHEN mon IS NOT NULL THEN 1 + ($bins * (rank() OVER (PARTITION BY grp, mon IS NULL ORDER BY mon) - 1)) / count(mon) OVER (PARTITION BY grp) END AS m
		FROM pop)
	SELECT count(*) FROM ext JOIN ref USING (i) JOIN pop USING (i)
	WHERE (s).r IS DISTINCT FROM r::smallint OR (s).f IS DISTINCT FROM f::smallint OR (s).m IS DISTINCT FROM m::smallint
	   OR (s).recency IS DISTINCT FROM rec OR (s).frequency IS DISTINCT FROM freq OR (s).monetary IS DISTINCT FROM mon"
done

check "rfm_segment of the window scores equals the standard map written as SQL CASE" "
WITH s AS (SELECT rfm_score(rec, freq, mon) OVER () AS s FROM pop),
	 c AS (SELECT (s).segment, (s).r AS r, ((s).f + (s).m + 1) / 2 AS fm FROM s WHERE (s).segment IS NOT NULL)
SELECT count(*) FROM c WHERE segment IS DISTINCT FROM CASE
	WHEN r >= 4 AND fm >= 4 THEN 'Champions'
	WHEN r = 3 AND fm = 3 THEN 'Need Attention'
	WHEN r BETWEEN 3 AND 4 AND fm >= 3 THEN 'Loyal Customers'
	WHEN r >= 4 AND fm BETWEEN 2 AND 3 THEN 'Potential Loyalist'
	WHEN r = 5 AND fm = 1 THEN 'New Customers'
	WHEN r BETWEEN 3 AND 4 AND fm = 1 THEN 'Promising'
	WHEN r BETWEEN 2 AND 3 AND fm = 2 THEN 'About To Sleep'
	WHEN r <= 2 AND fm = 5 THEN 'Can''t Lose Them'
	WHEN r <= 2 AND fm BETWEEN 3 AND 4 THEN 'At Risk'
	WHEN r = 2 AND fm = 1 THEN 'Hibernating'
	WHEN r = 1 AND fm <= 2 THEN 'Lost' END"

for bins in 3 5 10; do
	check "scores against each partition's own rfm_thresholds equal the window scores, bins $bins" "
	WITH t AS (SELECT grp, rfm_thresholds(rec, freq, mon, $bins) AS t FROM pop GROUP BY grp),
		 w AS (SELECT i, grp, rec, freq, mon, rfm_score(rec, freq, mon, $bins) OVER (PARTITION BY grp) AS s FROM pop)
	SELECT count(*) FROM w JOIN t USING (grp) WHERE s IS DISTINCT FROM rfm_score(rec, freq, mon, t)"
done

serial=$(run -c "SELECT string_agg(t::text, ';' ORDER BY grp) FROM (SELECT grp, rfm_thresholds(rec, freq, mon) AS t FROM pop GROUP BY grp) s")
parallel=$(run -c "SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
	SET max_parallel_workers_per_gather = 2; SET enable_hashagg = off;
	SELECT string_agg(t::text, ';' ORDER BY grp) FROM (SELECT grp, rfm_thresholds(rec, freq, mon) AS t FROM pop GROUP BY grp) s")
plan=$(run -c "SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
	SET max_parallel_workers_per_gather = 2; EXPLAIN (COSTS OFF) SELECT grp, rfm_thresholds(rec, freq, mon) FROM pop GROUP BY grp")
if [ -n "$serial" ] && [ "$serial" = "$parallel" ] && grep -q "Partial" <<<"$plan"; then
	echo "ok - rfm_thresholds per group: partial aggregation in parallel workers equals the serial plan"
else
	echo "not ok - rfm_thresholds parallel vs serial differ (or no partial plan)"; echo "$plan" | sed 's/^/# /'
fi

# numeric dimensions become doubles by a fast path where one IEEE operation
# gives the nearest double (src/rfm/decimal.c), else by PostgreSQL's own
# conversion; the reference is PostgreSQL's numeric::float8 (numeric_out,
# then strtod), bit for bit.  The probe is the fast path alone (NULL where it
# does not apply), declared here only, in this test's database.
run -c "CREATE FUNCTION numeric_double_probe(numeric) RETURNS float8 LANGUAGE C STRICT
	AS '\$libdir/segmentation', 'rfm_numeric_double_probe';
SELECT setseed(0.22);
CREATE TABLE nums AS
SELECT (floor(random() * 10 ^ (1 + floor(random() * 18)))::bigint::text || 'e' || (floor(random() * 60) - 30)::int)::numeric
	   * CASE WHEN random() < 0.3 THEN -1 ELSE 1 END AS x
FROM generate_series(1, 1000000)
UNION ALL
SELECT round((random() * 10 ^ (random() * 12))::numeric, 2) FROM generate_series(1, 1000000)
UNION ALL
SELECT round((random() * 10 ^ (random() * 40 - 20))::numeric, (random() * 30)::int) FROM generate_series(1, 1000000)
UNION ALL
SELECT v::numeric FROM unnest(ARRAY['0', '-0', '0.000', '-0.000', '9007199254740992', '9007199254740993',
	'-9007199254740992', '1e22', '1e23', '1e-22', '1e-23', '1e308', '1e-300', '123456789012345678901234567890',
	'0.1', '0.2', '0.3', '1.7976931348623157e308', '4.9e-324', '99999999.99999999', '0.00000001']) v;" \
	|| echo "not ok - setting up the numeric conversion check"
check "the fast numeric-to-double path equals numeric::float8 bit for bit, 3,000,021 numerics" "
SELECT count(*) FROM nums
WHERE CASE WHEN numeric_double_probe(x) IS NULL THEN false
		   ELSE float8send(numeric_double_probe(x)) <> float8send(x::float8) END"
check "the fast path applies to most of them (not a test that cannot fail)" t "
SELECT count(numeric_double_probe(x)) > 2000000 FROM nums"
check "rfm_score over the numerics equals rfm_score over numeric::float8 of them (scores, 10 bins)" "
WITH n AS (SELECT x, CASE WHEN abs(x) < 1e300 AND (x = 0 OR abs(x) > 1e-300) THEN x END AS y FROM nums),
	 s AS (SELECT rfm_score(y, y, y, 10) OVER () AS a, rfm_score(y::float8, y::float8, y::float8, 10) OVER () AS b FROM n)
SELECT count(*) FROM s WHERE ((a).r, (a).f, (a).m, (a).recency, (a).frequency) IS DISTINCT FROM ((b).r, (b).f, (b).m, (b).recency, (b).frequency)"

psql -qX -c "DROP DATABASE $db" >/dev/null
