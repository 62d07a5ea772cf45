#!/usr/bin/env bash
# One meaning per operator (issue 20, item 8): each random rule is evaluated
# over a row, segment_match(rule, t, as_of), and over the same row as a
# document, segment_match(rule, to_jsonb(t), as_of), and the two must be equal
# (IS NOT DISTINCT FROM) on every row, NULLs included.  The rows bind through
# the binder (src/rule/bind_pg.c, once inlined by the planner and once by the
# function), the documents through the jsonb evaluator (src/rule/jsonb_pg.c),
# so this proves the jsonb evaluator's comparison, contains, like, ilike, ~=,
# matches, starts/ends with, within and timestamp reading equal to SQL's
# wherever README ("What a rule means over a jsonb document") says they must be.
#
# The rules (test/diff/rulegen_jsonb.pl, up to three levels of and/or/not):
#   text, varchar and composite text fields, with string literals: = <> != <
#     <= > >=, [not] in (with null among the literals), [not] between, is
#     [not] null, [not] like, [not] ilike [collate 'tr'], ~= [collate 'de'],
#     [not] matches, starts/ends with, contains / contains any / all; the
#     values include text that reads as a number, a boolean or an ISO date
#   int4, int8, numeric, float8 with numbers and with strings that read as the
#     column's type (age > '30'): comparisons, in, between, = null
#   boolean: bare, comparisons with true/false and strings read as booleans
#   date, timestamptz, timestamp with ISO 8601 literals: comparisons, in,
#     between, within N days/weeks/months
#   text[] and int[]: contains / contains any / contains all
#   a jsonb column: a few paths into it (the same evaluator on both sides)
#   every column: is [not] null
# Left out, because README gives them different meanings over a row and over a
# document:
#   - a text column compared with an ISO date string: a document compares two
#     ISO strings as timestamptz ("string | a string that reads as an ISO 8601
#     date ... as timestamptz"), a row as text; so no text literal is ISO (text
#     values are, and must still compare as text)
#   - a literal of the wrong kind for the column (a number or boolean with a
#     text column, a non-numeric string with a number column, a number with a
#     boolean): the binder rejects the rule over the row ("typed as SQL types
#     column op 'literal'"), the document gives NULL ("anything else")
#   - a fractional literal with an int[] column (nums contains 2.5), a number
#     with a text[] column (tags contains 5): the row casts the literal to the
#     array's type, ARRAY[x]::type_of_a (rounding 2.5, reading 5 as '5'), the
#     document compares elements by the jsonb typing (a string is not a number)
#   - ISO-looking literals outside README's strict form (YYYY-MM-DD, T or a
#     space, hh:mm[:ss[.ffffff]], Z or ±hh[:mm]): 7 fractional digits, an
#     offset with seconds, a trailing space, 20250630, 2025-6-1: a row reads
#     them with timestamptz_in, a document compares them as text
#   - contains null with an array: false for every non-NULL array over a row
#     (README, array containment), NULL in a document (a comparison with null)
#   - a date column with a literal that has a time of day, a timestamp column
#     with a literal that has a zone: a row reads the literal with the column
#     type's input function (date_in drops the time, timestamp_in the zone), a
#     document reads both as timestamptz
#   - a timestamp in a daylight-saving gap of the session time zone: a row
#     compares timestamps, a document timestamptz as '...'::timestamptz reads
#     them, which maps two local times onto one instant
#   - NaN and ±Infinity values (float8, numeric, dates, timestamps): to_jsonb writes
#     them as the strings "NaN", "infinity", which a document compares as text
#   - timestamps before 1900 or after 9999, whose offsets or years to_jsonb
#     writes outside the strict ISO form README's jsonb reader accepts (±hh[:mm])
#   - is [not] null on a composite column: SQL's row semantics (ROW(NULL, NULL)
#     IS NULL) over a row, a JSON object (not null) in a document
# The session TimeZone is Europe/Berlin, so that zoneless literals and
# to_jsonb's offsets (+01:00, +02:00) both matter.
#
# Then the catalogue guard (find_guard in src/rule/match_pg.c: a top-level
# column = 'string' on text is matched as byte equality) must not be used for
# a column with a nondeterministic collation: segment_classify and
# segment_memberships agree with native SQL over ICU case-insensitive columns.
set -uo pipefail
db=rule_jsonb
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/suite.sh"
export PGOPTIONS="-c client_min_messages=warning -c timezone=Europe/Berlin"
rules=${RULE_JSONB_RULES:-2500}
as_of='2025-06-30 12:00:00+00'
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fresh_db
run -c 'CREATE EXTENSION segmentation' -f "$here/rule_jsonb_table.sql" >/dev/null ||
	{ echo "not ok - setting up $db"; exit 1; }

