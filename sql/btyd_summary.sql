-- btyd_summary and btyd_holdout_summary: lifetimes' summaries of a
-- customer's orders by purchase day, and every error.
\set SHOW_CONTEXT never
SET TimeZone = 'UTC';

-- lifetimes' quick-start example (summary_data_from_transaction_data with
-- observation_period_end = the last date): frequency, recency and T of
-- customer 1 are 2, 7, 36; of 2: 1, 26, 33; of 3: 2, 27, 27
SELECT id, (s).*
FROM (SELECT id, btyd_summary(d, 0, '2015-02-06') AS s
	  FROM (VALUES (1, timestamptz '2015-01-01'), (1, '2015-01-05'), (1, '2015-01-08'),
				   (2, '2015-01-04'), (2, '2015-01-30'),
				   (3, '2015-01-10'), (3, '2015-02-05'), (3, '2015-02-06')) t(id, d)
	  GROUP BY id) q ORDER BY id;

CREATE TEMP TABLE o (id int, t timestamptz, amount numeric);
INSERT INTO o VALUES
	-- two orders on the first day, two on a repeat day: days are summed
	(1, '2025-01-01 08:00', 10), (1, '2025-01-01 20:00', 5),
	(1, '2025-01-11 09:00', 3), (1, '2025-01-11 23:59:59', 4), (1, '2025-01-21', 20),
	-- an order on the as_of day counts (any hour), the next day does not
	(1, '2025-01-31 22:00', 6), (1, '2025-02-01 00:00', 1000),
	-- one purchase day: frequency 0, monetary 0
	(2, '2025-01-15', 99), (2, '2025-01-15 12:00', 1),
	-- only orders after as_of: no summary (NULL)
	(3, '2025-03-01', 10),
	-- NULL timestamps and amounts are skipped
	(4, NULL, 10), (4, '2025-01-20', NULL), (4, '2025-01-25', 7), (4, '2025-01-30', 8),
	-- negative and zero amounts are summed as they are (clv_fit leaves them out)
	(5, '2025-01-02', 0), (5, '2025-01-03', -5), (5, '2025-01-04', 15);

SELECT id, btyd_summary(t, amount, '2025-01-31 10:00') AS days,
	   btyd_summary(t, amount, '2025-01-31 10:00', '7 days') AS weeks,
	   btyd_summary(t, amount, '2025-01-31 10:00', '1 mon') AS months_of_30_days
FROM o GROUP BY id ORDER BY id;

-- days are dates in the session's TimeZone: 20:00 UTC on 2025-01-01 is
-- 2025-01-02 in Tokyo
SET TimeZone = 'Asia/Tokyo';
SELECT btyd_summary(t, amount, '2025-01-31 10:00 UTC') FROM o WHERE id = 1;
SET TimeZone = 'UTC';

-- calibration and holdout: the summary at calibration_end, then the purchase
-- days after it up to observation_end, their mean spend per day, and the
-- length of the holdout
SELECT id, btyd_holdout_summary(t, amount, '2025-01-10', '2025-01-31') AS days,
	   btyd_holdout_summary(t, amount, '2025-01-10', '2025-01-31', '7 days') AS weeks
FROM o GROUP BY id ORDER BY id;

-- no rows: NULL
SELECT btyd_summary(t, amount, '2025-01-31') FROM o WHERE false;

-- errors
CREATE FUNCTION pg_temp.error_of(query text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE query;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ' ' || SQLERRM;
END $$;
SELECT q AS query, pg_temp.error_of(q) AS error
FROM unnest(ARRAY[
	'SELECT btyd_summary(t, amount, NULL) FROM o',
	'SELECT btyd_summary(t, amount, ''2025-01-31'', NULL) FROM o',
	'SELECT btyd_summary(t, amount, ''2025-01-31'', ''0'') FROM o',
	'SELECT btyd_summary(t, amount, ''2025-01-31'', ''-1 day'') FROM o',
	'SELECT btyd_summary(t, amount, ''infinity'') FROM o',
	'SELECT btyd_summary(''-infinity'', 1, ''2025-01-31'')',
	'SELECT btyd_summary(now(), ''NaN'', now())',
	'SELECT btyd_summary(t, amount, ''2025-01-31''::timestamptz + id * interval ''1 day'') FROM o',
	'SELECT btyd_summary(t, amount, ''2025-01-31'', id * interval ''1 day'') FROM o',
	'SELECT btyd_holdout_summary(t, amount, ''2025-01-31'', ''2025-01-01'') FROM o',
	'SELECT btyd_holdout_summary(t, amount, ''2025-01-31'', NULL) FROM o',
	'SELECT btyd_holdout_summary(t, amount, ''2025-01-10'', ''2025-01-31''::timestamptz + id * interval ''1 day'') FROM o'
]) q;
