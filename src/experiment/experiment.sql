-- ---------------------------------------------------------------------------
-- Experiments: GrowthBook-compatible variant assignment, the statistics of
-- results per variant against control, sample sizes and Benjamini-Hochberg
-- ---------------------------------------------------------------------------

CREATE TYPE @extschema@.segment_experiment_result AS (
	variant            int,
	n                  bigint,
	n_null             bigint,
	mean               float8,
	lift               float8,
	lift_lower         float8,
	lift_upper         float8,
	relative_lift      float8,
	relative_lower     float8,
	relative_upper     float8,
	p_value            float8,
	variance_reduction float8
);

CREATE FUNCTION @extschema@.segment_hash(seed text, value text) RETURNS float8
	AS 'MODULE_PATHNAME', 'segment_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.segment_variant(key text, experiment text) RETURNS int
	AS 'MODULE_PATHNAME', 'segment_variant_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_variant(key text, experiment text, weights float8[]) RETURNS int
	AS 'MODULE_PATHNAME', 'segment_variant_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_variant(key text, experiment text, weights float8[], coverage float8) RETURNS int
	AS 'MODULE_PATHNAME', 'segment_variant_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_variant(key bigint, experiment text) RETURNS int
	AS 'MODULE_PATHNAME', 'segment_variant_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_variant(key bigint, experiment text, weights float8[]) RETURNS int
	AS 'MODULE_PATHNAME', 'segment_variant_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_variant(key bigint, experiment text, weights float8[], coverage float8) RETURNS int
	AS 'MODULE_PATHNAME', 'segment_variant_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_variant_name(key text, experiment text, variants text[]) RETURNS text
	AS 'MODULE_PATHNAME', 'segment_variant_name_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_variant_name(key text, experiment text, variants text[], weights float8[]) RETURNS text
	AS 'MODULE_PATHNAME', 'segment_variant_name_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_variant_name(key bigint, experiment text, variants text[]) RETURNS text
	AS 'MODULE_PATHNAME', 'segment_variant_name_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_variant_name(key bigint, experiment text, variants text[], weights float8[]) RETURNS text
	AS 'MODULE_PATHNAME', 'segment_variant_name_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- the result aggregates: one state (moments per variant), four metrics
CREATE FUNCTION @extschema@.segment_lift_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'segment_lift_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_lift_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME', 'segment_lift_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_lift_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'segment_lift_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_lift_final(internal) RETURNS @extschema@.segment_experiment_result[]
	AS 'MODULE_PATHNAME', 'segment_lift_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.segment_lift_conversion_trans(internal, int, boolean) RETURNS internal
	AS 'MODULE_PATHNAME', 'segment_lift_conversion_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.segment_lift_conversion_trans(internal, int, boolean, float8) RETURNS internal
	AS 'MODULE_PATHNAME', 'segment_lift_conversion_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.segment_lift_conversion(variant int, converted boolean) (
	SFUNC = @extschema@.segment_lift_conversion_trans,
	STYPE = internal,
	SSPACE = 256,
	FINALFUNC = @extschema@.segment_lift_final,
	FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = @extschema@.segment_lift_combine,
	SERIALFUNC = @extschema@.segment_lift_serialize,
	DESERIALFUNC = @extschema@.segment_lift_deserialize,
	PARALLEL = SAFE
);

CREATE AGGREGATE @extschema@.segment_lift_conversion(variant int, converted boolean, confidence float8) (
	SFUNC = @extschema@.segment_lift_conversion_trans,
	STYPE = internal,
	SSPACE = 256,
	FINALFUNC = @extschema@.segment_lift_final,
	FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = @extschema@.segment_lift_combine,
	SERIALFUNC = @extschema@.segment_lift_serialize,
	DESERIALFUNC = @extschema@.segment_lift_deserialize,
	PARALLEL = SAFE
);

