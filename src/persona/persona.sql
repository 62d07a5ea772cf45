
-- ---------------------------------------------------------------------------
-- Personas: segments described against their population (src/persona)
-- ---------------------------------------------------------------------------

CREATE TYPE @extschema@.segment_profile;
CREATE FUNCTION @extschema@.segment_profile_in(cstring) RETURNS @extschema@.segment_profile
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_profile_out(@extschema@.segment_profile) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_profile_recv(internal) RETURNS @extschema@.segment_profile
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_profile_send(@extschema@.segment_profile) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE @extschema@.segment_profile (
	INPUT = @extschema@.segment_profile_in,
	OUTPUT = @extschema@.segment_profile_out,
	RECEIVE = @extschema@.segment_profile_recv,
	SEND = @extschema@.segment_profile_send,
	INTERNALLENGTH = VARIABLE,
	STORAGE = extended
);
CREATE FUNCTION @extschema@.segment_profile_jsonb(profile @extschema@.segment_profile) RETURNS jsonb
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (@extschema@.segment_profile AS jsonb)
	WITH FUNCTION @extschema@.segment_profile_jsonb(@extschema@.segment_profile);

CREATE FUNCTION @extschema@.segment_profile_trans(internal, jsonb)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_profile_merge_trans(internal, @extschema@.segment_profile)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_profile_combine(internal, internal)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_profile_serialize(internal)
	RETURNS bytea AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_profile_deserialize(bytea, internal)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_profile_final(internal)
	RETURNS @extschema@.segment_profile AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.segment_profile(attributes jsonb) (
	SFUNC = @extschema@.segment_profile_trans, STYPE = internal, SSPACE = 4096,
	FINALFUNC = @extschema@.segment_profile_final, COMBINEFUNC = @extschema@.segment_profile_combine,
	SERIALFUNC = @extschema@.segment_profile_serialize, DESERIALFUNC = @extschema@.segment_profile_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.segment_profile_merge(profile @extschema@.segment_profile) (
	SFUNC = @extschema@.segment_profile_merge_trans, STYPE = internal, SSPACE = 4096,
	FINALFUNC = @extschema@.segment_profile_final, COMBINEFUNC = @extschema@.segment_profile_combine,
	SERIALFUNC = @extschema@.segment_profile_serialize, DESERIALFUNC = @extschema@.segment_profile_deserialize,
	PARALLEL = SAFE
);

CREATE FUNCTION @extschema@.segment_persona(segment @extschema@.segment_profile,
											population @extschema@.segment_profile)
	RETURNS TABLE (rank int, attribute text, value text, measure text, segment_value float8,
				   population_value float8, lift float8, difference float8)
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 20;
CREATE FUNCTION @extschema@.segment_persona_line(segment @extschema@.segment_profile,
												 population @extschema@.segment_profile,
												 top int DEFAULT 5, min_difference float8 DEFAULT 0.2)
	RETURNS text AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON TYPE @extschema@.segment_profile IS
'what a group of rows looks like per attribute: mean and deviation of numbers, share of true, counts of category values; from segment_profile';
COMMENT ON FUNCTION @extschema@.segment_profile_in(cstring) IS 'text input of segment_profile: the binary form in hexadecimal, validated';
COMMENT ON FUNCTION @extschema@.segment_profile_out(@extschema@.segment_profile) IS 'text output of segment_profile: the binary form in hexadecimal';
COMMENT ON FUNCTION @extschema@.segment_profile_recv(internal) IS 'binary input of segment_profile (format version 1), validated';
COMMENT ON FUNCTION @extschema@.segment_profile_send(@extschema@.segment_profile) IS 'binary output of segment_profile (format version 1)';
COMMENT ON FUNCTION @extschema@.segment_profile_jsonb(@extschema@.segment_profile) IS
'the profile as jsonb: rows, and per attribute its kind, rows with it, mean and standard deviation, count of true or count per value';
COMMENT ON CAST (@extschema@.segment_profile AS jsonb) IS 'the profile as jsonb';
COMMENT ON FUNCTION @extschema@.segment_profile_trans(internal, jsonb) IS 'transition function of segment_profile';
COMMENT ON FUNCTION @extschema@.segment_profile_merge_trans(internal, @extschema@.segment_profile) IS 'transition function of segment_profile_merge';
COMMENT ON FUNCTION @extschema@.segment_profile_combine(internal, internal) IS 'combine function of segment_profile and segment_profile_merge';
COMMENT ON FUNCTION @extschema@.segment_profile_serialize(internal) IS 'serialize function of segment_profile and segment_profile_merge';
COMMENT ON FUNCTION @extschema@.segment_profile_deserialize(bytea, internal) IS 'deserialize function of segment_profile and segment_profile_merge';
COMMENT ON FUNCTION @extschema@.segment_profile_final(internal) IS 'final function of segment_profile and segment_profile_merge';
COMMENT ON AGGREGATE @extschema@.segment_profile(jsonb) IS
'the profile of a group of rows from one jsonb object of attributes per row: numbers, booleans and strings (categories); null or absent is missing';
COMMENT ON AGGREGATE @extschema@.segment_profile_merge(@extschema@.segment_profile) IS
'profiles merged into one, as if one segment_profile had seen all their rows: over () of per-segment profiles, the population';
COMMENT ON FUNCTION @extschema@.segment_persona(@extschema@.segment_profile, @extschema@.segment_profile) IS
'a segment against its population per attribute (and category value): mean or share in each, lift, standardised difference; largest difference first';
COMMENT ON FUNCTION @extschema@.segment_persona_line(@extschema@.segment_profile, @extschema@.segment_profile, int, float8) IS
'a segment''s persona as one readable line: its top attributes whose standardised difference from the population is at least min_difference';
