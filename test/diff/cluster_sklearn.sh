#!/usr/bin/env bash
# k-means against scikit-learn: segment_kmeans and segment_kmeans_choose_k on
# the deterministic data of test/diff/cluster_data.sql, compared with the
# values scikit-learn 1.2.1 computed on the same data
# (test/diff/cluster_reference.sql, made by test/diff/cluster_reference.py:
# KMeans(n_clusters=k, n_init=10, random_state=0) on StandardScaler features).
#   - well-separated blobs: the same partition as scikit-learn (adjusted Rand
#     index 1.0, computed here in SQL), and the true one
#   - RFM-like customers, z-score and log1p scaling, k = 3..8: the
#     within-cluster sum of squares at most 1% above scikit-learn's best of 10
#   - the same on the bench CRM's RFM features (test/lib/crm.sql at 20,000
#     customers, 18,038 who ordered: below the 20,000-row sample, so the fit
#     sees them all), against test/diff/cluster_reference_crm.sql (made by
#     test/diff/cluster_reference_crm.py)
#   - the choose-k table on the blobs: silhouette and Davies-Bouldin equal to
#     scikit-learn's where the partitions agree (k = 2..5)
#   - the model against plain SQL over its own assignment: sizes, centroids
#     (means of the members), within-cluster sum of squares (sum of squared
#     segment_cluster_distance)
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
db=seg_cluster_sklearn
. "$top/test/lib/suite.sh"
fresh_db
out=$(run -c "CREATE EXTENSION segmentation" -f "$top/test/diff/cluster_data.sql" \
	-f "$top/test/diff/cluster_reference.sql" 2>&1 >/dev/null) || { echo "not ok - setting up $db: $out"; exit 1; }
run >/dev/null <<'SQL'
-- adjusted Rand index (Hubert & Arabie 1985) of two labellings of the same ids
CREATE FUNCTION ari(a int[], b int[]) RETURNS float8 LANGUAGE sql AS $$
WITH p AS (SELECT x, y FROM unnest(a, b) u(x, y)),
	 nij AS (SELECT count(*)::float8 AS n FROM p GROUP BY x, y),
	 ai AS (SELECT count(*)::float8 AS n FROM p GROUP BY x),
	 bj AS (SELECT count(*)::float8 AS n FROM p GROUP BY y),
	 s AS (SELECT (SELECT sum(n * (n - 1) / 2) FROM nij) AS sij,
				  (SELECT sum(n * (n - 1) / 2) FROM ai) AS sa,
				  (SELECT sum(n * (n - 1) / 2) FROM bj) AS sb,
				  (SELECT count(*)::float8 * (count(*) - 1) / 2 FROM p) AS n2)
SELECT (sij - sa * sb / n2) / ((sa + sb) / 2 - sa * sb / n2) FROM s $$;
CREATE TABLE blob_model AS SELECT segment_kmeans(f, 4) AS m FROM cluster_blobs;
SQL

check "blobs, k = 4: the same partition as scikit-learn's KMeans (adjusted Rand index 1.0)" 1 "
SELECT ari(array_agg(segment_cluster(m, b.f) ORDER BY b.id), array_agg(l.label ORDER BY b.id))
FROM cluster_blobs b JOIN cluster_reference_labels l USING (id), blob_model"
check "blobs, k = 4: the partition of the generating blobs (adjusted Rand index 1.0)" 1 "
SELECT ari(array_agg(segment_cluster(m, f) ORDER BY id), array_agg(label ORDER BY id)) FROM cluster_blobs, blob_model"
check "the adjusted Rand index in SQL can fail: a relabelled half of the blobs is not 1" t "
SELECT ari(array_agg(label ORDER BY id), array_agg(CASE WHEN id < 200 THEN label ELSE (label + 1) % 4 END ORDER BY id)) < 0.9
FROM cluster_blobs"

