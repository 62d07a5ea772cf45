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
