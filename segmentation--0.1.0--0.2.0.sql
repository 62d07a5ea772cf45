-- segmentation 0.1.0 -> 0.2.0
--
-- Takes a database at 0.1.0 (releases/segmentation--0.1.0.sql) to what
-- src/ installs for 0.2.0.  Every change of 0.2.0 extends this one script,
-- in the order of the commits that made them; test/ops/upgrade.sh checks
-- that the result equals a fresh install and that stored values survive.

\echo Use "ALTER EXTENSION segmentation UPDATE TO '0.2.0'" to load this file. \quit

-- Live membership from event sources; the row trigger shares its body
-- (src/rule/rule_membership.sql)

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
-- segment_membership_apply(membership, key, now_in, channel, source): make
-- the open memberships of one customer those of now_in: enter the segments it
-- is newly in, leave the others, NOTIFY each change on channel (source names
-- the table whose change caused it).  The body shared by the triggers below.
CREATE FUNCTION @extschema@.segment_membership_apply(membership regclass, new_key text, now_in text[],
													 channel text, source text)
RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
	open_in text[];
	s text;
BEGIN
	EXECUTE format('SELECT coalesce(array_agg(segment), ''{}'') FROM %s WHERE customer_key = $1 AND left_at IS NULL',
				   membership) INTO open_in USING new_key;
	FOREACH s IN ARRAY now_in LOOP
		IF NOT s = ANY (open_in) THEN
			EXECUTE format('INSERT INTO %s (customer_key, segment, entered_at) VALUES ($1, $2, clock_timestamp())',
						   membership) USING new_key, s;
			PERFORM pg_notify(channel, jsonb_build_object('event', 'enter', 'key', new_key, 'segment', s,
														  'table', source, 'at', clock_timestamp())::text);
		END IF;
	END LOOP;
	FOREACH s IN ARRAY open_in LOOP
		IF NOT s = ANY (now_in) THEN
			EXECUTE format('UPDATE %s SET left_at = clock_timestamp() WHERE customer_key = $1 AND segment = $2 '
						   'AND left_at IS NULL', membership) USING new_key, s;
			PERFORM pg_notify(channel, jsonb_build_object('event', 'leave', 'key', new_key, 'segment', s,
														  'table', source, 'at', clock_timestamp())::text);
		END IF;
	END LOOP;
END
$fn$;

CREATE OR REPLACE FUNCTION @extschema@.segment_membership_trigger() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
	catalogue regclass;
	membership regclass;
	key_col text := TG_ARGV[2];
	channel text := coalesce(TG_ARGV[3], 'segment_membership');
	old_key text;
	new_key text;
	now_in text[] := '{}';
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

	PERFORM @extschema@.segment_membership_apply(membership, new_key, now_in, channel, TG_TABLE_NAME);
	RETURN NULL;
END
$fn$;

COMMENT ON FUNCTION @extschema@.segment_membership_trigger() IS
	'AFTER ROW trigger: keeps a membership table (customer_key, segment, entered_at, left_at) current against a catalogue of saved segments and NOTIFYs each entry and exit (arguments: catalogue, membership table, key column [, channel])';

-- CREATE TRIGGER ... AFTER INSERT OR UPDATE OR DELETE ON orders
--     FOR EACH ROW EXECUTE FUNCTION segment_membership_event_trigger(
--         'customers',           -- the customer table
--         'customer_id',         -- its key column
--         'customer_id',         -- the event table's column holding that key
--         'segments',            -- catalogue, as for segment_membership_trigger
--         'segment_membership',  -- membership table, likewise
--         'segment_membership'); -- the NOTIFY channel
-- On an event source, a change moves its customer in or out of the segments
-- whose behavioural conditions it changes: the customer's memberships are
-- recomputed over the customer's row as the trigger fires.
CREATE FUNCTION @extschema@.segment_membership_event_trigger() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
	customers regclass;
	catalogue regclass;
	membership regclass;
	key_col text := TG_ARGV[1];
	event_col text := TG_ARGV[2];
	channel text := coalesce(TG_ARGV[5], 'segment_membership');
	key_type text;
	keys text[] := '{}';
	k text;
	now_in text[];
BEGIN
	IF TG_NARGS < 5 THEN
		RAISE EXCEPTION 'segment_membership_event_trigger needs a customer table, its key column, the event key column, a catalogue and a membership table'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	-- unqualified names are the triggering table's schema's
	customers := CASE WHEN strpos(TG_ARGV[0], '.') > 0 THEN TG_ARGV[0]
				 ELSE quote_ident(TG_TABLE_SCHEMA) || '.' || quote_ident(TG_ARGV[0]) END::regclass;
	catalogue := CASE WHEN strpos(TG_ARGV[3], '.') > 0 THEN TG_ARGV[3]
				 ELSE quote_ident(TG_TABLE_SCHEMA) || '.' || quote_ident(TG_ARGV[3]) END::regclass;
	membership := CASE WHEN strpos(TG_ARGV[4], '.') > 0 THEN TG_ARGV[4]
				  ELSE quote_ident(TG_TABLE_SCHEMA) || '.' || quote_ident(TG_ARGV[4]) END::regclass;
	SELECT format_type(a.atttypid, a.atttypmod) INTO key_type FROM pg_attribute a
	WHERE a.attrelid = customers AND a.attname = key_col AND a.attnum > 0 AND NOT a.attisdropped;
	IF key_type IS NULL THEN
		RAISE EXCEPTION 'segment_membership_event_trigger: column "%" of % does not exist', key_col, customers
			USING ERRCODE = 'undefined_column';
	END IF;
	IF TG_OP <> 'INSERT' THEN
		keys := keys || (to_jsonb(OLD) ->> event_col);
	END IF;
	IF TG_OP <> 'DELETE' THEN
		keys := keys || (to_jsonb(NEW) ->> event_col);
	END IF;
	FOR k IN SELECT DISTINCT x FROM unnest(keys) x WHERE x IS NOT NULL LOOP
		-- the customer's segments now (none if there is no such customer)
		EXECUTE format('SELECT coalesce((SELECT @extschema@.segment_memberships(g.names, g.rules, c) '
					   'FROM %s c WHERE c.%I = $1::%s LIMIT 1), ''{}'') '
					   'FROM (SELECT array_agg(name ORDER BY priority, name) AS names, '
					   'array_agg(rule ORDER BY priority, name) AS rules FROM %s) g',
					   customers, key_col, key_type, catalogue)
			INTO now_in USING k;
		PERFORM @extschema@.segment_membership_apply(membership, k, coalesce(now_in, '{}'), channel,
													 TG_TABLE_NAME);
	END LOOP;
	RETURN NULL;
