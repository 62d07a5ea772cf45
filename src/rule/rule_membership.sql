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

CREATE FUNCTION @extschema@.segment_membership_trigger() RETURNS trigger
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
