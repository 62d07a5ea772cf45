-- The CRM of the behavioural differential test (test/diff/behaviour.sh):
-- customers and the sources of their behaviour, every value a hash of row
-- numbers, so the same rows on any machine and in any plan.  Loaded with the
-- session time zone of the test (Europe/Berlin): the boundary events below are
-- as_of minus an interval computed in that zone, as the rules compute it.
--
--   customers(id, cust_ref, country, plan, age, vip, signup, seen_at)
--       2,000 rows; cust_ref is the customer key of every source: NULL for
--       one customer in 17, shared with the neighbour for one in 23; seen_at,
--       an as_of per customer: as_of or whole days before it (23 days before
--       puts as_of's 30-day boundary 7 days before seen_at)
--   orders(id, customer_id, ordered_at, amount, status, category, coupon)
--       ~15,000 rows: NULL times, amounts, coupons; keys with no customer;
--       some times after as_of
--   paid_orders: a view, the paid orders
--   events(id, customer_id bigint, occurred_at, name, url)   ~40,000 rows:
--       a key of another type than the customer's
--   visits: a view of the events with a timestamp (without time zone) as time
--   support."Tickets"(id, customer_id, opened_on date, priority, topic): a
--       date as time, in another schema under a name that needs quoting
--
-- Every tenth customer also has events exactly on window boundaries (as_of
-- minus N days, weeks or months for the N the rules use, and as_of itself),
-- and one microsecond (for tickets one day) either side of each.  One
-- customer ref in 29 has no orders, events or tickets at all.
-- psql variable: as_of.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

-- u(id, k): a uniform number in [0, 1) from an id and a stream number k
CREATE FUNCTION u(id bigint, k int) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT ((pg_catalog.hashint8extended(id, k) >> 11) & 9007199254740991)::float8 / 9007199254740992.0 $$;
CREATE FUNCTION pick(anyarray, bigint, int) RETURNS anyelement
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT $1[1 + floor(u($2, $3) * cardinality($1))::int] $$;

CREATE TABLE customers (
	id       int PRIMARY KEY,
	cust_ref int,
	country  text,
	plan     text,
	age      int,
	vip      boolean,
	signup   date,
	seen_at  timestamptz NOT NULL
);
INSERT INTO customers
SELECT i,
	   CASE WHEN i % 17 = 0 THEN NULL WHEN i % 23 = 0 THEN i - 1 ELSE i END,
	   pick(ARRAY['DE', 'DE', 'AT', 'FR', 'US', NULL], i, 1),
	   pick(ARRAY['free', 'pro', 'team', 'Pro', NULL], i, 2),
	   CASE WHEN u(i, 3) < 0.1 THEN NULL ELSE 18 + floor(u(i, 4) * 60)::int END,
	   pick(ARRAY[true, false, false, NULL], i, 5),
	   CASE WHEN u(i, 6) < 0.08 THEN NULL ELSE :'as_of'::date - floor(u(i, 7) * 1500)::int END,
	   :'as_of'::timestamptz - pick(ARRAY[0, 0, 0, 1, 7, 23, 29, 60, 83], i, 8) * interval '1 day'
FROM generate_series(1, 2000) i;

-- the boundaries of the windows the rules use (behaviourgen.pl: @spans)
CREATE TABLE spans (n int, unit text);
INSERT INTO spans VALUES (0, 'days'), (1, 'days'), (7, 'days'), (30, 'days'), (90, 'days'),
	(365, 'days'), (1, 'weeks'), (2, 'weeks'), (4, 'weeks'), (52, 'weeks'),
	(1, 'months'), (3, 'months'), (6, 'months'), (12, 'months');
CREATE TABLE boundaries AS
SELECT DISTINCT :'as_of'::timestamptz - (n || ' ' || unit)::interval AS at FROM spans;

CREATE TABLE orders (
	id          int PRIMARY KEY,
	customer_id int,
	ordered_at  timestamptz,
	amount      numeric(10,2),
	status      text,
	category    text,
	coupon      text
);
-- n orders for each customer ref 1..2050 (refs above 2000 belong to no
-- customer), spread over 400 days before as_of and 10 after; bursts of
-- orders on one day (ties for first and last) for one ref in 8
INSERT INTO orders
SELECT row_number() OVER (ORDER BY r, g), r,
	   CASE WHEN u(r * 100 + g, 11) < 0.04 THEN NULL
			WHEN r % 8 = 0 THEN date_trunc('day', :'as_of'::timestamptz - floor(u(r, 12) * 60) * interval '1 day')
			ELSE :'as_of'::timestamptz + 10 * interval '1 day'
				 - floor(u(r * 100 + g, 13) * 410 * 86400) * interval '1 second' END,
	   CASE WHEN u(r * 100 + g, 14) < 0.05 THEN NULL ELSE round((5 + 195 * u(r * 100 + g, 15))::numeric, 2) END,
	   pick(ARRAY['paid', 'paid', 'paid', 'refunded', 'pending', NULL], r * 100 + g, 16),
	   pick(ARRAY['books', 'toys', 'garden', 'Food', 'food', NULL], r * 100 + g, 17),
	   CASE WHEN u(r * 100 + g, 18) < 0.6 THEN NULL
			ELSE pick(ARRAY['SUMMER10', 'WELCOME', 'x%_y', 'VIP\5', 'summer20', ''], r * 100 + g, 19) END
FROM generate_series(1, 2050) r,
	 generate_series(1, CASE WHEN r % 29 = 0 OR u(r, 10) < 0.1 THEN 0 ELSE floor(u(r, 9) * 16)::int END) g;
-- orders of no customer
INSERT INTO orders
SELECT 100000 + g, NULL, :'as_of'::timestamptz - g * interval '1 day', 10 * g, 'paid', 'books', NULL
FROM generate_series(1, 100) g;
-- boundary orders: every tenth customer, a subset of the boundaries, each
-- with offsets -1us, 0, +1us; and some after as_of
INSERT INTO orders
SELECT 200000 + row_number() OVER (ORDER BY c, b.at, d), c, b.at + d * interval '1 microsecond',
	   round((5 + 195 * u(c * 1000 + d, 21))::numeric, 2),
	   pick(ARRAY['paid', 'paid', 'refunded', NULL], c * 7 + d, 22),
	   pick(ARRAY['books', 'toys', 'Food', NULL], c * 11 + d, 23),
	   CASE WHEN d = 0 THEN 'SUMMER10' END
FROM generate_series(10, 2000, 10) c, boundaries b, generate_series(-1, 1) d
WHERE u(c * 1000 + extract(epoch FROM b.at)::bigint + d, 24) < 0.5
  AND c % 29 <> 0;
CREATE INDEX ON orders (customer_id);
CREATE VIEW paid_orders AS SELECT * FROM orders WHERE status = 'paid';

CREATE TABLE events (
	id          int PRIMARY KEY,
	customer_id bigint,
	occurred_at timestamptz,
	name        text,
	url         text
);
INSERT INTO events
SELECT row_number() OVER (ORDER BY r, g), r,
	   CASE WHEN u(r * 1000 + g, 31) < 0.02 THEN NULL
			ELSE :'as_of'::timestamptz + 5 * interval '1 day'
				 - floor(u(r * 1000 + g, 32) * 200 * 86400) * interval '1 second' END,
	   pick(ARRAY['page_view', 'page_view', 'page_view', 'cart_add', 'email_open', 'email_click'], r * 1000 + g, 33),
	   CASE WHEN u(r * 1000 + g, 34) < 0.1 THEN NULL
			ELSE pick(ARRAY['/home', '/cart', '/product/12', '/product/7', '/sale/50%_off', '/Home', '/blog/x_y'],
					  r * 1000 + g, 35) END
FROM generate_series(1, 2050) r,
	 generate_series(1, CASE WHEN r % 29 = 0 OR u(r, 30) < 0.1 THEN 0 ELSE floor(u(r, 36) * 40)::int END) g;
INSERT INTO events
SELECT 500000 + g, NULL, :'as_of'::timestamptz - g * interval '1 hour', 'page_view', '/home'
FROM generate_series(1, 300) g;
INSERT INTO events
SELECT 600000 + row_number() OVER (ORDER BY c, b.at, d), c, b.at + d * interval '1 microsecond',
	   pick(ARRAY['page_view', 'cart_add', 'email_open', 'email_click'], c * 7 + d, 37),
	   pick(ARRAY['/home', '/cart', '/product/12', NULL], c * 11 + d, 38)
FROM generate_series(10, 2000, 10) c, boundaries b, generate_series(-1, 1) d
WHERE u(c * 1000 + extract(epoch FROM b.at)::bigint + d, 39) < 0.5
  AND c % 29 <> 0;
CREATE INDEX ON events (customer_id);
CREATE VIEW visits AS
SELECT id, customer_id, occurred_at::timestamp AS visited_at, url FROM events WHERE name = 'page_view';

CREATE SCHEMA support;
CREATE TABLE support."Tickets" (
	id          int PRIMARY KEY,
	customer_id int,
	opened_on   date,
	priority    int,
	topic       text
);
INSERT INTO support."Tickets"
SELECT row_number() OVER (ORDER BY r, g), r,
	   CASE WHEN u(r * 100 + g, 41) < 0.05 THEN NULL
			ELSE :'as_of'::date + 3 - floor(u(r * 100 + g, 42) * 400)::int END,
	   CASE WHEN u(r * 100 + g, 43) < 0.1 THEN NULL ELSE 1 + floor(u(r * 100 + g, 44) * 5)::int END,
	   pick(ARRAY['billing', 'login', 'refund', 'Billing', NULL], r * 100 + g, 45)
FROM generate_series(1, 2050) r,
	 generate_series(1, CASE WHEN r % 29 = 0 OR u(r, 40) < 0.3 THEN 0 ELSE floor(u(r, 46) * 4)::int END) g;
-- boundary days: the day of each boundary in the session's zone, and the
-- days either side
INSERT INTO support."Tickets"
SELECT 300000 + row_number() OVER (ORDER BY c, b.at, d), c, b.at::date + d, 1 + (c + d) % 5, 'login'
FROM generate_series(10, 2000, 10) c, boundaries b, generate_series(-1, 1) d
WHERE u(c * 1000 + extract(epoch FROM b.at)::bigint + d, 47) < 0.5
  AND c % 29 <> 0;
CREATE INDEX ON support."Tickets" (customer_id);

ANALYZE customers, orders, events, support."Tickets";

SELECT segment_source_add('orders', 'orders', 'ordered_at', 'customer_id', 'cust_ref');
SELECT segment_source_add('paid_orders', 'paid_orders', 'ordered_at', 'customer_id', 'cust_ref');
SELECT segment_source_add('events', 'events', 'occurred_at', 'customer_id', 'cust_ref');
SELECT segment_source_add('visits', 'visits', 'visited_at', 'customer_id', 'cust_ref');
SELECT segment_source_add('tickets', 'support."Tickets"', 'opened_on', 'customer_id', 'cust_ref');
