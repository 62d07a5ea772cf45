-- experiment_assign: segment_hash and segment_variant.
-- Pins down: GrowthBook's published hash vectors (version 2), the bucket
-- ranges with weights and coverage against a plain-SQL reading of
-- GrowthBook's getBucketRanges/chooseVariation over segment_hash, the key
-- types, the errors, uniformity and independence by chi-square over 1M keys,
-- and a parallel plan giving the serial result.

-- GrowthBook's vectors: packages/sdk-js/test/cases.json, "hash" cases of
-- version 2, github.com/growthbook/growthbook commit
-- 8f1db4456915a8e7b7faf23d5632ca7219d2f469.
SELECT seed, value, expected, segment_hash(seed, value) = expected AS same
FROM (VALUES ('seed', 'a', 0.0505), ('seed', 'b', 0.2696), ('foo', 'ab', 0.2575),
			 ('foo', 'def', 0.2019), ('89123klj', '8952klfjas09ujkasdf', 0.124),
			 ('90850943850283058242805', '123', 0.7516),
			 ('()**(%$##$%#$#', '___)((*":&', 0.0128)) v(seed, value, expected);

-- the variant is chooseVariation over getBucketRanges, read in plain SQL:
-- variant i covers [start_i, start_i + coverage * w_i), start_i the sum of
-- the weights before it; a hash outside every range is NULL
WITH k AS (SELECT 'user-' || i AS key, segment_hash('exp-a', 'user-' || i) AS h FROM generate_series(1, 20000) i),
cases(weights, coverage) AS (
	VALUES ('{0.5,0.5}'::float8[], 1.0::float8), ('{0.2,0.3,0.5}', 1.0),
		   ('{0.2,0.3,0.5}', 0.2), ('{0.9,0.1}', 0.5), ('{0.4,0.5999}', 1.0),
		   ('{1}', 1.0), ('{0,1}', 1.0), ('{0.25,0.25,0.25,0.25}', 0.0)),
