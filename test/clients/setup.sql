-- The README workflows' tables over the sample CRM (test/lib/crm.sql), for
-- the client suite: what an analyst creates once, and the BI tool then reads.
\set ON_ERROR_STOP 1
CREATE INDEX customers_city ON customers (city);
ANALYZE customers;
ANALYZE orders;

-- the five-minute tour
CREATE VIEW customer_totals AS
SELECT customer_id,
       DATE '2026-06-30' - max(ordered_at)::date AS recency,
       count(*) AS frequency,
       sum(amount) AS monetary
FROM orders WHERE ordered_at < DATE '2026-07-01'
GROUP BY customer_id;
CREATE TABLE rfm_breakpoints AS
SELECT rfm_thresholds(recency, frequency, monetary) AS th FROM customer_totals;

-- saved segments, and the catalogue in priority order
CREATE TABLE segments (name text PRIMARY KEY, priority int NOT NULL,
                       rule segment_rule NOT NULL CHECK (segment_rule_check(rule, 'customers')));
INSERT INTO segments VALUES
	('dach_pro', 1, 'country in (''DE'', ''AT'') and plan = ''pro'' and not unsubscribed'),
	('leeds', 2, 'city = ''Leeds'''),
	('young', 3, 'age < 25'),
	('reachable', 4, 'consent_email and not unsubscribed');

-- the CLV workflow, in weeks
CREATE TABLE clv_summaries AS
SELECT customer_id, btyd_summary(ordered_at, amount, TIMESTAMPTZ '2026-06-30', '7 days') AS s
FROM orders GROUP BY customer_id;
CREATE TABLE clv_models AS
SELECT 1 AS id, clv_fit(s, 0, '7 days') AS model FROM clv_summaries;
