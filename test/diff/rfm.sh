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
psql -qX -c "DROP DATABASE $db" >/dev/null
