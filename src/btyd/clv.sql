-- ---------------------------------------------------------------------------
-- Customer lifetime value: BTYD summaries of customers' orders
-- ---------------------------------------------------------------------------

-- unit_days, the unit of recency and t in days, was added in 0.2.0: a
-- summary stored by 0.1.0 has it NULL (see README, "The unit travels with
-- the summary")
CREATE TYPE @extschema@.btyd_summary AS (
	frequency int,
	recency   float8,
	t         float8,
	monetary  float8,
	unit_days float8
);

CREATE TYPE @extschema@.btyd_holdout AS (
	frequency          int,
	recency            float8,
	t                  float8,
	monetary           float8,
	frequency_holdout  int,
	monetary_holdout   float8,
	duration_holdout   float8,
	unit_days          float8
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
	'A customer''s BTYD summary: frequency (repeat purchase days), recency and t (in units), monetary (mean spend of repeat days), unit_days (the unit; NULL in a summary stored by 0.1.0)';
COMMENT ON TYPE @extschema@.btyd_holdout IS
	'A BTYD summary at the calibration end, with the purchase days, mean spend per day and length of the holdout period, and the unit in days';
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
	'expected purchases over the holdout period under the model''s kind, from the calibration summary: the predicted side of the validation table';
COMMENT ON FUNCTION @extschema@.btyd_summary(@extschema@.btyd_holdout) IS
	'the calibration summary of a calibration/holdout summary';
COMMENT ON CAST (@extschema@.btyd_holdout AS @extschema@.btyd_summary) IS
	'the calibration summary of a calibration/holdout summary (clv_fit(h::btyd_summary))';
COMMENT ON TYPE @extschema@.clv_model IS
	'A fitted purchase model of a kind (BG/NBD or its no-dropout boundary, the NBD; Pareto/NBD; MBG/NBD) and Gamma-Gamma spend model: parameters, standard errors, log-likelihoods, customers, convergence, time unit';
COMMENT ON FUNCTION @extschema@.clv_model_in(cstring) IS 'text input of clv_model: name=value pairs, validated';
COMMENT ON FUNCTION @extschema@.clv_model_out(@extschema@.clv_model) IS 'text output of clv_model: every number in the shortest form that reads back exactly';
COMMENT ON FUNCTION @extschema@.clv_model_recv(internal) IS 'binary input of clv_model, validated';
COMMENT ON FUNCTION @extschema@.clv_model_send(@extschema@.clv_model) IS 'binary output of clv_model';
COMMENT ON FUNCTION @extschema@.clv_model_jsonb(@extschema@.clv_model) IS
	'the model as jsonb: its kind, and the parameters, standard errors, log-likelihood, AIC, BIC, customers and convergence of each sub-model, and whether a BG/NBD fit is at its no-dropout boundary';
COMMENT ON CAST (@extschema@.clv_model AS jsonb) IS 'the model as jsonb, for BI tools';
COMMENT ON FUNCTION @extschema@.clv_fit_trans(internal, @extschema@.btyd_summary) IS 'clv_fit transition';
COMMENT ON FUNCTION @extschema@.clv_fit_trans(internal, @extschema@.btyd_summary, float8) IS 'clv_fit transition';
COMMENT ON FUNCTION @extschema@.clv_fit_trans(internal, @extschema@.btyd_summary, float8, interval) IS 'clv_fit transition';
COMMENT ON FUNCTION @extschema@.clv_fit_combine(internal, internal) IS 'clv_fit combine (parallel and partial aggregation)';
COMMENT ON FUNCTION @extschema@.clv_fit_serialize(internal) IS 'clv_fit state serialization';
COMMENT ON FUNCTION @extschema@.clv_fit_deserialize(bytea, internal) IS 'clv_fit state deserialization';
COMMENT ON FUNCTION @extschema@.clv_fit_final(internal) IS 'clv_fit final: the maximum-likelihood fits';
COMMENT ON AGGREGATE @extschema@.clv_fit(@extschema@.btyd_summary) IS
	'Maximum-likelihood BG/NBD and Gamma-Gamma fits over customers'' summaries, in the summaries'' unit';
COMMENT ON AGGREGATE @extschema@.clv_fit(@extschema@.btyd_summary, float8) IS
	'Maximum-likelihood BG/NBD and Gamma-Gamma fits with an L2 penalizer on the parameters (lifetimes'' penalizer_coef)';
COMMENT ON AGGREGATE @extschema@.clv_fit(@extschema@.btyd_summary, float8, interval) IS
	'Maximum-likelihood BG/NBD and Gamma-Gamma fits with a penalizer; unit must be the summaries'' (it gives the unit of summaries stored by 0.1.0)';
COMMENT ON FUNCTION @extschema@.clv_expected_purchases(@extschema@.clv_model, @extschema@.btyd_summary, float8) IS
	'expected purchases in the next horizon units under the model''s kind (BG/NBD: Fader, Hardie & Lee 2005, eq. 10; Pareto/NBD; MBG/NBD)';
COMMENT ON FUNCTION @extschema@.clv_p_alive(@extschema@.clv_model, @extschema@.btyd_summary) IS
	'probability that the customer is still active, under the model''s kind';
COMMENT ON FUNCTION @extschema@.clv_expected_spend(@extschema@.clv_model, @extschema@.btyd_summary) IS
	'Gamma-Gamma conditional expected average spend per purchase';
COMMENT ON FUNCTION @extschema@.clv_estimate(@extschema@.clv_model, @extschema@.btyd_summary, int, float8) IS
	'Discounted expected value over the next months (30-day months, 0 to 1200), as lifetimes'' customer_lifetime_value';

-- ---------------------------------------------------------------------------
-- Model kinds: Pareto/NBD and MBG/NBD fits (clv_model format version 3)
-- ---------------------------------------------------------------------------

-- One aggregate per purchase model, named by it, with clv_fit's arguments
-- and state: a kind as a text argument would make clv_fit(s, '0.1') (a
-- penalizer today) resolve to the text form (see doc/clv.md, "Which model?")
CREATE FUNCTION @extschema@.clv_fit_pareto_nbd_final(internal)
	RETURNS @extschema@.clv_model AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.clv_fit_mbgnbd_final(internal)
	RETURNS @extschema@.clv_model AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.clv_fit_pareto_nbd(summary @extschema@.btyd_summary) (
	SFUNC = @extschema@.clv_fit_trans, STYPE = internal, SSPACE = 1024,
	FINALFUNC = @extschema@.clv_fit_pareto_nbd_final, COMBINEFUNC = @extschema@.clv_fit_combine,
	SERIALFUNC = @extschema@.clv_fit_serialize, DESERIALFUNC = @extschema@.clv_fit_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.clv_fit_pareto_nbd(summary @extschema@.btyd_summary, penalizer float8) (
	SFUNC = @extschema@.clv_fit_trans, STYPE = internal, SSPACE = 1024,
	FINALFUNC = @extschema@.clv_fit_pareto_nbd_final, COMBINEFUNC = @extschema@.clv_fit_combine,
	SERIALFUNC = @extschema@.clv_fit_serialize, DESERIALFUNC = @extschema@.clv_fit_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.clv_fit_pareto_nbd(summary @extschema@.btyd_summary, penalizer float8,
												unit interval) (
	SFUNC = @extschema@.clv_fit_trans, STYPE = internal, SSPACE = 1024,
	FINALFUNC = @extschema@.clv_fit_pareto_nbd_final, COMBINEFUNC = @extschema@.clv_fit_combine,
	SERIALFUNC = @extschema@.clv_fit_serialize, DESERIALFUNC = @extschema@.clv_fit_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.clv_fit_mbgnbd(summary @extschema@.btyd_summary) (
	SFUNC = @extschema@.clv_fit_trans, STYPE = internal, SSPACE = 1024,
	FINALFUNC = @extschema@.clv_fit_mbgnbd_final, COMBINEFUNC = @extschema@.clv_fit_combine,
	SERIALFUNC = @extschema@.clv_fit_serialize, DESERIALFUNC = @extschema@.clv_fit_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.clv_fit_mbgnbd(summary @extschema@.btyd_summary, penalizer float8) (
	SFUNC = @extschema@.clv_fit_trans, STYPE = internal, SSPACE = 1024,
	FINALFUNC = @extschema@.clv_fit_mbgnbd_final, COMBINEFUNC = @extschema@.clv_fit_combine,
	SERIALFUNC = @extschema@.clv_fit_serialize, DESERIALFUNC = @extschema@.clv_fit_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.clv_fit_mbgnbd(summary @extschema@.btyd_summary, penalizer float8,
											unit interval) (
	SFUNC = @extschema@.clv_fit_trans, STYPE = internal, SSPACE = 1024,
	FINALFUNC = @extschema@.clv_fit_mbgnbd_final, COMBINEFUNC = @extschema@.clv_fit_combine,
	SERIALFUNC = @extschema@.clv_fit_serialize, DESERIALFUNC = @extschema@.clv_fit_deserialize,
	PARALLEL = SAFE
);

COMMENT ON FUNCTION @extschema@.clv_fit_pareto_nbd_final(internal) IS
	'clv_fit_pareto_nbd final: the maximum-likelihood Pareto/NBD and Gamma-Gamma fits';
COMMENT ON FUNCTION @extschema@.clv_fit_mbgnbd_final(internal) IS
	'clv_fit_mbgnbd final: the maximum-likelihood MBG/NBD and Gamma-Gamma fits';
COMMENT ON AGGREGATE @extschema@.clv_fit_pareto_nbd(@extschema@.btyd_summary) IS
	'Maximum-likelihood Pareto/NBD (Schmittlein, Morrison & Colombo 1987) and Gamma-Gamma fits over customers'' summaries, in the summaries'' unit';
COMMENT ON AGGREGATE @extschema@.clv_fit_pareto_nbd(@extschema@.btyd_summary, float8) IS
	'Maximum-likelihood Pareto/NBD and Gamma-Gamma fits with an L2 penalizer on the parameters';
COMMENT ON AGGREGATE @extschema@.clv_fit_pareto_nbd(@extschema@.btyd_summary, float8, interval) IS
	'Maximum-likelihood Pareto/NBD and Gamma-Gamma fits with a penalizer; unit must be the summaries'' (it gives the unit of summaries stored by 0.1.0)';
COMMENT ON AGGREGATE @extschema@.clv_fit_mbgnbd(@extschema@.btyd_summary) IS
	'Maximum-likelihood MBG/NBD (Batislam, Denizel & Filiztekin 2007) and Gamma-Gamma fits over customers'' summaries, in the summaries'' unit';
COMMENT ON AGGREGATE @extschema@.clv_fit_mbgnbd(@extschema@.btyd_summary, float8) IS
	'Maximum-likelihood MBG/NBD and Gamma-Gamma fits with an L2 penalizer on the parameters';
COMMENT ON AGGREGATE @extschema@.clv_fit_mbgnbd(@extschema@.btyd_summary, float8, interval) IS
	'Maximum-likelihood MBG/NBD and Gamma-Gamma fits with a penalizer; unit must be the summaries'' (it gives the unit of summaries stored by 0.1.0)';

-- BG/BB and sBG: discrete-time purchases (Fader, Hardie & Shang 2010) and
-- contract renewals (the shifted-beta-geometric, Fader & Hardie 2007)
-- ---------------------------------------------------------------------------

-- a customer's transactions over discrete opportunities: frequency = the
-- opportunities after the first transaction that saw one, recency = the
-- last of them (0 if none), opportunities = those observed after the first
CREATE TYPE @extschema@.bgbb_summary AS (
	frequency     int,
	recency       int,
	opportunities int
);

CREATE TYPE @extschema@.bgbb_model AS (
	alpha      float8,
	beta       float8,
	gamma      float8,
	delta      float8,
	alpha_se   float8,
	beta_se    float8,
	gamma_se   float8,
	delta_se   float8,
	loglik     float8,
	aic        float8,
	bic        float8,
	customers  float8,
	iterations int,
	penalizer  float8
);

CREATE TYPE @extschema@.sbg_model AS (
	alpha      float8,
	beta       float8,
	alpha_se   float8,
	beta_se    float8,
	loglik     float8,
	aic        float8,
	bic        float8,
	customers  float8,
	iterations int,
	penalizer  float8
);

CREATE FUNCTION @extschema@.bgbb_summary_trans(internal, bigint, bigint)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.bgbb_summary_combine(internal, internal)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.bgbb_summary_serialize(internal)
	RETURNS bytea AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.bgbb_summary_deserialize(bytea, internal)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.bgbb_summary_final(internal)
	RETURNS @extschema@.bgbb_summary AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE @extschema@.bgbb_summary(period bigint, as_of_period bigint) (
	SFUNC = @extschema@.bgbb_summary_trans,
	STYPE = internal,
	SSPACE = 128,
	FINALFUNC = @extschema@.bgbb_summary_final,
	COMBINEFUNC = @extschema@.bgbb_summary_combine,
	SERIALFUNC = @extschema@.bgbb_summary_serialize,
	DESERIALFUNC = @extschema@.bgbb_summary_deserialize,
	PARALLEL = SAFE
);

-- the fits' state (weighted points), shared by bgbb_fit and sbg_fit
CREATE FUNCTION @extschema@.bgbb_state_combine(internal, internal)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.bgbb_state_serialize(internal)
	RETURNS bytea AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.bgbb_state_deserialize(bytea, internal)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.bgbb_fit_trans(internal, @extschema@.bgbb_summary)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.bgbb_fit_trans(internal, @extschema@.bgbb_summary, float8)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.bgbb_fit_trans(internal, @extschema@.bgbb_summary, float8, float8)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.bgbb_fit_final(internal)
	RETURNS @extschema@.bgbb_model AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE @extschema@.bgbb_fit(summary @extschema@.bgbb_summary) (
	SFUNC = @extschema@.bgbb_fit_trans,
	STYPE = internal,
	FINALFUNC = @extschema@.bgbb_fit_final,
	COMBINEFUNC = @extschema@.bgbb_state_combine,
	SERIALFUNC = @extschema@.bgbb_state_serialize,
	DESERIALFUNC = @extschema@.bgbb_state_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.bgbb_fit(summary @extschema@.bgbb_summary, weight float8) (
	SFUNC = @extschema@.bgbb_fit_trans,
	STYPE = internal,
	FINALFUNC = @extschema@.bgbb_fit_final,
	COMBINEFUNC = @extschema@.bgbb_state_combine,
	SERIALFUNC = @extschema@.bgbb_state_serialize,
	DESERIALFUNC = @extschema@.bgbb_state_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.bgbb_fit(summary @extschema@.bgbb_summary, weight float8, penalizer float8) (
	SFUNC = @extschema@.bgbb_fit_trans,
	STYPE = internal,
	FINALFUNC = @extschema@.bgbb_fit_final,
	COMBINEFUNC = @extschema@.bgbb_state_combine,
	SERIALFUNC = @extschema@.bgbb_state_serialize,
	DESERIALFUNC = @extschema@.bgbb_state_deserialize,
	PARALLEL = SAFE
);

CREATE FUNCTION @extschema@.bgbb_p_alive(model @extschema@.bgbb_model, summary @extschema@.bgbb_summary,
										 future int DEFAULT 0)
	RETURNS float8 AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.bgbb_expected_purchases(model @extschema@.bgbb_model,
													summary @extschema@.bgbb_summary, opportunities int)
	RETURNS float8 AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.bgbb_expected_purchases_new(model @extschema@.bgbb_model, opportunities int)
	RETURNS float8 AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.sbg_fit_trans(internal, int, boolean)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.sbg_fit_trans(internal, int, boolean, float8)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.sbg_fit_final(internal)
	RETURNS @extschema@.sbg_model AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE @extschema@.sbg_fit(periods int, churned boolean) (
	SFUNC = @extschema@.sbg_fit_trans,
	STYPE = internal,
	FINALFUNC = @extschema@.sbg_fit_final,
	COMBINEFUNC = @extschema@.bgbb_state_combine,
	SERIALFUNC = @extschema@.bgbb_state_serialize,
	DESERIALFUNC = @extschema@.bgbb_state_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.sbg_fit(periods int, churned boolean, penalizer float8) (
	SFUNC = @extschema@.sbg_fit_trans,
	STYPE = internal,
	FINALFUNC = @extschema@.sbg_fit_final,
	COMBINEFUNC = @extschema@.bgbb_state_combine,
	SERIALFUNC = @extschema@.bgbb_state_serialize,
	DESERIALFUNC = @extschema@.bgbb_state_deserialize,
	PARALLEL = SAFE
);
CREATE FUNCTION @extschema@.sbg_fit(alive float8[], penalizer float8 DEFAULT 0)
	RETURNS @extschema@.sbg_model AS 'MODULE_PATHNAME', 'sbg_fit_cohort'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.sbg_survival(model @extschema@.sbg_model, periods int)
	RETURNS float8 AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.sbg_churn_probability(model @extschema@.sbg_model, period int)
	RETURNS float8 AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.sbg_retention_rate(model @extschema@.sbg_model, period int)
	RETURNS float8 AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.sbg_derl(model @extschema@.sbg_model, renewals int, discount_rate float8)
	RETURNS float8 AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON TYPE @extschema@.bgbb_summary IS
	'A customer''s BG/BB summary over discrete opportunities: frequency (opportunities after the first transaction that saw one), recency (the last of them, 0 if none), opportunities (observed after the first)';
COMMENT ON TYPE @extschema@.bgbb_model IS
	'A fitted BG/BB model (Fader, Hardie & Shang 2010): alpha, beta (transaction probability), gamma, delta (dropout probability), standard errors, log-likelihood, AIC, BIC, customers';
COMMENT ON TYPE @extschema@.sbg_model IS
	'A fitted shifted-beta-geometric retention model (Fader & Hardie 2007): alpha, beta of the churn probability, standard errors, log-likelihood, AIC, BIC, customers';
COMMENT ON FUNCTION @extschema@.bgbb_summary_trans(internal, bigint, bigint) IS 'bgbb_summary transition';
COMMENT ON FUNCTION @extschema@.bgbb_summary_combine(internal, internal) IS 'bgbb_summary combine (parallel and partial aggregation)';
COMMENT ON FUNCTION @extschema@.bgbb_summary_serialize(internal) IS 'bgbb_summary state serialization';
COMMENT ON FUNCTION @extschema@.bgbb_summary_deserialize(bytea, internal) IS 'bgbb_summary state deserialization';
COMMENT ON FUNCTION @extschema@.bgbb_summary_final(internal) IS 'bgbb_summary final: frequency, recency and opportunities';
COMMENT ON AGGREGATE @extschema@.bgbb_summary(bigint, bigint) IS
	'A customer''s BG/BB summary from the opportunity (period number) of each transaction, up to as_of_period';
COMMENT ON FUNCTION @extschema@.bgbb_state_combine(internal, internal) IS 'bgbb_fit and sbg_fit combine (parallel and partial aggregation)';
COMMENT ON FUNCTION @extschema@.bgbb_state_serialize(internal) IS 'bgbb_fit and sbg_fit state serialization';
COMMENT ON FUNCTION @extschema@.bgbb_state_deserialize(bytea, internal) IS 'bgbb_fit and sbg_fit state deserialization';
COMMENT ON FUNCTION @extschema@.bgbb_fit_trans(internal, @extschema@.bgbb_summary) IS 'bgbb_fit transition';
COMMENT ON FUNCTION @extschema@.bgbb_fit_trans(internal, @extschema@.bgbb_summary, float8) IS 'bgbb_fit transition';
COMMENT ON FUNCTION @extschema@.bgbb_fit_trans(internal, @extschema@.bgbb_summary, float8, float8) IS 'bgbb_fit transition';
COMMENT ON FUNCTION @extschema@.bgbb_fit_final(internal) IS 'bgbb_fit final: the maximum-likelihood fit';
COMMENT ON AGGREGATE @extschema@.bgbb_fit(@extschema@.bgbb_summary) IS
	'Maximum-likelihood BG/BB fit over customers'' summaries (Fader, Hardie & Shang 2010)';
COMMENT ON AGGREGATE @extschema@.bgbb_fit(@extschema@.bgbb_summary, float8) IS
	'Maximum-likelihood BG/BB fit over summaries, each standing for weight customers (the paper''s recency/frequency patterns)';
COMMENT ON AGGREGATE @extschema@.bgbb_fit(@extschema@.bgbb_summary, float8, float8) IS
	'Maximum-likelihood BG/BB fit over weighted summaries with an L2 penalizer on the parameters (lifetimes'' penalizer_coef)';
COMMENT ON FUNCTION @extschema@.bgbb_p_alive(@extschema@.bgbb_model, @extschema@.bgbb_summary, int) IS
	'BG/BB probability that the customer is alive at opportunity n + future (eq. 11; future 0: now)';
COMMENT ON FUNCTION @extschema@.bgbb_expected_purchases(@extschema@.bgbb_model, @extschema@.bgbb_summary, int) IS
	'BG/BB expected transactions in the customer''s next opportunities (eq. 13)';
COMMENT ON FUNCTION @extschema@.bgbb_expected_purchases_new(@extschema@.bgbb_model, int) IS
	'BG/BB expected transactions of a new customer in their first opportunities (eq. 8)';
COMMENT ON FUNCTION @extschema@.sbg_fit_trans(internal, int, boolean) IS 'sbg_fit transition';
COMMENT ON FUNCTION @extschema@.sbg_fit_trans(internal, int, boolean, float8) IS 'sbg_fit transition';
COMMENT ON FUNCTION @extschema@.sbg_fit_final(internal) IS 'sbg_fit final: the maximum-likelihood fit';
COMMENT ON AGGREGATE @extschema@.sbg_fit(int, boolean) IS
	'Maximum-likelihood shifted-beta-geometric fit over customers: the period a customer cancelled in (churned) or the renewals an active customer has made';
COMMENT ON AGGREGATE @extschema@.sbg_fit(int, boolean, float8) IS
	'Maximum-likelihood shifted-beta-geometric fit over customers with an L2 penalizer on the parameters';
COMMENT ON FUNCTION @extschema@.sbg_fit(float8[], float8) IS
	'Maximum-likelihood shifted-beta-geometric fit of a cohort: its size, then the customers alive after each period';
COMMENT ON FUNCTION @extschema@.sbg_survival(@extschema@.sbg_model, int) IS
	'sBG survival S(t): the share of a cohort still a customer after t periods';
COMMENT ON FUNCTION @extschema@.sbg_churn_probability(@extschema@.sbg_model, int) IS
	'sBG P(T = t): the share of a cohort that cancels in period t';
COMMENT ON FUNCTION @extschema@.sbg_retention_rate(@extschema@.sbg_model, int) IS
	'sBG retention rate of period t, S(t) / S(t - 1): rises with t as the likeliest to cancel leave';
COMMENT ON FUNCTION @extschema@.sbg_derl(@extschema@.sbg_model, int, float8) IS
	'sBG discounted expected residual lifetime of a customer after the given renewals, just before the next (Fader & Hardie 2010)';
