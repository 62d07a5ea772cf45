#!/usr/bin/env bash
# Differential test of behavioural conditions against hand-written SQL: 5,000
# random rules (test/diff/behaviourgen.pl: every aggregate, event filters,
# every window kind and unit on the boundaries the data has events on, every
# tail, under and / or / not with conditions on the customer row) over the
# CRM of behaviour_data.sql.  For every rule and each of the first 300
# customers (NULL and shared customer keys, customers without events, events
# on window boundaries), three results must be equal, NULLs included:
#   hand       the rule's meaning as correlated scalar subqueries
#   inlined    segment_match('...'::segment_rule, c, as_of), a constant rule
#              that the planner replaces by its SQL
#   evaluated  segment_match(r.rule, c, as_of) with the rule read from a table
# and segment_memberships / segment_classify of a catalogue agree with them.
# Then privileges: a role that may not read a source gets 42501 on both paths,
# and under row-level security all three agree for a role the policy limits.
set -uo pipefail
db=behaviour_diff
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/suite.sh"
export PGOPTIONS="-c client_min_messages=warning -c timezone=Europe/Berlin"
rules=${BEHAVIOUR_RULES:-5000}
customers=${BEHAVIOUR_CUSTOMERS:-300}
as_of='2026-06-30 12:00:00+00'
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fresh_db
run -v as_of="$as_of" -c 'CREATE EXTENSION segmentation' -f "$here/behaviour_data.sql" >/dev/null ||
	{ echo "not ok - setting up $db"; exit 1; }

perl "$here/behaviourgen.pl" "$rules" 20261201 "$as_of" >"$work/rules.tsv"
awk -F'\t' '{ printf "INSERT INTO rules VALUES (%d, $r$%s$r$, $h$%s$h$);\n", NR, $1, $2 }' \
	"$work/rules.tsv" >"$work/inserts.sql"
# results: per rule, one character per customer in id order: 1 true, 0
# false, n NULL; a rule that failed on a path has no row
run -f - >/dev/null <<SQL || { echo "not ok - loading the rules"; exit 1; }
CREATE TABLE rules (id int PRIMARY KEY, rule text, hand text, parsed segment_rule, err text);
CREATE TABLE hand (id int PRIMARY KEY, v text);
CREATE TABLE inlined (LIKE hand);
CREATE TABLE evaluated (LIKE hand);
\i $work/inserts.sql
DO \$\$
DECLARE
	r record;
BEGIN
	FOR r IN SELECT id, rule FROM rules LOOP
		BEGIN
			UPDATE rules SET parsed = r.rule::segment_rule WHERE id = r.id;
		EXCEPTION WHEN others THEN
			UPDATE rules SET err = SQLSTATE || ' ' || SQLERRM WHERE id = r.id;
		END;
	END LOOP;
END \$\$;
SQL

# the statements of one pass, one per rule (per chunk of rules for the
# evaluated path), run by two sessions at once; with ON_ERROR_STOP off a
# failing rule leaves no row and the others go on
result_of() { printf "string_agg(coalesce((%s)::int::text, 'n'), '' ORDER BY c.id)" "$1"; }
passes() {	# PREFIX [SETUP]: run $work/PREFIX.sql split over two sessions, each
			# beginning with the statement SETUP
	awk -v p="$work/$1" -v setup="${2:-}" '
		BEGIN { print setup > (p ".0"); print setup > (p ".1") }
		{ print > (p "." (NR % 2)) }' "$work/$1.sql"
	run -v ON_ERROR_STOP=0 -f "$work/$1.0" >/dev/null 2>"$work/$1.err0" &
	run -v ON_ERROR_STOP=0 -f "$work/$1.1" >/dev/null 2>"$work/$1.err1" &
	wait
	cat "$work/$1.err0" "$work/$1.err1" >"$work/$1.err"
}
awk -F'\t' -v n="$customers" -v r="$(result_of '%s')" '{
	printf "INSERT INTO hand SELECT %d, " r " FROM customers c WHERE c.id <= %d;\n", NR, $2, n
}' "$work/rules.tsv" >"$work/hand.sql"
awk -F'\t' -v n="$customers" -v asof="$as_of" -v r="$(result_of "segment_match('%s'::segment_rule, c, '%s'::timestamptz)")" '{
	rule = $1; gsub(/'\''/, "'\'''\''", rule)
	printf "INSERT INTO inlined SELECT %d, " r " FROM customers c WHERE c.id <= %d;\n", NR, rule, asof, n
}' "$work/rules.tsv" >"$work/inlined.sql"
chunk=50
awk -v rules="$rules" -v chunk=$chunk -v n="$customers" -v asof="$as_of" -v r="$(result_of "segment_match(r.parsed, c, '%s'::timestamptz)")" 'BEGIN {
	for (a = 1; a <= rules; a += chunk)
		printf "INSERT INTO evaluated SELECT r.id, " r " FROM rules r, customers c WHERE r.id BETWEEN %d AND %d AND r.parsed IS NOT NULL AND c.id <= %d GROUP BY r.id;\n", asof, a, a + chunk - 1, n
}' >"$work/evaluated.sql"

