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

-- The summary every section adds its rows to (issue 22's table): one row per
-- measured work, its ratio (or figure), the target and whether the target
-- holds in this run.  A section emits a row with one line,
--   CALL bench_row('work', ratio, '<=', 1.5);
-- (op '<=' or '>=' against target; op NULL for a figure without a pass/fail
-- target, with the target given as text in note); bench.sh prints the rows at
-- the end of the run, labelled with the run (default cluster or huge pages)
-- and the load average at the time each row was emitted.
CREATE TABLE bench_summary (
	seq serial PRIMARY KEY,
	run text,
	work text NOT NULL,
	ratio numeric,
	op text CHECK (op IN ('<=', '>=')),
	target numeric,
	note text,
	load text DEFAULT substring(pg_read_file('/proc/loadavg') FROM '^\S+ \S+ \S+'));
CREATE PROCEDURE bench_row(work text, ratio numeric, op text, target numeric, note text DEFAULT NULL)
LANGUAGE sql AS $$
	INSERT INTO bench_summary (work, ratio, op, target, note)
	VALUES (work, round(ratio, 2), op, target, note);
$$;
