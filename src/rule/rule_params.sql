-- ---------------------------------------------------------------------------
-- Rules as parameters: a rule bound by a driver as text or varchar (JDBC's
-- setString, a text parameter of PREPARE, a text column) is a segment_rule
-- wherever a rule literal is, by an implicit cast, as text is a regclass.
--
-- Casts, not overloads: an overload segment_match(text, ...) would be
-- preferred over segment_match(segment_rule, ...) for every untyped literal
-- (PostgreSQL prefers the string category for an unknown argument), so every
-- rule written in a query would change function; an implicit cast adds no
-- candidate to any call or operator, so an untyped literal resolves exactly
-- as before, and jsonb @@ jsonpath and tsvector @@ tsquery with an untyped
-- right side keep their operator (an exact match on the left wins).  The cast
-- reads the text as segment_rule's input function reads a literal, and is
-- IMMUTABLE: a constant text, or the value a custom plan binds to $1, folds
-- into a segment_rule constant before the planner support function of
-- segment_match sees the call, and is inlined exactly as a literal is.  In a
-- generic plan it runs per row, and keeps the last text's rule
-- (src/rule/params_pg.c), so that a row costs a comparison, not a parse.
-- ---------------------------------------------------------------------------

CREATE FUNCTION @extschema@.segment_rule(text) RETURNS @extschema@.segment_rule
	AS 'MODULE_PATHNAME', 'segment_rule_from_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (text AS @extschema@.segment_rule) WITH FUNCTION @extschema@.segment_rule(text) AS IMPLICIT;
CREATE CAST (varchar AS @extschema@.segment_rule) WITH FUNCTION @extschema@.segment_rule(text) AS IMPLICIT;

COMMENT ON FUNCTION @extschema@.segment_rule(text) IS
	'the rule a text reads as (the casts from text and varchar): segment_rule(''age > 30'') is ''age > 30''::segment_rule';

COMMENT ON CAST (text AS @extschema@.segment_rule) IS
	'a rule bound as text (a driver''s string parameter, a text column) is read as a segment rule wherever one is expected';
COMMENT ON CAST (varchar AS @extschema@.segment_rule) IS
	'a rule bound as varchar (JDBC setString) is read as a segment rule wherever one is expected';