CREATE FUNCTION @extschema@.segment_lift_mean_trans(internal, int, float8) RETURNS internal
	AS 'MODULE_PATHNAME', 'segment_lift_mean_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.segment_lift_mean_trans(internal, int, float8, float8) RETURNS internal
	AS 'MODULE_PATHNAME', 'segment_lift_mean_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.segment_lift_mean(variant int, value float8) (
	SFUNC = @extschema@.segment_lift_mean_trans,
	STYPE = internal,
	SSPACE = 256,
	FINALFUNC = @extschema@.segment_lift_final,
	FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = @extschema@.segment_lift_combine,
	SERIALFUNC = @extschema@.segment_lift_serialize,
	DESERIALFUNC = @extschema@.segment_lift_deserialize,
	PARALLEL = SAFE
);

CREATE AGGREGATE @extschema@.segment_lift_mean(variant int, value float8, confidence float8) (
	SFUNC = @extschema@.segment_lift_mean_trans,
	STYPE = internal,
	SSPACE = 256,
	FINALFUNC = @extschema@.segment_lift_final,
	FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = @extschema@.segment_lift_combine,
	SERIALFUNC = @extschema@.segment_lift_serialize,
	DESERIALFUNC = @extschema@.segment_lift_deserialize,
	PARALLEL = SAFE
);

CREATE FUNCTION @extschema@.segment_lift_cuped_trans(internal, int, float8, float8) RETURNS internal
	AS 'MODULE_PATHNAME', 'segment_lift_cuped_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.segment_lift_cuped_trans(internal, int, float8, float8, float8) RETURNS internal
	AS 'MODULE_PATHNAME', 'segment_lift_cuped_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.segment_lift_cuped(variant int, value float8, covariate float8) (
	SFUNC = @extschema@.segment_lift_cuped_trans,
	STYPE = internal,
	SSPACE = 256,
	FINALFUNC = @extschema@.segment_lift_final,
	FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = @extschema@.segment_lift_combine,
	SERIALFUNC = @extschema@.segment_lift_serialize,
	DESERIALFUNC = @extschema@.segment_lift_deserialize,
	PARALLEL = SAFE
);

CREATE AGGREGATE @extschema@.segment_lift_cuped(variant int, value float8, covariate float8, confidence float8) (
	SFUNC = @extschema@.segment_lift_cuped_trans,
	STYPE = internal,
	SSPACE = 256,
	FINALFUNC = @extschema@.segment_lift_final,
	FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = @extschema@.segment_lift_combine,
	SERIALFUNC = @extschema@.segment_lift_serialize,
	DESERIALFUNC = @extschema@.segment_lift_deserialize,
	PARALLEL = SAFE
);

CREATE FUNCTION @extschema@.segment_lift_ratio_trans(internal, int, float8, float8) RETURNS internal
	AS 'MODULE_PATHNAME', 'segment_lift_ratio_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.segment_lift_ratio_trans(internal, int, float8, float8, float8) RETURNS internal
	AS 'MODULE_PATHNAME', 'segment_lift_ratio_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.segment_lift_ratio(variant int, numerator float8, denominator float8) (
	SFUNC = @extschema@.segment_lift_ratio_trans,
	STYPE = internal,
	SSPACE = 256,
	FINALFUNC = @extschema@.segment_lift_final,
	FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = @extschema@.segment_lift_combine,
	SERIALFUNC = @extschema@.segment_lift_serialize,
	DESERIALFUNC = @extschema@.segment_lift_deserialize,
	PARALLEL = SAFE
);

CREATE AGGREGATE @extschema@.segment_lift_ratio(variant int, numerator float8, denominator float8, confidence float8) (
	SFUNC = @extschema@.segment_lift_ratio_trans,
	STYPE = internal,
	SSPACE = 256,
	FINALFUNC = @extschema@.segment_lift_final,
	FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = @extschema@.segment_lift_combine,
	SERIALFUNC = @extschema@.segment_lift_serialize,
	DESERIALFUNC = @extschema@.segment_lift_deserialize,
	PARALLEL = SAFE
);

