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
