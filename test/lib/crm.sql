-- A deterministic synthetic CRM: customers and their orders.
-- psql variables: customers (how many), as_of (the day the data ends).
-- Every value derives from hashes of the customer id, so the same
-- parameters give the same rows on any machine, in any plan, in parallel.
--
--   customers(customer_id, email, first_name, country, city, plan, age,
--             signup_date, unsubscribed, consent_email, consent_sms, tags,
--             profile jsonb, referred_by)
--   orders(order_id, customer_id, ordered_at, amount)
--
-- Order counts are heavy-tailed (a few customers buy very often, about one in
-- ten never buys), and about one customer in three stops buying at some point.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
DROP TABLE IF EXISTS orders, customers;

-- u(id, k): a uniform number in [0, 1) from the id and a stream number k
CREATE OR REPLACE FUNCTION pg_temp.u(id bigint, k int) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT ((pg_catalog.hashint8extended(id, k) >> 11) & 9007199254740991)::float8 / 9007199254740992.0 $$;

CREATE TABLE customers (
	customer_id   bigint PRIMARY KEY,
	email         text NOT NULL,
	first_name    text,
	country       text,
	city          text,
	plan          text NOT NULL,
	age           int,
	signup_date   date NOT NULL,
	unsubscribed  boolean NOT NULL,
	consent_email boolean NOT NULL,
	consent_sms   boolean,
	tags          text[],
	profile       jsonb,
	referred_by   bigint
);

INSERT INTO customers
SELECT id,
	   'customer' || id || CASE WHEN pg_temp.u(id, 1) < 0.4 THEN '@gmail.com'
								WHEN pg_temp.u(id, 1) < 0.6 THEN '@GMX.de'
								ELSE '@example.org' END,
	   (ARRAY['Anna','Jürgen','Zoë','Émile','Søren','Łukasz','María','Çağla','Noah','Mia'])[1 + floor(pg_temp.u(id, 2) * 10)::int],
	   country,
	   (CASE country
			WHEN 'DE' THEN ARRAY['München','Berlin','Köln','Hamburg']
			WHEN 'AT' THEN ARRAY['Wien','Graz','Linz','Salzburg']
			WHEN 'FR' THEN ARRAY['Paris','Lyon','Orléans','Nice']
			WHEN 'US' THEN ARRAY['New York','Chicago','Austin','Seattle']
			ELSE ARRAY['London','Leeds','Bristol','York'] END)[1 + floor(pg_temp.u(id, 4) * 4)::int],
	   plan,
	   CASE WHEN pg_temp.u(id, 5) < 0.08 THEN NULL ELSE 18 + floor(pg_temp.u(id, 6) * 62)::int END,
	   signup,
	   pg_temp.u(id, 7) < 0.15,
	   pg_temp.u(id, 8) < 0.7,
	   CASE WHEN pg_temp.u(id, 9) < 0.1 THEN NULL ELSE pg_temp.u(id, 9) < 0.45 END,
	   CASE WHEN pg_temp.u(id, 10) < 0.2 THEN NULL
			WHEN pg_temp.u(id, 10) < 0.3 THEN ARRAY[]::text[]
			ELSE (SELECT array_agg(t ORDER BY t) FROM unnest(ARRAY['vip','newsletter','b2b','mobile','früh']) t
				  WHERE pg_temp.u(id, 11 + length(t)) < 0.3) END,
	   jsonb_build_object('plan', plan, 'country', country,
						  'age', CASE WHEN pg_temp.u(id, 5) < 0.08 THEN NULL ELSE 18 + floor(pg_temp.u(id, 6) * 62)::int END,
						  'newsletter', pg_temp.u(id, 8) < 0.7,
						  'address', jsonb_build_object('zip', lpad((floor(pg_temp.u(id, 20) * 99999))::int::text, 5, '0'))),
	   CASE WHEN pg_temp.u(id, 21) < 0.2 AND id > 1 THEN 1 + floor(pg_temp.u(id, 22) * (id - 1))::bigint END
FROM (SELECT id,
			 (ARRAY['DE','DE','DE','AT','FR','US','US','GB'])[1 + floor(pg_temp.u(id, 3) * 8)::int] AS country,
			 (ARRAY['free','free','basic','pro','enterprise'])[1 + floor(pg_temp.u(id, 12) * 5)::int] AS plan,
			 (:'as_of'::date - 1460 + floor(pg_temp.u(id, 13) * 1461)::int) AS signup
	  FROM generate_series(1, :customers::bigint) id) s;

-- orders: n per customer, heavy-tailed; spread from signup to the customer's
-- last active day, which for about a third of customers is long before as_of
CREATE TABLE orders (
	order_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	customer_id bigint NOT NULL,
	ordered_at  timestamptz NOT NULL,
	amount      numeric(12,2) NOT NULL
);

INSERT INTO orders (customer_id, ordered_at, amount)
SELECT c.customer_id,
	   c.signup_date + (c.active_days * pg_temp.u(c.customer_id * 1000 + g.i, 30)) * interval '1 day',
	   round((c.spend * (0.5 + pg_temp.u(c.customer_id * 1000 + g.i, 31)))::numeric, 2)
FROM (SELECT customer_id, signup_date,
			 CASE WHEN pg_temp.u(customer_id, 23) < 0.1 THEN 0
				  ELSE least(400, floor(3.3 * power(1 - pg_temp.u(customer_id, 24), -1 / 1.3)))::int END AS n,
			 greatest(0, (CASE WHEN pg_temp.u(customer_id, 25) < 0.35
							   THEN pg_temp.u(customer_id, 26) ELSE 1 END)
						 * (:'as_of'::date - signup_date)) AS active_days,
			 10 + 190 * power(pg_temp.u(customer_id, 27), 2) AS spend
	  FROM customers) c,
	 generate_series(1, c.n) g(i)
ORDER BY 2;

CREATE INDEX ON orders (customer_id);
ANALYZE customers, orders;
