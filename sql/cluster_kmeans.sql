-- k-means: segment_kmeans and the segment_clusters type on cases small
-- enough to check by hand; the text form and its validation; assignment;
-- every edge case (k = 1, k above the distinct points, constant features,
-- NULL, NaN and Infinity, one row, wrong shapes); a parallel plan gives the
-- serial model.  The comparison with scikit-learn is test/diff/cluster_sklearn.sh.
SET extra_float_digits = 0;

-- Four points, two clusters, no scaling: centroids (0, 1) and (10, 1), two
-- points each, every point 1 from its centroid, so the within-cluster sum
-- of squares is 4.  Equal sizes: the smaller centroid is cluster 1.
CREATE TABLE four (id int, f float8[]);
INSERT INTO four VALUES (1, '{10,0}'), (2, '{0,0}'), (3, '{0,2}'), (4, '{10,2}');
SELECT segment_kmeans(f, 2, 'none') FROM four;
SELECT id, segment_cluster(m, f), segment_cluster_distance(m, f)
FROM four, (SELECT segment_kmeans(f, 2, 'none') AS m FROM four) s ORDER BY id;
-- z-scored: both features have mean 5 and 1, standard deviation 5 and 1
SELECT m::jsonb FROM (SELECT segment_kmeans(f, 2) AS m FROM four) s;
-- the text form reads back to the same value
SELECT m::text::segment_clusters::text = m::text AS round_trip
FROM (SELECT segment_kmeans(f, 2, 'log1p', 42) AS m FROM four) s;

-- Assignment: the nearest centroid in scaled units, NULL for a NULL feature
CREATE TABLE model4 AS SELECT segment_kmeans(f, 2) AS m FROM four;
SELECT segment_cluster(m, '{1,1}'), segment_cluster(m, '{9,-3}'), segment_cluster(m, '{5,0}') AS tie_goes_to_1,
	   segment_cluster(m, '{1,NULL}') AS null_feature, round(segment_cluster_distance(m, '{5,1}')::numeric, 12) AS "|(-1,0)| = 1"
FROM model4;
SELECT segment_cluster(m, '{1,2,3}') FROM model4;
SELECT segment_cluster(m, '{NaN,1}') FROM model4;
SELECT segment_cluster(m, '{1,-Infinity}') FROM model4;
SELECT segment_cluster(m, '{1e308,1}') FROM model4;
SELECT segment_cluster(m, '{}') FROM model4;
SELECT segment_cluster(m, '{{1,2}}') FROM model4;
-- two models through one call site: the cache follows the model's bytes
SELECT k, segment_cluster(m, '{10,2}') FROM (
	SELECT k, (SELECT segment_kmeans(f, k, 'none') FROM four) AS m FROM generate_series(1, 4) k) s ORDER BY k;

-- k = 1: the centroid is the mean, the sum of squares the total (50 + 4 = 104 unscaled)
SELECT m::jsonb->'clusters' AS clusters, m::jsonb->'wcss' AS wcss
FROM (SELECT segment_kmeans(f, 1, 'none') AS m FROM four) s;
-- k equal to the distinct points: each point its own cluster, sum of squares 0
SELECT m::jsonb->'wcss' AS wcss, m::jsonb->'clusters'->3->'size' AS size FROM (SELECT segment_kmeans(f, 4) AS m FROM four) s;
-- k above the distinct points: an error, also when duplicates make up the rows
SELECT segment_kmeans(f, 5) FROM four;
SELECT segment_kmeans(f, 3) FROM four, generate_series(1, 3) WHERE f[1] = 0;
-- one row
SELECT segment_kmeans(ARRAY[1.5, -2]::float8[], 1);
SELECT segment_kmeans(ARRAY[1.5, -2]::float8[], 2);
-- a constant feature is centred, not scaled (scale 1): {0, 1} and {10} as
-- without it; the population standard deviation of 0, 1, 10 is 4.4969
SELECT m::jsonb->'scale'->1 AS scale, round((m::jsonb->'scale'->>0)::numeric, 4) AS sd,
	   m::jsonb->'clusters'->0->'centroid' AS c1, m::jsonb->'clusters'->1->'centroid' AS c2
FROM (SELECT segment_kmeans(f, 2) AS m FROM (VALUES ('{0,7}'::float8[]), ('{1,7}'), ('{10,7}')) s(f)) s;
-- NULL vectors and vectors with a NULL are skipped and counted; no rows at all is NULL
SELECT m::jsonb->'rows' AS rows, m::jsonb->'skipped' AS skipped
FROM (SELECT segment_kmeans(f, 2) AS m FROM (SELECT f FROM four UNION ALL VALUES (NULL), ('{1,NULL}'::float8[])) s) t;
SELECT segment_kmeans(f, 2) IS NULL AS "no rows" FROM four WHERE false;
SELECT segment_kmeans(NULL::float8[], 2) IS NULL AS "only NULLs" FROM four;

