-- Stored values of every type of the extension: one table t_<type>
-- (id int primary key, v <type>) per type, with NULLs and edge values, in a
-- database where segmentation is installed.  A new type adds its own table
-- here.
--   test/ops/dump.sh     every t_* table survives pg_dump | pg_restore and
--                        text and binary COPY, value for value
--   test/ops/upgrade.sh  the values (and the indexes over segment_rule) read
--                        the same after ALTER EXTENSION segmentation UPDATE;
--                        it loads this file at every older release, so use
--                        only functions every release has, and checks that
--                        every type of the extension has a table here
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

CREATE TABLE t_rfm_thresholds AS
SELECT g AS id, rfm_thresholds(v * (g % 3), v + g, (v * 7 % 13) / 3.0, 2 + g % 9) AS v
FROM generate_series(1, 40) g, generate_series(1, 50 + g) v GROUP BY g
UNION ALL SELECT 41, NULL
UNION ALL SELECT 42, rfm_thresholds(x, x, x) FROM (VALUES (1e308::float8), ('-infinity'), ('NaN'), (-0.0), (5e-324)) s(x);

CREATE TABLE t_rfm AS
SELECT id, rfm_score(rec, freq, mon) OVER () AS v FROM (
	SELECT g AS id, NULLIF(g % 17, 3) AS rec, g % 5 AS freq, round(g * 1.37, 2) AS mon
	FROM generate_series(1, 200) g) s;

