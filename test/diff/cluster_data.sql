-- Data for the k-means tests (test/diff/cluster_sklearn.sh), generated
-- deterministically in SQL from hashint4, so that the reference values that
-- scikit-learn computed on it (test/diff/cluster_reference.sql, made by
-- test/diff/cluster_reference.py) stay valid:
--   cluster_blobs  400 points in 3 dimensions, 4 well-separated Gaussian
--                  blobs (sd 1, centres 10 apart); label is the blob
--   cluster_rfm    3000 RFM-like customers: recency exponential (mean 60
--                  days), frequency 1 + geometric-like, monetary log-normal
--                  times frequency
SET client_min_messages = warning;
CREATE FUNCTION pg_temp.u(i int) RETURNS float8 IMMUTABLE LANGUAGE sql
AS $$ SELECT ((hashint4(i)::bigint + 2147483648) + 0.5) / 4294967296.0 $$;
CREATE FUNCTION pg_temp.normal(i int) RETURNS float8 IMMUTABLE LANGUAGE sql
AS $$ SELECT sqrt(-2 * ln(pg_temp.u(2 * i))) * cos(2 * pi() * pg_temp.u(2 * i + 1)) $$;

CREATE TABLE cluster_blobs AS
SELECT i AS id, i % 4 AS label,
	   ARRAY[c[1] + pg_temp.normal(3 * i), c[2] + pg_temp.normal(3 * i + 1), c[3] + pg_temp.normal(3 * i + 2)]::float8[] AS f
FROM generate_series(0, 399) i,
	 LATERAL (SELECT (ARRAY[ARRAY[0, 0, 0], ARRAY[10, 0, 5], ARRAY[0, 10, -5], ARRAY[10, 10, 10]])[i % 4 + 1:i % 4 + 1] AS c2) s,
	 LATERAL (SELECT ARRAY[c2[1][1], c2[1][2], c2[1][3]]::float8[] AS c) t;

CREATE TABLE cluster_rfm AS
SELECT i AS id,
	   ARRAY[round(-ln(pg_temp.u(100000 + i)) * 60),
			 1 + floor(-ln(pg_temp.u(200000 + i)) * 2.5),
			 round((exp(4 + 0.8 * pg_temp.normal(300000 + i)) * (1 + floor(-ln(pg_temp.u(200000 + i)) * 2.5)))::numeric, 2)]::float8[] AS f
FROM generate_series(0, 2999) i;
