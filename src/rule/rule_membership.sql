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
	open_in text[];
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

	EXECUTE format('SELECT coalesce(array_agg(segment), ''{}'') FROM %s WHERE customer_key = $1 AND left_at IS NULL',
				   membership) INTO open_in USING new_key;
	FOREACH s IN ARRAY now_in LOOP
		IF NOT s = ANY (open_in) THEN
			EXECUTE format('INSERT INTO %s (customer_key, segment, entered_at) VALUES ($1, $2, clock_timestamp())',
						   membership) USING new_key, s;
			PERFORM pg_notify(channel, jsonb_build_object('event', 'enter', 'key', new_key, 'segment', s,
														  'table', TG_TABLE_NAME, 'at', clock_timestamp())::text);
		END IF;
	END LOOP;
	FOREACH s IN ARRAY open_in LOOP
		IF NOT s = ANY (now_in) THEN
			EXECUTE format('UPDATE %s SET left_at = clock_timestamp() WHERE customer_key = $1 AND segment = $2 '
						   'AND left_at IS NULL', membership) USING new_key, s;
			PERFORM pg_notify(channel, jsonb_build_object('event', 'leave', 'key', new_key, 'segment', s,
														  'table', TG_TABLE_NAME, 'at', clock_timestamp())::text);
		END IF;
	END LOOP;
	RETURN NULL;
END
$fn$;

COMMENT ON FUNCTION @extschema@.segment_membership_trigger() IS
	'AFTER ROW trigger: keeps a membership table (customer_key, segment, entered_at, left_at) current against a catalogue of saved segments and NOTIFYs each entry and exit (arguments: catalogue, membership table, key column [, channel])';
