-- lifecycle_errors: every lifecycle error, with its SQLSTATE and message.
\set SHOW_CONTEXT never
SET TimeZone = 'UTC';
CREATE FUNCTION pg_temp.sqlstate_of(query text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE query;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ' ' || SQLERRM;
END $$;

-- every invalid policy names its argument (22023)
SELECT q AS query, pg_temp.sqlstate_of(q) AS error
FROM unnest(ARRAY[
	'SELECT lifecycle_policy(new_window => ''0'')',
	'SELECT lifecycle_policy(new_window => ''-1 day'')',
	'SELECT lifecycle_policy(active_window => ''0'')',
	'SELECT lifecycle_policy(lapse_after => ''-1 second'')',
	'SELECT lifecycle_policy(loyal_window => ''0'')',
	'SELECT lifecycle_policy(loyal_orders => 0)',
	'SELECT lifecycle_policy(loyal_orders => -3)',
	'SELECT lifecycle_policy(active_window => ''400 days'')',
	'SELECT lifecycle_policy(new_window => ''91 days'')',
	'SELECT lifecycle_policy(new_window => ''1 mon'', active_window => ''29 days'')',
	'SELECT lifecycle_policy(new_window => ''1 day -25 hours'')',
	'SELECT lifecycle_stage(now(), now(), 1, now(), loyal_orders => 0)',
	'SELECT lifecycle_stage(now(), now(), 1, now(), lapse_after => ''10 days'')',
	'SELECT lifecycle_stage(t, t, (''30 days'', ''90 days'', ''365 days'', 0, ''365 days'')::lifecycle_policy) FROM (VALUES (now())) v(t)',
	'SELECT lifecycle_transitions(t, t, t, (''1 day'', ''1 day'', ''0'', 1, ''1 day'')::lifecycle_policy) FROM (VALUES (now())) v(t)'
]) q;

-- edge values that are valid: equal windows, huge windows
SELECT lifecycle_policy('1 day', '1 day', '1 day', 1, '1 day');
SELECT lifecycle_policy(lapse_after => '1000000 years', loyal_window => '1000000 years');
SELECT lifecycle_stage(t, '2025-01-01', lifecycle_policy(lapse_after => '1000000 years'))
FROM (VALUES (timestamptz '4713-01-01 BC')) v(t);

-- as_of and the policy must be the same on every row of a group (22023);
-- NULLs where a value is required (22004)
SELECT q AS query, pg_temp.sqlstate_of(q) AS error
FROM unnest(ARRAY[
	'SELECT lifecycle_stage(t, a) FROM (VALUES (timestamptz ''2024-01-01'', timestamptz ''2025-01-01''), (''2024-02-01'', ''2025-01-02'')) v(t, a)',
	'SELECT lifecycle_stage(t, ''2025-01-01'', p) FROM (VALUES (timestamptz ''2024-01-01'', lifecycle_policy()), (''2024-02-01'', lifecycle_policy(loyal_orders => 3))) v(t, p)',
	'SELECT lifecycle_transitions(t, a, ''2025-01-01'') FROM (VALUES (timestamptz ''2024-01-01'', timestamptz ''2024-06-01''), (''2024-02-01'', ''2024-06-02'')) v(t, a)',
	'SELECT lifecycle_transitions(t, ''2024-06-01'', a) FROM (VALUES (timestamptz ''2024-01-01'', timestamptz ''2025-01-01''), (''2024-02-01'', ''2025-01-02'')) v(t, a)',
	'SELECT lifecycle_stage(now(), NULL)',
	'SELECT lifecycle_stage(now(), now(), NULL)',
	'SELECT lifecycle_transitions(now(), now(), NULL)',
	'SELECT lifecycle_stage(now(), now(), (''30 days'', NULL, ''365 days'', 5, ''365 days'')::lifecycle_policy)',
	'SELECT lifecycle_stage(timestamptz ''2025-01-01'', ''2025-03-01'', 2, ''2025-02-01'')',
	'SELECT lifecycle_stage(timestamptz ''2025-01-01'', ''2024-03-01'', 2, ''2025-02-01'')',
	'SELECT lifecycle_stage(timestamptz ''2025-01-01'', ''2025-01-02'', -5, ''2025-02-01'')'
]) q;

-- the same policy written twice is the same policy: no error
SELECT lifecycle_stage(t, '2025-01-01', p)
FROM (VALUES (timestamptz '2024-12-20', lifecycle_policy(new_window => '1 mon')),
			 ('2024-12-21', lifecycle_policy(new_window => '30 days'))) v(t, p);

-- a full error report
-- (message, detail and hint)
SELECT lifecycle_policy(active_window => '400 days');
SELECT lifecycle_stage(t, a) FROM (VALUES (timestamptz '2024-01-01', timestamptz '2025-01-01'),
										  ('2024-02-01', '2025-01-02')) v(t, a);
-- a negative order count is an error, not a prospect (22023); 0 and NULL
-- are a customer without orders
SELECT lifecycle_stage(timestamptz '2025-01-01', '2025-01-02', -5, '2025-02-01');
SELECT lifecycle_stage(timestamptz '2025-01-01', '2025-01-02', c, '2025-02-01') AS stage
FROM (VALUES (0), (NULL)) v(c);
