#!/usr/bin/env bash
# Stored segment rules survive pg_dump and restore, in plain and custom
# format: every rule's canonical text reads back as an equal value, so the
# restored table equals the original row by row (compared as stored bytes).
set -uo pipefail
src=rule_dump_src
dst=rule_dump_dst
export PGOPTIONS="-c client_min_messages=warning"
for db in $src $dst; do
	psql -qX -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" >/dev/null
done
psql -qX -v ON_ERROR_STOP=1 -d $src >/dev/null <<'SQL' || { echo "not ok - setting up $src"; exit 1; }
CREATE EXTENSION segmentation;
CREATE TABLE segments (id int PRIMARY KEY, rule segment_rule,
	EXCLUDE USING hash (rule WITH =));	-- unique, with no size limit on the rule
INSERT INTO segments VALUES
	(1, 'country in (''DE'', ''AT'') and plan <> ''free'' and not unsubscribed'),
	(2, 'age between 25 and 54 and signup_date >= ''2024-01-01'''),
	(3, 'last_order_at within 30 days and (tags contains ''vip'' or monetary > 1000)'),
	(4, 'city ~= ''munchen'' collate ''de'' or email not ilike ''%@GMAIL.com'''),
	(5, '"Weird Name"."in" contains any (1, -2.5e3, true, null, ''x''''y'')'),
	(6, 'not (a or b) and not not c and "say ""hi""" is not null'),
	(7, ('name = ''M' || chr(252) || 'nchen'' and "' || chr(228) || 'ge" > 1 -- comment')::segment_rule),
	(8, ('x in (' || (SELECT string_agg(i::text, ', ') FROM generate_series(1, 1000) i) || ')')::segment_rule),
	(9, (repeat('not ', 99) || 'deep')::segment_rule);
SQL
work=$(mktemp -d /tmp/rule_dump.XXXXXX)
trap 'rm -rf "$work"' EXIT
bytes() { psql -qAtX -d "$1" -c "SELECT id, encode(rule::bytea, 'hex') FROM segments ORDER BY id"; }
bytes $src >"$work/src.txt"
check() {
	local name=$1
	bytes $dst >"$work/dst.txt" 2>&1
	if [ "$(wc -l <"$work/src.txt")" -eq 9 ] && cmp -s "$work/src.txt" "$work/dst.txt"; then
		echo "ok - $name"
	else
		echo "not ok - $name"
		diff "$work/src.txt" "$work/dst.txt" | head -5 | cut -c1-200 | sed 's/^/# /'
	fi
}
if pg_dump -d $src >"$work/plain.sql" && psql -qX -v ON_ERROR_STOP=1 -d $dst -f "$work/plain.sql" >/dev/null 2>"$work/err"; then
	check "segment rules survive pg_dump and psql restore, byte for byte"
else
	echo "not ok - plain dump and restore: $(head -3 "$work/err")"
fi
psql -qX -c "DROP DATABASE $dst WITH (FORCE)" -c "CREATE DATABASE $dst" >/dev/null
if pg_dump -Fc -d $src -f "$work/custom.dump" && pg_restore -d $dst "$work/custom.dump" 2>"$work/err"; then
	check "segment rules survive pg_dump -Fc and pg_restore, byte for byte"
else
	echo "not ok - custom dump and restore: $(head -3 "$work/err")"
fi
psql -qX -c "DROP DATABASE $src WITH (FORCE)" -c "DROP DATABASE $dst WITH (FORCE)" >/dev/null
