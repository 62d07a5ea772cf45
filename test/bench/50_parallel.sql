-- Parallel speed-up of the extension's aggregates: the same aggregate query
-- with one parallel worker and with two, the leader not participating, so
-- that "one" and "two" are one and two processes on this 2-core machine.
-- Each feature adds its aggregate query to the list.
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET parallel_leader_participation = off;

CREATE TEMP TABLE bench_parallel_queries (name text, query text);
INSERT INTO bench_parallel_queries VALUES
('rfm_thresholds of the whole population, from the orders',
 $q$SELECT rfm_thresholds(r, f, m) FROM (SELECT customer_id, max(ordered_at)::date - DATE '2020-01-01' AS r,
	count(*) AS f, sum(amount) AS m FROM orders GROUP BY customer_id) c$q$),
('rfm_thresholds per customer-id bucket, over order amounts',
 $q$SELECT customer_id % 100, rfm_thresholds(extract(epoch FROM ordered_at), order_id, amount) FROM orders GROUP BY 1$q$),
('lifecycle_stage of every customer, stage counts',
 $q$SELECT stage, count(*) FROM (SELECT lifecycle_stage(ordered_at, TIMESTAMPTZ '2026-06-30 24:00') AS stage
	FROM orders GROUP BY customer_id) s GROUP BY 1$q$),
('btyd_summary of every customer, mean frequency',
 $q$SELECT avg((s).frequency) FROM (SELECT btyd_summary(ordered_at, amount, TIMESTAMPTZ '2026-06-30 24:00') AS s
	FROM orders GROUP BY customer_id) s$q$);

CREATE TEMP TABLE bench_parallel_times (name text, workers int, ms float8);
DO $$
DECLARE
	q record;
BEGIN
	FOR q IN SELECT * FROM bench_parallel_queries LOOP
		FOR w IN 1..2 LOOP
			PERFORM set_config('max_parallel_workers_per_gather', w::text, true);
			INSERT INTO bench_parallel_times VALUES (q.name, w, bench_time(q.query));
		END LOOP;
	END LOOP;
END
$$;

SELECT name AS "parallel aggregate",
	   max(ms) FILTER (WHERE workers = 1) AS "1 worker ms",
	   max(ms) FILTER (WHERE workers = 2) AS "2 workers ms",
	   round((max(ms) FILTER (WHERE workers = 1) / max(ms) FILTER (WHERE workers = 2))::numeric, 2)
		   AS "speed-up (target >= 1.7)"
FROM bench_parallel_times GROUP BY name ORDER BY name;
