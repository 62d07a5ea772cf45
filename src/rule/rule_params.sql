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
-- reads the text with segment_rule's input function (WITH INOUT), which is
-- IMMUTABLE: a constant text, or the value a custom plan binds to $1, folds
-- into a segment_rule constant before the planner support function of
-- segment_match sees the call, and is inlined exactly as a literal is.
-- ---------------------------------------------------------------------------

CREATE CAST (text AS @extschema@.segment_rule) WITH INOUT AS IMPLICIT;
CREATE CAST (varchar AS @extschema@.segment_rule) WITH INOUT AS IMPLICIT;

COMMENT ON CAST (text AS @extschema@.segment_rule) IS
	'a rule bound as text (a driver''s string parameter, a text column) is read as a segment rule wherever one is expected';
COMMENT ON CAST (varchar AS @extschema@.segment_rule) IS
	'a rule bound as varchar (JDBC setString) is read as a segment rule wherever one is expected';

-- Reading a rule costs more than reading a number: in a generic plan, where
-- the rule is a parameter, the cast runs once per row, and the planner
-- should know it (about 1 to 4 microseconds a rule, 10 to 40 times int4in).
ALTER FUNCTION @extschema@.segment_rule_in(cstring) COST 20;