# the seconds of each phase, printed at the end
laps=
lap_start=0
lap() { laps="$laps $1 $((SECONDS - lap_start))s"; lap_start=$SECONDS; }
lap setup
passes hand
lap hand
passes inlined
lap inlined
passes evaluated
# a chunk that failed: its rules one by one
run -c "SELECT r.id FROM rules r WHERE r.parsed IS NOT NULL AND NOT EXISTS (SELECT FROM evaluated e WHERE e.id = r.id)" >"$work/missing"
if [ -s "$work/missing" ]; then
	awk -v n="$customers" -v asof="$as_of" -v r="$(result_of "segment_match(r.parsed, c, '%s'::timestamptz)")" '{
		printf "INSERT INTO evaluated SELECT r.id, " r " FROM rules r, customers c WHERE r.id = %d AND c.id <= %d GROUP BY r.id;\n", asof, $1, n
	}' "$work/missing" >"$work/evaluated.sql"
	passes evaluated
fi
lap evaluated

# every rule parses, and its hand SQL runs
check "every generated rule parses" 0 "SELECT count(*) FROM rules WHERE parsed IS NULL"
run -c "SELECT id || ': ' || err || E'\n  ' || rule FROM rules WHERE parsed IS NULL ORDER BY id LIMIT 5" | sed 's/^/# /'
check "the hand SQL of every rule runs" "$rules" "SELECT count(*) FROM hand"
[ -s "$work/hand.err" ] && head -3 "$work/hand.err" | sed 's/^/# /'