ranges AS (
	SELECT weights, coverage, i - 1 AS variant, start, start + coverage * w AS stop
	FROM (SELECT c.weights, c.coverage, i, c.weights[i] AS w,
				 coalesce(sum(c.weights[i]) OVER (PARTITION BY c.weights, c.coverage ORDER BY i
												  ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS start
		  FROM cases c, generate_subscripts(c.weights, 1) i) r),
expected AS (
	SELECT c.weights, c.coverage, k.key, r.variant
	FROM cases c CROSS JOIN k
	LEFT JOIN ranges r ON r.weights = c.weights AND r.coverage = c.coverage AND k.h >= r.start AND k.h < r.stop)
SELECT weights, coverage,
	   count(*) FILTER (WHERE segment_variant(key, 'exp-a', weights, coverage) IS NOT DISTINCT FROM variant) AS agree,
	   count(*) FILTER (WHERE variant IS NULL) AS outside
FROM expected GROUP BY weights, coverage ORDER BY weights, coverage;

-- without weights: two equal halves; the name form picks the name of the index
SELECT count(*) FILTER (WHERE segment_variant('u' || i, 'x') = segment_variant('u' || i, 'x', '{0.5,0.5}')) AS same_as_halves,
	   count(*) FILTER (WHERE segment_variant_name('u' || i, 'x', '{control,treatment}')
						= (ARRAY['control', 'treatment'])[segment_variant('u' || i, 'x') + 1]) AS name_agrees,
	   count(*) FILTER (WHERE segment_variant_name('u' || i, 'x', '{a,b,c}', '{0.6,0.2,0.2}')
						= (ARRAY['a', 'b', 'c'])[segment_variant('u' || i, 'x', '{0.6,0.2,0.2}') + 1]) AS weighted_name_agrees
FROM generate_series(1, 10000) i;

-- equal names without weights use GrowthBook's getEqualWeights (1/n each)
SELECT count(*) FILTER (WHERE segment_variant_name(i::bigint, 'x', '{a,b,c}')
						= (ARRAY['a', 'b', 'c'])[segment_variant(i::text, 'x', ARRAY[1/3.0, 1/3.0, 1/3.0]::float8[]) + 1]) AS agree
FROM generate_series(1, 10000) i;

-- a bigint (or int) key is hashed as its decimal text
SELECT count(*) FILTER (WHERE segment_variant(i, 'exp-b', '{0.1,0.2,0.7}') = segment_variant(i::text, 'exp-b', '{0.1,0.2,0.7}')) AS bigint_as_text,
	   count(*) FILTER (WHERE segment_variant(i::int, 'exp-b') = segment_variant(i::text, 'exp-b')) AS int_as_text
FROM generate_series(-5000::bigint, 5000) i;
SELECT segment_variant('-9223372036854775808'::bigint, 'e') = segment_variant('-9223372036854775808', 'e') AS min_bigint;

-- non-ASCII keys hash over UTF-16 code units, as JavaScript's charCodeAt:
-- hash(seed 'exp', value 'é') with fnv32a over the units 'e' 'x' 'p' U+00E9,
-- written out in SQL arithmetic (characters above U+FFFF hash as their
-- surrogate pairs: test/unit/test_experiment.c)
WITH RECURSIVE fnv(units, h) AS (
	VALUES (ARRAY[101, 120, 112, 233]::bigint[], 2166136261::bigint)
), step AS (
	SELECT 1 AS i, units, h FROM fnv
	UNION ALL
	SELECT i + 1, units, ((h # units[i]) * 16777619) % 4294967296 FROM step WHERE i <= cardinality(units)
), inner_hash AS (SELECT h FROM step ORDER BY i DESC LIMIT 1),
digits AS (SELECT ascii(substr(h::text, n, 1))::bigint AS u, n FROM inner_hash, generate_series(1, length(h::text)) n),
outer_step(n, h) AS (
	SELECT 0, 2166136261::bigint
	UNION ALL
	SELECT o.n + 1, ((o.h # d.u) * 16777619) % 4294967296 FROM outer_step o JOIN digits d ON d.n = o.n + 1
)
SELECT (SELECT h FROM outer_step ORDER BY n DESC LIMIT 1) % 10000 / 10000.0 = segment_hash('exp', 'é') AS two_byte_character;

-- errors: SQLSTATE 22023 for weights that do not add up to 1 (within
-- GrowthBook's 0.01), a negative, NaN or NULL weight, more than 100
-- variants, no variant, a coverage outside [0, 1], a two-dimensional array
\set VERBOSITY terse
SELECT segment_variant('k', 'e', '{0.5,0.4}');
SELECT segment_variant('k', 'e', '{0.7,0.6}');
SELECT segment_variant('k', 'e', '{1.2,-0.2}');
SELECT segment_variant('k', 'e', '{NaN,1}');
SELECT segment_variant('k', 'e', '{0.5,NULL}');
SELECT segment_variant('k', 'e', array_fill(1.0 / 101, ARRAY[101])::float8[]);
SELECT segment_variant('k', 'e', '{}');
SELECT segment_variant('k', 'e', '{0.5,0.5}', 1.5);
SELECT segment_variant('k', 'e', '{0.5,0.5}', 'NaN');
SELECT segment_variant('k', 'e', '{{0.5},{0.5}}');
SELECT segment_variant_name('k', 'e', '{a,b}', '{1}');
-- accepted: totals within the tolerance, exactly 100 variants
SELECT segment_variant('k', 'e', '{0.5,0.495}') IS NOT NULL AS within_tolerance,
	   segment_variant('k', 'e', array_fill(0.01, ARRAY[100])::float8[]) BETWEEN 0 AND 99 AS hundred_variants;
\set VERBOSITY default

-- uniformity: 1M keys per weight vector, Pearson's chi-square of the
-- counts against the weights, below the 0.999 quantile of chi-square with
-- k - 1 degrees of freedom (scipy.stats.chi2.ppf(0.999, df): 10.828 for 1,
-- 13.816 for 2, 18.467 for 4)
WITH w(weights, critical) AS (
	VALUES ('{0.5,0.5}'::float8[], 10.828), ('{0.9,0.1}', 10.828),
		   ('{0.2,0.3,0.5}', 13.816), ('{0.2,0.2,0.2,0.2,0.2}', 18.467)),
counts AS (
	SELECT w.weights, w.critical, segment_variant(i::bigint, 'uniformity', w.weights) AS v, count(*) AS n
	FROM w, generate_series(1, 1000000) i
	GROUP BY 1, 2, 3)
SELECT weights, sum((n - 1000000 * weights[v + 1]) ^ 2 / (1000000 * weights[v + 1])) < critical AS uniform
FROM counts GROUP BY weights, critical ORDER BY weights;

-- independence: the variants of two experiments over the same 1M keys;
-- chi-square of the 2x2 table below 10.828 (df 1, 0.999 quantile)
WITH t AS (
	SELECT segment_variant(i::bigint, 'experiment-one') AS a, segment_variant(i::bigint, 'experiment-two') AS b, count(*) AS n
	FROM generate_series(1, 1000000) i GROUP BY 1, 2),
m AS (SELECT a, b, n, sum(n) OVER (PARTITION BY a) AS ra, sum(n) OVER (PARTITION BY b) AS cb, sum(n) OVER () AS total FROM t)
SELECT count(*) AS cells, sum((n - ra * cb / total) ^ 2 / (ra * cb / total)) < 10.828 AS independent FROM m;

-- a parallel plan gives the serial result
CREATE TABLE experiment_keys AS SELECT i AS id, 'customer-' || i AS key FROM generate_series(1, 300000) i;
ANALYZE experiment_keys;
CREATE TEMP TABLE serial_split AS
SELECT count(*) FILTER (WHERE v = 0) AS n0, count(*) FILTER (WHERE v = 1) AS n1,
	   count(*) FILTER (WHERE v = 2) AS n2, sum(v * id) AS checksum
FROM (SELECT id, segment_variant(key, 'par', '{0.25,0.25,0.5}') AS v FROM experiment_keys) s;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
-- the function runs in the workers, below Gather
EXPLAIN (COSTS OFF)
SELECT count(*) FILTER (WHERE v = 0) AS n0, count(*) FILTER (WHERE v = 1) AS n1,
	   count(*) FILTER (WHERE v = 2) AS n2, sum(v * id) AS checksum
FROM (SELECT id, segment_variant(key, 'par', '{0.25,0.25,0.5}') AS v FROM experiment_keys) s;
SELECT p = s AS same FROM (
	SELECT count(*) FILTER (WHERE v = 0) AS n0, count(*) FILTER (WHERE v = 1) AS n1,
		   count(*) FILTER (WHERE v = 2) AS n2, sum(v * id) AS checksum
	FROM (SELECT id, segment_variant(key, 'par', '{0.25,0.25,0.5}') AS v FROM experiment_keys) s) p,
	serial_split s;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
DROP TABLE experiment_keys;
