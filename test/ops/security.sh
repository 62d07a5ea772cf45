#!/usr/bin/env bash
# Security of installation: a non-superuser with CREATE on a database installs
# the (trusted) extension and uses it; the install script is safe under a
# hostile search_path.  The hostile part plants, in a schema the attacker
# owns and puts first on the search_path, trap functions and operators that
# raise an error when called, with names and argument types an unqualified
# reference in the install script could resolve to; then the extension is
# installed into that very schema and every function is exercised.  A trap
# that fires fails the suite.  A static check requires every SQL-language
# function of the extension to pin its search_path.
set -uo pipefail
db=seg_security
export PGOPTIONS="-c client_min_messages=warning"
su() { psql -qAtX -v ON_ERROR_STOP=1 "$@"; }
as() { local role=$1; shift; PGUSER=$role psql -qAtX -v ON_ERROR_STOP=1 -d $db "$@"; }
. "$(dirname "$0")/../lib/suite.sh"

su -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
for r in seg_analyst seg_mallory; do
	su -c "DROP ROLE IF EXISTS $r" >/dev/null
	su -c "CREATE ROLE $r LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE" >/dev/null
done
su -c "CREATE DATABASE $db" -c "GRANT CREATE ON DATABASE $db TO seg_analyst" >/dev/null
su -d $db -c "REVOKE CREATE ON SCHEMA public FROM PUBLIC" >/dev/null

# 1. a non-superuser installs and uses everything
got=$(as seg_analyst -c "CREATE SCHEMA analytics" -c "CREATE EXTENSION segmentation SCHEMA analytics" \
	-c "SELECT extowner::regrole FROM pg_extension WHERE extname = 'segmentation'" 2>&1)
result "a non-superuser with CREATE on the database installs the trusted extension" "$got" "seg_analyst"

