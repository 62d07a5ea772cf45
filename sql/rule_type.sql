-- rule_type: the segment_rule type.  Pins down the canonical text of every
-- construct of the rule language (lower-case keywords, one space around
-- operators, the fewest parentheses SQL precedence needs, names quoted only
-- when they must be), that canonical text reads back as an equal value,
-- equality and hashing by canonical form (so that rules can be grouped and
-- unique-indexed), segment_rule_attributes, and the binary form: its bytes
-- for a small rule (written out by hand from doc/rules.md), the bytea casts,
-- and a COPY BINARY round trip through segment_rule_send and _recv.

-- canonical text of each construct
SELECT r::segment_rule AS canonical
FROM (VALUES
	('Country IN (''DE'',''AT'') AND plan<>''free'' AND NOT unsubscribed'),
	('age BETWEEN 25 AND 54 and signup_date >= ''2024-01-01'''),
	('last_order_at WITHIN 30 DAYS and (tags contains ''vip'' OR monetary > 1000)'),
	('city ~= ''munchen'''),
	('city ~= ''munchen'' COLLATE ''de'''),
	('email ilike ''%@GMAIL.com'''),
	('email NOT ILIKE ''%x%'' collate ''tr'''),
	('email not like ''%@example.com'''),
	('properties.plan = ''pro'''),
	('"Weird Name" = 1 or "in" = 2 or profile.in = 3 or "lower" = 4'),
	('name = ''O''''Brien'''),
	('a != -1.5E3 and b <> +2 and c < .5 and d <= 5. and e > 1e-2 and f >= 0'),
	('paid = TRUE or paid = false or paid = NULL'),
	('age not in (1, 2,3) or age not between 1 and 2'),
	('age is null or age IS NOT NULL'),
	('tags contains any (''a'',''b'') and tags contains all (''c'')'),
	('t within 1 day or t within 1 weeks or t within 007 weeks or t within 2 month'),
	('not not a'),
	('not (a and b) or not (c or d)'),
	('(a or b) and c'),
	('a or (b and c)'),
	('(a and b) and (c and d)'),
	('((((a))))'),
	('a -- a comment
	 and b'),
	('order_count >= 2 and not last_order_at within 6 months and consent_email and not unsubscribed'),
	('monetary > 1000 and country in (''DE'', ''AT'', ''CH'') and consent_email and not unsubscribed'),
	('rfm.r >= 4 and rfm.f >= 4 and rfm.segment <> ''Champions''')
) v(r);

-- every canonical text reads back as an equal value, and prints the same
CREATE TABLE rule_samples (id serial, r segment_rule);
INSERT INTO rule_samples (r) VALUES
	('country in (''DE'', ''AT'') and plan <> ''free'' and not unsubscribed'),
	('age between 25 and 54 and signup_date >= ''2024-01-01'''),
	('last_order_at within 30 days and (tags contains ''vip'' or monetary > 1000)'),
	('city ~= ''munchen'' collate ''de'' or email not ilike ''%@GMAIL.com'''),
	('"say ""hi""".x.y contains any (1, -2.5e3, true, null, ''x''''y'')'),
	('not (a or b) and not not c'),
	('x is not null and y not like ''a\%'''),
	(('name = ''M' || chr(252) || 'nchen'' and "' || chr(228) || 'ge" > 1')::segment_rule);
SELECT id, r::text::segment_rule = r AS reads_back,
	   r::text::segment_rule::text = r::text AS prints_same
FROM rule_samples ORDER BY id;
SELECT r FROM rule_samples WHERE id = 8;

-- equality is equality of canonical forms
SELECT 'a=1'::segment_rule = ' A  =  1 '::segment_rule AS spellings_equal,
	   'a = 1 and (b = 2 and c = 3)'::segment_rule
		 = '(a = 1 and b = 2) and c = 3'::segment_rule AS and_is_associative,
	   'a != 1'::segment_rule = 'a <> 1'::segment_rule AS ne_spellings,
	   'a = 1'::segment_rule = 'a = 1.0'::segment_rule AS numbers_as_written,
	   'a = 1 and b'::segment_rule = 'b and a = 1'::segment_rule AS order_matters,
	   'a = 1'::segment_rule <> 'a = ''1'''::segment_rule AS kinds_differ;

-- hashing agrees with equality
SELECT segment_rule_hash('x in (1,2)') = segment_rule_hash('X IN (1, 2)') AS hash_equal,
	   segment_rule_hash_extended('x in (1,2)', 7) = segment_rule_hash_extended('X IN (1, 2)', 7) AS hash_ext_equal,
	   segment_rule_hash('x in (1,2)') <> segment_rule_hash('x in (2,1)') AS hash_differs;

-- the order is total and consistent with segment_rule_cmp
SELECT count(*) AS pairs,
	   count(*) FILTER (WHERE (a.r < b.r) <> (segment_rule_cmp(a.r, b.r) < 0)
					 OR (a.r = b.r) <> (a.id = b.id)
					 OR (a.r < b.r) = (a.r >= b.r)
					 OR (a.r > b.r) <> (b.r < a.r)
					 OR (a.r <= b.r) <> (a.r < b.r OR a.r = b.r)) AS inconsistent
FROM rule_samples a, rule_samples b;

-- grouping (sort and hash) and DISTINCT collapse spellings of one rule
CREATE TABLE saved_segments (name text, rule segment_rule);
INSERT INTO saved_segments VALUES
	('de_at', 'country in (''DE'', ''AT'')'),
	('de_at_again', 'COUNTRY IN (''DE'',''AT'')'),
	('vip', 'tags contains ''vip'''),
	('vip_again', 'tags   contains   ''vip'''),
	('dormant', 'not last_order_at within 90 days');
SET enable_hashagg = off;
SELECT rule, count(*) FROM saved_segments GROUP BY rule ORDER BY 2 DESC, rule::text;
SET enable_hashagg = on;
SET enable_sort = off;
SELECT rule, count(*) FROM saved_segments GROUP BY rule ORDER BY 2 DESC, rule::text;
RESET enable_sort;
SELECT count(DISTINCT rule) FROM saved_segments;

-- a unique index rejects a second spelling of the same rule
CREATE TABLE unique_segments (name text, rule segment_rule UNIQUE);
INSERT INTO unique_segments VALUES ('de', 'country = ''DE''');
INSERT INTO unique_segments VALUES ('de2', 'Country=''DE''');
-- a btree entry is limited to about 2.7 kB; an exclusion constraint over the
-- hash operator class keeps big rules unique too (a list of 1000 numbers)
CREATE TABLE big_segments (rule segment_rule, EXCLUDE USING hash (rule WITH =));
INSERT INTO big_segments
	SELECT ('x in (' || string_agg(i::text, ', ') || ')')::segment_rule FROM generate_series(1, 1000) i;
\set VERBOSITY terse
INSERT INTO big_segments
	SELECT ('X IN (' || string_agg(i::text, ',') || ')')::segment_rule FROM generate_series(1, 1000) i;
\set VERBOSITY default
SELECT octet_length(rule::bytea) > 2704 AS bigger_than_a_btree_entry FROM big_segments;
CREATE INDEX ON saved_segments USING hash (rule);
SET enable_seqscan = off;
SELECT name FROM saved_segments WHERE rule = 'tags contains ''vip''' ORDER BY name;
RESET enable_seqscan;

-- attributes: distinct dotted paths, in order of first appearance
SELECT segment_rule_attributes(
	'b = 1 and (a.x > 2 or b is null or not "C d" or a.x = 3 or a = 1)');
SELECT segment_rule_attributes('unsubscribed');
SELECT segment_rule_attributes(NULL);

-- the binary form of a = 1, byte by byte (doc/rules.md, "Binary format"):
-- version 1 | node: kind 4 (cmp), flags 0, op 1 (=), 1 path part | 1 literal
-- | the name "a" (length 1, a, NUL, pad) | literal: kind 2 (number), length 1
-- | 1, NUL, pad
SELECT 'a = 1'::segment_rule::bytea =
	   decode('01000000' || '04000101' || '01000000' || '01000000' || '61000000' ||
			  '02010000' || '31000000', 'hex') AS layout_as_documented;
SELECT segment_rule_send('a = 1') = 'a = 1'::segment_rule::bytea AS send_is_the_same_bytes;
SELECT '\x01000000040001010100000001000000610000000201000031000000'::bytea::segment_rule;
SELECT id, r::bytea::segment_rule = r AS bytea_round_trip FROM rule_samples ORDER BY id;

-- COPY BINARY: out through segment_rule_send, in through segment_rule_recv
DO $$
BEGIN
	EXECUTE format('COPY (SELECT id, r FROM rule_samples) TO %L (FORMAT binary)',
				   current_setting('data_directory') || '/rule_type_copy.bin');
END $$;
CREATE TABLE rule_copy (id int, r segment_rule);
DO $$
BEGIN
	EXECUTE format('COPY rule_copy FROM %L (FORMAT binary)',
				   current_setting('data_directory') || '/rule_type_copy.bin');
END $$;
SELECT count(*) AS copied, count(*) FILTER (WHERE c.r = s.r AND c.r::text = s.r::text) AS equal
FROM rule_copy c JOIN rule_samples s USING (id);

-- send and recv carry strings in the client encoding: in LATIN1 the u-umlaut
-- of München and the a-umlaut of äge are one byte (0xfc, 0xe4) where the
-- stored UTF8 form has two; each string then takes 4 bytes less (8 bytes for
-- 'München' with its NUL and padding instead of 12, 4 for "äge" instead of 8)
SET client_encoding = 'LATIN1';
SELECT segment_rule_send(r) = r::bytea AS send_is_stored_bytes,
	   length(segment_rule_send(r)) = length(r::bytea) - 8 AS eight_bytes_shorter,
	   position('\x4dfc6e6368656e00'::bytea in segment_rule_send(r)) > 0 AS latin1_muenchen,
	   position('\xe4676500'::bytea in segment_rule_send(r)) > 0 AS latin1_aege
FROM rule_samples WHERE id = 8;
TRUNCATE rule_copy;
DO $$
BEGIN
	EXECUTE format('COPY (SELECT id, r FROM rule_samples) TO %L (FORMAT binary)',
				   current_setting('data_directory') || '/rule_type_copy.bin');
	EXECUTE format('COPY rule_copy FROM %L (FORMAT binary)',
				   current_setting('data_directory') || '/rule_type_copy.bin');
END $$;
SELECT count(*) AS copied, count(*) FILTER (WHERE c.r = s.r) AS equal
FROM rule_copy c JOIN rule_samples s USING (id);
RESET client_encoding;

-- NULL in, NULL out
SELECT NULL::segment_rule AS null_rule, segment_rule_send(NULL) AS null_send;

DROP TABLE rule_samples, saved_segments, unique_segments, big_segments, rule_copy;
