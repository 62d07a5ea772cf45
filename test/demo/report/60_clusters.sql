-- Segments found in the data (doc/clusters.md, "Finding segments"): k-means
-- over RFM, lifecycle and behavioural features of every customer who
-- ordered, the elbow table to choose k, and a persona per cluster: what sets
-- it apart from everyone, as one line, and a name given by rules over the
-- persona's standardised differences.

-- 1. features: recency, orders, spend (RFM); days since the first order
-- (lifecycle: tenure) and the stage itself (for the personas); page views,
-- cart adds and email opens in the last 90 days (behaviour)
CREATE TEMP TABLE demo_features AS
SELECT c.customer_id, c.country, c.plan, c.consent_email AS opted_in,
	   o.recency, o.frequency, o.monetary, o.tenure, o.stage,
	   coalesce(e.views_90d, 0) AS views_90d, coalesce(e.carts_90d, 0) AS carts_90d,
	   coalesce(e.opens_90d, 0) AS opens_90d
FROM customers c
JOIN (SELECT customer_id, :'as_of'::date - max(ordered_at)::date AS recency, count(*) AS frequency,
			 sum(amount) AS monetary, :'as_of'::date - min(ordered_at)::date AS tenure,
			 lifecycle_stage(ordered_at, (:'as_of'::date + 1)::timestamptz) AS stage
	  FROM orders WHERE ordered_at < :'as_of'::date + 1 GROUP BY customer_id) o USING (customer_id)
LEFT JOIN (SELECT customer_id, count(*) FILTER (WHERE name = 'page_view') AS views_90d,
				  count(*) FILTER (WHERE name = 'cart_add') AS carts_90d,
				  count(*) FILTER (WHERE name = 'email_open') AS opens_90d
		   FROM events WHERE occurred_at >= :'as_of'::date - 89 AND occurred_at < :'as_of'::date + 1
		   GROUP BY customer_id) e USING (customer_id);

-- 2. the elbow table: k = 2..8 from one pass, log1p then z-score (money and
-- counts are skewed); look for the bend in wcss, high silhouette, low
-- Davies-Bouldin
SELECT k, round(wcss::numeric, 1) AS wcss, round(silhouette::numeric, 3) AS silhouette,
	   round(davies_bouldin::numeric, 3) AS davies_bouldin
FROM unnest((SELECT segment_kmeans_choose_k(ARRAY[recency, frequency, monetary, tenure, views_90d, carts_90d, opens_90d]::float8[],
											8, 'log1p')
			 FROM demo_features));

-- 3. fit k = 5 and put every customer in a cluster
CREATE TEMP TABLE demo_model AS
SELECT segment_kmeans(ARRAY[recency, frequency, monetary, tenure, views_90d, carts_90d, opens_90d]::float8[], 5, 'log1p') AS model
FROM demo_features;
CREATE TEMP TABLE demo_clusters AS
SELECT f.*, segment_cluster(m.model, ARRAY[recency, frequency, monetary, tenure, views_90d, carts_90d, opens_90d]::float8[]) AS cluster
FROM demo_features f, demo_model m;

-- 4. personas: every cluster against everyone (the population is the merge
-- of the clusters' profiles, a window over the GROUP BY), named by rules over
-- the standardised differences (in population standard deviations)
WITH profiles AS (
	SELECT cluster, count(*) AS customers,
		   segment_profile(a) AS profile, segment_profile_merge(segment_profile(a)) OVER () AS population
	FROM (SELECT cluster, jsonb_build_object('recent|lapsed', recency, 'infrequent|frequent', frequency, 'spend', monetary,
											 'tenure', tenure, 'page views', views_90d, 'cart adds', carts_90d,
											 'email opens', opens_90d, 'stage', stage::text, 'country', country,
											 'plan', plan, 'opted in', opted_in) AS a
		  FROM demo_clusters) x
	GROUP BY cluster),
d AS (
	SELECT cluster, jsonb_object_agg(p.attribute, p.difference) FILTER (WHERE p.value IS NULL) AS d
	FROM profiles, segment_persona(profile, population) p GROUP BY cluster)
SELECT cluster, customers,
	   CASE WHEN (d->>'infrequent|frequent')::float8 > 1 THEN 'Champions'
			WHEN greatest((d->>'cart adds')::float8, (d->>'page views')::float8) > 1 THEN 'Browsing newcomers'
			WHEN (d->>'recent|lapsed')::float8 > 0.3 AND (d->>'email opens')::float8 > 0.5 THEN 'Lapsed, still reading'
			WHEN (d->>'recent|lapsed')::float8 > 0.3 THEN 'Drifted away'
			WHEN (d->>'recent|lapsed')::float8 < -0.3 THEN 'Recent buyers'
			ELSE 'Everyday customers' END AS name,
	   segment_persona_line(profile, population, 4, 0.3) AS persona
FROM profiles JOIN d USING (cluster)
ORDER BY cluster;
