-- Three saved segments of the sample CRM, written as segment rules and
-- matched over a view of each customer with their order facts and RFM score
-- at the end of as_of; within counts back from as_of.
\set asof_ts 'TIMESTAMPTZ ''' :as_of ' 24:00'''
CREATE TEMP VIEW customer_facts AS
SELECT c.*, o.order_count, o.last_order_at, o.monetary,
	   rfm_score(:'as_of'::date - o.last_order_at::date, o.order_count, o.monetary) OVER () AS rfm
FROM customers c
LEFT JOIN (SELECT customer_id, count(*) AS order_count, max(ordered_at) AS last_order_at, sum(amount) AS monetary
		   FROM orders WHERE ordered_at <= :asof_ts GROUP BY customer_id) o USING (customer_id);
CREATE TEMP TABLE saved_segments (name text PRIMARY KEY, rule segment_rule NOT NULL);
INSERT INTO saved_segments VALUES
	('dormant, worth re-engaging',
	 'order_count >= 2 and not last_order_at within 6 months and consent_email and not unsubscribed'),
	('high value, opted in, DACH',
	 'monetary > 1000 and country in (''DE'', ''AT'', ''CH'') and consent_email and not unsubscribed'),
	('like the Champions', 'rfm.r >= 4 and rfm.f >= 4 and rfm.segment <> ''Champions''');
\echo
\echo == Saved segments at the end of :as_of
SELECT s.name AS segment, count(f.customer_id) AS customers,
	   round(100.0 * count(f.customer_id) / (SELECT count(*) FROM customers), 1) AS "share %",
	   round(avg(f.monetary), 2) AS "avg spend", s.rule
FROM saved_segments s
LEFT JOIN customer_facts f ON segment_match(s.rule, f, :asof_ts)
GROUP BY s.name, s.rule ORDER BY s.name;
