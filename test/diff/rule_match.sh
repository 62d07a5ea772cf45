#!/usr/bin/env bash
# Differential test of segment_match against native SQL: 10,000 random rules
# (test/diff/rulegen.pl: every construct, nested up to three levels) over a
# generated table with NULLs, ties, non-ASCII text, arrays, dates,
# timestamps, numerics, a composite and a jsonb column; three quarters over
# the rows, one quarter over the jsonb documents.  Each rule's result must
# equal its native WHERE expression on every row, NULLs included.
set -uo pipefail
db=rule_diff
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/suite.sh"
export PGOPTIONS="-c client_min_messages=warning -c timezone=Europe/Berlin"
rules=${RULE_DIFF_RULES:-10000}
as_of='2025-06-30 12:00:00+00'
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fresh_db
run -c 'CREATE EXTENSION segmentation' -f "$here/rule_table.sql" >/dev/null ||
	{ echo "not ok - setting up $db"; exit 1; }

perl "$here/rulegen.pl" "$rules" 20261125 "$as_of" >"$work/rules.tsv"
# one statement per rule: differences, rows true, rows NULL
awk -F'\t' -v asof="$as_of" '{
	rule = $2; gsub(/'\''/, "'\'''\''", rule)
	target = ($1 == "doc") ? "t.profile" : "t"
	printf "SELECT count(*) FILTER (WHERE m IS DISTINCT FROM n), count(*) FILTER (WHERE m), count(*) FILTER (WHERE m IS NULL) FROM (SELECT segment_match('\''%s'\''::segment_rule, %s, '\''%s'\''::timestamptz) AS m, %s AS n FROM t) s;\n", rule, target, asof, $3
}' "$work/rules.tsv" >"$work/rules.sql"

# over rows: once inlined by the planner, once evaluated by the function
for inline in on off; do
if ! PGOPTIONS="$PGOPTIONS -c segmentation.inline_rules=$inline" run -F ' ' -f "$work/rules.sql" >"$work/out" 2>"$work/err"; then
	echo "not ok - the rules ran (inline_rules $inline): $(head -3 "$work/err")"
	continue
fi
lines=$(wc -l <"$work/out")
read -r bad diffs trues nulls evals < <(awk -v rows="$(run -c 'SELECT count(*) FROM t')" '
	{ if ($1 > 0) bad++; d += $1; t += $2; n += $3 }
	END { printf "%d %d %d %d %d\n", bad, d, t, n, NR * rows }' "$work/out")
if [ "$lines" -eq "$rules" ] && [ "$bad" -eq 0 ]; then
	echo "ok - segment_match equals native SQL for $rules random rules, inline_rules $inline ($evals evaluations: $trues true, $nulls NULL, 0 differences)"
else
	echo "not ok - segment_match differs from native SQL (inline_rules $inline): $bad of $lines rules, $diffs rows"
	awk '$1 > 0 { print NR }' "$work/out" | head -5 | while read -r n; do
		sed -n "${n}p" "$work/rules.tsv" | cut -f1,2
	done
fi
	# the test is only as good as its spread: every outcome must occur often
if [ "$trues" -gt $((evals / 10)) ] && [ "$nulls" -gt $((evals / 20)) ] &&
	[ $((evals - trues - nulls)) -gt $((evals / 10)) ]; then
	echo "ok - the random rules are true, false and NULL on many rows each"
else
	echo "not ok - the random rules are too one-sided: $trues true, $nulls NULL of $evals"
fi
done

# segment_sql: the WHERE clause it prints for each row rule, executed, gives
# the native SQL's result on every row
awk -F'\t' '$1 == "row" { printf "INSERT INTO rules VALUES (%d, $r$%s$r$, $n$%s$n$);\n", NR, $2, $3 }' \
	"$work/rules.tsv" >"$work/inserts.sql"
run -c "CREATE TABLE rules (id int, rule text, native text)" -f "$work/inserts.sql" >/dev/null
got=$(run -c "DO \$\$
DECLARE
	r record;
	n bigint;
	bad int := 0;
	total int := 0;
BEGIN
	FOR r IN SELECT * FROM rules ORDER BY id LOOP
		EXECUTE format('SELECT count(*) FROM t WHERE (%s) IS DISTINCT FROM (%s)',
					   segment_sql(r.rule::segment_rule, 't', '$as_of'), r.native) INTO n;
		total := total + 1;
		IF n > 0 THEN
			bad := bad + 1;
			RAISE WARNING 'rule %: %', r.id, r.rule;
		END IF;
	END LOOP;
	RAISE WARNING 'checked % rules, % differ', total, bad;
END \$\$" 2>&1 | grep -E 'checked|WARNING' | head -5)
if grep -q "checked [0-9]* rules, 0 differ" <<<"$got"; then
	echo "ok - segment_sql, executed as a WHERE, equals native SQL for every row rule (${got#*WARNING:  })"
else
	echo "not ok - segment_sql differs from native SQL: $got"
fi

# catalogues: the first 50 row rules as one catalogue; segment_memberships and
# segment_classify against evaluating the rules one by one
check "segment_memberships and segment_classify of a 50-rule catalogue equal the rules one by one (800 rows)" 0 "
WITH cat AS (SELECT array_agg('r' || id ORDER BY id) AS names, array_agg(rule::segment_rule ORDER BY id) AS rules
			 FROM (SELECT * FROM rules ORDER BY id LIMIT 50) r),
	 each AS (SELECT t.id, (SELECT coalesce(array_agg('r' || r.id ORDER BY r.id), '{}')
							FROM (SELECT * FROM rules ORDER BY id LIMIT 50) r
							WHERE segment_match(r.rule::segment_rule, t, '$as_of')) AS want
			  FROM t)
SELECT count(*) FROM t JOIN each USING (id), cat
WHERE segment_memberships(names, rules, t, '$as_of') IS DISTINCT FROM want
   OR segment_classify(names, rules, t, '$as_of') IS DISTINCT FROM want[1]"
