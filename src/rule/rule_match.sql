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
CREATE FUNCTION @extschema@.segment_estimate(rule @extschema@.segment_rule, rel regclass, as_of timestamptz)
	RETURNS bigint AS 'MODULE_PATHNAME', 'segment_estimate' LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;

-- catalogues: names and rules in priority order
CREATE FUNCTION @extschema@.segment_classify(names text[], rules @extschema@.segment_rule[], "row" anyelement)
	RETURNS text AS 'MODULE_PATHNAME', 'segment_classify' LANGUAGE C STABLE PARALLEL SAFE
	SUPPORT @extschema@.segment_match_support;
CREATE FUNCTION @extschema@.segment_classify(names text[], rules @extschema@.segment_rule[], "row" anyelement,
											 as_of timestamptz)
	RETURNS text AS 'MODULE_PATHNAME', 'segment_classify' LANGUAGE C STABLE PARALLEL SAFE
	SUPPORT @extschema@.segment_match_support;
CREATE FUNCTION @extschema@.segment_memberships(names text[], rules @extschema@.segment_rule[], "row" anyelement)
	RETURNS text[] AS 'MODULE_PATHNAME', 'segment_memberships' LANGUAGE C STABLE PARALLEL SAFE
	SUPPORT @extschema@.segment_match_support;
CREATE FUNCTION @extschema@.segment_memberships(names text[], rules @extschema@.segment_rule[], "row" anyelement,
												as_of timestamptz)
	RETURNS text[] AS 'MODULE_PATHNAME', 'segment_memberships' LANGUAGE C STABLE PARALLEL SAFE
	SUPPORT @extschema@.segment_match_support;

-- the values forms: what the planner makes of segment_match, @@,
-- segment_classify and segment_memberships over a table's whole row that it
-- does not inline: the same call over the table's columns (one value per
-- attribute of the row type named by the NULL, in order), so that no row is
-- formed into a composite value (values_pg.c)
CREATE FUNCTION @extschema@.segment_match_values(rule @extschema@.segment_rule, as_of timestamptz,
												 row_type anyelement, VARIADIC "columns" "any")
	RETURNS boolean AS 'MODULE_PATHNAME', 'segment_match_values'
	LANGUAGE C STABLE PARALLEL SAFE SUPPORT @extschema@.segment_match_support;
CREATE FUNCTION @extschema@.segment_classify_values(names text[], rules @extschema@.segment_rule[], as_of timestamptz,
													row_type anyelement, VARIADIC "columns" "any")
	RETURNS text AS 'MODULE_PATHNAME', 'segment_classify_values' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_memberships_values(names text[], rules @extschema@.segment_rule[], as_of timestamptz,
													   row_type anyelement, VARIADIC "columns" "any")
	RETURNS text[] AS 'MODULE_PATHNAME', 'segment_memberships_values' LANGUAGE C STABLE PARALLEL SAFE;

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
	'planner support of segment_match, @@ and the catalogues: inlines a constant rule over a table row as native quals (segmentation.inline_rules); otherwise passes the row''s columns instead of the row (segment_match_values)';
COMMENT ON FUNCTION @extschema@.segment_rule_check(@extschema@.segment_rule, regclass) IS
	'true if the rule binds to the relation''s columns; otherwise the error segment_match would raise';
COMMENT ON FUNCTION @extschema@.segment_sql(@extschema@.segment_rule, regclass) IS
	'the native SQL boolean expression the rule means over the relation''s columns (within relative to now())';
COMMENT ON FUNCTION @extschema@.segment_sql(@extschema@.segment_rule, regclass, timestamptz) IS
	'the native SQL boolean expression the rule means over the relation''s columns on the date as_of';
COMMENT ON FUNCTION @extschema@.segment_estimate(@extschema@.segment_rule, regclass) IS
	'the number of rows of the relation that match the rule: the planner''s estimate from its statistics, without a scan; for a rule with a behavioural condition, the count on a sample of the table (segmentation.estimate_sample_rows)';
COMMENT ON FUNCTION @extschema@.segment_estimate(@extschema@.segment_rule, regclass, timestamptz) IS
	'the number of rows of the relation that match the rule on the date as_of: the planner''s estimate from its statistics, without a scan; for a rule with a behavioural condition, the count on a sample of the table (segmentation.estimate_sample_rows)';
COMMENT ON FUNCTION @extschema@.segment_classify(text[], @extschema@.segment_rule[], anyelement) IS
	'the name of the first segment of the catalogue (names and rules in priority order) whose rule the row matches, or NULL';
COMMENT ON FUNCTION @extschema@.segment_classify(text[], @extschema@.segment_rule[], anyelement, timestamptz) IS
	'the name of the first segment of the catalogue whose rule the row matches on the date as_of, or NULL';
COMMENT ON FUNCTION @extschema@.segment_memberships(text[], @extschema@.segment_rule[], anyelement) IS
	'the names of every segment of the catalogue whose rule the row matches, in catalogue order';
COMMENT ON FUNCTION @extschema@.segment_memberships(text[], @extschema@.segment_rule[], anyelement, timestamptz) IS
	'the names of every segment of the catalogue whose rule the row matches on the date as_of';
COMMENT ON FUNCTION @extschema@.segment_match_values(@extschema@.segment_rule, timestamptz, anyelement, "any") IS
	'segment_match over the row of the type of row_type (a NULL of it) whose columns hold the given values, one per attribute in order: what the planner makes of segment_match over a table row it does not inline';
COMMENT ON FUNCTION @extschema@.segment_classify_values(text[], @extschema@.segment_rule[], timestamptz, anyelement, "any") IS
	'segment_classify over the row of the type of row_type whose columns hold the given values: what the planner makes of segment_classify over a table row';
COMMENT ON FUNCTION @extschema@.segment_memberships_values(text[], @extschema@.segment_rule[], timestamptz, anyelement, "any") IS
	'segment_memberships over the row of the type of row_type whose columns hold the given values: what the planner makes of segment_memberships over a table row';
COMMENT ON FUNCTION @extschema@.segment_icu_equal(text, text, text) IS
	'equal at ICU primary strength (case and accents ignored), the ~= of segment rules; locale '''' is the root collation';
COMMENT ON FUNCTION @extschema@.segment_icu_ilike(text, text, text) IS
	'LIKE over ICU full case folding (''STRASSE'' matches ''straße''), the ilike of segment rules';