-- segment_rule: quoted and non-ASCII names, every construct, a long list,
-- deep nesting
CREATE TABLE t_segment_rule (id int, v segment_rule);
INSERT INTO t_segment_rule VALUES
	(1, 'country in (''DE'', ''AT'') and plan <> ''free'' and not unsubscribed'),
	(2, 'age between 25 and 54 and signup_date >= ''2024-01-01'' or age is null'),
	(3, 'last_order_at within 30 days and (tags contains ''vip'' or monetary > 1000)'),
	(4, 'city ~= ''munchen'' collate ''de'' or email not ilike ''%@GMAIL.com'''),
	(5, '"Weird Name"."in" contains any (1, -2.5e3, true, null, ''x''''y'')'),
	(6, 'not (a or b) and not not c and "say ""hi""" is not null'),
	(7, ('name = ''M' || chr(252) || 'nchen'' and "' || chr(228) || 'ge" > 1')::segment_rule),
	(8, ('x in (' || (SELECT string_agg(i::text, ', ') FROM generate_series(1, 1000) i) || ')')::segment_rule),
	(9, (repeat('not ', 99) || 'deep')::segment_rule),
	(10, NULL);
-- indexes over the extension's operator classes; the long list of row 8 is
-- larger than a btree entry may be
CREATE INDEX ON t_segment_rule USING btree (v) WHERE id <> 8;
CREATE INDEX ON t_segment_rule USING hash (v);

-- lifecycle and BTYD types: the enum, the policy, transitions, summaries
CREATE TABLE t_lifecycle_stage AS
SELECT g AS id, lifecycle_stage(TIMESTAMPTZ '2025-01-01' - (g * 7919 % 900) * interval '1 day', '2025-01-01') AS v
FROM generate_series(1, 60) g GROUP BY g
UNION ALL SELECT 61, NULL;

CREATE TABLE t_lifecycle_policy AS
SELECT g AS id, lifecycle_policy(new_window => g * interval '1 hour', loyal_orders => g) AS v FROM generate_series(1, 20) g
UNION ALL SELECT 21, lifecycle_policy('1 mon', '3 mons', '1 year 2 mons 3 days 04:05:06.789', 1, '1 year')
UNION ALL SELECT 22, NULL;

CREATE TABLE t_lifecycle_transition AS
SELECT g AS id, lifecycle_transitions(TIMESTAMPTZ '2025-01-01' - (g * 7919 % 900) * interval '1 day', '2024-06-01', '2025-01-01') AS v
FROM generate_series(1, 60) g GROUP BY g;

CREATE TABLE t_btyd_summary AS
SELECT g AS id, btyd_summary(TIMESTAMPTZ '2024-01-01' + (g * k % 500) * interval '1 day', g * k / 7.0, '2025-01-01', '7 days') AS v
FROM generate_series(1, 60) g, generate_series(1, 1 + g % 9) k GROUP BY g;

CREATE TABLE t_btyd_holdout AS
SELECT g AS id, btyd_holdout_summary(TIMESTAMPTZ '2024-01-01' + (g * k % 500) * interval '1 day', g * k / 3.0, '2024-09-01', '2025-01-01') AS v
FROM generate_series(1, 60) g, generate_series(1, 1 + g % 9) k GROUP BY g;

-- clv_model: three fits with different penalizers, a literal with a NaN
-- standard error, NULL
CREATE TABLE t_clv_model AS
-- (summaries built with jsonb_populate_record: 0.1.0's have four fields,
-- 0.2.0's five, the unit NULL here)
SELECT g AS id, clv_fit(jsonb_populate_record(NULL::btyd_summary, jsonb_build_object('frequency', x,
							'recency', CASE WHEN x = 0 THEN 0 ELSE tx END, 't', t, 'monetary', CASE WHEN x = 0 THEN 0 ELSE 10 + m END)),
						g * 0.001, '7 days') AS v
FROM generate_series(1, 3) g,
	 LATERAL (SELECT (hashint4(i * g) & 7) AS x, 30 + (hashint4(i + g) & 15) AS t, (hashint4(i * 3 + g) & 63) / 2.0 AS m
			  FROM generate_series(1, 400) i) s,
	 LATERAL (SELECT least(t, (hashint4(x * 31 + t) & 31) + x) AS tx) r
GROUP BY g
UNION ALL SELECT 4, 'unit_days=1 penalizer=0 r=0.243 alpha=4.414 a=0.793 b=2.426 r_se=NaN alpha_se=0.378 a_se=0.186 b_se=0.706 bgnbd_loglik=-9582.4 bgnbd_customers=2357 bgnbd_iterations=30 bgnbd_gradient_norm=0 bgnbd_converged=true p=6.25 q=3.74 gamma=15.44 p_se=0.5 q_se=0.3 gamma_se=2 gg_loglik=-4000 gg_customers=946 gg_iterations=20 gg_gradient_norm=0 gg_converged=true format_version=1'::clv_model
UNION ALL SELECT 5, NULL;

-- segment_clusters (0.2.0): k-means models of several shapes, a literal,
-- NULL; and the choose-k rows.  Only at versions that have them (the
-- upgrade test loads this file at 0.1.0 too).
DO $$
BEGIN
	IF to_regtype('segment_clusters') IS NULL THEN
		RETURN;
	END IF;
	CREATE TABLE t_segment_clusters AS
	SELECT g AS id, segment_kmeans(ARRAY[hashint4(i * g) % 100, (hashint4(i + g) & 15) * g, i % 7]::float8[], g,
								   (ARRAY['zscore', 'log1p', 'none'])[g % 3 + 1], g) AS v
	FROM generate_series(1, 5) g, generate_series(1, 300) i
	WHERE g % 3 <> 1 OR hashint4(i * g) % 100 > -1
	GROUP BY g
	UNION ALL SELECT 6, 'format_version=1 features=1 k=1 scaling=none seed=-9223372036854775808 restarts=1 iterations=1 rows=9223372036854775807 skipped=0 sample=1 wcss=0 mean=0 scale=1e-300 centroids=-1e300 sizes=1 cluster_wcss=0'::segment_clusters
	UNION ALL SELECT 7, NULL;
	CREATE TABLE t_segment_kmeans_choice AS
	SELECT row_number() OVER (ORDER BY g, (c).k)::int AS id, c AS v
	FROM (SELECT g, unnest(segment_kmeans_choose_k(ARRAY[hashint4(i * g) % 100, i % 7]::float8[], 4)) AS c
		  FROM generate_series(1, 3) g, generate_series(1, 200) i GROUP BY g) s
	UNION ALL SELECT 10, NULL;
END
$$;
-- segment_profile (0.2.0): profiles of numbers, booleans and categories,
-- one per group and the merge of all, an empty one, NULL; only where the
-- release has the type.
DO $$
BEGIN
	IF to_regtype('segment_profile') IS NULL THEN
		RETURN;
	END IF;
	CREATE TABLE t_segment_profile AS
	SELECT g AS id, segment_profile(jsonb_build_object('spend', (hashint4(i * g) % 1000) / 7.0, 'opted in', i % 3 = 0,
													   'country', (ARRAY['DE', 'FR', 'Österreich', NULL])[i % 4 + 1],
													   'orders', CASE WHEN i % 5 > 0 THEN i % 11 END)) AS v
	FROM generate_series(1, 4) g, generate_series(1, 200) i
	GROUP BY g
	UNION ALL SELECT 5, segment_profile_merge(p) FROM (SELECT segment_profile(jsonb_build_object('x', i, 'y', i > 2)) p
													   FROM generate_series(1, 5) i GROUP BY i % 2) s
	UNION ALL SELECT 6, segment_profile('{}'::jsonb)
	UNION ALL SELECT 7, NULL;
END
$$;
-- segment_experiment_result (0.2.0 on): the results of an experiment, with
-- NULLs for the control's lift; only where the release has the type
SELECT $q$CREATE TABLE t_segment_experiment_result AS
SELECT (row_number() OVER ())::int AS id, r AS v
FROM unnest((SELECT segment_lift_mean(g % 3, (g * 7919 % 1000) / 10.0 + g % 3) FROM generate_series(1, 300) g)) r
UNION ALL SELECT 4, '(1,0,5,,,,,,,,,)'::segment_experiment_result
UNION ALL SELECT 5, NULL$q$
WHERE to_regtype('segment_experiment_result') IS NOT NULL \gexec

-- bgbb_summary, bgbb_model, sbg_model (0.2.0): summaries of generated gifts,
-- fits of the BG/BB paper's donation patterns (plain and penalized) and of
-- the sBG paper's cohorts, literals with NULL and extreme fields, NULL; only
-- where the release has the types
SELECT $q$CREATE TABLE t_bgbb_summary AS
SELECT g AS id, bgbb_summary(2000 + (g * k % 13), 2010) AS v
FROM generate_series(1, 40) g, generate_series(1, g) k GROUP BY g
UNION ALL SELECT 41, NULL
UNION ALL SELECT 42, '(0,0,100000)'::bgbb_summary$q$
WHERE to_regtype('bgbb_summary') IS NOT NULL \gexec
SELECT $q$CREATE TABLE t_bgbb_model AS
SELECT p::int AS id, bgbb_fit((x, tx, 6)::bgbb_summary, w, p / 100.0) AS v
FROM (VALUES (0, 0, 3464), (1, 1, 1091), (1, 2, 277), (1, 6, 129), (2, 2, 613), (2, 5, 173), (3, 3, 322),
			 (3, 6, 357), (4, 4, 240), (4, 6, 512), (5, 5, 335), (5, 6, 728), (6, 6, 1203)) d(x, tx, w),
	 generate_series(0, 1) p
GROUP BY p
UNION ALL SELECT 3, '(1.204,0.75,0.657,2.783,,,,,-33225.6,66459.2,66488.4,11104,23,0)'::bgbb_model
UNION ALL SELECT 4, '(5e-324,1e308,NaN,-Infinity,,,,,,,,,,)'::bgbb_model
UNION ALL SELECT 5, NULL$q$
WHERE to_regtype('bgbb_model') IS NOT NULL \gexec
SELECT $q$CREATE TABLE t_sbg_model AS
SELECT 1 AS id, sbg_fit('{1000,631,468,382,326,289,262,241}'::float8[]) AS v
UNION ALL SELECT 2, sbg_fit('{1000,869,743,653,593,551,517,491}'::float8[], 0.01)
UNION ALL SELECT 3, '(0.668,3.806,,,,,,,,)'::sbg_model
UNION ALL SELECT 4, '(NaN,Infinity,-0,5e-324,,,,,2147483647,)'::sbg_model
UNION ALL SELECT 5, NULL$q$
WHERE to_regtype('sbg_model') IS NOT NULL \gexec

-- every table's key
SELECT format('ALTER TABLE %I ADD PRIMARY KEY (id)', relname) FROM pg_class
WHERE relname LIKE 't\_%' AND relkind = 'r' AND relnamespace = 'public'::regnamespace
ORDER BY relname \gexec