# A float8 column against a number literal with more digits than a double
# holds (ratio = 0.10000000000000001): over a row, the literal is read as the
# column's type, as SQL reads it (float8 = numeric resolves to float8 = float8,
# so 0.10000000000000001 is the double 0.1 and equals a ratio of 0.1); in a
# document the number is a JSON number, which PostgreSQL's jsonb holds and
# compares as numeric, exactly (to_jsonb writes the double 0.1 as 0.1, and
# '0.1'::jsonb = '0.10000000000000001'::jsonb is false in PostgreSQL itself).
# README's jsonb typing compares a number with a number "numerically", that
# is as numeric: the two meanings differ because the types differ, each as
# PostgreSQL defines it.  These rules are not compared row against document;
# each is compared with what README says it means in a document: the same
# rule over a table tn equal to t but with ratio as numeric (ratio::text, the
# shortest text that reads back to the double, as to_jsonb writes it).
long_float='0\.10000000000000001'

perl "$here/rulegen_jsonb.pl" "$rules" 20261201 >"$work/rules.txt"
grep -E "$long_float" "$work/rules.txt" >"$work/skipped.txt"
grep -vE "$long_float" "$work/rules.txt" >"$work/keep.txt"
kept=$(wc -l <"$work/keep.txt")
# one statement per rule: rows that differ, rows true, false and NULL (over the row)
awk -v asof="$as_of" '{
	rule = $0; gsub(/'\''/, "'\'''\''", rule)
	printf "SELECT count(*) FILTER (WHERE m IS DISTINCT FROM j), count(*) FILTER (WHERE m), count(*) FILTER (WHERE NOT m), count(*) FILTER (WHERE m IS NULL) FROM (SELECT segment_match(r, t, '\''%s'\'') AS m, segment_match(r, to_jsonb(t), '\''%s'\'') AS j FROM t, (SELECT '\''%s'\''::segment_rule AS r) c) s;\n", asof, asof, rule
}' "$work/keep.txt" >"$work/rules.sql"

for inline in on off; do
	if ! PGOPTIONS="$PGOPTIONS -c segmentation.inline_rules=$inline" run -F ' ' -f "$work/rules.sql" >"$work/out" 2>"$work/err"; then
		echo "not ok - the rules ran over rows and documents (inline_rules $inline): $(head -3 "$work/err")"
		continue
	fi
	lines=$(wc -l <"$work/out")
	read -r bad diffs trues falses nulls < <(awk '
		{ if ($1 > 0) bad++; d += $1; t += $2; f += $3; n += $4 }
		END { printf "%d %d %d %d %d\n", bad, d, t, f, n }' "$work/out")
	evals=$((trues + falses + nulls))
	if [ "$lines" -eq "$kept" ] && [ "$bad" -eq 0 ]; then
		echo "ok - segment_match over a row equals over to_jsonb(row) for $kept random rules, inline_rules $inline ($evals rows: $trues true, $falses false, $nulls NULL, 0 differences)"
	else
		echo "not ok - segment_match over a row differs from over to_jsonb(row) (inline_rules $inline): $bad of $lines rules, $diffs rows"
		awk '$1 > 0 { print NR }' "$work/out" | head -${RULE_JSONB_SHOW:-10} | while read -r n; do
			rule=$(sed -n "${n}p" "$work/keep.txt")
			echo "#   $rule"
			run -F ' | ' -v rule="$rule" -v asof="$as_of" <<'SQL' | head -3 | sed 's/^/#     /'
SELECT 'row ' || coalesce(segment_match(:'rule', t, :'asof')::text, 'NULL') || ', jsonb '
	   || coalesce(segment_match(:'rule', to_jsonb(t), :'asof')::text, 'NULL'), to_jsonb(t)::text
FROM t
WHERE segment_match(:'rule', t, :'asof') IS DISTINCT FROM segment_match(:'rule', to_jsonb(t), :'asof')
ORDER BY id
SQL
		done
	fi
	# the test is only as good as its spread: every outcome must occur often
	if [ "$trues" -gt $((evals / 10)) ] && [ "$falses" -gt $((evals / 10)) ] && [ "$nulls" -gt $((evals / 20)) ]; then
		echo "ok - the random rules are true, false and NULL on many rows each (inline_rules $inline)"
	else
		echo "not ok - the random rules are too one-sided: $trues true, $falses false, $nulls NULL of $evals"
	fi
done
# the comparison can see a difference: a text value that reads as an ISO
# timestamp equals an ISO literal of the same instant in a document, not in a row
check "a rule README gives two meanings (a text column with an ISO literal) differs over row and document" "false true" "
SELECT coalesce(segment_match(r, t, '$as_of')::text, 'NULL') || ' ' || coalesce(segment_match(r, to_jsonb(t), '$as_of')::text, 'NULL')
FROM t, (SELECT 'name = ''2025-06-30 10:00:00'''::segment_rule AS r) c WHERE name = '2025-06-30T10:00' LIMIT 1"

# the float8 rules with long literals: the document means what the rule
# means over numeric (tn), and the row differs from it on some rows
run -c "CREATE TABLE tn AS SELECT * FROM t" -c "ALTER TABLE tn ALTER ratio TYPE numeric USING ratio::text::numeric" \
	-c "CREATE TYPE tn_ratio AS (ratio float8)" >/dev/null
awk -v asof="$as_of" '{
	rule = $0; gsub(/'\''/, "'\'''\''", rule)
	printf "SELECT count(*) FILTER (WHERE j IS DISTINCT FROM n), count(*) FILTER (WHERE m IS DISTINCT FROM j) FROM (SELECT segment_match(r, t, '\''%s'\'') AS m, segment_match(r, to_jsonb(t), '\''%s'\'') AS j, segment_match(r, tn, '\''%s'\'') AS n FROM t JOIN tn USING (id), (SELECT '\''%s'\''::segment_rule AS r) c) s;\n", asof, asof, asof, rule
}' "$work/skipped.txt" >"$work/long.sql"
nlong=$(wc -l <"$work/skipped.txt")
if run -F ' ' -f "$work/long.sql" >"$work/long.out" 2>"$work/long.err"; then
	read -r lbad ldiff < <(awk '{ if ($1 > 0) b++; d += $2 } END { printf "%d %d\n", b, d }' "$work/long.out")
	result "the $nlong rules with a float8 literal longer than a double mean over to_jsonb(row) what they mean over numeric, as README's jsonb typing says" \
		"$(wc -l <"$work/long.out") $lbad" "$nlong 0"
	if [ "$nlong" -ge 10 ] && [ "$ldiff" -gt 0 ]; then
		echo "ok - and over the float8 row they differ from the document on $ldiff rows, the double's rounding of the literal"
	else
		echo "not ok - the long float8 literals should be present ($nlong rules) and differ over row and document ($ldiff rows)"
	fi
