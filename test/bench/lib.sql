-- bench_time(query, runs): the best wall-clock time in milliseconds of
-- running query to completion runs times, inside the server (no result rows
-- travel to the client).  Best-of-N is the least noisy statistic on a shared
-- machine.  The query is wrapped in SELECT count(q) FROM (query) q: every row
-- is produced and none is returned.  count(q), not count(*): with count(*) the
-- planner drops the unused output columns of the subquery, aggregates and
-- window functions included, and would time a query that computes nothing.
CREATE FUNCTION bench_time(query text, runs int DEFAULT 3) RETURNS float8
LANGUAGE plpgsql AS $$
DECLARE
	best float8;
	t0 timestamptz;
	elapsed float8;
	ignored bigint;
BEGIN
	FOR i IN 1..runs LOOP
		t0 := clock_timestamp();
		EXECUTE 'SELECT count(bench_q) FROM (' || query || ') bench_q' INTO ignored;
		elapsed := extract(epoch FROM clock_timestamp() - t0) * 1000;
		best := least(best, elapsed);
	END LOOP;
	RETURN round(best::numeric, 1);
END
$$;
