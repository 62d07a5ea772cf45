-- k-means benchmark on the features of every customer (6 of them: days
-- since the last order, orders, spend, mean and largest order, days since
-- the first order):
--  (1) the features per customer, a GROUP BY over the orders: the baseline
--  (2) segment_kmeans, k = 5, log1p, over the stored features (target <= 3 s)
--  (3) assigning every customer: (1) with segment_cluster (target <= 1.3 x (1))
-- scikit-learn's time on the same features is measured outside the server
-- (doc/clusters.md, Performance).
\set asof_ts 'TIMESTAMPTZ ''' :as_of ' 24:00'''
SELECT format('ARRAY[%s::date - max(ordered_at)::date, count(*), sum(amount), avg(amount), max(amount), %s::date - min(ordered_at)::date]::float8[]',
			  :'asof_ts', :'asof_ts') AS features \gset
SELECT format('SELECT customer_id, %s AS f FROM orders WHERE ordered_at < %s GROUP BY customer_id', :'features', :'asof_ts') AS featuring \gset
DROP TABLE IF EXISTS km_bench_features, km_bench_model;
CREATE TABLE km_bench_features AS :featuring;
VACUUM ANALYZE km_bench_features;
CREATE TABLE km_bench_model AS SELECT segment_kmeans(f, 5, 'log1p') AS model FROM km_bench_features;
SELECT format('SELECT customer_id, segment_cluster((SELECT model FROM km_bench_model), %s) FROM orders WHERE ordered_at < %s GROUP BY customer_id',
			  :'features', :'asof_ts') AS scoring \gset

SELECT count(*) AS customers FROM km_bench_features;
SELECT bench_time(:'featuring') AS featuring_ms \gset
SELECT bench_time('SELECT segment_kmeans(f, 5, ''log1p'') FROM km_bench_features') AS fit_ms \gset
SELECT bench_time(:'scoring') AS scoring_ms \gset

SELECT 'k-means over every customer' AS benchmark,
	   :featuring_ms AS "features ms", :fit_ms AS "segment_kmeans ms (target <= 3000)",
	   :scoring_ms AS "features + segment_cluster ms",
	   round(:scoring_ms / :featuring_ms, 2) AS "scoring / features (target <= 1.3)";
SELECT e->>'cluster' AS cluster, e->'size' AS "size (sample)", e->'centroid' AS centroid
FROM km_bench_model, jsonb_array_elements(model::jsonb->'clusters') e;
DROP TABLE km_bench_features, km_bench_model;