END
$fn$;

COMMENT ON FUNCTION @extschema@.segment_membership_apply(regclass, text, text[], text, text) IS
	'Makes the open memberships of one customer in a membership table those of the given segments, and NOTIFYs each entry and exit';
COMMENT ON FUNCTION @extschema@.segment_membership_event_trigger() IS
	'AFTER ROW trigger on an event source: recomputes the memberships of the customer whose events changed (arguments: customer table, its key column, the event key column, catalogue, membership table [, channel])';

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

-- segment_estimate on a date of the user's choice, as segment_sql
CREATE FUNCTION @extschema@.segment_estimate(rule @extschema@.segment_rule, rel regclass, as_of timestamptz)
	RETURNS bigint AS 'MODULE_PATHNAME', 'segment_estimate' LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION @extschema@.segment_estimate(@extschema@.segment_rule, regclass, timestamptz) IS
	'the planner''s estimate of how many rows of the relation match the rule on the date as_of, from its statistics, without a scan';

-- ---------------------------------------------------------------------------
-- CLV (issue 17): the unit travels with the summary; clv_model format 2
-- (src/btyd/clv.sql).  Summaries stored by 0.1.0 keep their four fields and
-- read unit_days NULL (in the unit clv_fit is told, days without it, as
-- 0.1.0 read them); clv_model values stored by 0.1.0 are format version 1,
-- which 0.2.0 reads and writes unchanged.
-- ---------------------------------------------------------------------------
ALTER TYPE @extschema@.btyd_summary ADD ATTRIBUTE unit_days float8;
ALTER TYPE @extschema@.btyd_holdout ADD ATTRIBUTE unit_days float8;
COMMENT ON TYPE @extschema@.btyd_summary IS
	'A customer''s BTYD summary: frequency (repeat purchase days), recency and t (in units), monetary (mean spend of repeat days), unit_days (the unit; NULL in a summary stored by 0.1.0)';
COMMENT ON TYPE @extschema@.btyd_holdout IS
	'A BTYD summary at the calibration end, with the purchase days, mean spend per day and length of the holdout period, and the unit in days';
COMMENT ON TYPE @extschema@.clv_model IS
	'A fitted BG/NBD purchase model (or its no-dropout boundary, the NBD) and Gamma-Gamma spend model: parameters, standard errors, log-likelihoods, customers, convergence, time unit';
COMMENT ON FUNCTION @extschema@.clv_model_jsonb(@extschema@.clv_model) IS
	'the model as jsonb: parameters, standard errors, log-likelihood, AIC, BIC, customers and convergence of each sub-model, and whether the BG/NBD fit is at its no-dropout boundary';
COMMENT ON AGGREGATE @extschema@.clv_fit(@extschema@.btyd_summary) IS
	'Maximum-likelihood BG/NBD and Gamma-Gamma fits over customers'' summaries, in the summaries'' unit';
COMMENT ON AGGREGATE @extschema@.clv_fit(@extschema@.btyd_summary, float8, interval) IS
	'Maximum-likelihood BG/NBD and Gamma-Gamma fits with a penalizer; unit must be the summaries'' (it gives the unit of summaries stored by 0.1.0)';
COMMENT ON FUNCTION @extschema@.clv_estimate(@extschema@.clv_model, @extschema@.btyd_summary, int, float8) IS
	'Discounted expected value over the next months (30-day months, 0 to 1200), as lifetimes'' customer_lifetime_value';

-- segment_estimate of a rule with a behavioural condition: a count on a
-- sample of the table (issue 16)
COMMENT ON FUNCTION @extschema@.segment_estimate(@extschema@.segment_rule, regclass) IS
	'the number of rows of the relation that match the rule: the planner''s estimate from its statistics, without a scan; for a rule with a behavioural condition, the count on a sample of the table (segmentation.estimate_sample_rows)';
COMMENT ON FUNCTION @extschema@.segment_estimate(@extschema@.segment_rule, regclass, timestamptz) IS
	'the number of rows of the relation that match the rule on the date as_of: the planner''s estimate from its statistics, without a scan; for a rule with a behavioural condition, the count on a sample of the table (segmentation.estimate_sample_rows)';

-- ===========================================================================
-- Segments found in the data: k-means (src/cluster/cluster.sql, issue 19)
-- ===========================================================================

-- ---------------------------------------------------------------------------
-- Segments found in the data: k-means (src/cluster)
-- ---------------------------------------------------------------------------

CREATE TYPE @extschema@.segment_clusters;
CREATE FUNCTION @extschema@.segment_clusters_in(cstring) RETURNS @extschema@.segment_clusters
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_clusters_out(@extschema@.segment_clusters) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_clusters_recv(internal) RETURNS @extschema@.segment_clusters
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_clusters_send(@extschema@.segment_clusters) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE @extschema@.segment_clusters (
	INPUT = @extschema@.segment_clusters_in,
	OUTPUT = @extschema@.segment_clusters_out,
	RECEIVE = @extschema@.segment_clusters_recv,
	SEND = @extschema@.segment_clusters_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);
CREATE FUNCTION @extschema@.segment_clusters_jsonb(model @extschema@.segment_clusters) RETURNS jsonb
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (@extschema@.segment_clusters AS jsonb)
	WITH FUNCTION @extschema@.segment_clusters_jsonb(@extschema@.segment_clusters);

CREATE TYPE @extschema@.segment_kmeans_choice AS (
	k int,
	wcss float8,
	silhouette float8,
	davies_bouldin float8,
	iterations int
);

