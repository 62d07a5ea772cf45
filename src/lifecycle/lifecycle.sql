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
