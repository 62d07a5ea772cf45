-- k-means benchmark on the features of every customer (6 of them: days
-- since the last order, orders, spend, mean and largest order, days since
-- the first order):
--  (1) the features per customer, a GROUP BY over the orders: the baseline
--  (2) segment_kmeans, k = 5, log1p, over the stored features (target <= 3 s)
--  (3) assigning every customer: (1) with segment_cluster (target <= 1.3 x (1))
--  (4) personas of the clusters: segment_profile of the 6 features per
--      cluster, the population as a window, the lines; against plain avg and
--      stddev_pop of the same features per cluster
-- scikit-learn's time on the same features is measured outside the server:
-- with BENCH_KMEANS_CSV=FILE in the environment the server writes the
-- features to FILE (a path it can write, such as /tmp/km.csv), for
-- test/bench/cluster_sklearn.py (doc/clusters.md, Performance).
-- The load average is printed before and after (uptime).
\! uptime
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

SELECT bench_time('SELECT c, avg(f[1]), stddev_pop(f[1]), avg(f[2]), stddev_pop(f[2]), avg(f[3]), stddev_pop(f[3]),
						  avg(f[4]), stddev_pop(f[4]), avg(f[5]), stddev_pop(f[5]), avg(f[6]), stddev_pop(f[6])
				   FROM (SELECT segment_cluster((SELECT model FROM km_bench_model), f) AS c, f FROM km_bench_features) s GROUP BY c') AS plain_ms \gset
SELECT bench_time('SELECT c, segment_persona_line(segment_profile(a), segment_profile_merge(segment_profile(a)) OVER ())
				   FROM (SELECT segment_cluster((SELECT model FROM km_bench_model), f) AS c,
								jsonb_build_object(''recency'', f[1], ''orders'', f[2], ''spend'', f[3], ''mean order'', f[4],
												   ''largest order'', f[5], ''tenure'', f[6]) AS a
						 FROM km_bench_features) s GROUP BY c') AS persona_ms \gset
SELECT 'personas of the clusters' AS benchmark, :plain_ms AS "avg + stddev_pop per cluster ms",
	   :persona_ms AS "segment_profile + persona lines ms", round(:persona_ms / :plain_ms, 2) AS ratio;

\getenv km_csv BENCH_KMEANS_CSV
\if :{?km_csv}
COPY (SELECT f[1], f[2], f[3], f[4], f[5], f[6] FROM km_bench_features) TO :'km_csv' WITH (FORMAT csv);
\endif
DROP TABLE km_bench_features, km_bench_model;
\! uptime
