-- ---------------------------------------------------------------------------
-- Customer lifetime value: BTYD summaries of customers' orders
-- ---------------------------------------------------------------------------

CREATE TYPE @extschema@.btyd_summary AS (
	frequency int,
	recency   float8,
	t         float8,
	monetary  float8
);

CREATE TYPE @extschema@.btyd_holdout AS (
	frequency          int,
	recency            float8,
	t                  float8,
	monetary           float8,
	frequency_holdout  int,
	monetary_holdout   float8,
	duration_holdout   float8
);

CREATE FUNCTION @extschema@.btyd_summary_trans(internal, timestamptz, float8, timestamptz)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.btyd_summary_trans(internal, timestamptz, float8, timestamptz, interval)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.btyd_holdout_summary_trans(internal, timestamptz, float8, timestamptz,
													   timestamptz)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.btyd_holdout_summary_trans(internal, timestamptz, float8, timestamptz,
													   timestamptz, interval)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.btyd_summary_combine(internal, internal)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.btyd_summary_serialize(internal)
	RETURNS bytea AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.btyd_summary_deserialize(bytea, internal)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.btyd_summary_final(internal)
	RETURNS @extschema@.btyd_summary AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.btyd_holdout_summary_final(internal)
	RETURNS @extschema@.btyd_holdout AS 'MODULE_PATHNAME', 'btyd_summary_final'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.btyd_summary(ordered_at timestamptz, amount float8, as_of timestamptz) (
	SFUNC = @extschema@.btyd_summary_trans,
	STYPE = internal,
	SSPACE = 256,
	FINALFUNC = @extschema@.btyd_summary_final,
	COMBINEFUNC = @extschema@.btyd_summary_combine,
	SERIALFUNC = @extschema@.btyd_summary_serialize,
	DESERIALFUNC = @extschema@.btyd_summary_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.btyd_summary(ordered_at timestamptz, amount float8, as_of timestamptz,
										  unit interval) (
	SFUNC = @extschema@.btyd_summary_trans,
	STYPE = internal,
	SSPACE = 256,
	FINALFUNC = @extschema@.btyd_summary_final,
	COMBINEFUNC = @extschema@.btyd_summary_combine,
	SERIALFUNC = @extschema@.btyd_summary_serialize,
	DESERIALFUNC = @extschema@.btyd_summary_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.btyd_holdout_summary(ordered_at timestamptz, amount float8,
												  calibration_end timestamptz,
												  observation_end timestamptz) (
	SFUNC = @extschema@.btyd_holdout_summary_trans,
	STYPE = internal,
	SSPACE = 256,
	FINALFUNC = @extschema@.btyd_holdout_summary_final,
	COMBINEFUNC = @extschema@.btyd_summary_combine,
	SERIALFUNC = @extschema@.btyd_summary_serialize,
	DESERIALFUNC = @extschema@.btyd_summary_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.btyd_holdout_summary(ordered_at timestamptz, amount float8,
												  calibration_end timestamptz,
												  observation_end timestamptz, unit interval) (
	SFUNC = @extschema@.btyd_holdout_summary_trans,
	STYPE = internal,
	SSPACE = 256,
	FINALFUNC = @extschema@.btyd_holdout_summary_final,
	COMBINEFUNC = @extschema@.btyd_summary_combine,
	SERIALFUNC = @extschema@.btyd_summary_serialize,
	DESERIALFUNC = @extschema@.btyd_summary_deserialize,
	PARALLEL = SAFE
);

COMMENT ON TYPE @extschema@.btyd_summary IS
	'A customer''s BTYD summary: frequency (repeat purchase days), recency and t (in units), monetary (mean spend of repeat days)';
COMMENT ON TYPE @extschema@.btyd_holdout IS
	'A BTYD summary at the calibration end, with the purchase days, mean spend per day and length of the holdout period';
COMMENT ON FUNCTION @extschema@.btyd_summary_trans(internal, timestamptz, float8, timestamptz) IS
	'btyd_summary transition';
COMMENT ON FUNCTION @extschema@.btyd_summary_trans(internal, timestamptz, float8, timestamptz, interval) IS
	'btyd_summary transition';
COMMENT ON FUNCTION @extschema@.btyd_holdout_summary_trans(internal, timestamptz, float8, timestamptz, timestamptz) IS
	'btyd_holdout_summary transition';
COMMENT ON FUNCTION @extschema@.btyd_holdout_summary_trans(internal, timestamptz, float8, timestamptz, timestamptz, interval) IS
	'btyd_holdout_summary transition';
COMMENT ON FUNCTION @extschema@.btyd_summary_combine(internal, internal) IS
	'btyd_summary and btyd_holdout_summary combine (parallel and partial aggregation)';
COMMENT ON FUNCTION @extschema@.btyd_summary_serialize(internal) IS
	'btyd_summary and btyd_holdout_summary state serialization';
COMMENT ON FUNCTION @extschema@.btyd_summary_deserialize(bytea, internal) IS
	'btyd_summary and btyd_holdout_summary state deserialization';
COMMENT ON FUNCTION @extschema@.btyd_summary_final(internal) IS
	'btyd_summary final: the summary of the purchase days';
COMMENT ON FUNCTION @extschema@.btyd_holdout_summary_final(internal) IS
	'btyd_holdout_summary final: the calibration summary and the holdout figures';
COMMENT ON AGGREGATE @extschema@.btyd_summary(timestamptz, float8, timestamptz) IS
	'A customer''s BTYD summary on as_of from their orders, in days (lifetimes'' summary_data_from_transaction_data)';
COMMENT ON AGGREGATE @extschema@.btyd_summary(timestamptz, float8, timestamptz, interval) IS
	'A customer''s BTYD summary on as_of from their orders, recency and t in the given unit';
COMMENT ON AGGREGATE @extschema@.btyd_holdout_summary(timestamptz, float8, timestamptz, timestamptz) IS
	'A customer''s BTYD summary at calibration_end and their purchases up to observation_end, in days';
COMMENT ON AGGREGATE @extschema@.btyd_holdout_summary(timestamptz, float8, timestamptz, timestamptz, interval) IS
	'A customer''s BTYD summary at calibration_end and their purchases up to observation_end, in the given unit';

-- the closed-form CLV of the simple retention model
CREATE FUNCTION @extschema@.clv_estimate(avg_order_value float8, purchases_per_year float8,
										 margin float8, retention_rate float8,
										 discount_rate float8)
	RETURNS float8 AS 'MODULE_PATHNAME', 'clv_estimate_closed_form'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.clv_estimate(float8, float8, float8, float8, float8) IS
	'Closed-form CLV (Gupta & Lehmann): avg_order_value * purchases_per_year * margin * retention_rate / (1 + discount_rate - retention_rate)';