else
	echo "not ok - the long-literal rules ran: $(head -3 "$work/long.err")"
fi
check "a float8 of 0.1 against 0.10000000000000001: true over the row (float8, as SQL), false over the document (numeric, as jsonb)" "true false" "
SELECT segment_match('ratio = 0.10000000000000001', ROW(0.1::float8)::tn_ratio)::text || ' ' ||
	   segment_match('ratio = 0.10000000000000001', to_jsonb(ROW(0.1::float8)::tn_ratio))::text"

# The catalogue guard: a top-level column = 'string' over text, varchar or a
# domain over text is matched as byte equality only under a deterministic
# collation.  Under a nondeterministic one (ICU, case-insensitive) the
# catalogue functions must give what native SQL's = gives: 'ABC', 'abc' and
# 'Abc' are all = 'abc' (and 'äbc' is not: level 2 keeps accents).
run >/dev/null <<'SQL' || echo "not ok - setting up the collation tables"
CREATE COLLATION ci2 (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE DOMAIN ci_text AS text COLLATE ci2;
CREATE TABLE g (id int, name text COLLATE ci2, dname ci_text, vname varchar(10) COLLATE ci2, plain text);
INSERT INTO g SELECT i, v, v, v, v
FROM unnest(ARRAY['ABC', 'abc', 'Abc', 'abd', 'äbc', NULL, 'abc ', '']) WITH ORDINALITY u(v, i);
SQL
for col in name dname vname plain; do
	check "segment_classify, segment_memberships and segment_match of $col = 'abc' equal native SQL under $(
		[ $col = plain ] && echo 'the deterministic default collation' || echo 'a nondeterministic ICU collation')" 0 "
WITH cat AS (SELECT ARRAY['first', 'second', 'third'] AS names,
					ARRAY['$col = ''abc''', '$col = ''zzz'' and id > 0', 'id > 0 and $col = ''ABC''']::segment_rule[] AS rules)
SELECT count(*) FROM g, cat
WHERE segment_classify(names, rules, g, now())
		IS DISTINCT FROM CASE WHEN $col = 'abc' THEN 'first' WHEN $col = 'ABC' THEN 'third' END
   OR segment_memberships(names, rules, g, now())
		IS DISTINCT FROM array_remove(ARRAY[CASE WHEN $col = 'abc' THEN 'first' END,
											CASE WHEN $col = 'ABC' THEN 'third' END], NULL)
   OR segment_match('$col = ''abc''', g) IS DISTINCT FROM ($col = 'abc')"
done
check "a catalogue rule col = 'abc' matches 'ABC', 'abc' and 'Abc' in the three nondeterministic columns, 'abc' alone in the deterministic one" "3 3 3 1" "
SELECT string_agg(n::text, ' ' ORDER BY o) FROM (
	SELECT o, (SELECT count(*) FROM g WHERE segment_classify(ARRAY['s'], ARRAY[(c || ' = ''abc''')::segment_rule], g, now()) = 's') AS n
	FROM unnest(ARRAY['name', 'dname', 'vname', 'plain']) WITH ORDINALITY u(c, o)) s"