for scaling in zscore log1p; do
	for k in 3 4 5 6 7 8; do
		got=$(run -c "SELECT round(((segment_kmeans(f, $k, '$scaling')::jsonb->>'wcss')::float8 / r.wcss)::numeric, 5)
			FROM cluster_rfm, cluster_reference r WHERE r.data = 'rfm' AND r.scaling = '$scaling' AND r.k = $k GROUP BY r.wcss" 2>&1)
		if [[ $got =~ ^[0-9.]+$ ]] && awk "BEGIN { exit !($got <= 1.01) }"; then
			echo "ok - RFM-like, $scaling, k = $k: within-cluster sum of squares / scikit-learn's best of 10 = $got (<= 1.01)"
		else
			echo "not ok - RFM-like, $scaling, k = $k: within-cluster sum of squares / scikit-learn's = $got, want <= 1.01"
		fi
	done
done

run -c "CREATE TABLE blob_choice AS SELECT (unnest(segment_kmeans_choose_k(f, 6))).* FROM cluster_blobs" >/dev/null
check "blobs, choose k: one row for each k = 2..6" "2 3 4 5 6" "SELECT string_agg(k::text, ' ' ORDER BY k) FROM blob_choice"
check "blobs, choose k = 2..5: within-cluster sum of squares, silhouette and Davies-Bouldin equal scikit-learn's (1e-9)" 0 "
SELECT count(*) FROM blob_choice c JOIN cluster_reference r ON r.data = 'blobs' AND r.k = c.k
WHERE c.k <= 5 AND NOT (abs(c.wcss / r.wcss - 1) < 1e-9 AND abs(c.silhouette - r.silhouette) < 1e-9
						 AND abs(c.davies_bouldin - r.davies_bouldin) < 1e-9)"
check "blobs, choose k: the silhouette peaks and Davies-Bouldin bottoms at the true k = 4" "4 4" "
SELECT (SELECT k FROM blob_choice ORDER BY silhouette DESC LIMIT 1) || ' ' || (SELECT k FROM blob_choice ORDER BY davies_bouldin LIMIT 1)"
check "choose k and segment_kmeans give the same within-cluster sum of squares for each k" 0 "
SELECT count(*) FROM blob_choice c WHERE c.wcss <> (SELECT (segment_kmeans(f, c.k)::jsonb->>'wcss')::float8 FROM cluster_blobs)"

# the model against plain SQL over its own assignment (RFM, k = 5, both scalings)
for scaling in zscore log1p; do
	run -c "DROP TABLE IF EXISTS m5" -c "CREATE TABLE m5 AS SELECT segment_kmeans(f, 5, '$scaling') AS m FROM cluster_rfm" >/dev/null
	check "RFM, $scaling, k = 5: cluster sizes are the counts of segment_cluster" 0 "
	SELECT count(*) FROM (SELECT segment_cluster(m, f) AS c, count(*) AS n FROM cluster_rfm, m5 GROUP BY 1) a
	FULL JOIN (SELECT (e->>'cluster')::int AS c, (e->>'size')::int AS n FROM m5, jsonb_array_elements(m::jsonb->'clusters') e) b
	USING (c) WHERE a.n IS DISTINCT FROM b.n"
	check "RFM, $scaling, k = 5: the within-cluster sum of squares is the sum of squared segment_cluster_distance (1e-9)" t "
	SELECT abs(sum(segment_cluster_distance(m, f) ^ 2) / min((m::jsonb->>'wcss')::float8) - 1) < 1e-9 FROM cluster_rfm, m5"
done
check "RFM, log1p, k = 5: the centroids in the features' units are expm1 of the members' mean log1p" 0 "
SELECT count(*) FROM (SELECT segment_cluster(m, f) AS c, j, exp(avg(ln(1 + f[j]))) - 1 AS want
					  FROM cluster_rfm, m5, generate_series(1, 3) j GROUP BY 1, 2) a
JOIN (SELECT (e->>'cluster')::int AS c, j, (e->'centroid'->>(j - 1))::float8 AS got
	  FROM m5, jsonb_array_elements(m::jsonb->'clusters') e, generate_series(1, 3) j) b USING (c, j)
WHERE abs(got - want) > 1e-9 * greatest(1, abs(want))"
run -c "DROP TABLE m5" -c "CREATE TABLE m5 AS SELECT segment_kmeans(f, 5) AS m FROM cluster_rfm" >/dev/null
check "RFM, zscore, k = 5: the centroids in the features' units are the members' means" 0 "
SELECT count(*) FROM (SELECT segment_cluster(m, f) AS c, j, avg(f[j]) AS want
					  FROM cluster_rfm, m5, generate_series(1, 3) j GROUP BY 1, 2) a
JOIN (SELECT (e->>'cluster')::int AS c, j, (e->'centroid'->>(j - 1))::float8 AS got
	  FROM m5, jsonb_array_elements(m::jsonb->'clusters') e, generate_series(1, 3) j) b USING (c, j)
WHERE abs(got - want) > 1e-9 * greatest(1, abs(want))"
check "RFM, zscore: the scaling is the mean and population standard deviation of each feature" 0 "
SELECT count(*) FROM (SELECT j, avg(f[j]) AS mean, stddev_pop(f[j]) AS sd FROM cluster_rfm, generate_series(1, 3) j GROUP BY j) a,
	m5 WHERE abs((m::jsonb->'mean'->>(j - 1))::float8 - mean) > 1e-9 * abs(mean)
		  OR abs((m::jsonb->'scale'->>(j - 1))::float8 - sd) > 1e-9 * sd"

# the bench CRM's RFM features: the generator of make bench at 20,000 customers
run -v customers=20000 -v as_of=2026-06-30 -f "$top/test/lib/crm.sql" -f "$top/test/diff/cluster_reference_crm.sql" \
	-c "CREATE TABLE crm_rfm AS SELECT customer_id, ARRAY[DATE '2026-06-30' - max(ordered_at)::date, count(*), sum(amount)]::float8[] AS f
		FROM orders WHERE ordered_at < '2026-07-01' GROUP BY customer_id" >/dev/null 2>&1 ||
	echo "not ok - loading the bench CRM at 20,000 customers"
check "bench CRM: the RFM features are those scikit-learn was given (18,038 customers who ordered)" 0 "
SELECT count(*) FROM cluster_reference_crm WHERE customers <> (SELECT count(*) FROM crm_rfm)"
for scaling in zscore log1p; do
	for k in 3 4 5 6 7 8; do
		got=$(run -c "SELECT round(((segment_kmeans(f, $k, '$scaling')::jsonb->>'wcss')::float8 / r.wcss)::numeric, 5)
			FROM crm_rfm, cluster_reference_crm r WHERE r.scaling = '$scaling' AND r.k = $k GROUP BY r.wcss" 2>&1)
		if [[ $got =~ ^[0-9.]+$ ]] && awk "BEGIN { exit !($got <= 1.01) }"; then
			echo "ok - bench CRM RFM, $scaling, k = $k: within-cluster sum of squares / scikit-learn's best of 10 = $got (<= 1.01)"
		else
			echo "not ok - bench CRM RFM, $scaling, k = $k: within-cluster sum of squares / scikit-learn's = $got, want <= 1.01"
		fi
	done
done
drop_db
