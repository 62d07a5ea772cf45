-- segmentation 0.1.0 -> 0.2.0
--
-- Takes a database at 0.1.0 (releases/segmentation--0.1.0.sql) to what
-- src/ installs for 0.2.0.  Every change of 0.2.0 extends this one script,
-- in the order of the commits that made them; test/ops/upgrade.sh checks
-- that the result equals a fresh install and that stored values survive.

\echo Use "ALTER EXTENSION segmentation UPDATE TO '0.2.0'" to load this file. \quit

-- Behavioural conditions: sources of events (src/rule/source.sql)

-- ---------------------------------------------------------------------------
-- Sources of behaviour: tables or views of what customers did (orders, page
-- views, cart adds, email opens), named for behavioural conditions in rules:
-- count(orders within 30 days) >= 3 reads the source called orders.
-- ---------------------------------------------------------------------------

-- One row per source.  A configuration table of the extension: pg_dump
-- carries its rows.  Rules name sources; reading the events of one uses the
-- privileges of whoever evaluates the rule (and the relation's row-level
-- security), never the extension's.
CREATE TABLE @extschema@.segment_source (
	name text PRIMARY KEY CHECK (octet_length(name) BETWEEN 1 AND 63),
	relation regclass NOT NULL,
	event_key name NOT NULL,
	event_time name,
	customer_key name NOT NULL
);
SELECT pg_catalog.pg_extension_config_dump('@extschema@.segment_source', '');
GRANT SELECT ON @extschema@.segment_source TO PUBLIC;

-- A cached plan that inlined a behavioural condition depends on the
-- declarations it read: a change invalidates it.
CREATE FUNCTION @extschema@.segment_source_changed() RETURNS trigger
AS 'MODULE_PATHNAME', 'segment_source_changed' LANGUAGE C;
CREATE TRIGGER segment_source_changed
	AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.segment_source
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.segment_source_changed();

-- Declare (or redeclare) a source.  key_column defaults to the column of the
-- relation's single-column foreign key, and customer_key to the column that
-- key references (or to key_column's name when there is no foreign key).
CREATE FUNCTION @extschema@.segment_source_add(name text, relation regclass, time_column text,
											   key_column text DEFAULT NULL,
											   customer_key text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
	kind "char";
	t regtype;
	fk_col name;
	fk_ref name;
	nfk int;
BEGIN
	IF name IS NULL OR relation IS NULL THEN
		RAISE EXCEPTION 'a segment source needs a name and a relation'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF octet_length(name) NOT BETWEEN 1 AND 63 THEN
		RAISE EXCEPTION 'segment source name "%" must be 1 to 63 bytes', name
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	SELECT c.relkind INTO kind FROM pg_class c WHERE c.oid = relation;
	IF kind NOT IN ('r', 'p', 'v', 'm', 'f') THEN
		RAISE EXCEPTION '"%" is not a table, view or materialized view', relation
			USING ERRCODE = 'wrong_object_type';
	END IF;
	-- the single-column foreign keys of the relation
	SELECT count(*), min(a.attname), min(r.attname) INTO nfk, fk_col, fk_ref
	FROM pg_constraint k
	JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
	JOIN pg_attribute r ON r.attrelid = k.confrelid AND r.attnum = k.confkey[1]
	WHERE k.conrelid = relation AND k.contype = 'f' AND cardinality(k.conkey) = 1
	  AND (key_column IS NULL OR a.attname = key_column);
	IF key_column IS NULL THEN
		IF nfk <> 1 THEN
			RAISE EXCEPTION 'cannot tell the customer key of relation %', relation
				USING ERRCODE = 'invalid_parameter_value',
					  DETAIL = format('It has %s single-column foreign keys.', nfk),
					  HINT = 'Name it: segment_source_add(name, relation, time_column, key_column, customer_key).';
		END IF;
		key_column := fk_col;
	END IF;
	IF customer_key IS NULL THEN
		customer_key := CASE WHEN nfk = 1 THEN fk_ref ELSE key_column END;
	END IF;
	IF NOT EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = relation
				   AND a.attname = key_column AND a.attnum > 0 AND NOT a.attisdropped) THEN
		RAISE EXCEPTION 'column "%" of relation % does not exist', key_column, relation
			USING ERRCODE = 'undefined_column';
	END IF;
	IF time_column IS NOT NULL THEN
		SELECT a.atttypid INTO t FROM pg_attribute a WHERE a.attrelid = relation
			AND a.attname = time_column AND a.attnum > 0 AND NOT a.attisdropped;
		IF t IS NULL THEN
			RAISE EXCEPTION 'column "%" of relation % does not exist', time_column, relation
				USING ERRCODE = 'undefined_column';
		END IF;
		-- through domains to the base type
		WHILE (SELECT y.typtype FROM pg_type y WHERE y.oid = t) = 'd' LOOP
			SELECT y.typbasetype INTO t FROM pg_type y WHERE y.oid = t;
		END LOOP;
		IF t NOT IN ('date'::regtype, 'timestamp'::regtype, 'timestamptz'::regtype) THEN
			RAISE EXCEPTION 'column "%" of relation % is of type %, not a date or timestamp',
				time_column, relation, t
				USING ERRCODE = 'datatype_mismatch',
					  HINT = 'The time column of a source is a date, timestamp or timestamptz column.';
		END IF;
	END IF;
	INSERT INTO @extschema@.segment_source AS s
		VALUES (name, relation, key_column, time_column, customer_key)
		ON CONFLICT ON CONSTRAINT segment_source_pkey DO UPDATE
		SET relation = excluded.relation, event_key = excluded.event_key,
			event_time = excluded.event_time, customer_key = excluded.customer_key;
END
$fn$;

CREATE FUNCTION @extschema@.segment_source_drop(name text) RETURNS boolean
LANGUAGE sql SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
	WITH d AS (DELETE FROM @extschema@.segment_source s WHERE s.name = segment_source_drop.name RETURNING 1)
	SELECT count(*) > 0 FROM d;
END;

COMMENT ON TABLE @extschema@.segment_source IS
'Sources of behaviour for segment rules: a name, the relation of events, its customer key and time columns, and the key of the customer row';
COMMENT ON FUNCTION @extschema@.segment_source_add(text, regclass, text, text, text) IS
'Declare or redeclare a source of events for behavioural conditions in segment rules';
COMMENT ON FUNCTION @extschema@.segment_source_changed() IS
'Trigger on segment_source: invalidates cached plans that read a changed declaration';
COMMENT ON FUNCTION @extschema@.segment_source_drop(text) IS
'Forget a source of events; true if it was declared';