-- planning and many segments
CREATE FUNCTION @extschema@.segment_sample_size(baseline_rate float8, minimum_detectable_effect float8,
	alpha float8 DEFAULT 0.05, power float8 DEFAULT 0.8, ratio float8 DEFAULT 1)
	RETURNS bigint AS 'MODULE_PATHNAME', 'segment_sample_size' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_sample_size_mean(stddev float8, minimum_detectable_effect float8,
	alpha float8 DEFAULT 0.05, power float8 DEFAULT 0.8, ratio float8 DEFAULT 1)
	RETURNS bigint AS 'MODULE_PATHNAME', 'segment_sample_size_mean' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_p_adjust(p float8) RETURNS float8
	AS 'MODULE_PATHNAME', 'segment_p_adjust' LANGUAGE C IMMUTABLE WINDOW PARALLEL SAFE;

COMMENT ON TYPE @extschema@.segment_experiment_result IS
	'one variant of an experiment against its control (variant 0): rows, NULL outcomes skipped, rate or mean, absolute and relative lift with their confidence intervals, two-sided p-value, CUPED variance reduction';
COMMENT ON FUNCTION @extschema@.segment_hash(text, text) IS
	'GrowthBook''s hash version 2 of value with seed: fnv32a(str(fnv32a(seed || value))) % 10000 / 10000, in [0, 1)';
COMMENT ON FUNCTION @extschema@.segment_variant(text, text) IS
	'the variant (0 or 1, equal halves) of key in the experiment, as GrowthBook''s SDKs assign it with the experiment name as seed';
COMMENT ON FUNCTION @extschema@.segment_variant(text, text, float8[]) IS
	'the variant (0-based index of weights) of key in the experiment, as GrowthBook''s SDKs assign it; weights are non-negative and add up to 1 within 0.01';
COMMENT ON FUNCTION @extschema@.segment_variant(text, text, float8[], float8) IS
	'the variant of key in the experiment with the given weights and coverage (the share included); NULL for a key outside the coverage';
COMMENT ON FUNCTION @extschema@.segment_variant(bigint, text) IS
	'the variant (0 or 1) of a numeric key, hashed as its decimal text';
COMMENT ON FUNCTION @extschema@.segment_variant(bigint, text, float8[]) IS
	'the variant (0-based index of weights) of a numeric key, hashed as its decimal text';
COMMENT ON FUNCTION @extschema@.segment_variant(bigint, text, float8[], float8) IS
	'the variant of a numeric key (hashed as its decimal text) with the given weights and coverage; NULL outside the coverage';
COMMENT ON FUNCTION @extschema@.segment_variant_name(text, text, text[]) IS
	'the name of key''s variant among equally weighted variants';
COMMENT ON FUNCTION @extschema@.segment_variant_name(text, text, text[], float8[]) IS
	'the name of key''s variant, one weight per name';
COMMENT ON FUNCTION @extschema@.segment_variant_name(bigint, text, text[]) IS
	'the name of a numeric key''s variant among equally weighted variants';
COMMENT ON FUNCTION @extschema@.segment_variant_name(bigint, text, text[], float8[]) IS
	'the name of a numeric key''s variant, one weight per name';
COMMENT ON FUNCTION @extschema@.segment_lift_combine(internal, internal) IS
	'combine function of the segment_lift aggregates';
COMMENT ON FUNCTION @extschema@.segment_lift_serialize(internal) IS
	'serialize function of the segment_lift aggregates';
COMMENT ON FUNCTION @extschema@.segment_lift_deserialize(bytea, internal) IS
	'deserialize function of the segment_lift aggregates';
COMMENT ON FUNCTION @extschema@.segment_lift_final(internal) IS
	'final function of the segment_lift aggregates: the tests per variant';
COMMENT ON FUNCTION @extschema@.segment_sample_size(float8, float8, float8, float8, float8) IS
	'customers needed in the control group (the treatment needs ratio times as many) for a two-sided two-proportion test to detect an absolute change of minimum_detectable_effect from baseline_rate';
COMMENT ON FUNCTION @extschema@.segment_sample_size_mean(float8, float8, float8, float8, float8) IS
	'customers needed in the control group (the treatment needs ratio times as many) for a two-sided test to detect a difference of means of minimum_detectable_effect with standard deviation stddev';
