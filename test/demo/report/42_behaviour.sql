-- Three behavioural segments of the sample CRM: rules over what customers
-- did, read from the sources orders and events (test/lib/events.sql), at the
-- end of as_of; windows count back from that instant.  Saved in a table, so
-- each rule runs the evaluator; then one of them as a constant rule (inlined
-- by the planner) beside the same question in hand-written SQL.
\set asof_ts 'TIMESTAMPTZ ''' :as_of ' 24:00'''
CREATE TEMP TABLE behavioural_segments (name text PRIMARY KEY, rule segment_rule NOT NULL);
INSERT INTO behavioural_segments VALUES
	('cart abandoners, last 2 days',
	 'exists(events where name = ''cart_add'' within 2 days) and not exists(orders within 2 days)'),
	('email readers who never bought',
	 'exists(events where name = ''email_open'' within 60 days) and not exists(orders)'),
	('lapsed buyers who still read',
	 'exists(orders) and not exists(orders within 180 days) and exists(events where name = ''email_open'' within 30 days)');
\echo
\echo == Behavioural segments at the end of :as_of
SELECT s.name AS segment, count(c.customer_id) AS customers,
	   round(100.0 * count(c.customer_id) / (SELECT count(*) FROM customers), 1) AS "share %", s.rule
FROM behavioural_segments s
LEFT JOIN customers c ON segment_match(s.rule, c, :asof_ts)
GROUP BY s.name, s.rule ORDER BY s.name;

\echo
\echo == Cart abandoners three ways: saved rule, constant rule, hand-written SQL
SELECT (SELECT count(*) FROM customers c, behavioural_segments s
		WHERE s.name = 'cart abandoners, last 2 days' AND segment_match(s.rule, c, :asof_ts)) AS "saved rule",
	   (SELECT count(*) FROM customers c
		WHERE segment_match('exists(events where name = ''cart_add'' within 2 days) and not exists(orders within 2 days)',
							c, :asof_ts)) AS "constant rule",
	   (SELECT count(*) FROM customers c
		WHERE EXISTS (SELECT FROM events e WHERE e.customer_id = c.customer_id AND e.name = 'cart_add'
					  AND e.occurred_at BETWEEN :asof_ts - interval '2 days' AND :asof_ts)
		  AND NOT EXISTS (SELECT FROM orders o WHERE o.customer_id = c.customer_id
						  AND o.ordered_at BETWEEN :asof_ts - interval '2 days' AND :asof_ts)) AS "hand-written SQL";