got=$(as seg_analyst -c "SET search_path = analytics" -c "
CREATE TABLE c AS SELECT i AS id, (i * 7) % 50 AS rec, i % 9 AS freq, (i * 13 % 100)::numeric AS mon
FROM generate_series(1, 200) i;
SELECT count(DISTINCT (s).cell) > 10 AND bool_and((s).segment = rfm_segment((s).r, (s).f, (s).m))
FROM (SELECT rfm_score(rec, freq, mon) OVER () AS s FROM c) x;" 2>&1)
result "a non-superuser scores with rfm_score and rfm_segment" "$got" "t"

got=$(as seg_analyst -c "SET search_path = analytics" -c "
CREATE TABLE t AS SELECT rfm_thresholds(rec, freq, mon) AS th FROM c;
SELECT count(*) FILTER (WHERE (rfm_score(rec, freq, mon, th)).r IS NULL) FROM c, t;" 2>&1)
result "a non-superuser stores rfm_thresholds and scores against it" "$got" "0"

got=$(as seg_analyst -c "SET search_path = analytics" -c "
CREATE TABLE m AS SELECT clv_fit((i % 5, CASE WHEN i % 5 = 0 THEN 0 ELSE 10 + i % 20 END, 40, 10 + i % 7, 1)::btyd_summary, 0.001) AS model
FROM generate_series(1, 300) i;
SELECT clv_estimate(model, (2, 20, 40, 15, 1)::btyd_summary) > 0 FROM m;" 2>&1)
result "a non-superuser fits a CLV model and scores with it" "$got" "t"

# row-level security: segment_match sees only the rows a user may see, and
# a rule cannot reach past the policy (inlined into quals, or evaluated)
got=$(as seg_analyst -c "SET search_path = analytics" -c "
CREATE TABLE crm (id int, owner name, country text, secret_score int);
INSERT INTO crm SELECT i, CASE WHEN i % 3 = 0 THEN 'seg_mallory' ELSE 'seg_analyst' END, (ARRAY['DE', 'AT', 'FR'])[1 + i % 3], i
FROM generate_series(1, 300) i;
ALTER TABLE crm ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_rows ON crm FOR SELECT USING (owner = current_user);
GRANT USAGE ON SCHEMA analytics TO seg_mallory;
GRANT SELECT ON crm TO seg_mallory;
SELECT 'ok'" 2>&1)
rls=""
for inline in on off; do
	rls+=$(PGOPTIONS="$PGOPTIONS -c segmentation.inline_rules=$inline" as seg_mallory -c "SET search_path = analytics" -c "
SELECT count(*) FILTER (WHERE segment_match('secret_score > 0', c)) || '/' || count(*) FILTER (WHERE c @@ 'owner <> ''seg_mallory'''::segment_rule)
FROM crm c" 2>&1)" "
done
result "under row-level security segment_match sees only the user's rows (inlined and evaluated)" "$got $rls" "ok 100/0 100/0 "
got=$(as seg_mallory -c "SET search_path = analytics" -c "SELECT segment_estimate('secret_score > 0', 'crm') >= 0" 2>&1)
result "segment_estimate runs for a user with SELECT (estimates, not rows)" "$got" "t"

# consent enforced, not remembered: a policy built from a consent rule
# (segment_sql) limits a marketing role's audiences to customers who opted in,
# whatever rule the role writes
got=$(as seg_analyst -c "SET search_path = analytics" -c "
CREATE TABLE people (id int, country text, unsubscribed boolean, consent_email boolean);
INSERT INTO people SELECT i, (ARRAY['DE', 'AT', 'FR'])[1 + i % 3], i % 4 = 0, i % 5 <> 0 FROM generate_series(1, 600) i;
ALTER TABLE people ENABLE ROW LEVEL SECURITY;
DO \$\$ BEGIN
	EXECUTE format('CREATE POLICY email_consent ON people FOR SELECT TO seg_mallory USING (%s)',
				   segment_sql('not unsubscribed and consent_email', 'people'));
END \$\$;
GRANT SELECT ON people TO seg_mallory;
SELECT count(*) FROM people WHERE country = 'DE' AND NOT unsubscribed AND consent_email" 2>&1)
aud=$(as seg_mallory -c "SET search_path = analytics" -c "
SELECT (SELECT count(*) FROM people p WHERE segment_match('country = ''DE''', p)) || '/' ||
	   (SELECT count(*) FROM people p WHERE p @@ 'unsubscribed or not consent_email'::segment_rule) || '/' ||
	   (SELECT count(*) FROM people)" 2>&1)
result "a consent policy from segment_sql limits a marketing role's audiences to opted-in customers" "$aud" "$got/0/$(as seg_analyst -c "SELECT count(*) FROM analytics.people WHERE NOT unsubscribed AND consent_email")"

got=$(as seg_analyst -c "DROP EXTENSION segmentation CASCADE" -c "DROP SCHEMA analytics CASCADE" \
	-c "SELECT count(*) FROM pg_extension WHERE extname = 'segmentation'" 2>&1)
result "a non-superuser drops the extension" "$got" "0"

# 2. hostile search_path: mallory owns schema "lure", seg_analyst installs into it
su -d $db -c "CREATE SCHEMA lure AUTHORIZATION seg_mallory" \
	-c "GRANT USAGE, CREATE ON SCHEMA lure TO seg_analyst" >/dev/null
as seg_mallory -c "
CREATE FUNCTION lure.trap() RETURNS void LANGUAGE plpgsql AS \$\$
BEGIN RAISE EXCEPTION 'trap fired'; END \$\$;
DO \$do\$
DECLARE
	sig text;
	bin text;
BEGIN
	-- functions an install script might call unqualified, in signatures that
	-- outrank pg_catalog's for an unknown-typed literal or an integer argument
	FOREACH sig IN ARRAY ARRAY[
		'lower(text)', 'upper(text)', 'btrim(text)', 'length(text)', 'format(text)',
		'concat(text)', 'now()', 'current_setting(text)', 'set_config(text,text,boolean)',
		'jsonb_build_object(text,text)', 'to_jsonb(text)', 'array_length(anyarray,integer)',
		'ceil(integer)', 'floor(integer)', 'round(integer)', 'abs(smallint)', 'greatest(integer)',
		'int4(double precision)', 'float8(integer)', 'numeric(integer)', 'text(integer)',
		'regclass(text)', 'quote_ident(text)', 'pg_typeof(integer)', 'nextval(text)']
	LOOP
		EXECUTE format('CREATE FUNCTION lure.%s RETURNS text LANGUAGE plpgsql AS %L', sig,
					   'BEGIN PERFORM lure.trap(); RETURN NULL; END');
	END LOOP;
	-- operators on the argument pairs the extension's types meet
	FOREACH bin IN ARRAY ARRAY['=', '<>', '<', '<=', '>', '>=', '+', '-', '*', '/', '||', '@>', '->', '->>'] LOOP
		FOREACH sig IN ARRAY ARRAY['smallint,integer', 'integer,smallint', 'text,character varying',
								   'numeric,integer', 'integer,numeric', 'double precision,integer',
								   'jsonb,integer', 'jsonb,bigint'] LOOP
			EXECUTE format('CREATE FUNCTION lure.op_%s(%s) RETURNS boolean LANGUAGE plpgsql AS %L',
						   md5(bin || sig), sig, 'BEGIN PERFORM lure.trap(); RETURN NULL; END');
			EXECUTE format('CREATE OPERATOR lure.%s (FUNCTION = lure.op_%s, LEFTARG = %s, RIGHTARG = %s)',
						   bin, md5(bin || sig), split_part(sig, ',', 1), split_part(sig, ',', 2));
		END LOOP;
	END LOOP;
END
\$do\$;" >/dev/null
traps=$(su -d $db -c "SELECT count(*) FROM pg_proc WHERE pronamespace = 'lure'::regnamespace")
result "the attacker planted trap functions and operators" "$([ "$traps" -gt 100 ] && echo yes)" "yes"

got=$(as seg_analyst -c "SET search_path = lure, public" -c "CREATE EXTENSION segmentation SCHEMA lure" \
	-c "SELECT 'installed'" 2>&1)
result "the install script runs without firing a trap under a hostile search_path" "$got" "installed"

# call every function of the extension that takes no internal argument, with
# the attacker's schema first on the search_path
got=$(as seg_analyst -c "SET search_path = lure, public" -c "
CREATE TEMP TABLE c AS SELECT i AS id, (i * 7) % 50 AS rec, i % 9 AS freq, (i * 13 % 100)::numeric AS mon
FROM generate_series(1, 300) i;
CREATE TEMP TABLE t AS SELECT lure.rfm_thresholds(rec, freq, mon) AS th,
	lure.rfm_thresholds(rec, freq, mon, 10) AS th10 FROM c;
SELECT count(*) FROM (
	SELECT lure.rfm_score(rec, freq, mon) OVER () AS a, lure.rfm_score(rec, freq, mon, 4) OVER () AS b,
		   lure.rfm_score(rec, freq, mon, th) AS d, lure.rfm_score(rec, freq, mon, th10) AS e,
		   lure.rfm_segment(1::smallint, 2::smallint, 3::smallint) AS g,
		   lure.rfm_segment(1::smallint, 2::smallint, 3::smallint, lure.rfm_standard_map()) AS h,
		   th::text::lure.rfm_thresholds AS i
	FROM c, t) x;" 2>&1)
result "every RFM function runs without firing a trap" "$got" "300"

got=$(as seg_analyst -c "SET search_path = lure, public" -c "
CREATE TEMP TABLE rules AS SELECT r::lure.segment_rule AS r FROM (VALUES
	('country in (''DE'', ''AT'') and plan <> ''free'' and not unsubscribed'),
	('age between 25 and 54 or city ~= ''munchen'' collate ''de'' '),
	('tags contains any (''vip'', ''gold'') and last_order_at within 30 days')) v(r);
SELECT count(DISTINCT r), sum(cardinality(lure.segment_rule_attributes(r))),
	   bool_and(r::text::lure.segment_rule = r), bool_and(r::bytea::lure.segment_rule = r)
FROM rules;" 2>&1)
result "the segment_rule type and its functions run without firing a trap" "$got" "3|7|t|t"

got=$(su -d $db -c "
SELECT coalesce(string_agg(p.oid::regprocedure::text, ', '), '')
FROM pg_depend d JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
JOIN pg_language l ON l.oid = p.prolang
WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'segmentation')
  AND l.lanname NOT IN ('c', 'internal')
  AND NOT coalesce(EXISTS (SELECT FROM unnest(p.proconfig) s WHERE s LIKE 'search\_path=%'), false)")
result "every SQL-language function of the extension pins its search_path" "$got" ""

su -c "DROP DATABASE $db WITH (FORCE)" -c "DROP ROLE seg_analyst" -c "DROP ROLE seg_mallory" >/dev/null