COMMENT ON FUNCTION @extschema@.segment_p_adjust(float8) IS
	'window function: Benjamini-Hochberg adjusted p-value (false discovery rate) across the rows of the window partition; NULLs are not counted';

COMMENT ON AGGREGATE @extschema@.segment_lift_conversion(int, boolean) IS
	'one segment_experiment_result per variant against variant 0 (control), at 95% confidence: conversions: two-proportion z-test (pooled), Newcombe hybrid score interval for the difference, log (Katz) interval for the ratio';
COMMENT ON FUNCTION @extschema@.segment_lift_conversion_trans(internal, int, boolean) IS
	'transition function of segment_lift_conversion';
COMMENT ON AGGREGATE @extschema@.segment_lift_conversion(int, boolean, float8) IS
	'one segment_experiment_result per variant against variant 0 (control), at the given two-sided confidence level: conversions: two-proportion z-test (pooled), Newcombe hybrid score interval for the difference, log (Katz) interval for the ratio';
COMMENT ON FUNCTION @extschema@.segment_lift_conversion_trans(internal, int, boolean, float8) IS
	'transition function of segment_lift_conversion';
COMMENT ON AGGREGATE @extschema@.segment_lift_mean(int, float8) IS
	'one segment_experiment_result per variant against variant 0 (control), at 95% confidence: a numeric outcome (revenue per customer): Welch t-test and interval for the difference, delta-method interval for the relative lift';
COMMENT ON FUNCTION @extschema@.segment_lift_mean_trans(internal, int, float8) IS
	'transition function of segment_lift_mean';
COMMENT ON AGGREGATE @extschema@.segment_lift_mean(int, float8, float8) IS
	'one segment_experiment_result per variant against variant 0 (control), at the given two-sided confidence level: a numeric outcome (revenue per customer): Welch t-test and interval for the difference, delta-method interval for the relative lift';
COMMENT ON FUNCTION @extschema@.segment_lift_mean_trans(internal, int, float8, float8) IS
	'transition function of segment_lift_mean';
COMMENT ON AGGREGATE @extschema@.segment_lift_cuped(int, float8, float8) IS
	'one segment_experiment_result per variant against variant 0 (control), at 95% confidence: a numeric outcome adjusted by a pre-period covariate (CUPED, Deng et al. 2013), then Welch; variance_reduction reports the shrinkage';
COMMENT ON FUNCTION @extschema@.segment_lift_cuped_trans(internal, int, float8, float8) IS
	'transition function of segment_lift_cuped';
COMMENT ON AGGREGATE @extschema@.segment_lift_cuped(int, float8, float8, float8) IS
	'one segment_experiment_result per variant against variant 0 (control), at the given two-sided confidence level: a numeric outcome adjusted by a pre-period covariate (CUPED, Deng et al. 2013), then Welch; variance_reduction reports the shrinkage';
COMMENT ON FUNCTION @extschema@.segment_lift_cuped_trans(internal, int, float8, float8, float8) IS
	'transition function of segment_lift_cuped';
COMMENT ON AGGREGATE @extschema@.segment_lift_ratio(int, float8, float8) IS
	'one segment_experiment_result per variant against variant 0 (control), at 95% confidence: a ratio metric (sum of numerators over sum of denominators per variant, e.g. revenue per order) with customers as the unit: delta-method normal test and interval';
COMMENT ON FUNCTION @extschema@.segment_lift_ratio_trans(internal, int, float8, float8) IS
	'transition function of segment_lift_ratio';
COMMENT ON AGGREGATE @extschema@.segment_lift_ratio(int, float8, float8, float8) IS
	'one segment_experiment_result per variant against variant 0 (control), at the given two-sided confidence level: a ratio metric (sum of numerators over sum of denominators per variant, e.g. revenue per order) with customers as the unit: delta-method normal test and interval';
COMMENT ON FUNCTION @extschema@.segment_lift_ratio_trans(internal, int, float8, float8, float8) IS
	'transition function of segment_lift_ratio';
