-- clv_estimate, closed form: the yearly margin aov * purchases * margin,
-- earned at the end of each year while retained, discounted yearly:
-- M r / (1 + d - r).
\set SHOW_CONTEXT never
-- 50 per order, 4 orders a year, 30 % margin: M = 60; r = 0.8, d = 0.1:
-- 60 * 0.8 / 0.3 = 160
SELECT clv_estimate(50, 4, 0.3, 0.8, 0.1) AS clv;
-- the sum of the series it closes, to 200 years, gives the same figure
SELECT round(sum(60 * 0.8 ^ t / 1.1 ^ t)::numeric, 6) AS series
FROM generate_series(1, 200) t;
-- edges: no retention is worth nothing; no discount; zero margin
SELECT clv_estimate(50, 4, 0.3, 0, 0.1) AS no_retention,
	   clv_estimate(50, 4, 0.3, 0.5, 0) AS no_discount,
	   clv_estimate(50, 4, 0, 0.9, 0.1) AS no_margin,
	   clv_estimate(50, 4, 1, 0.99, 0) AS near_one;
-- NULL in, NULL out (STRICT)
SELECT clv_estimate(NULL, 4, 0.3, 0.8, 0.1) IS NULL AS null_in;
-- errors (22023)
CREATE FUNCTION pg_temp.error_of(query text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE query;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ' ' || SQLERRM;
END $$;
SELECT q AS query, pg_temp.error_of(q) AS error
FROM unnest(ARRAY[
	'SELECT clv_estimate(50, 4, 0.3, 1, 0.1)',
	'SELECT clv_estimate(50, 4, 0.3, -0.1, 0.1)',
	'SELECT clv_estimate(50, 4, 0.3, 0.8, -0.01)',
	'SELECT clv_estimate(50, 4, 1.5, 0.8, 0.1)',
	'SELECT clv_estimate(-50, 4, 0.3, 0.8, 0.1)',
	'SELECT clv_estimate(''NaN'', 4, 0.3, 0.8, 0.1)',
	'SELECT clv_estimate(50, ''infinity'', 0.3, 0.8, 0.1)',
	'SELECT clv_estimate(50, 4, 0.3, ''NaN'', 0.1)'
]) q;
