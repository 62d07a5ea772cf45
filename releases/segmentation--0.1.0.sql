-- segmentation: customer segmentation inside PostgreSQL.
-- This script is assembled by the Makefile from src/segmentation.sql and the
-- src/*/*.sql file of every feature, in that order.  Every object is created
-- in @extschema@ and every reference is schema-qualified, so that a hostile
-- search_path at CREATE EXTENSION time changes nothing.

\echo Use "CREATE EXTENSION segmentation" to load this file. \quit
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

-- ---------------------------------------------------------------------------
-- Fitted models: the clv_model type, clv_fit, and the predictions
-- ---------------------------------------------------------------------------

CREATE TYPE @extschema@.clv_model;
CREATE FUNCTION @extschema@.clv_model_in(cstring) RETURNS @extschema@.clv_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.clv_model_out(@extschema@.clv_model) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.clv_model_recv(internal) RETURNS @extschema@.clv_model
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.clv_model_send(@extschema@.clv_model) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE @extschema@.clv_model (
	INPUT = @extschema@.clv_model_in,
	OUTPUT = @extschema@.clv_model_out,
	RECEIVE = @extschema@.clv_model_recv,
	SEND = @extschema@.clv_model_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = main
);
CREATE FUNCTION @extschema@.clv_model_jsonb(model @extschema@.clv_model) RETURNS jsonb
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (@extschema@.clv_model AS jsonb)
	WITH FUNCTION @extschema@.clv_model_jsonb(@extschema@.clv_model);

CREATE FUNCTION @extschema@.clv_fit_trans(internal, @extschema@.btyd_summary)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.clv_fit_trans(internal, @extschema@.btyd_summary, float8)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.clv_fit_trans(internal, @extschema@.btyd_summary, float8, interval)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.clv_fit_combine(internal, internal)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.clv_fit_serialize(internal)
	RETURNS bytea AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.clv_fit_deserialize(bytea, internal)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.clv_fit_final(internal)
	RETURNS @extschema@.clv_model AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.clv_fit(summary @extschema@.btyd_summary) (
	SFUNC = @extschema@.clv_fit_trans, STYPE = internal, SSPACE = 1024,
	FINALFUNC = @extschema@.clv_fit_final, COMBINEFUNC = @extschema@.clv_fit_combine,
	SERIALFUNC = @extschema@.clv_fit_serialize, DESERIALFUNC = @extschema@.clv_fit_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.clv_fit(summary @extschema@.btyd_summary, penalizer float8) (
	SFUNC = @extschema@.clv_fit_trans, STYPE = internal, SSPACE = 1024,
	FINALFUNC = @extschema@.clv_fit_final, COMBINEFUNC = @extschema@.clv_fit_combine,
	SERIALFUNC = @extschema@.clv_fit_serialize, DESERIALFUNC = @extschema@.clv_fit_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.clv_fit(summary @extschema@.btyd_summary, penalizer float8, unit interval) (
	SFUNC = @extschema@.clv_fit_trans, STYPE = internal, SSPACE = 1024,
	FINALFUNC = @extschema@.clv_fit_final, COMBINEFUNC = @extschema@.clv_fit_combine,
	SERIALFUNC = @extschema@.clv_fit_serialize, DESERIALFUNC = @extschema@.clv_fit_deserialize,
	PARALLEL = SAFE
);

CREATE FUNCTION @extschema@.clv_expected_purchases(model @extschema@.clv_model,
												   summary @extschema@.btyd_summary, horizon float8)
	RETURNS float8 AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.clv_p_alive(model @extschema@.clv_model, summary @extschema@.btyd_summary)
	RETURNS float8 AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.clv_expected_spend(model @extschema@.clv_model, summary @extschema@.btyd_summary)
	RETURNS float8 AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.clv_estimate(model @extschema@.clv_model, summary @extschema@.btyd_summary,
										 months int DEFAULT 12, discount_rate float8 DEFAULT 0.01)
	RETURNS float8 AS 'MODULE_PATHNAME', 'clv_estimate_model' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.clv_expected_purchases(model @extschema@.clv_model, holdout @extschema@.btyd_holdout)
	RETURNS float8 AS 'MODULE_PATHNAME', 'clv_expected_purchases_holdout' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.btyd_summary(holdout @extschema@.btyd_holdout) RETURNS @extschema@.btyd_summary
	AS 'MODULE_PATHNAME', 'btyd_holdout_summary_part' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (@extschema@.btyd_holdout AS @extschema@.btyd_summary)
	WITH FUNCTION @extschema@.btyd_summary(@extschema@.btyd_holdout) AS ASSIGNMENT;

COMMENT ON FUNCTION @extschema@.clv_expected_purchases(@extschema@.clv_model, @extschema@.btyd_holdout) IS
	'BG/NBD expected purchases over the holdout period, from the calibration summary: the predicted side of the validation table';
COMMENT ON FUNCTION @extschema@.btyd_summary(@extschema@.btyd_holdout) IS
	'the calibration summary of a calibration/holdout summary';
COMMENT ON CAST (@extschema@.btyd_holdout AS @extschema@.btyd_summary) IS
	'the calibration summary of a calibration/holdout summary (clv_fit(h::btyd_summary))';
COMMENT ON TYPE @extschema@.clv_model IS
	'A fitted BG/NBD purchase model and Gamma-Gamma spend model: parameters, standard errors, log-likelihoods, customers, convergence, time unit';
COMMENT ON FUNCTION @extschema@.clv_model_in(cstring) IS 'text input of clv_model: name=value pairs, validated';
COMMENT ON FUNCTION @extschema@.clv_model_out(@extschema@.clv_model) IS 'text output of clv_model: every number in the shortest form that reads back exactly';
COMMENT ON FUNCTION @extschema@.clv_model_recv(internal) IS 'binary input of clv_model, validated';
COMMENT ON FUNCTION @extschema@.clv_model_send(@extschema@.clv_model) IS 'binary output of clv_model';
COMMENT ON FUNCTION @extschema@.clv_model_jsonb(@extschema@.clv_model) IS
	'the model as jsonb: parameters, standard errors, log-likelihood, customers and convergence of each sub-model';
COMMENT ON CAST (@extschema@.clv_model AS jsonb) IS 'the model as jsonb, for BI tools';
COMMENT ON FUNCTION @extschema@.clv_fit_trans(internal, @extschema@.btyd_summary) IS 'clv_fit transition';
COMMENT ON FUNCTION @extschema@.clv_fit_trans(internal, @extschema@.btyd_summary, float8) IS 'clv_fit transition';
COMMENT ON FUNCTION @extschema@.clv_fit_trans(internal, @extschema@.btyd_summary, float8, interval) IS 'clv_fit transition';
COMMENT ON FUNCTION @extschema@.clv_fit_combine(internal, internal) IS 'clv_fit combine (parallel and partial aggregation)';
COMMENT ON FUNCTION @extschema@.clv_fit_serialize(internal) IS 'clv_fit state serialization';
COMMENT ON FUNCTION @extschema@.clv_fit_deserialize(bytea, internal) IS 'clv_fit state deserialization';
COMMENT ON FUNCTION @extschema@.clv_fit_final(internal) IS 'clv_fit final: the maximum-likelihood fits';
COMMENT ON AGGREGATE @extschema@.clv_fit(@extschema@.btyd_summary) IS
	'Maximum-likelihood BG/NBD and Gamma-Gamma fits over customers'' summaries in days';
COMMENT ON AGGREGATE @extschema@.clv_fit(@extschema@.btyd_summary, float8) IS
	'Maximum-likelihood BG/NBD and Gamma-Gamma fits with an L2 penalizer on the parameters (lifetimes'' penalizer_coef)';
COMMENT ON AGGREGATE @extschema@.clv_fit(@extschema@.btyd_summary, float8, interval) IS
	'Maximum-likelihood BG/NBD and Gamma-Gamma fits of summaries in the given unit, with a penalizer';
COMMENT ON FUNCTION @extschema@.clv_expected_purchases(@extschema@.clv_model, @extschema@.btyd_summary, float8) IS
	'BG/NBD expected purchases in the next horizon units (Fader, Hardie & Lee 2005, eq. 10)';
COMMENT ON FUNCTION @extschema@.clv_p_alive(@extschema@.clv_model, @extschema@.btyd_summary) IS
	'BG/NBD probability that the customer is still active';
COMMENT ON FUNCTION @extschema@.clv_expected_spend(@extschema@.clv_model, @extschema@.btyd_summary) IS
	'Gamma-Gamma conditional expected average spend per purchase';
COMMENT ON FUNCTION @extschema@.clv_estimate(@extschema@.clv_model, @extschema@.btyd_summary, int, float8) IS
	'Discounted expected value over the next months (30-day months), as lifetimes'' customer_lifetime_value';
-- ---------------------------------------------------------------------------
-- Lifecycle stages: where each customer is in their journey, on any date
-- ---------------------------------------------------------------------------

CREATE TYPE @extschema@.lifecycle_stage AS ENUM
	('prospect', 'new', 'active', 'loyal', 'at_risk', 'lapsed', 'reactivated');

CREATE TYPE @extschema@.lifecycle_policy AS (
	new_window    interval,
	active_window interval,
	lapse_after   interval,
	loyal_orders  int,
	loyal_window  interval
);

CREATE TYPE @extschema@.lifecycle_transition AS (
	from_stage @extschema@.lifecycle_stage,
	to_stage   @extschema@.lifecycle_stage
);

CREATE FUNCTION @extschema@.lifecycle_policy(
	new_window    interval DEFAULT '30 days',
	active_window interval DEFAULT '90 days',
	lapse_after   interval DEFAULT '365 days',
	loyal_orders  int DEFAULT 5,
	loyal_window  interval DEFAULT '365 days')
	RETURNS @extschema@.lifecycle_policy
	AS 'MODULE_PATHNAME', 'lifecycle_policy_make' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- the aggregates over a customer's orders
CREATE FUNCTION @extschema@.lifecycle_stage_trans(internal, timestamptz, timestamptz)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.lifecycle_stage_trans(internal, timestamptz, timestamptz,
												  @extschema@.lifecycle_policy)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.lifecycle_transitions_trans(internal, timestamptz, timestamptz,
														timestamptz)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.lifecycle_transitions_trans(internal, timestamptz, timestamptz,
														timestamptz, @extschema@.lifecycle_policy)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.lifecycle_stage_combine(internal, internal)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.lifecycle_stage_serialize(internal)
	RETURNS bytea AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.lifecycle_stage_deserialize(bytea, internal)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.lifecycle_stage_final(internal)
	RETURNS @extschema@.lifecycle_stage AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.lifecycle_transitions_final(internal)
	RETURNS @extschema@.lifecycle_transition AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.lifecycle_stage(ordered_at timestamptz, as_of timestamptz) (
	SFUNC = @extschema@.lifecycle_stage_trans,
	STYPE = internal,
	SSPACE = 120,
	FINALFUNC = @extschema@.lifecycle_stage_final,
	COMBINEFUNC = @extschema@.lifecycle_stage_combine,
	SERIALFUNC = @extschema@.lifecycle_stage_serialize,
	DESERIALFUNC = @extschema@.lifecycle_stage_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.lifecycle_stage(ordered_at timestamptz, as_of timestamptz,
											 policy @extschema@.lifecycle_policy) (
	SFUNC = @extschema@.lifecycle_stage_trans,
	STYPE = internal,
	SSPACE = 160,
	FINALFUNC = @extschema@.lifecycle_stage_final,
	COMBINEFUNC = @extschema@.lifecycle_stage_combine,
	SERIALFUNC = @extschema@.lifecycle_stage_serialize,
	DESERIALFUNC = @extschema@.lifecycle_stage_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.lifecycle_transitions(ordered_at timestamptz, from_as_of timestamptz,
												   to_as_of timestamptz) (
	SFUNC = @extschema@.lifecycle_transitions_trans,
	STYPE = internal,
	SSPACE = 180,
	FINALFUNC = @extschema@.lifecycle_transitions_final,
	COMBINEFUNC = @extschema@.lifecycle_stage_combine,
	SERIALFUNC = @extschema@.lifecycle_stage_serialize,
	DESERIALFUNC = @extschema@.lifecycle_stage_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.lifecycle_transitions(ordered_at timestamptz, from_as_of timestamptz,
												   to_as_of timestamptz,
												   policy @extschema@.lifecycle_policy) (
	SFUNC = @extschema@.lifecycle_transitions_trans,
	STYPE = internal,
	SSPACE = 220,
	FINALFUNC = @extschema@.lifecycle_transitions_final,
	COMBINEFUNC = @extschema@.lifecycle_stage_combine,
	SERIALFUNC = @extschema@.lifecycle_stage_serialize,
	DESERIALFUNC = @extschema@.lifecycle_stage_deserialize,
	PARALLEL = SAFE
);

-- pre-aggregated figures
CREATE FUNCTION @extschema@.lifecycle_stage(
	first_order   timestamptz,
	last_order    timestamptz,
	order_count   bigint,
	as_of         timestamptz,
	new_window    interval DEFAULT '30 days',
	active_window interval DEFAULT '90 days',
	lapse_after   interval DEFAULT '365 days',
	loyal_orders  int DEFAULT 5,
	loyal_window  interval DEFAULT '365 days')
	RETURNS @extschema@.lifecycle_stage
	AS 'MODULE_PATHNAME', 'lifecycle_stage_summary' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON TYPE @extschema@.lifecycle_stage IS
	'A customer''s lifecycle stage: prospect, new, active, loyal, at_risk, lapsed, reactivated';
COMMENT ON TYPE @extschema@.lifecycle_policy IS
	'The windows and threshold that decide lifecycle stages; build it with lifecycle_policy()';
COMMENT ON TYPE @extschema@.lifecycle_transition IS
	'A customer''s lifecycle stage on two dates: from_stage and to_stage';
COMMENT ON FUNCTION @extschema@.lifecycle_policy(interval, interval, interval, int, interval) IS
	'A validated lifecycle policy, from named arguments with defaults (30 days, 90 days, 365 days, 5 orders, 365 days)';
COMMENT ON FUNCTION @extschema@.lifecycle_stage_trans(internal, timestamptz, timestamptz) IS
	'lifecycle_stage transition';
COMMENT ON FUNCTION @extschema@.lifecycle_stage_trans(internal, timestamptz, timestamptz, @extschema@.lifecycle_policy) IS
	'lifecycle_stage transition';
COMMENT ON FUNCTION @extschema@.lifecycle_transitions_trans(internal, timestamptz, timestamptz, timestamptz) IS
	'lifecycle_transitions transition';
COMMENT ON FUNCTION @extschema@.lifecycle_transitions_trans(internal, timestamptz, timestamptz, timestamptz, @extschema@.lifecycle_policy) IS
	'lifecycle_transitions transition';
COMMENT ON FUNCTION @extschema@.lifecycle_stage_combine(internal, internal) IS
	'lifecycle_stage and lifecycle_transitions combine (parallel and partial aggregation)';
COMMENT ON FUNCTION @extschema@.lifecycle_stage_serialize(internal) IS
	'lifecycle_stage and lifecycle_transitions state serialization';
COMMENT ON FUNCTION @extschema@.lifecycle_stage_deserialize(bytea, internal) IS
	'lifecycle_stage and lifecycle_transitions state deserialization';
COMMENT ON FUNCTION @extschema@.lifecycle_stage_final(internal) IS
	'lifecycle_stage final: the stage on as_of';
COMMENT ON FUNCTION @extschema@.lifecycle_transitions_final(internal) IS
	'lifecycle_transitions final: the stages on both dates';
COMMENT ON AGGREGATE @extschema@.lifecycle_stage(timestamptz, timestamptz) IS
	'A customer''s lifecycle stage on as_of from their order timestamps, default policy';
COMMENT ON AGGREGATE @extschema@.lifecycle_stage(timestamptz, timestamptz, @extschema@.lifecycle_policy) IS
	'A customer''s lifecycle stage on as_of from their order timestamps, under a policy';
COMMENT ON AGGREGATE @extschema@.lifecycle_transitions(timestamptz, timestamptz, timestamptz) IS
	'A customer''s lifecycle stages on two dates in one pass over their orders, default policy';
COMMENT ON AGGREGATE @extschema@.lifecycle_transitions(timestamptz, timestamptz, timestamptz, @extschema@.lifecycle_policy) IS
	'A customer''s lifecycle stages on two dates in one pass over their orders, under a policy';
COMMENT ON FUNCTION @extschema@.lifecycle_stage(timestamptz, timestamptz, bigint, timestamptz, interval, interval, interval, int, interval) IS
	'An approximate lifecycle stage from pre-aggregated figures (first and last order, order count): no reactivation, loyal counts all orders';
-- ---------------------------------------------------------------------------
-- RFM: recency, frequency and monetary scores by rank, and named segments
-- ---------------------------------------------------------------------------

CREATE TYPE @extschema@.rfm AS (
	recency   int,
	frequency int,
	monetary  numeric,
	r         smallint,
	f         smallint,
	m         smallint,
	cell      text,
	segment   text
);

CREATE TYPE @extschema@.rfm_thresholds;

CREATE FUNCTION @extschema@.rfm_thresholds_in(cstring) RETURNS @extschema@.rfm_thresholds
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.rfm_thresholds_out(@extschema@.rfm_thresholds) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.rfm_thresholds_recv(internal) RETURNS @extschema@.rfm_thresholds
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.rfm_thresholds_send(@extschema@.rfm_thresholds) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.rfm_thresholds (
	INPUT = @extschema@.rfm_thresholds_in,
	OUTPUT = @extschema@.rfm_thresholds_out,
	RECEIVE = @extschema@.rfm_thresholds_recv,
	SEND = @extschema@.rfm_thresholds_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);

-- the window function: numeric and double precision monetary values
CREATE FUNCTION @extschema@.rfm_score(recency float8, frequency float8, monetary numeric,
									  bins int DEFAULT 5)
	RETURNS @extschema@.rfm
	AS 'MODULE_PATHNAME', 'rfm_score_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.rfm_score(recency float8, frequency float8, monetary float8,
									  bins int DEFAULT 5)
	RETURNS @extschema@.rfm
	AS 'MODULE_PATHNAME', 'rfm_score_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;

-- scoring against stored thresholds
CREATE FUNCTION @extschema@.rfm_score(recency float8, frequency float8, monetary numeric,
									  thresholds @extschema@.rfm_thresholds)
	RETURNS @extschema@.rfm
	AS 'MODULE_PATHNAME', 'rfm_score_thresholds' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.rfm_score(recency float8, frequency float8, monetary float8,
									  thresholds @extschema@.rfm_thresholds)
	RETURNS @extschema@.rfm
	AS 'MODULE_PATHNAME', 'rfm_score_thresholds' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.rfm_thresholds_bins(@extschema@.rfm_thresholds) RETURNS int
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- the thresholds aggregate
CREATE FUNCTION @extschema@.rfm_thresholds_trans(internal, float8, float8, float8)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.rfm_thresholds_trans(internal, float8, float8, float8, int)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.rfm_thresholds_combine(internal, internal)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.rfm_thresholds_serialize(internal)
	RETURNS bytea AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.rfm_thresholds_deserialize(bytea, internal)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.rfm_thresholds_final(internal)
	RETURNS @extschema@.rfm_thresholds AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.rfm_thresholds(recency float8, frequency float8, monetary float8) (
	SFUNC = @extschema@.rfm_thresholds_trans,
	STYPE = internal,
	FINALFUNC = @extschema@.rfm_thresholds_final,
	COMBINEFUNC = @extschema@.rfm_thresholds_combine,
	SERIALFUNC = @extschema@.rfm_thresholds_serialize,
	DESERIALFUNC = @extschema@.rfm_thresholds_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.rfm_thresholds(recency float8, frequency float8, monetary float8, bins int) (
	SFUNC = @extschema@.rfm_thresholds_trans,
	STYPE = internal,
	FINALFUNC = @extschema@.rfm_thresholds_final,
	COMBINEFUNC = @extschema@.rfm_thresholds_combine,
	SERIALFUNC = @extschema@.rfm_thresholds_serialize,
	DESERIALFUNC = @extschema@.rfm_thresholds_deserialize,
	PARALLEL = SAFE
);

-- segments
CREATE FUNCTION @extschema@.rfm_segment(r int, f int, m int) RETURNS text
	AS 'MODULE_PATHNAME', 'rfm_segment_standard' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.rfm_segment(r int, f int, m int, segment_map jsonb) RETURNS text
	AS 'MODULE_PATHNAME', 'rfm_segment_map' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.rfm_standard_map() RETURNS jsonb
	AS 'MODULE_PATHNAME', 'rfm_standard_map_jsonb' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON TYPE @extschema@.rfm IS
	'An RFM score: the inputs, the scores r, f, m (1 = worst, bins = best), the cell (''545'') and the standard segment (5 bins)';
COMMENT ON TYPE @extschema@.rfm_thresholds IS
	'Stored RFM breakpoints of a population (bins - 1 per dimension), to score new customers or keep scores stable across refreshes';
COMMENT ON FUNCTION @extschema@.rfm_thresholds_in(cstring) IS 'text input of rfm_thresholds';
COMMENT ON FUNCTION @extschema@.rfm_thresholds_out(@extschema@.rfm_thresholds) IS 'text output of rfm_thresholds';
COMMENT ON FUNCTION @extschema@.rfm_thresholds_recv(internal) IS 'binary input of rfm_thresholds';
COMMENT ON FUNCTION @extschema@.rfm_thresholds_send(@extschema@.rfm_thresholds) IS 'binary output of rfm_thresholds';
COMMENT ON FUNCTION @extschema@.rfm_score(float8, float8, numeric, int) IS
	'Window function: RFM scores of each row by rank within its partition (ties never split; recency: lower is better)';
COMMENT ON FUNCTION @extschema@.rfm_score(float8, float8, float8, int) IS
	'Window function: RFM scores of each row by rank within its partition (ties never split; recency: lower is better)';
COMMENT ON FUNCTION @extschema@.rfm_score(float8, float8, numeric, @extschema@.rfm_thresholds) IS
	'RFM scores against stored thresholds';
COMMENT ON FUNCTION @extschema@.rfm_score(float8, float8, float8, @extschema@.rfm_thresholds) IS
	'RFM scores against stored thresholds';
COMMENT ON FUNCTION @extschema@.rfm_thresholds_bins(@extschema@.rfm_thresholds) IS
	'the number of bins of stored RFM thresholds';
COMMENT ON FUNCTION @extschema@.rfm_thresholds_trans(internal, float8, float8, float8) IS 'rfm_thresholds transition';
COMMENT ON FUNCTION @extschema@.rfm_thresholds_trans(internal, float8, float8, float8, int) IS 'rfm_thresholds transition';
COMMENT ON FUNCTION @extschema@.rfm_thresholds_combine(internal, internal) IS 'rfm_thresholds combine (parallel and partial aggregation)';
COMMENT ON FUNCTION @extschema@.rfm_thresholds_serialize(internal) IS 'rfm_thresholds state serialization';
COMMENT ON FUNCTION @extschema@.rfm_thresholds_deserialize(bytea, internal) IS 'rfm_thresholds state deserialization';
COMMENT ON FUNCTION @extschema@.rfm_thresholds_final(internal) IS 'rfm_thresholds final: order statistics of the population';
COMMENT ON AGGREGATE @extschema@.rfm_thresholds(float8, float8, float8) IS
	'RFM breakpoints of a population, 5 bins';
COMMENT ON AGGREGATE @extschema@.rfm_thresholds(float8, float8, float8, int) IS
	'RFM breakpoints of a population, with bins from 2 to 10';
COMMENT ON FUNCTION @extschema@.rfm_segment(int, int, int) IS
	'the named segment of a 5-bin RFM score in the standard 11-segment map';
COMMENT ON FUNCTION @extschema@.rfm_segment(int, int, int, jsonb) IS
	'the named segment of an RFM score in a user-supplied map (jsonb array of ranges, first match wins); NULL if no entry covers it';
COMMENT ON FUNCTION @extschema@.rfm_standard_map() IS
	'the standard segment map as jsonb, to copy and adapt';
-- ---------------------------------------------------------------------------
-- Segment rules: the segment_rule type (text in, canonical text out, a
-- validated binary form), its comparison and hashing, and the attributes a
-- rule names.  Binding and evaluation (segment_match, @@) are in the files
-- that follow this one.
-- ---------------------------------------------------------------------------

CREATE TYPE @extschema@.segment_rule;

CREATE FUNCTION @extschema@.segment_rule_in(cstring) RETURNS @extschema@.segment_rule
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_rule_out(@extschema@.segment_rule) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_rule_recv(internal) RETURNS @extschema@.segment_rule
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_rule_send(@extschema@.segment_rule) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.segment_rule (
	INPUT = @extschema@.segment_rule_in,
	OUTPUT = @extschema@.segment_rule_out,
	RECEIVE = @extschema@.segment_rule_recv,
	SEND = @extschema@.segment_rule_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = int4,
	STORAGE = extended
);

-- the binary form as bytea (database encoding), and back with validation
CREATE FUNCTION @extschema@.segment_rule_to_bytea(@extschema@.segment_rule) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_rule_from_bytea(bytea) RETURNS @extschema@.segment_rule
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (@extschema@.segment_rule AS bytea)
	WITH FUNCTION @extschema@.segment_rule_to_bytea(@extschema@.segment_rule);
CREATE CAST (bytea AS @extschema@.segment_rule)
	WITH FUNCTION @extschema@.segment_rule_from_bytea(bytea);

CREATE FUNCTION @extschema@.segment_rule_attributes(@extschema@.segment_rule) RETURNS text[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- comparison: equal rules have equal canonical forms; the order is arbitrary
-- but total, so that rules can be sorted, grouped and unique-indexed
CREATE FUNCTION @extschema@.segment_rule_eq(@extschema@.segment_rule, @extschema@.segment_rule)
	RETURNS bool AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_rule_ne(@extschema@.segment_rule, @extschema@.segment_rule)
	RETURNS bool AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_rule_lt(@extschema@.segment_rule, @extschema@.segment_rule)
	RETURNS bool AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_rule_le(@extschema@.segment_rule, @extschema@.segment_rule)
	RETURNS bool AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_rule_gt(@extschema@.segment_rule, @extschema@.segment_rule)
	RETURNS bool AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_rule_ge(@extschema@.segment_rule, @extschema@.segment_rule)
	RETURNS bool AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_rule_cmp(@extschema@.segment_rule, @extschema@.segment_rule)
	RETURNS int AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_rule_hash(@extschema@.segment_rule)
	RETURNS int AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_rule_hash_extended(@extschema@.segment_rule, bigint)
	RETURNS bigint AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;

CREATE OPERATOR @extschema@.= (
	LEFTARG = @extschema@.segment_rule, RIGHTARG = @extschema@.segment_rule,
	FUNCTION = @extschema@.segment_rule_eq,
	COMMUTATOR = OPERATOR(@extschema@.=), NEGATOR = OPERATOR(@extschema@.<>),
	RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR @extschema@.<> (
	LEFTARG = @extschema@.segment_rule, RIGHTARG = @extschema@.segment_rule,
	FUNCTION = @extschema@.segment_rule_ne,
	COMMUTATOR = OPERATOR(@extschema@.<>), NEGATOR = OPERATOR(@extschema@.=),
	RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);
CREATE OPERATOR @extschema@.< (
	LEFTARG = @extschema@.segment_rule, RIGHTARG = @extschema@.segment_rule,
	FUNCTION = @extschema@.segment_rule_lt,
	COMMUTATOR = OPERATOR(@extschema@.>), NEGATOR = OPERATOR(@extschema@.>=),
	RESTRICT = pg_catalog.scalarltsel, JOIN = pg_catalog.scalarltjoinsel
);
CREATE OPERATOR @extschema@.<= (
	LEFTARG = @extschema@.segment_rule, RIGHTARG = @extschema@.segment_rule,
	FUNCTION = @extschema@.segment_rule_le,
	COMMUTATOR = OPERATOR(@extschema@.>=), NEGATOR = OPERATOR(@extschema@.>),
	RESTRICT = pg_catalog.scalarlesel, JOIN = pg_catalog.scalarlejoinsel
);
CREATE OPERATOR @extschema@.> (
	LEFTARG = @extschema@.segment_rule, RIGHTARG = @extschema@.segment_rule,
	FUNCTION = @extschema@.segment_rule_gt,
	COMMUTATOR = OPERATOR(@extschema@.<), NEGATOR = OPERATOR(@extschema@.<=),
	RESTRICT = pg_catalog.scalargtsel, JOIN = pg_catalog.scalargtjoinsel
);
CREATE OPERATOR @extschema@.>= (
	LEFTARG = @extschema@.segment_rule, RIGHTARG = @extschema@.segment_rule,
	FUNCTION = @extschema@.segment_rule_ge,
	COMMUTATOR = OPERATOR(@extschema@.<=), NEGATOR = OPERATOR(@extschema@.<),
	RESTRICT = pg_catalog.scalargesel, JOIN = pg_catalog.scalargejoinsel
);

CREATE OPERATOR CLASS @extschema@.segment_rule_ops
	DEFAULT FOR TYPE @extschema@.segment_rule USING btree AS
		OPERATOR 1 @extschema@.<,
		OPERATOR 2 @extschema@.<=,
		OPERATOR 3 @extschema@.=,
		OPERATOR 4 @extschema@.>=,
		OPERATOR 5 @extschema@.>,
		FUNCTION 1 @extschema@.segment_rule_cmp(@extschema@.segment_rule, @extschema@.segment_rule);

CREATE OPERATOR CLASS @extschema@.segment_rule_ops
	DEFAULT FOR TYPE @extschema@.segment_rule USING hash AS
		OPERATOR 1 @extschema@.=,
		FUNCTION 1 @extschema@.segment_rule_hash(@extschema@.segment_rule),
		FUNCTION 2 @extschema@.segment_rule_hash_extended(@extschema@.segment_rule, bigint);

COMMENT ON TYPE @extschema@.segment_rule IS
	'a segment rule (country in (''DE'', ''AT'') and not unsubscribed): text in, canonical text out';
COMMENT ON FUNCTION @extschema@.segment_rule_in(cstring) IS
	'text input of segment_rule: parses the rule language';
COMMENT ON FUNCTION @extschema@.segment_rule_out(@extschema@.segment_rule) IS
	'text output of segment_rule: the canonical text of the rule';
COMMENT ON FUNCTION @extschema@.segment_rule_recv(internal) IS
	'binary input of segment_rule: validates every byte it receives';
COMMENT ON FUNCTION @extschema@.segment_rule_send(@extschema@.segment_rule) IS
	'binary output of segment_rule';
COMMENT ON FUNCTION @extschema@.segment_rule_to_bytea(@extschema@.segment_rule) IS
	'the binary form of a segment rule, in the database encoding';
COMMENT ON FUNCTION @extschema@.segment_rule_from_bytea(bytea) IS
	'a segment rule from its binary form, validating every byte';
COMMENT ON CAST (@extschema@.segment_rule AS bytea) IS
	'the binary form of a segment rule, in the database encoding';
COMMENT ON CAST (bytea AS @extschema@.segment_rule) IS
	'a segment rule from its binary form, validating every byte';
COMMENT ON FUNCTION @extschema@.segment_rule_attributes(@extschema@.segment_rule) IS
	'the attributes a segment rule names, dotted paths, in order of first appearance';
COMMENT ON FUNCTION @extschema@.segment_rule_eq(@extschema@.segment_rule, @extschema@.segment_rule) IS
	'equal: the rules have the same canonical form';
COMMENT ON FUNCTION @extschema@.segment_rule_ne(@extschema@.segment_rule, @extschema@.segment_rule) IS
	'not equal: the rules have different canonical forms';
COMMENT ON FUNCTION @extschema@.segment_rule_lt(@extschema@.segment_rule, @extschema@.segment_rule) IS
	'less than, in the arbitrary total order of segment rules';
COMMENT ON FUNCTION @extschema@.segment_rule_le(@extschema@.segment_rule, @extschema@.segment_rule) IS
	'less than or equal, in the arbitrary total order of segment rules';
COMMENT ON FUNCTION @extschema@.segment_rule_gt(@extschema@.segment_rule, @extschema@.segment_rule) IS
	'greater than, in the arbitrary total order of segment rules';
COMMENT ON FUNCTION @extschema@.segment_rule_ge(@extschema@.segment_rule, @extschema@.segment_rule) IS
	'greater than or equal, in the arbitrary total order of segment rules';
COMMENT ON FUNCTION @extschema@.segment_rule_cmp(@extschema@.segment_rule, @extschema@.segment_rule) IS
	'btree comparison of segment rules (-1, 0, 1)';
COMMENT ON FUNCTION @extschema@.segment_rule_hash(@extschema@.segment_rule) IS
	'hash of a segment rule, for hash joins, hash aggregation and hash indexes';
COMMENT ON FUNCTION @extschema@.segment_rule_hash_extended(@extschema@.segment_rule, bigint) IS
	'seeded 64-bit hash of a segment rule, for hash partitioning';
COMMENT ON OPERATOR @extschema@.=(@extschema@.segment_rule, @extschema@.segment_rule) IS
	'equal: same canonical form';
COMMENT ON OPERATOR @extschema@.<>(@extschema@.segment_rule, @extschema@.segment_rule) IS
	'not equal: different canonical forms';
COMMENT ON OPERATOR @extschema@.<(@extschema@.segment_rule, @extschema@.segment_rule) IS
	'less than (arbitrary total order)';
COMMENT ON OPERATOR @extschema@.<=(@extschema@.segment_rule, @extschema@.segment_rule) IS
	'less than or equal (arbitrary total order)';
COMMENT ON OPERATOR @extschema@.>(@extschema@.segment_rule, @extschema@.segment_rule) IS
	'greater than (arbitrary total order)';
COMMENT ON OPERATOR @extschema@.>=(@extschema@.segment_rule, @extschema@.segment_rule) IS
	'greater than or equal (arbitrary total order)';
COMMENT ON OPERATOR CLASS @extschema@.segment_rule_ops USING btree IS
	'btree operator class of segment_rule: unique indexes, sorting, grouping';
COMMENT ON OPERATOR CLASS @extschema@.segment_rule_ops USING hash IS
	'hash operator class of segment_rule: hash joins, hash aggregation';
COMMENT ON OPERATOR FAMILY @extschema@.segment_rule_ops USING btree IS
	'btree operator family of segment_rule';
COMMENT ON OPERATOR FAMILY @extschema@.segment_rule_ops USING hash IS
	'hash operator family of segment_rule';
-- ---------------------------------------------------------------------------
-- Segment rules, evaluated: segment_match over a row or a jsonb document,
-- the @@ operator of the same test, segment_rule_check, and the ICU
-- functions that ~= and ilike bind to.
--
-- One @@ serves rows and jsonb documents (its function dispatches on the
-- type): a second operator jsonb @@ segment_rule would make every existing
-- jsonb @@ 'jsonpath' query with an untyped literal ambiguous.
--
-- Volatility: STABLE.  A rule binds its literals with the attribute type's
-- input function and its operators from the catalog, as a query does when it
-- is planned: a date literal read against a timestamptz column, a timestamp
-- string in a jsonb document, and "within" all depend on TimeZone and
-- DateStyle, and the overloads without as_of read the transaction timestamp.
-- Within one statement none of these change, which is what STABLE promises.
-- ---------------------------------------------------------------------------

-- the planner support that inlines a constant rule over a table row
CREATE FUNCTION @extschema@.segment_match_support(internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'segment_match_support' LANGUAGE C STRICT;

CREATE FUNCTION @extschema@.segment_match(rule @extschema@.segment_rule, "row" anyelement)
	RETURNS boolean AS 'MODULE_PATHNAME', 'segment_match_row'
	LANGUAGE C STABLE PARALLEL SAFE SUPPORT @extschema@.segment_match_support;
CREATE FUNCTION @extschema@.segment_match(rule @extschema@.segment_rule, "row" anyelement, as_of timestamptz)
	RETURNS boolean AS 'MODULE_PATHNAME', 'segment_match_row'
	LANGUAGE C STABLE PARALLEL SAFE SUPPORT @extschema@.segment_match_support;
CREATE FUNCTION @extschema@.segment_match(rule @extschema@.segment_rule, doc jsonb)
	RETURNS boolean AS 'MODULE_PATHNAME', 'segment_match_jsonb'
	LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_match(rule @extschema@.segment_rule, doc jsonb, as_of timestamptz)
	RETURNS boolean AS 'MODULE_PATHNAME', 'segment_match_jsonb'
	LANGUAGE C STABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.segment_rule_match_row("row" anyelement, rule @extschema@.segment_rule)
	RETURNS boolean AS 'MODULE_PATHNAME', 'segment_rule_match_row'
	LANGUAGE C STABLE PARALLEL SAFE SUPPORT @extschema@.segment_match_support;

CREATE OPERATOR @extschema@.@@ (
	LEFTARG = anyelement, RIGHTARG = @extschema@.segment_rule,
	FUNCTION = @extschema@.segment_rule_match_row
);

CREATE FUNCTION @extschema@.segment_rule_check(rule @extschema@.segment_rule, rel regclass)
	RETURNS boolean AS 'MODULE_PATHNAME', 'segment_rule_check'
	LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.segment_sql(rule @extschema@.segment_rule, rel regclass)
	RETURNS text AS 'MODULE_PATHNAME', 'segment_sql' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_sql(rule @extschema@.segment_rule, rel regclass, as_of timestamptz)
	RETURNS text AS 'MODULE_PATHNAME', 'segment_sql' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_estimate(rule @extschema@.segment_rule, rel regclass)
	RETURNS bigint AS 'MODULE_PATHNAME', 'segment_estimate' LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;

-- catalogues: names and rules in priority order
CREATE FUNCTION @extschema@.segment_classify(names text[], rules @extschema@.segment_rule[], "row" anyelement)
	RETURNS text AS 'MODULE_PATHNAME', 'segment_classify' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_classify(names text[], rules @extschema@.segment_rule[], "row" anyelement,
											 as_of timestamptz)
	RETURNS text AS 'MODULE_PATHNAME', 'segment_classify' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_memberships(names text[], rules @extschema@.segment_rule[], "row" anyelement)
	RETURNS text[] AS 'MODULE_PATHNAME', 'segment_memberships' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_memberships(names text[], rules @extschema@.segment_rule[], "row" anyelement,
												as_of timestamptz)
	RETURNS text[] AS 'MODULE_PATHNAME', 'segment_memberships' LANGUAGE C STABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.segment_icu_equal(a text, b text, locale text DEFAULT '')
	RETURNS boolean AS 'MODULE_PATHNAME', 'segment_icu_equal'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_icu_ilike(s text, pattern text, locale text DEFAULT '')
	RETURNS boolean AS 'MODULE_PATHNAME', 'segment_icu_ilike'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.segment_match(@extschema@.segment_rule, anyelement) IS
	'does the row (of any table, view or composite type) match the rule? NULL where the SQL it reads like is NULL; within counts back from the transaction timestamp';
COMMENT ON FUNCTION @extschema@.segment_match(@extschema@.segment_rule, anyelement, timestamptz) IS
	'does the row match the rule on the date as_of (within counts back from it)?';
COMMENT ON FUNCTION @extschema@.segment_match(@extschema@.segment_rule, jsonb) IS
	'does the jsonb document match the rule? names are keys, dotted paths nested keys, a missing key is NULL';
COMMENT ON FUNCTION @extschema@.segment_match(@extschema@.segment_rule, jsonb, timestamptz) IS
	'does the jsonb document match the rule on the date as_of?';
COMMENT ON FUNCTION @extschema@.segment_rule_match_row(anyelement, @extschema@.segment_rule) IS
	'implementation of the @@ operator: a row or a jsonb document matches a segment rule';
COMMENT ON OPERATOR @extschema@.@@(anyelement, @extschema@.segment_rule) IS
	'row or jsonb document matches segment rule (segment_match with the transaction timestamp)';
COMMENT ON FUNCTION @extschema@.segment_match_support(internal) IS
	'planner support of segment_match: inlines a constant rule over a table row as native quals (segmentation.inline_rules)';
COMMENT ON FUNCTION @extschema@.segment_rule_check(@extschema@.segment_rule, regclass) IS
	'true if the rule binds to the relation''s columns; otherwise the error segment_match would raise';
COMMENT ON FUNCTION @extschema@.segment_sql(@extschema@.segment_rule, regclass) IS
	'the native SQL boolean expression the rule means over the relation''s columns (within relative to now())';
COMMENT ON FUNCTION @extschema@.segment_sql(@extschema@.segment_rule, regclass, timestamptz) IS
	'the native SQL boolean expression the rule means over the relation''s columns on the date as_of';
COMMENT ON FUNCTION @extschema@.segment_estimate(@extschema@.segment_rule, regclass) IS
	'the planner''s estimate of how many rows of the relation match the rule, from its statistics, without a scan';
COMMENT ON FUNCTION @extschema@.segment_classify(text[], @extschema@.segment_rule[], anyelement) IS
	'the name of the first segment of the catalogue (names and rules in priority order) whose rule the row matches, or NULL';
COMMENT ON FUNCTION @extschema@.segment_classify(text[], @extschema@.segment_rule[], anyelement, timestamptz) IS
	'the name of the first segment of the catalogue whose rule the row matches on the date as_of, or NULL';
COMMENT ON FUNCTION @extschema@.segment_memberships(text[], @extschema@.segment_rule[], anyelement) IS
	'the names of every segment of the catalogue whose rule the row matches, in catalogue order';
COMMENT ON FUNCTION @extschema@.segment_memberships(text[], @extschema@.segment_rule[], anyelement, timestamptz) IS
	'the names of every segment of the catalogue whose rule the row matches on the date as_of';
COMMENT ON FUNCTION @extschema@.segment_icu_equal(text, text, text) IS
	'equal at ICU primary strength (case and accents ignored), the ~= of segment rules; locale '''' is the root collation';
COMMENT ON FUNCTION @extschema@.segment_icu_ilike(text, text, text) IS
	'LIKE over ICU full case folding (''STRASSE'' matches ''straße''), the ilike of segment rules';
-- ---------------------------------------------------------------------------
-- Live membership: a trigger that keeps a membership table current as the
-- rows of a customer table change, and announces each entry and exit.
-- ---------------------------------------------------------------------------

-- CREATE TRIGGER ... AFTER INSERT OR UPDATE OR DELETE ON customers
--     FOR EACH ROW EXECUTE FUNCTION segment_membership_trigger(
--         'segments',            -- catalogue: (name text, priority int, rule segment_rule)
--         'segment_membership',  -- membership: (customer_key text, segment text,
--                                --              entered_at timestamptz, left_at timestamptz)
--         'customer_id',         -- the customer table's key column
--         'segment_membership'); -- the NOTIFY channel
CREATE FUNCTION @extschema@.segment_membership_trigger() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
	catalogue regclass;
	membership regclass;
	key_col text := TG_ARGV[2];
	channel text := coalesce(TG_ARGV[3], 'segment_membership');
	old_key text;
	new_key text;
	now_in text[] := '{}';
	open_in text[];
	s text;
BEGIN
	IF TG_NARGS < 3 THEN
		RAISE EXCEPTION 'segment_membership_trigger needs a catalogue, a membership table and a key column'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	-- unqualified names are the triggering table's schema's (the function's
	-- own search_path is pinned to pg_catalog)
	catalogue := CASE WHEN strpos(TG_ARGV[0], '.') > 0 THEN TG_ARGV[0]
				 ELSE quote_ident(TG_TABLE_SCHEMA) || '.' || quote_ident(TG_ARGV[0]) END::regclass;
	membership := CASE WHEN strpos(TG_ARGV[1], '.') > 0 THEN TG_ARGV[1]
				  ELSE quote_ident(TG_TABLE_SCHEMA) || '.' || quote_ident(TG_ARGV[1]) END::regclass;
	IF TG_OP <> 'INSERT' THEN
		old_key := to_jsonb(OLD) ->> key_col;
	END IF;
	IF TG_OP <> 'DELETE' THEN
		new_key := to_jsonb(NEW) ->> key_col;
		IF new_key IS NULL THEN
			RAISE EXCEPTION 'segment_membership_trigger: column "%" of % is missing or NULL', key_col, TG_TABLE_NAME
				USING ERRCODE = 'null_value_not_allowed';
		END IF;
		EXECUTE format('SELECT @extschema@.segment_memberships(array_agg(name ORDER BY priority, name), '
					   'array_agg(rule ORDER BY priority, name), $1) FROM %s', catalogue)
			INTO now_in USING NEW;
		now_in := coalesce(now_in, '{}');
	END IF;

	-- a row that left (deleted, or its key changed): every open membership ends
	IF old_key IS NOT NULL AND old_key IS DISTINCT FROM new_key THEN
		FOR s IN EXECUTE format('UPDATE %s SET left_at = clock_timestamp() WHERE customer_key = $1 '
								'AND left_at IS NULL RETURNING segment', membership) USING old_key
		LOOP
			PERFORM pg_notify(channel, jsonb_build_object('event', 'leave', 'key', old_key, 'segment', s,
														  'table', TG_TABLE_NAME, 'at', clock_timestamp())::text);
		END LOOP;
	END IF;
	IF new_key IS NULL THEN
		RETURN NULL;
	END IF;

	EXECUTE format('SELECT coalesce(array_agg(segment), ''{}'') FROM %s WHERE customer_key = $1 AND left_at IS NULL',
				   membership) INTO open_in USING new_key;
	FOREACH s IN ARRAY now_in LOOP
		IF NOT s = ANY (open_in) THEN
			EXECUTE format('INSERT INTO %s (customer_key, segment, entered_at) VALUES ($1, $2, clock_timestamp())',
						   membership) USING new_key, s;
			PERFORM pg_notify(channel, jsonb_build_object('event', 'enter', 'key', new_key, 'segment', s,
														  'table', TG_TABLE_NAME, 'at', clock_timestamp())::text);
		END IF;
	END LOOP;
	FOREACH s IN ARRAY open_in LOOP
		IF NOT s = ANY (now_in) THEN
			EXECUTE format('UPDATE %s SET left_at = clock_timestamp() WHERE customer_key = $1 AND segment = $2 '
						   'AND left_at IS NULL', membership) USING new_key, s;
			PERFORM pg_notify(channel, jsonb_build_object('event', 'leave', 'key', new_key, 'segment', s,
														  'table', TG_TABLE_NAME, 'at', clock_timestamp())::text);
		END IF;
	END LOOP;
	RETURN NULL;
END
$fn$;

COMMENT ON FUNCTION @extschema@.segment_membership_trigger() IS
	'AFTER ROW trigger: keeps a membership table (customer_key, segment, entered_at, left_at) current against a catalogue of saved segments and NOTIFYs each entry and exit (arguments: catalogue, membership table, key column [, channel])';