-- Errors
SELECT segment_kmeans(f, 2) FROM (VALUES ('{1,2}'::float8[]), ('{1,NaN}')) s(f);
SELECT segment_kmeans(f, 2) FROM (VALUES ('{1,2}'::float8[]), ('{Infinity,1}')) s(f);
SELECT segment_kmeans(f, 2, 'log1p') FROM (VALUES ('{1,2}'::float8[]), ('{-1,1}')) s(f);
SELECT segment_kmeans(f, 2) FROM (VALUES ('{1,2}'::float8[]), ('{1,2,3}')) s(f);
SELECT segment_kmeans(f, 2) FROM (VALUES ('{}'::float8[])) s(f);
SELECT segment_kmeans(f, 2) FROM (VALUES ('{{1,2},{3,4}}'::float8[])) s(f);
SELECT segment_kmeans(array_fill(1::float8, ARRAY[101]), 1);
SELECT segment_kmeans(f, 0) FROM four;
SELECT segment_kmeans(f, 101) FROM four;
SELECT segment_kmeans(f, NULL) FROM four;
SELECT segment_kmeans(f, 2, 'minmax') FROM four;
SELECT segment_kmeans(f, 2, NULL) FROM four;
SELECT segment_kmeans(f, 2, 'zscore', NULL) FROM four;
SELECT segment_kmeans(f, id % 2 + 1) FROM four;
SELECT segment_kmeans(f, 1, 'none') FROM (VALUES ('{1e200,0}'::float8[]), ('{-1e200,0}')) s(f);
SELECT segment_kmeans_choose_k(f, 1) FROM four;

-- The text form is validated: each field in range, sizes adding up
SELECT 'format_version=2 features=1 k=1 scaling=none seed=0 restarts=1 iterations=1 rows=1 skipped=0 sample=1 wcss=0 mean=0 scale=1 centroids=0 sizes=1 cluster_wcss=0'::segment_clusters;
SELECT 'format_version=1 features=1 k=1 scaling=none seed=0 restarts=1 iterations=1 rows=1 skipped=0 sample=1 wcss=0 mean=0 scale=1 centroids=0 sizes=1 cluster_wcss=0'::segment_clusters;
SELECT 'format_version=1 k=1 features=1 scaling=none seed=0 restarts=1 iterations=1 rows=1 skipped=0 sample=1 wcss=0 mean=0 scale=1 centroids=0 sizes=1 cluster_wcss=0'::segment_clusters;
SELECT 'format_version=1 features=1 k=2 scaling=none seed=0 restarts=1 iterations=1 rows=3 skipped=0 sample=3 wcss=0 mean=0 scale=1 centroids=0,1 sizes=1,1 cluster_wcss=0,0'::segment_clusters;
SELECT 'format_version=1 features=1 k=1 scaling=none seed=0 restarts=1 iterations=1 rows=1 skipped=0 sample=1 wcss=0 mean=0 scale=0 centroids=0 sizes=1 cluster_wcss=0'::segment_clusters;
SELECT 'format_version=1 features=1 k=1 scaling=none seed=0 restarts=1 iterations=1 rows=1 skipped=0 sample=1 wcss=0 mean=0 scale=1 centroids=NaN sizes=1 cluster_wcss=0'::segment_clusters;
SELECT 'format_version=1 features=2 k=1 scaling=none seed=0 restarts=1 iterations=1 rows=1 skipped=0 sample=1 wcss=0 mean=0 scale=1,1 centroids=0,0 sizes=1 cluster_wcss=0'::segment_clusters;
SELECT 'format_version=1 features=1 k=1 scaling=none seed=0 restarts=1 iterations=1 rows=1 skipped=0 sample=1 wcss=0 mean=0 scale=1 centroids=0,0 sizes=1 cluster_wcss=0'::segment_clusters;
SELECT 'format_version=1 features=1 k=1 scaling=zscore seed=0 restarts=1 iterations=1 rows=1 skipped=0 sample=1 wcss=0 mean=0 scale=1 centroids=0 sizes=1 cluster_wcss=0 more'::segment_clusters;
SELECT 'format_version=1 features=1 k=1 scaling=cube seed=0'::segment_clusters;
SELECT 'format_version=1 features=101 k=1'::segment_clusters;
SELECT 'format_version=1 features=1 k=1 scaling=none seed=99999999999999999999'::segment_clusters;
SELECT ''::segment_clusters;

-- A parallel plan gives the serial model, bit for bit: 30,000 rows, more
-- than the sample of 20,000, so that workers' samples are merged
CREATE TABLE many AS
SELECT i, ARRAY[abs(hashint4(i)) % 1000, abs(hashint4(i + 7)) % 37, abs(hashint4(i * 3) % 500) / 7.0]::float8[] AS f
FROM generate_series(1, 30000) i;
ANALYZE many;
SET max_parallel_workers_per_gather = 0;
CREATE TABLE serial AS SELECT segment_kmeans(f, 4, 'log1p', 7) AS m, segment_kmeans_choose_k(f, 3) AS c FROM many;
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT segment_kmeans(f, 4, 'log1p', 7) FROM many;
CREATE TABLE parallel AS SELECT segment_kmeans(f, 4, 'log1p', 7) AS m, segment_kmeans_choose_k(f, 3) AS c FROM many;
RESET parallel_leader_participation;
RESET min_parallel_table_scan_size;
RESET parallel_tuple_cost;
RESET parallel_setup_cost;
RESET max_parallel_workers_per_gather;
SELECT s.m::text = p.m::text AS same_model, s.c::text = p.c::text AS same_choice,
	   s.m::jsonb->'rows' AS rows, s.m::jsonb->'sample' AS sample
FROM serial s, parallel p;
-- the order of the rows does not matter either
SELECT (SELECT segment_kmeans(f, 4, 'log1p', 7) FROM (SELECT f FROM many ORDER BY i DESC) s)::text = m::text AS same_reversed
FROM serial;
-- another seed draws another sample (and other seeds for k-means++)
SELECT (SELECT segment_kmeans(f, 4, 'log1p', 8) FROM many)::text <> m::text AS other_seed_other_model FROM serial;
