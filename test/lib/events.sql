-- What the customers of test/lib/crm.sql did besides ordering: page views,
-- cart adds, email opens and clicks, deterministic like crm.sql (hashes of
-- the customer id, so any machine, plan or parallel run gives the same rows).
-- Run after crm.sql; psql variable as_of (the day the data ends).
--
--   events(event_id, customer_id, occurred_at, name, url, campaign)
--
-- Rates, about 22 events a customer in all:
-- - email: a campaign every week of the last year to customers with email
--   consent; each customer opens a share of them (none for a third of them,
--   up to 60 %) and clicks about one open in six;
-- - page views: sessions through the customer's active period, like orders,
--   and for some customers who stopped buying, browsing that goes on;
-- - cart adds: about one page view in eight, and for one customer in forty a
--   cart add in the last two days (the abandoned carts of the demo).
-- The source declarations at the end are what a user would write.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
DROP TABLE IF EXISTS events;

CREATE OR REPLACE FUNCTION pg_temp.u(id bigint, k int) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT ((pg_catalog.hashint8extended(id, k) >> 11) & 9007199254740991)::float8 / 9007199254740992.0 $$;

CREATE TABLE events (
	event_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	customer_id bigint NOT NULL,
	occurred_at timestamptz NOT NULL,
	name        text NOT NULL,
	url         text,
	campaign    text
);

-- the last moment of as_of, in the session's zone
\set end_ts '(' :'as_of' '::date + 1)::timestamptz'

INSERT INTO events (customer_id, occurred_at, name, url, campaign)
-- email opens: week w of the last 52, opened with the customer's open rate,
-- within two days of the send
SELECT c.customer_id,
	   :end_ts - (w * 7 + 7) * interval '1 day' + pg_temp.u(c.customer_id * 100 + w, 41) * interval '2 days',
	   'email_open', NULL, 'week-' || (52 - w)
FROM customers c, generate_series(0, 51) w
WHERE c.consent_email
  AND pg_temp.u(c.customer_id * 100 + w, 40) < greatest(0, pg_temp.u(c.customer_id, 42) * 0.9 - 0.3)
UNION ALL
-- email clicks: one open in six, an hour after the open
SELECT c.customer_id,
	   :end_ts - (w * 7 + 7) * interval '1 day' + pg_temp.u(c.customer_id * 100 + w, 41) * interval '2 days'
	   + interval '1 hour',
	   'email_click', '/campaign/week-' || (52 - w), 'week-' || (52 - w)
FROM customers c, generate_series(0, 51) w
WHERE c.consent_email
  AND pg_temp.u(c.customer_id * 100 + w, 40) < greatest(0, pg_temp.u(c.customer_id, 42) * 0.9 - 0.3)
  AND pg_temp.u(c.customer_id * 100 + w, 43) < 1.0 / 6
UNION ALL
-- page views and cart adds: n sessions from signup through the active period
-- (or, for one in four of those who stopped buying, until as_of)
SELECT v.customer_id, v.at,
	   CASE WHEN pg_temp.u(v.customer_id * 1000 + v.i, 52) < 0.125 THEN 'cart_add' ELSE 'page_view' END,
	   (ARRAY['/', '/shoes', '/shirts', '/sale', '/cart', '/account'])[1 + floor(pg_temp.u(v.customer_id * 1000 + v.i, 53) * 6)::int],
	   NULL
FROM (SELECT c.customer_id, g.i,
			 c.signup_date + (pg_temp.u(c.customer_id * 1000 + g.i, 51)
							  * CASE WHEN pg_temp.u(c.customer_id, 25) < 0.35 AND pg_temp.u(c.customer_id, 54) < 0.75
									 THEN pg_temp.u(c.customer_id, 26) ELSE 1 END
							  * (:'as_of'::date - c.signup_date)) * interval '1 day' AS at
	  FROM customers c,
		   generate_series(1, least(200, floor(5 * power(1 - pg_temp.u(c.customer_id, 50), -1 / 1.5)))::int) g(i)) v
UNION ALL
-- abandoned carts: a cart add in the last two days
SELECT c.customer_id, :end_ts - pg_temp.u(c.customer_id, 56) * interval '47 hours' - interval '1 hour',
	   'cart_add', '/cart', NULL
FROM customers c
WHERE pg_temp.u(c.customer_id, 55) < 0.025
ORDER BY 2;

CREATE INDEX ON events (customer_id, occurred_at);
CREATE INDEX IF NOT EXISTS orders_customer_time ON orders (customer_id, ordered_at);
ANALYZE events;

-- the sources behavioural rules read: orders and events of a customer
SELECT segment_source_add('orders', 'orders', 'ordered_at', 'customer_id', 'customer_id');
SELECT segment_source_add('events', 'events', 'occurred_at', 'customer_id', 'customer_id');