# the spread: each outcome on many (rule, customer) pairs
read -r evals trues falses nulls < <(run -F ' ' -c "
	SELECT sum(length(v)), sum(length(v) - length(replace(v, '1', ''))),
		   sum(length(v) - length(replace(v, '0', ''))), sum(length(v) - length(replace(v, 'n', '')))
	FROM hand")
echo "# hand SQL: $evals evaluations, $trues true, $falses false, $nulls NULL"
if [ "${evals:-0}" -gt 0 ] && [ "$trues" -gt $((evals / 10)) ] && [ "$falses" -gt $((evals / 10)) ] &&
	[ "$nulls" -gt $((evals / 20)) ]; then
	echo "ok - the random rules are true, false and NULL on many customers each"
else
	echo "not ok - the random rules are too one-sided: $trues true, $falses false, $nulls NULL of $evals"
fi

# the two paths against the hand SQL: rules that failed, rules that differ,
# and the (rule, customer) pairs that differ
for path in inlined evaluated; do
	read -r failed rdiff pdiff < <(run -F ' ' -c "
		SELECT count(*) FILTER (WHERE p.id IS NULL),
			   count(*) FILTER (WHERE p.v <> h.v),
			   coalesce(sum((SELECT count(*) FROM generate_series(1, length(h.v)) i
							 WHERE substr(h.v, i, 1) <> substr(p.v, i, 1))), 0)
		FROM hand h LEFT JOIN $path p USING (id)")
	result "segment_match $path runs for every rule" "$failed" 0
	[ "$failed" -gt 0 ] && grep -m3 ERROR "$work/$path.err" | sed 's/^/# /'
	result "segment_match $path equals the hand SQL for every rule that ran and customer ($pdiff pairs differ)" "$rdiff" 0
done
# the first differences: rule, customer, hand, inlined, evaluated
run -c "
	SELECT format('# rule %s, customer %s: hand %s, inlined %s, evaluated %s' || E'\n#   %s',
				  h.id, i, substr(h.v, i, 1), coalesce(substr(n.v, i, 1), 'error'),
				  coalesce(substr(e.v, i, 1), 'error'), r.rule)
	FROM hand h JOIN rules r USING (id) LEFT JOIN inlined n USING (id) LEFT JOIN evaluated e USING (id),
		 LATERAL (SELECT min(i) AS i FROM generate_series(1, length(h.v)) i
				  WHERE substr(h.v, i, 1) IS DISTINCT FROM substr(n.v, i, 1)
					 OR substr(h.v, i, 1) IS DISTINCT FROM substr(e.v, i, 1)) d
	WHERE d.i IS NOT NULL ORDER BY h.id LIMIT 8"

# the test can fail: each mutant of the hand SQL (a boundary moved, ties
# broken the other way, NULL keys or times let in, sum NULL over no events,
# a date window by whole days) changes the results of some of the first 50
# rules it applies to, so the data has events where each detail matters
run -f - >/dev/null <<'SQL'
CREATE TABLE mutants (name text, pattern text, replacement text);
INSERT INTO mutants VALUES
	('a window that excludes its start', $$(e\.\w+) >= ('[^']*'::timestamptz - interval)$$, '\1 > \2'),
	('a window that excludes as_of', $$(e\.\w+) <= ('[^']*'::timestamptz)(?! - )$$, '\1 < \2'),
	('an ago window that excludes its end', $$(e\.\w+) <= ('[^']*'::timestamptz - interval)$$, '\1 < \2'),
	('first with ties broken by the greatest value', $$ORDER BY (e\.\w+), (e\.\w+) NULLS LAST$$, 'ORDER BY \1, \2 DESC NULLS LAST'),
	('last with ties broken by the least value', $$ORDER BY (e\.\w+) DESC, (e\.\w+) DESC NULLS LAST$$, 'ORDER BY \1 DESC, \2 NULLS LAST'),
	('a NULL customer key matching events without one', 'e\.customer_id = c\.cust_ref', '(e.customer_id = c.cust_ref OR (e.customer_id IS NULL AND c.cust_ref IS NULL))'),
	('events with a NULL time counted', $$(e\.\w+) <= ('[^']*'::timestamptz)(?! - )$$, '(\1 <= \2 OR \1 IS NULL)'),
	('sum NULL over no events', 'coalesce\((sum\(e\.\w+\)), 0\)', '\1'),
	('a date window from the start of its first day', $$(e\.opened_on) >= ('[^']*'::timestamptz - interval '[^']*')$$, '\1 >= (\2)::date');
CREATE TABLE mutated (name text, id int, v text);
SQL
run -c "
	SELECT format(\$f\$INSERT INTO mutated SELECT %L, %s, $(result_of '%s') FROM customers c WHERE c.id <= $customers;\$f\$,
				  m.name, r.id, regexp_replace(r.hand, m.pattern, m.replacement, 'g'))
	FROM mutants m, LATERAL (SELECT * FROM rules r WHERE r.hand ~ m.pattern ORDER BY r.id LIMIT 50) r" >"$work/mutated.sql"
passes mutated
run -F '|' -c "
	SELECT m.name, count(u.id), count(*) FILTER (WHERE u.v <> h.v)
	FROM mutants m LEFT JOIN mutated u USING (name) LEFT JOIN hand h USING (id)
	GROUP BY m.name ORDER BY m.name" |
while IFS='|' read -r name n killed; do
	if [ "$n" -gt 0 ] && [ "$killed" -gt 0 ]; then
		echo "ok - a mutant of the hand SQL is caught: $name (changes $killed of $n rules)"
	else
		echo "not ok - a mutant of the hand SQL is not caught: $name (changes $killed of $n rules)"
	fi
done
[ -s "$work/mutated.err" ] && grep -m3 ERROR "$work/mutated.err" | sed 's/^/# /'
lap mutants

# the planner inlines a constant rule: no segment_match left in the plan
# (a plan that failed counts as not inlined)
inl=0
for id in 1 2 3 4 5 6 7 8; do
	rule=$(run -c "SELECT quote_literal(rule) FROM rules WHERE id = $id")
	plan=$(run -c "EXPLAIN (VERBOSE, COSTS OFF) SELECT segment_match($rule::segment_rule, c, '$as_of'::timestamptz) FROM customers c" 2>&1)
	grep -q 'Seq Scan on public.customers' <<<"$plan" && ! grep -q segment_match <<<"$plan" && inl=$((inl + 1))
done
result "the planner inlines constant behavioural rules (8 plans without segment_match)" "$inl" 8

# segment_sql: the WHERE clause it prints for each of the first 300 rules,
# executed over the customers, gives the hand SQL's results
run -f - >/dev/null <<SQL
CREATE TABLE printed (id int, v text, err text);
DO \$\$
DECLARE
	r record;
	v text;
BEGIN
	FOR r IN SELECT * FROM rules WHERE id <= 300 AND parsed IS NOT NULL ORDER BY id LOOP
		BEGIN
			-- the printed SQL names the relation (customers.cust_ref), so it
			-- runs in a query where the relation has no alias
			EXECUTE format(\$f\$SELECT $(result_of 'c.v') FROM (SELECT id, (%s) AS v FROM customers
						   WHERE id <= $customers) c\$f\$,
						   segment_sql(r.parsed, 'customers', '$as_of')) INTO v;
			INSERT INTO printed VALUES (r.id, v);
		EXCEPTION WHEN others THEN
			INSERT INTO printed VALUES (r.id, NULL, SQLSTATE || ': ' || SQLERRM);
		END;
	END LOOP;
END \$\$;
SQL
check "segment_sql of the first 300 rules, executed as a WHERE, equals the hand SQL" "300 0 0" "
	SELECT count(*) || ' ' || count(err) || ' ' || count(*) FILTER (WHERE p.v IS DISTINCT FROM h.v)
	FROM printed p JOIN hand h USING (id)"
run -c "SELECT format('# rule %s: %s', id, coalesce(err, 'differs')) FROM printed p JOIN hand h USING (id)
		WHERE p.v IS DISTINCT FROM h.v ORDER BY id LIMIT 3"
lap segment_sql

# an as_of per customer (customers.seen_at), the hand SQL with seen_at for
# as_of: the first 500 rules evaluated, the first 40 inlined over the first
# 60 customers (inlined with an as_of that is not a constant, each condition
# reads its whole source once per customer: slow)
head -500 "$work/rules.tsv" | perl -pe "s/\Q'$as_of'::timestamptz\E/c.seen_at/g" >"$work/seen.tsv"
run -c "CREATE TABLE hand_seen (LIKE hand); CREATE TABLE inlined_seen (LIKE hand); CREATE TABLE evaluated_seen (LIKE hand)" >/dev/null
{
	awk -F'\t' -v n="$customers" -v r="$(result_of '%s')" '{
		printf "INSERT INTO hand_seen SELECT %d, " r " FROM customers c WHERE c.id <= %d;\n", NR, $2, n
	}' "$work/seen.tsv"
	awk -F'\t' -v r="$(result_of "segment_match('%s'::segment_rule, c, c.seen_at)")" 'NR <= 40 {
		rule = $1; gsub(/'\''/, "'\'''\''", rule)
		printf "INSERT INTO inlined_seen SELECT %d, " r " FROM customers c WHERE c.id <= 60;\n", NR, rule
	}' "$work/seen.tsv"
	for a in 1 101 201 301 401; do
		echo "INSERT INTO evaluated_seen SELECT r.id, $(result_of "segment_match(r.parsed, c, c.seen_at)") FROM rules r, customers c WHERE r.id BETWEEN $a AND $((a + 99)) AND c.id <= $customers GROUP BY r.id;"
	done
} >"$work/seen.sql"
passes seen
check "with an as_of per customer the hand SQL runs for the first 500 rules" 500 "SELECT count(*) FROM hand_seen"
check "an as_of per customer changes the hand SQL's results" t \
	"SELECT count(*) > 0 FROM hand h JOIN hand_seen s USING (id) WHERE h.v <> s.v"
check "with an as_of per customer segment_match inlined equals the hand SQL (40 rules, 60 customers)" "40 0" "
	SELECT count(*) || ' ' || count(*) FILTER (WHERE p.v IS DISTINCT FROM substr(h.v, 1, 60))
	FROM hand_seen h JOIN inlined_seen p USING (id)"
check "with an as_of per customer segment_match evaluated equals the hand SQL (500 rules)" "500 0" "
	SELECT count(p.id) || ' ' || count(*) FILTER (WHERE p.v IS DISTINCT FROM h.v)
	FROM hand_seen h LEFT JOIN evaluated_seen p USING (id)"
run -c "
	SELECT format('# as_of per customer: rule %s, customer %s: hand %s, inlined %s, evaluated %s',
				  h.id, i, substr(h.v, i, 1), coalesce(substr(n.v, i, 1), '-'), coalesce(substr(e.v, i, 1), 'error'))
	FROM hand_seen h LEFT JOIN inlined_seen n USING (id) LEFT JOIN evaluated_seen e USING (id),
		 LATERAL (SELECT min(i) AS i FROM generate_series(1, length(h.v)) i
				  WHERE (i <= length(n.v) AND substr(h.v, i, 1) IS DISTINCT FROM substr(n.v, i, 1))
					 OR substr(h.v, i, 1) IS DISTINCT FROM substr(e.v, i, 1)) d
	WHERE d.i IS NOT NULL ORDER BY h.id LIMIT 5"
grep -m3 ERROR "$work/seen.err" | sed 's/^/# /'
lap as_of_per_customer

# catalogues: the first 50 rules as one; memberships and the first match
# equal the hand SQL's true results
check "segment_memberships and segment_classify of a 50-rule catalogue equal the hand SQL ($customers customers)" "50 0" "
WITH r AS (SELECT * FROM rules WHERE id <= 50 AND parsed IS NOT NULL),
	 cat AS (SELECT array_agg('r' || id ORDER BY id) AS names, array_agg(parsed ORDER BY id) AS rules FROM r),
	 want AS (SELECT c.id, coalesce(array_agg('r' || r.id ORDER BY r.id) FILTER (WHERE substr(h.v, c.id, 1) = '1'), '{}') AS want
			  FROM customers c, r JOIN hand h USING (id) WHERE c.id <= $customers GROUP BY c.id)
SELECT cardinality(min(names)) || ' ' || count(*) FILTER (
		WHERE segment_memberships(names, rules, c, '$as_of') IS DISTINCT FROM want
		   OR segment_classify(names, rules, c, '$as_of') IS DISTINCT FROM want[1])
FROM customers c JOIN want USING (id), cat"

lap catalogue

# ---- privileges ----
# sqlstate_of(query): 'ok' or the SQLSTATE and message it fails with; plans
# its query when called, so a constant rule in it is inlined
run -f - >/dev/null <<SQL
CREATE FUNCTION sqlstate_of(q text) RETURNS text LANGUAGE plpgsql AS \$\$
BEGIN
	EXECUTE q;
	RETURN 'ok';
EXCEPTION WHEN others THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END \$\$;
DROP ROLE IF EXISTS seg_noevents;
DROP ROLE IF EXISTS seg_rls;
CREATE ROLE seg_noevents;
CREATE ROLE seg_rls;
GRANT USAGE ON SCHEMA support TO seg_noevents, seg_rls;
GRANT SELECT ON customers, orders, paid_orders, support."Tickets" TO seg_noevents;
GRANT SELECT ON customers, orders, paid_orders, support."Tickets", events, visits, rules TO seg_rls;
CREATE TABLE perm_rules (rule segment_rule);
GRANT SELECT ON perm_rules TO seg_noevents;
INSERT INTO perm_rules VALUES ('count(events within 30 days) > 0');
SQL
# the superuser evaluates each rule first in the same session: a cached rule
# must not lend its privileges to the next role
perm() {	# NAME WANT QUERY; WANT is ok, or a SQLSTATE for an error on events
	local got
	got=$(run -c "SELECT sqlstate_of(\$q\$$3\$q\$)" -c "SET ROLE seg_noevents" -c "SELECT sqlstate_of(\$q\$$3\$q\$)" 2>&1 | tail -1)
	if [ "$got" = "$2" ] || [[ $got == "$2: "*events* ]]; then
		echo "ok - $1"
	else
		echo "not ok - $1: got '$got', want $2"
	fi
}
perm "without SELECT on events: the hand SQL fails with 42501" 42501 \
	"SELECT count(*) FROM customers c WHERE (SELECT count(*) FROM events e WHERE e.customer_id = c.cust_ref) > 0"
perm "without SELECT on events: an inlined rule over events fails with 42501" 42501 \
	"SELECT count(*) FROM customers c WHERE segment_match('count(events within 30 days) > 0'::segment_rule, c, '$as_of')"
perm "without SELECT on events: an evaluated rule over events fails with 42501" 42501 \
	"SELECT count(*) FROM customers c, perm_rules r WHERE segment_match(r.rule, c, '$as_of')"
perm "without SELECT on events: 42501 even where or needs no events (inlined)" 42501 \
	"SELECT count(*) FROM customers c WHERE segment_match('(id > 0) or exists(events)'::segment_rule, c, '$as_of')"
perm "without SELECT on events: 42501 for a rule of one customer (evaluated)" 42501 \
	"SELECT segment_match(r.rule, c, '$as_of') FROM customers c, perm_rules r WHERE c.id = 2"
perm "without SELECT on events: rules over orders still run" ok \
	"SELECT count(*) FROM customers c WHERE segment_match('count(orders within 30 days) > 0'::segment_rule, c, '$as_of')"

# row-level security: a policy hides some orders from seg_rls; the rules over
# orders, as seg_rls, on all three paths
run -f - >/dev/null <<SQL
ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
CREATE POLICY hide_some ON orders USING (category IS DISTINCT FROM 'toys' AND id % 5 <> 0);
CREATE TABLE rls_rules AS SELECT * FROM rules WHERE rule ~ '\morders\M' AND parsed IS NOT NULL ORDER BY id LIMIT 400;
CREATE TABLE hand_rls (LIKE hand);
CREATE TABLE inlined_rls (LIKE hand);
CREATE TABLE evaluated_rls (LIKE hand);
GRANT SELECT ON rls_rules TO seg_rls;
GRANT INSERT ON hand_rls, inlined_rls, evaluated_rls TO seg_rls;
SQL
run -c "SELECT id FROM rls_rules ORDER BY id" >"$work/rls_ids"
awk -F'\t' 'NR == FNR { want[$1] = 1; next } want[FNR]' "$work/rls_ids" "$work/rules.tsv" >"$work/rls.tsv"
paste "$work/rls_ids" "$work/rls.tsv" >"$work/rls_id.tsv"
{
	awk -F'\t' -v n="$customers" -v r="$(result_of '%s')" '{
		printf "INSERT INTO hand_rls SELECT %d, " r " FROM customers c WHERE c.id <= %d;\n", $1, $3, n
	}' "$work/rls_id.tsv"
	awk -F'\t' -v n="$customers" -v asof="$as_of" -v r="$(result_of "segment_match('%s'::segment_rule, c, '%s'::timestamptz)")" '{
		rule = $2; gsub(/'\''/, "'\'''\''", rule)
		printf "INSERT INTO inlined_rls SELECT %d, " r " FROM customers c WHERE c.id <= %d;\n", $1, rule, asof, n
	}' "$work/rls_id.tsv"
	echo "INSERT INTO evaluated_rls SELECT r.id, $(result_of "segment_match(r.parsed, c, '$as_of'::timestamptz)") FROM rls_rules r, customers c WHERE c.id <= $customers GROUP BY r.id;"
} >"$work/rls.sql"
passes rls "SET ROLE seg_rls;"
nrls=$(wc -l <"$work/rls_ids")
result "at least 100 rules read orders, for row-level security" "$([ "$nrls" -ge 100 ] && echo yes)" yes
check "under row-level security the hand SQL runs for all $nrls rules over orders" "$nrls" "SELECT count(*) FROM hand_rls"
check "the policy changes the hand SQL's results" t \
	"SELECT count(*) > 0 FROM hand h JOIN hand_rls r USING (id) WHERE h.v <> r.v"
for path in inlined evaluated; do
	check "under row-level security segment_match $path equals the hand SQL ($nrls rules over orders)" "$nrls 0" "
		SELECT count(p.id) || ' ' || count(*) FILTER (WHERE p.v IS DISTINCT FROM h.v)
		FROM hand_rls h LEFT JOIN ${path}_rls p USING (id)"
done
[ -s "$work/rls.err" ] && grep -m3 ERROR "$work/rls.err" | sed 's/^/# /'
lap rls
echo "# seconds:$laps ($rules rules x $customers customers)"
