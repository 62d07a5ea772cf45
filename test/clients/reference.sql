-- The client suite's queries with literals, through psql: the values the
-- drivers must return with the same arguments bound as parameters
-- (test/clients/Clients.java, test/clients/clients.py).  Written unaligned
-- (col|col), one file per query, into the directory :out.
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only on
\pset null ''
\o :out/rfm_report.txt
SELECT (s).segment, count(*), round(avg(monetary), 2) AS avg_spend
FROM (SELECT rfm_score(recency, frequency, monetary, 5) OVER () AS s, monetary FROM customer_totals) x
GROUP BY 1 ORDER BY 3 DESC, 1;
\o :out/rfm_rows.txt
SELECT customer_id, (rfm_score(recency, frequency, monetary) OVER ()).* FROM customer_totals ORDER BY customer_id LIMIT 50;
\o :out/rfm_stored.txt
SELECT c.customer_id, (rfm_score(c.recency, c.frequency, c.monetary, b.th)).segment
FROM customer_totals c, rfm_breakpoints b WHERE c.customer_id <= 300 ORDER BY 1;
\o :out/lifecycle.txt
SELECT stage, count(*)
FROM (SELECT lifecycle_stage(o.ordered_at, TIMESTAMPTZ '2026-06-30 24:00+00') AS stage
      FROM customers c LEFT JOIN orders o USING (customer_id)
      GROUP BY c.customer_id) s
GROUP BY stage ORDER BY stage;
\o :out/segment_rows.txt
SELECT customer_id FROM customers c
WHERE segment_match('country in (''DE'', ''AT'') and plan = ''pro'' and age between 25 and 54', c) ORDER BY 1;
\o :out/segment_indexed.txt
SELECT customer_id FROM customers c WHERE segment_match('city = ''Leeds'' and age < 40', c) ORDER BY 1;
\o :out/segment_saved.txt
SELECT s.name, count(*) FROM segments s JOIN customers c ON c @@ s.rule GROUP BY s.name ORDER BY 1;
\o :out/segment_sql.txt
SELECT segment_sql('city = ''Leeds'' and age < 40', 'customers'), segment_estimate('city = ''Leeds'' and age < 40', 'customers') > 0;
\o :out/catalogue.txt
SELECT segment_classify(ARRAY['dach_pro', 'leeds', 'young', 'reachable'],
	ARRAY['country in (''DE'', ''AT'') and plan = ''pro'' and not unsubscribed', 'city = ''Leeds''', 'age < 25',
		  'consent_email and not unsubscribed']::segment_rule[], c) AS segment, count(*)
FROM customers c GROUP BY 1 ORDER BY 1;
\o :out/memberships.txt
SELECT customer_id, segment_memberships(ARRAY['dach_pro', 'leeds', 'young', 'reachable'],
	ARRAY['country in (''DE'', ''AT'') and plan = ''pro'' and not unsubscribed', 'city = ''Leeds''', 'age < 25',
		  'consent_email and not unsubscribed']::segment_rule[], c)
FROM customers c WHERE customer_id <= 200 ORDER BY 1;
\o :out/experiment.txt
SELECT plan, (r).variant, (r).n, (r).mean, (r).p_value
FROM (SELECT plan, unnest(segment_lift_mean(segment_variant(customer_id, 'spring-sale', '{0.5,0.5}'), age::float8)) AS r
      FROM customers GROUP BY plan) s ORDER BY 1, 2;
\o :out/kmeans.txt
SELECT segment_cluster(m.model, ARRAY[age, extract(year FROM signup_date)]::float8[]) AS cluster, count(*)
FROM customers, (SELECT segment_kmeans(ARRAY[age, extract(year FROM signup_date)]::float8[], 3) AS model FROM customers) m
GROUP BY 1 ORDER BY 1;
\o :out/clv_fit.txt
SELECT clv_fit(s, 0, '7 days') FROM clv_summaries;
\o :out/clv_scores.txt
SELECT customer_id, clv_p_alive(m.model, s), clv_expected_purchases(m.model, s, 52),
	   clv_expected_spend(m.model, s), clv_estimate(m.model, s, 12, 0.01)
FROM clv_summaries, clv_models m WHERE customer_id <= 200 ORDER BY 1;
\o