CREATE FUNCTION @extschema@.segment_kmeans_trans(internal, float8[], int)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_kmeans_trans(internal, float8[], int, text)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_kmeans_trans(internal, float8[], int, text, bigint)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_kmeans_choose_trans(internal, float8[], int)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_kmeans_choose_trans(internal, float8[], int, text)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_kmeans_choose_trans(internal, float8[], int, text, bigint)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_kmeans_combine(internal, internal)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_kmeans_serialize(internal)
	RETURNS bytea AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_kmeans_deserialize(bytea, internal)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_kmeans_final(internal)
	RETURNS @extschema@.segment_clusters AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_kmeans_choose_final(internal)
	RETURNS @extschema@.segment_kmeans_choice[] AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.segment_kmeans(features float8[], k int) (
	SFUNC = @extschema@.segment_kmeans_trans, STYPE = internal, SSPACE = 65536,
	FINALFUNC = @extschema@.segment_kmeans_final, COMBINEFUNC = @extschema@.segment_kmeans_combine,
	SERIALFUNC = @extschema@.segment_kmeans_serialize, DESERIALFUNC = @extschema@.segment_kmeans_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.segment_kmeans(features float8[], k int, scaling text) (
	SFUNC = @extschema@.segment_kmeans_trans, STYPE = internal, SSPACE = 65536,
	FINALFUNC = @extschema@.segment_kmeans_final, COMBINEFUNC = @extschema@.segment_kmeans_combine,
	SERIALFUNC = @extschema@.segment_kmeans_serialize, DESERIALFUNC = @extschema@.segment_kmeans_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.segment_kmeans(features float8[], k int, scaling text, seed bigint) (
	SFUNC = @extschema@.segment_kmeans_trans, STYPE = internal, SSPACE = 65536,
	FINALFUNC = @extschema@.segment_kmeans_final, COMBINEFUNC = @extschema@.segment_kmeans_combine,
	SERIALFUNC = @extschema@.segment_kmeans_serialize, DESERIALFUNC = @extschema@.segment_kmeans_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.segment_kmeans_choose_k(features float8[], max_k int) (
	SFUNC = @extschema@.segment_kmeans_choose_trans, STYPE = internal, SSPACE = 65536,
	FINALFUNC = @extschema@.segment_kmeans_choose_final, COMBINEFUNC = @extschema@.segment_kmeans_combine,
	SERIALFUNC = @extschema@.segment_kmeans_serialize, DESERIALFUNC = @extschema@.segment_kmeans_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.segment_kmeans_choose_k(features float8[], max_k int, scaling text) (
	SFUNC = @extschema@.segment_kmeans_choose_trans, STYPE = internal, SSPACE = 65536,
	FINALFUNC = @extschema@.segment_kmeans_choose_final, COMBINEFUNC = @extschema@.segment_kmeans_combine,
	SERIALFUNC = @extschema@.segment_kmeans_serialize, DESERIALFUNC = @extschema@.segment_kmeans_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.segment_kmeans_choose_k(features float8[], max_k int, scaling text, seed bigint) (
	SFUNC = @extschema@.segment_kmeans_choose_trans, STYPE = internal, SSPACE = 65536,
	FINALFUNC = @extschema@.segment_kmeans_choose_final, COMBINEFUNC = @extschema@.segment_kmeans_combine,
	SERIALFUNC = @extschema@.segment_kmeans_serialize, DESERIALFUNC = @extschema@.segment_kmeans_deserialize,
	PARALLEL = SAFE
);

CREATE FUNCTION @extschema@.segment_cluster(model @extschema@.segment_clusters, features float8[])
	RETURNS int AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_cluster_distance(model @extschema@.segment_clusters, features float8[])
	RETURNS float8 AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON TYPE @extschema@.segment_clusters IS
'a fitted k-means model: scaling, centroids, cluster sizes, within-cluster sum of squares; from segment_kmeans';
COMMENT ON FUNCTION @extschema@.segment_clusters_in(cstring) IS 'text input of segment_clusters: name=value pairs in canonical order, validated';
COMMENT ON FUNCTION @extschema@.segment_clusters_out(@extschema@.segment_clusters) IS 'text output of segment_clusters: every number in the shortest form that reads back exactly';
COMMENT ON FUNCTION @extschema@.segment_clusters_recv(internal) IS 'binary input of segment_clusters (format version 1), validated';
COMMENT ON FUNCTION @extschema@.segment_clusters_send(@extschema@.segment_clusters) IS 'binary output of segment_clusters (format version 1)';
COMMENT ON FUNCTION @extschema@.segment_clusters_jsonb(@extschema@.segment_clusters) IS
'the model as jsonb: scaling, and per cluster its size, sum of squares and centroid in the features'' own units and scaled';
COMMENT ON CAST (@extschema@.segment_clusters AS jsonb) IS 'the model as jsonb, for BI tools';
COMMENT ON TYPE @extschema@.segment_kmeans_choice IS
'one row of the choose-k table: k, within-cluster sum of squares, silhouette (on a sample), Davies-Bouldin index, Lloyd iterations';
COMMENT ON FUNCTION @extschema@.segment_kmeans_trans(internal, float8[], int) IS 'transition function of segment_kmeans';
COMMENT ON FUNCTION @extschema@.segment_kmeans_trans(internal, float8[], int, text) IS 'transition function of segment_kmeans';
COMMENT ON FUNCTION @extschema@.segment_kmeans_trans(internal, float8[], int, text, bigint) IS 'transition function of segment_kmeans';
COMMENT ON FUNCTION @extschema@.segment_kmeans_choose_trans(internal, float8[], int) IS 'transition function of segment_kmeans_choose_k';
COMMENT ON FUNCTION @extschema@.segment_kmeans_choose_trans(internal, float8[], int, text) IS 'transition function of segment_kmeans_choose_k';
COMMENT ON FUNCTION @extschema@.segment_kmeans_choose_trans(internal, float8[], int, text, bigint) IS 'transition function of segment_kmeans_choose_k';
COMMENT ON FUNCTION @extschema@.segment_kmeans_combine(internal, internal) IS 'combine function of segment_kmeans and segment_kmeans_choose_k: merges two bounded samples';
COMMENT ON FUNCTION @extschema@.segment_kmeans_serialize(internal) IS 'serialize function of segment_kmeans and segment_kmeans_choose_k';
COMMENT ON FUNCTION @extschema@.segment_kmeans_deserialize(bytea, internal) IS 'deserialize function of segment_kmeans and segment_kmeans_choose_k';
COMMENT ON FUNCTION @extschema@.segment_kmeans_final(internal) IS 'final function of segment_kmeans: scales the sample and fits k-means';
COMMENT ON FUNCTION @extschema@.segment_kmeans_choose_final(internal) IS 'final function of segment_kmeans_choose_k: fits and scores k = 2 .. max_k';
COMMENT ON AGGREGATE @extschema@.segment_kmeans(float8[], int) IS
'k-means (k-means++, 10 restarts, Lloyd) over z-scored feature vectors; a segment_clusters model';
COMMENT ON AGGREGATE @extschema@.segment_kmeans(float8[], int, text) IS
'k-means over feature vectors scaled by zscore, log1p (log1p then z-score) or none; a segment_clusters model';
COMMENT ON AGGREGATE @extschema@.segment_kmeans(float8[], int, text, bigint) IS
'k-means with a scaling and a seed of the caller''s choice; a segment_clusters model';
COMMENT ON AGGREGATE @extschema@.segment_kmeans_choose_k(float8[], int) IS
'the choose-k table for k = 2 .. max_k over z-scored features: within-cluster sum of squares, silhouette, Davies-Bouldin';
COMMENT ON AGGREGATE @extschema@.segment_kmeans_choose_k(float8[], int, text) IS
'the choose-k table for k = 2 .. max_k with a scaling (zscore, log1p, none)';
COMMENT ON AGGREGATE @extschema@.segment_kmeans_choose_k(float8[], int, text, bigint) IS
'the choose-k table for k = 2 .. max_k with a scaling and a seed';
COMMENT ON FUNCTION @extschema@.segment_cluster(@extschema@.segment_clusters, float8[]) IS
'the cluster (1 .. k, largest first) whose centroid is nearest to the scaled features; NULL if a feature is NULL';
COMMENT ON FUNCTION @extschema@.segment_cluster_distance(@extschema@.segment_clusters, float8[]) IS
'the Euclidean distance, in scaled units, from the features to the nearest centroid';
-- Rules as parameters and the catalogue listing (issue 21): the implicit
-- casts text/varchar -> segment_rule and their function, and the
-- segmentation_objects view (src/rule/rule_params.sql, src/objects/objects.sql)

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

-- ---------------------------------------------------------------------------
-- segmentation_objects: every SQL object of the extension, what kind it is,
-- its signature and what it is for (its COMMENT), in one view, so that a
-- newcomer or a BI tool's object browser finds the functions by purpose:
--
--   SELECT name, signature, description FROM segmentation_objects
--    WHERE kind = 'aggregate';
--
-- Read from the catalogue when queried (pg_depend's extension membership),
-- so that it always lists what is installed, objects of later versions
-- included.
-- ---------------------------------------------------------------------------

CREATE VIEW @extschema@.segmentation_objects AS
WITH member AS (
	SELECT d.classid, d.objid
	  FROM pg_catalog.pg_depend d
	  JOIN pg_catalog.pg_extension e ON d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
		   AND d.refobjid = e.oid
	 WHERE e.extname = 'segmentation' AND d.deptype = 'e'
)
SELECT o.name, o.kind, o.signature,
	   pg_catalog.obj_description(m.objid, m.classid::pg_catalog.regclass::pg_catalog.text) AS description
  FROM member m
 CROSS JOIN LATERAL (
	SELECT p.proname::pg_catalog.text,
		   CASE p.prokind WHEN 'a' THEN 'aggregate' WHEN 'w' THEN 'window function' WHEN 'p' THEN 'procedure'
		   ELSE CASE WHEN p.prorettype = 'pg_catalog.trigger'::pg_catalog.regtype THEN 'trigger function'
				ELSE 'function' END END,
		   p.proname OPERATOR(pg_catalog.||) '(' OPERATOR(pg_catalog.||)
		   pg_catalog.pg_get_function_arguments(p.oid) OPERATOR(pg_catalog.||) ') returns '
		   OPERATOR(pg_catalog.||) pg_catalog.pg_get_function_result(p.oid)
	  FROM pg_catalog.pg_proc p WHERE m.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND p.oid = m.objid
	UNION ALL
	SELECT t.typname::pg_catalog.text,
		   CASE t.typtype WHEN 'b' THEN 'base type' WHEN 'c' THEN 'composite type' WHEN 'e' THEN 'enum type'
		   WHEN 'd' THEN 'domain' WHEN 'r' THEN 'range type' ELSE 'type' END,
		   CASE t.typtype
		   WHEN 'c' THEN t.typname OPERATOR(pg_catalog.||) ' (' OPERATOR(pg_catalog.||)
				(SELECT pg_catalog.string_agg(a.attname OPERATOR(pg_catalog.||) ' '
											  OPERATOR(pg_catalog.||) pg_catalog.format_type(a.atttypid, a.atttypmod),
											  ', ' ORDER BY a.attnum)
				   FROM pg_catalog.pg_attribute a
				  WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped)
				OPERATOR(pg_catalog.||) ')'
		   WHEN 'e' THEN t.typname OPERATOR(pg_catalog.||) ' (' OPERATOR(pg_catalog.||)
				(SELECT pg_catalog.string_agg(pg_catalog.quote_literal(l.enumlabel), ', ' ORDER BY l.enumsortorder)
				   FROM pg_catalog.pg_enum l WHERE l.enumtypid = t.oid)
				OPERATOR(pg_catalog.||) ')'
		   ELSE t.typname::pg_catalog.text END
	  FROM pg_catalog.pg_type t WHERE m.classid = 'pg_catalog.pg_type'::pg_catalog.regclass AND t.oid = m.objid
	UNION ALL
	SELECT o.oprname::pg_catalog.text, 'operator',
		   o.oid::pg_catalog.regoperator::pg_catalog.text OPERATOR(pg_catalog.||) ' returns '
		   OPERATOR(pg_catalog.||) pg_catalog.format_type(o.oprresult, NULL)
	  FROM pg_catalog.pg_operator o WHERE m.classid = 'pg_catalog.pg_operator'::pg_catalog.regclass AND o.oid = m.objid
	UNION ALL
	SELECT pg_catalog.format_type(c.castsource, NULL) OPERATOR(pg_catalog.||) ' AS '
		   OPERATOR(pg_catalog.||) pg_catalog.format_type(c.casttarget, NULL),
		   'cast',
		   '(' OPERATOR(pg_catalog.||) pg_catalog.format_type(c.castsource, NULL) OPERATOR(pg_catalog.||) ' AS '
		   OPERATOR(pg_catalog.||) pg_catalog.format_type(c.casttarget, NULL) OPERATOR(pg_catalog.||) ') '
		   OPERATOR(pg_catalog.||) CASE c.castcontext WHEN 'i' THEN 'implicit' WHEN 'a' THEN 'on assignment'
								   ELSE 'explicit' END
	  FROM pg_catalog.pg_cast c WHERE m.classid = 'pg_catalog.pg_cast'::pg_catalog.regclass AND c.oid = m.objid
	UNION ALL
	SELECT r.relname::pg_catalog.text,
		   CASE r.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view'
		   WHEN 'p' THEN 'table' WHEN 'S' THEN 'sequence' ELSE 'relation' END,
		   r.relname OPERATOR(pg_catalog.||) ' (' OPERATOR(pg_catalog.||)
		   (SELECT pg_catalog.string_agg(a.attname OPERATOR(pg_catalog.||) ' '
										 OPERATOR(pg_catalog.||) pg_catalog.format_type(a.atttypid, a.atttypmod),
										 ', ' ORDER BY a.attnum)
			  FROM pg_catalog.pg_attribute a WHERE a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped)
		   OPERATOR(pg_catalog.||) ')'
	  FROM pg_catalog.pg_class r WHERE m.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND r.oid = m.objid
	UNION ALL
	SELECT c.opcname::pg_catalog.text, 'operator class',
		   c.opcname OPERATOR(pg_catalog.||) ' USING ' OPERATOR(pg_catalog.||) a.amname
		   OPERATOR(pg_catalog.||) ' FOR ' OPERATOR(pg_catalog.||) pg_catalog.format_type(c.opcintype, NULL)
	  FROM pg_catalog.pg_opclass c JOIN pg_catalog.pg_am a ON a.oid = c.opcmethod
	 WHERE m.classid = 'pg_catalog.pg_opclass'::pg_catalog.regclass AND c.oid = m.objid
	UNION ALL
	SELECT f.opfname::pg_catalog.text, 'operator family',
		   f.opfname OPERATOR(pg_catalog.||) ' USING ' OPERATOR(pg_catalog.||) a.amname
	  FROM pg_catalog.pg_opfamily f JOIN pg_catalog.pg_am a ON a.oid = f.opfmethod
	 WHERE m.classid = 'pg_catalog.pg_opfamily'::pg_catalog.regclass AND f.oid = m.objid
	UNION ALL
	SELECT NULL, pg_catalog.pg_describe_object(m.classid, m.objid, 0), NULL
	 WHERE m.classid NOT IN ('pg_catalog.pg_proc'::pg_catalog.regclass, 'pg_catalog.pg_type'::pg_catalog.regclass,
							 'pg_catalog.pg_operator'::pg_catalog.regclass, 'pg_catalog.pg_cast'::pg_catalog.regclass,
							 'pg_catalog.pg_class'::pg_catalog.regclass, 'pg_catalog.pg_opclass'::pg_catalog.regclass,
							 'pg_catalog.pg_opfamily'::pg_catalog.regclass)
 ) o(name, kind, signature);

GRANT SELECT ON @extschema@.segmentation_objects TO PUBLIC;

COMMENT ON VIEW @extschema@.segmentation_objects IS
	'every SQL object of the segmentation extension: name, kind, signature and what it is for (its comment)';
COMMENT ON COLUMN @extschema@.segmentation_objects.name IS 'the object''s name (for a cast, source AS target)';
COMMENT ON COLUMN @extschema@.segmentation_objects.kind IS
	'function, aggregate, window function, trigger function, base type, composite type, enum type, operator, cast, table, view, operator class, operator family';
COMMENT ON COLUMN @extschema@.segmentation_objects.signature IS
	'how it is called or what it holds: arguments and result, fields, labels, operand types, cast context';
COMMENT ON COLUMN @extschema@.segmentation_objects.description IS 'what it is for: the object''s COMMENT';
-- ===========================================================================
-- Experiments (issue 18): src/experiment/experiment.sql, as in a fresh install
-- ===========================================================================

-- ---------------------------------------------------------------------------
-- Experiments: GrowthBook-compatible variant assignment, the statistics of
-- results per variant against control, sample sizes and Benjamini-Hochberg
-- ---------------------------------------------------------------------------

CREATE TYPE @extschema@.segment_experiment_result AS (
	variant            int,
	n                  bigint,
	n_null             bigint,
	mean               float8,
	lift               float8,
	lift_lower         float8,
	lift_upper         float8,
	relative_lift      float8,
	relative_lower     float8,
	relative_upper     float8,
	p_value            float8,
	variance_reduction float8
);

CREATE FUNCTION @extschema@.segment_hash(seed text, value text) RETURNS float8
	AS 'MODULE_PATHNAME', 'segment_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.segment_variant(key text, experiment text) RETURNS int
	AS 'MODULE_PATHNAME', 'segment_variant_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_variant(key text, experiment text, weights float8[]) RETURNS int
	AS 'MODULE_PATHNAME', 'segment_variant_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_variant(key text, experiment text, weights float8[], coverage float8) RETURNS int
	AS 'MODULE_PATHNAME', 'segment_variant_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_variant(key bigint, experiment text) RETURNS int
	AS 'MODULE_PATHNAME', 'segment_variant_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_variant(key bigint, experiment text, weights float8[]) RETURNS int
	AS 'MODULE_PATHNAME', 'segment_variant_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_variant(key bigint, experiment text, weights float8[], coverage float8) RETURNS int
	AS 'MODULE_PATHNAME', 'segment_variant_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_variant_name(key text, experiment text, variants text[]) RETURNS text
	AS 'MODULE_PATHNAME', 'segment_variant_name_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_variant_name(key text, experiment text, variants text[], weights float8[]) RETURNS text
	AS 'MODULE_PATHNAME', 'segment_variant_name_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_variant_name(key bigint, experiment text, variants text[]) RETURNS text
	AS 'MODULE_PATHNAME', 'segment_variant_name_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_variant_name(key bigint, experiment text, variants text[], weights float8[]) RETURNS text
	AS 'MODULE_PATHNAME', 'segment_variant_name_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- the result aggregates: one state (moments per variant), four metrics
CREATE FUNCTION @extschema@.segment_lift_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'segment_lift_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_lift_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME', 'segment_lift_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_lift_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'segment_lift_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_lift_final(internal) RETURNS @extschema@.segment_experiment_result[]
	AS 'MODULE_PATHNAME', 'segment_lift_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.segment_lift_conversion_trans(internal, int, boolean) RETURNS internal
	AS 'MODULE_PATHNAME', 'segment_lift_conversion_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.segment_lift_conversion_trans(internal, int, boolean, float8) RETURNS internal
	AS 'MODULE_PATHNAME', 'segment_lift_conversion_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.segment_lift_conversion(variant int, converted boolean) (
	SFUNC = @extschema@.segment_lift_conversion_trans,
	STYPE = internal,
	SSPACE = 256,
	FINALFUNC = @extschema@.segment_lift_final,
	FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = @extschema@.segment_lift_combine,
	SERIALFUNC = @extschema@.segment_lift_serialize,
	DESERIALFUNC = @extschema@.segment_lift_deserialize,
	PARALLEL = SAFE
);

CREATE AGGREGATE @extschema@.segment_lift_conversion(variant int, converted boolean, confidence float8) (
	SFUNC = @extschema@.segment_lift_conversion_trans,
	STYPE = internal,
	SSPACE = 256,
	FINALFUNC = @extschema@.segment_lift_final,
	FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = @extschema@.segment_lift_combine,
	SERIALFUNC = @extschema@.segment_lift_serialize,
	DESERIALFUNC = @extschema@.segment_lift_deserialize,
	PARALLEL = SAFE
);

CREATE FUNCTION @extschema@.segment_lift_mean_trans(internal, int, float8) RETURNS internal
	AS 'MODULE_PATHNAME', 'segment_lift_mean_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.segment_lift_mean_trans(internal, int, float8, float8) RETURNS internal
	AS 'MODULE_PATHNAME', 'segment_lift_mean_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.segment_lift_mean(variant int, value float8) (
	SFUNC = @extschema@.segment_lift_mean_trans,
	STYPE = internal,
	SSPACE = 256,
	FINALFUNC = @extschema@.segment_lift_final,
	FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = @extschema@.segment_lift_combine,
	SERIALFUNC = @extschema@.segment_lift_serialize,
	DESERIALFUNC = @extschema@.segment_lift_deserialize,
	PARALLEL = SAFE
);

CREATE AGGREGATE @extschema@.segment_lift_mean(variant int, value float8, confidence float8) (
	SFUNC = @extschema@.segment_lift_mean_trans,
	STYPE = internal,
	SSPACE = 256,
	FINALFUNC = @extschema@.segment_lift_final,
	FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = @extschema@.segment_lift_combine,
	SERIALFUNC = @extschema@.segment_lift_serialize,
	DESERIALFUNC = @extschema@.segment_lift_deserialize,
	PARALLEL = SAFE
);

CREATE FUNCTION @extschema@.segment_lift_cuped_trans(internal, int, float8, float8) RETURNS internal
	AS 'MODULE_PATHNAME', 'segment_lift_cuped_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.segment_lift_cuped_trans(internal, int, float8, float8, float8) RETURNS internal
	AS 'MODULE_PATHNAME', 'segment_lift_cuped_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.segment_lift_cuped(variant int, value float8, covariate float8) (
	SFUNC = @extschema@.segment_lift_cuped_trans,
	STYPE = internal,
	SSPACE = 256,
	FINALFUNC = @extschema@.segment_lift_final,
	FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = @extschema@.segment_lift_combine,
	SERIALFUNC = @extschema@.segment_lift_serialize,
	DESERIALFUNC = @extschema@.segment_lift_deserialize,
	PARALLEL = SAFE
);

CREATE AGGREGATE @extschema@.segment_lift_cuped(variant int, value float8, covariate float8, confidence float8) (
	SFUNC = @extschema@.segment_lift_cuped_trans,
	STYPE = internal,
	SSPACE = 256,
	FINALFUNC = @extschema@.segment_lift_final,
	FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = @extschema@.segment_lift_combine,
	SERIALFUNC = @extschema@.segment_lift_serialize,
	DESERIALFUNC = @extschema@.segment_lift_deserialize,
	PARALLEL = SAFE
);

CREATE FUNCTION @extschema@.segment_lift_ratio_trans(internal, int, float8, float8) RETURNS internal
	AS 'MODULE_PATHNAME', 'segment_lift_ratio_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.segment_lift_ratio_trans(internal, int, float8, float8, float8) RETURNS internal
	AS 'MODULE_PATHNAME', 'segment_lift_ratio_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.segment_lift_ratio(variant int, numerator float8, denominator float8) (
	SFUNC = @extschema@.segment_lift_ratio_trans,
	STYPE = internal,
	SSPACE = 256,
	FINALFUNC = @extschema@.segment_lift_final,
	FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = @extschema@.segment_lift_combine,
	SERIALFUNC = @extschema@.segment_lift_serialize,
	DESERIALFUNC = @extschema@.segment_lift_deserialize,
	PARALLEL = SAFE
);

CREATE AGGREGATE @extschema@.segment_lift_ratio(variant int, numerator float8, denominator float8, confidence float8) (
	SFUNC = @extschema@.segment_lift_ratio_trans,
	STYPE = internal,
	SSPACE = 256,
	FINALFUNC = @extschema@.segment_lift_final,
	FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = @extschema@.segment_lift_combine,
	SERIALFUNC = @extschema@.segment_lift_serialize,
	DESERIALFUNC = @extschema@.segment_lift_deserialize,
	PARALLEL = SAFE
);

-- planning and many segments
CREATE FUNCTION @extschema@.segment_sample_size(baseline_rate float8, minimum_detectable_effect float8,
	alpha float8 DEFAULT 0.05, power float8 DEFAULT 0.8, ratio float8 DEFAULT 1)
	RETURNS bigint AS 'MODULE_PATHNAME', 'segment_sample_size' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_sample_size_mean(stddev float8, minimum_detectable_effect float8,
	alpha float8 DEFAULT 0.05, power float8 DEFAULT 0.8, ratio float8 DEFAULT 1)
	RETURNS bigint AS 'MODULE_PATHNAME', 'segment_sample_size_mean' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_p_adjust(p float8) RETURNS float8
	AS 'MODULE_PATHNAME', 'segment_p_adjust' LANGUAGE C IMMUTABLE WINDOW PARALLEL SAFE;

COMMENT ON TYPE @extschema@.segment_experiment_result IS
	'one variant of an experiment against its control (variant 0): rows, NULL outcomes skipped, rate or mean, absolute and relative lift with their confidence intervals, two-sided p-value, CUPED variance reduction';
COMMENT ON FUNCTION @extschema@.segment_hash(text, text) IS
	'GrowthBook''s hash version 2 of value with seed: fnv32a(str(fnv32a(seed || value))) % 10000 / 10000, in [0, 1)';
COMMENT ON FUNCTION @extschema@.segment_variant(text, text) IS
	'the variant (0 or 1, equal halves) of key in the experiment, as GrowthBook''s SDKs assign it with the experiment name as seed';
COMMENT ON FUNCTION @extschema@.segment_variant(text, text, float8[]) IS
	'the variant (0-based index of weights) of key in the experiment, as GrowthBook''s SDKs assign it; weights are non-negative and add up to 1 within 0.01';
COMMENT ON FUNCTION @extschema@.segment_variant(text, text, float8[], float8) IS
	'the variant of key in the experiment with the given weights and coverage (the share included); NULL for a key outside the coverage';
COMMENT ON FUNCTION @extschema@.segment_variant(bigint, text) IS
	'the variant (0 or 1) of a numeric key, hashed as its decimal text';
COMMENT ON FUNCTION @extschema@.segment_variant(bigint, text, float8[]) IS
	'the variant (0-based index of weights) of a numeric key, hashed as its decimal text';
COMMENT ON FUNCTION @extschema@.segment_variant(bigint, text, float8[], float8) IS
	'the variant of a numeric key (hashed as its decimal text) with the given weights and coverage; NULL outside the coverage';
COMMENT ON FUNCTION @extschema@.segment_variant_name(text, text, text[]) IS
	'the name of key''s variant among equally weighted variants';
COMMENT ON FUNCTION @extschema@.segment_variant_name(text, text, text[], float8[]) IS
	'the name of key''s variant, one weight per name';
COMMENT ON FUNCTION @extschema@.segment_variant_name(bigint, text, text[]) IS
	'the name of a numeric key''s variant among equally weighted variants';
COMMENT ON FUNCTION @extschema@.segment_variant_name(bigint, text, text[], float8[]) IS
	'the name of a numeric key''s variant, one weight per name';
COMMENT ON FUNCTION @extschema@.segment_lift_combine(internal, internal) IS
	'combine function of the segment_lift aggregates';
COMMENT ON FUNCTION @extschema@.segment_lift_serialize(internal) IS
	'serialize function of the segment_lift aggregates';
COMMENT ON FUNCTION @extschema@.segment_lift_deserialize(bytea, internal) IS
	'deserialize function of the segment_lift aggregates';
COMMENT ON FUNCTION @extschema@.segment_lift_final(internal) IS
	'final function of the segment_lift aggregates: the tests per variant';
COMMENT ON FUNCTION @extschema@.segment_sample_size(float8, float8, float8, float8, float8) IS
	'customers needed in the control group (the treatment needs ratio times as many) for a two-sided two-proportion test to detect an absolute change of minimum_detectable_effect from baseline_rate';
COMMENT ON FUNCTION @extschema@.segment_sample_size_mean(float8, float8, float8, float8, float8) IS
	'customers needed in the control group (the treatment needs ratio times as many) for a two-sided test to detect a difference of means of minimum_detectable_effect with standard deviation stddev';
COMMENT ON FUNCTION @extschema@.segment_p_adjust(float8) IS
	'window function: Benjamini-Hochberg adjusted p-value (false discovery rate) across the rows of the window partition; NULLs are not counted';

COMMENT ON AGGREGATE @extschema@.segment_lift_conversion(int, boolean) IS
	'one segment_experiment_result per variant against variant 0 (control), at 95% confidence: conversions: two-proportion z-test (pooled), Newcombe hybrid score interval for the difference, log (Katz) interval for the ratio';
COMMENT ON FUNCTION @extschema@.segment_lift_conversion_trans(internal, int, boolean) IS
	'transition function of segment_lift_conversion';
COMMENT ON AGGREGATE @extschema@.segment_lift_conversion(int, boolean, float8) IS
	'one segment_experiment_result per variant against variant 0 (control), at the given two-sided confidence level: conversions: two-proportion z-test (pooled), Newcombe hybrid score interval for the difference, log (Katz) interval for the ratio';
COMMENT ON FUNCTION @extschema@.segment_lift_conversion_trans(internal, int, boolean, float8) IS
	'transition function of segment_lift_conversion';
COMMENT ON AGGREGATE @extschema@.segment_lift_mean(int, float8) IS
	'one segment_experiment_result per variant against variant 0 (control), at 95% confidence: a numeric outcome (revenue per customer): Welch t-test and interval for the difference, delta-method interval for the relative lift';
COMMENT ON FUNCTION @extschema@.segment_lift_mean_trans(internal, int, float8) IS
	'transition function of segment_lift_mean';
COMMENT ON AGGREGATE @extschema@.segment_lift_mean(int, float8, float8) IS
	'one segment_experiment_result per variant against variant 0 (control), at the given two-sided confidence level: a numeric outcome (revenue per customer): Welch t-test and interval for the difference, delta-method interval for the relative lift';
COMMENT ON FUNCTION @extschema@.segment_lift_mean_trans(internal, int, float8, float8) IS
	'transition function of segment_lift_mean';
COMMENT ON AGGREGATE @extschema@.segment_lift_cuped(int, float8, float8) IS
	'one segment_experiment_result per variant against variant 0 (control), at 95% confidence: a numeric outcome adjusted by a pre-period covariate (CUPED, Deng et al. 2013), then Welch; variance_reduction reports the shrinkage';
COMMENT ON FUNCTION @extschema@.segment_lift_cuped_trans(internal, int, float8, float8) IS
	'transition function of segment_lift_cuped';
COMMENT ON AGGREGATE @extschema@.segment_lift_cuped(int, float8, float8, float8) IS
	'one segment_experiment_result per variant against variant 0 (control), at the given two-sided confidence level: a numeric outcome adjusted by a pre-period covariate (CUPED, Deng et al. 2013), then Welch; variance_reduction reports the shrinkage';
COMMENT ON FUNCTION @extschema@.segment_lift_cuped_trans(internal, int, float8, float8, float8) IS
	'transition function of segment_lift_cuped';
COMMENT ON AGGREGATE @extschema@.segment_lift_ratio(int, float8, float8) IS
	'one segment_experiment_result per variant against variant 0 (control), at 95% confidence: a ratio metric (sum of numerators over sum of denominators per variant, e.g. revenue per order) with customers as the unit: delta-method normal test and interval';
COMMENT ON FUNCTION @extschema@.segment_lift_ratio_trans(internal, int, float8, float8) IS
	'transition function of segment_lift_ratio';
COMMENT ON AGGREGATE @extschema@.segment_lift_ratio(int, float8, float8, float8) IS
	'one segment_experiment_result per variant against variant 0 (control), at the given two-sided confidence level: a ratio metric (sum of numerators over sum of denominators per variant, e.g. revenue per order) with customers as the unit: delta-method normal test and interval';
COMMENT ON FUNCTION @extschema@.segment_lift_ratio_trans(internal, int, float8, float8, float8) IS
	'transition function of segment_lift_ratio';

-- ---------------------------------------------------------------------------
-- Rule speed (issue 22): a rule call over a table's whole row that the
-- planner does not inline is planned as its values form, over the table's
-- columns (src/rule/values_pg.c); the catalogues get the planner support
-- that does it.
-- ---------------------------------------------------------------------------
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
ALTER FUNCTION @extschema@.segment_classify(text[], @extschema@.segment_rule[], anyelement)
	SUPPORT @extschema@.segment_match_support;
ALTER FUNCTION @extschema@.segment_classify(text[], @extschema@.segment_rule[], anyelement, timestamptz)
	SUPPORT @extschema@.segment_match_support;
ALTER FUNCTION @extschema@.segment_memberships(text[], @extschema@.segment_rule[], anyelement)
	SUPPORT @extschema@.segment_match_support;
ALTER FUNCTION @extschema@.segment_memberships(text[], @extschema@.segment_rule[], anyelement, timestamptz)
	SUPPORT @extschema@.segment_match_support;
COMMENT ON FUNCTION @extschema@.segment_match_values(@extschema@.segment_rule, timestamptz, anyelement, "any") IS
	'segment_match over the row of the type of row_type (a NULL of it) whose columns hold the given values, one per attribute in order: what the planner makes of segment_match over a table row it does not inline';
COMMENT ON FUNCTION @extschema@.segment_classify_values(text[], @extschema@.segment_rule[], timestamptz, anyelement, "any") IS
	'segment_classify over the row of the type of row_type whose columns hold the given values: what the planner makes of segment_classify over a table row';
COMMENT ON FUNCTION @extschema@.segment_memberships_values(text[], @extschema@.segment_rule[], timestamptz, anyelement, "any") IS
	'segment_memberships over the row of the type of row_type whose columns hold the given values: what the planner makes of segment_memberships over a table row';
COMMENT ON FUNCTION @extschema@.segment_match_support(internal) IS
	'planner support of segment_match, @@ and the catalogues: inlines a constant rule over a table row as native quals (segmentation.inline_rules); otherwise passes the row''s columns instead of the row (segment_match_values)';

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

-- the comments of the type and the predictions name the kinds
COMMENT ON TYPE @extschema@.clv_model IS
	'A fitted purchase model of a kind (BG/NBD or its no-dropout boundary, the NBD; Pareto/NBD; MBG/NBD) and Gamma-Gamma spend model: parameters, standard errors, log-likelihoods, customers, convergence, time unit';
COMMENT ON FUNCTION @extschema@.clv_model_jsonb(@extschema@.clv_model) IS
	'the model as jsonb: its kind, and the parameters, standard errors, log-likelihood, AIC, BIC, customers and convergence of each sub-model, and whether a BG/NBD fit is at its no-dropout boundary';
COMMENT ON FUNCTION @extschema@.clv_expected_purchases(@extschema@.clv_model, @extschema@.btyd_summary, float8) IS
	'expected purchases in the next horizon units under the model''s kind (BG/NBD: Fader, Hardie & Lee 2005, eq. 10; Pareto/NBD; MBG/NBD)';
COMMENT ON FUNCTION @extschema@.clv_p_alive(@extschema@.clv_model, @extschema@.btyd_summary) IS
	'probability that the customer is still active, under the model''s kind';
COMMENT ON FUNCTION @extschema@.clv_expected_purchases(@extschema@.clv_model, @extschema@.btyd_holdout) IS
	'expected purchases over the holdout period under the model''s kind, from the calibration summary: the predicted side of the validation table';

-- BG/BB and the shifted-beta-geometric retention model (src/btyd/clv.sql)

-- ---------------------------------------------------------------------------
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

-- ===========================================================================
-- Personas: segments described against their population (src/persona/persona.sql, issue 19)
-- ===========================================================================

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
