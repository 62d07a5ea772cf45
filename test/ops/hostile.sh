#!/usr/bin/env bash
# Hostile input, generated from the catalogue (test/ops/hostile.sql): every
# function, aggregate and window function of the extension called with NULLs,
# NaN, ±Infinity, extreme integers, empty and 100k-element arrays, 100 kB
# strings, 'infinity' timestamps, wrong-kind rows and jsonb, deep rules and
# the stored values of test/lib/typed_values.sql; every hostile text cast to
# each base type; and corrupted binary values of each base type through
# COPY (FORMAT binary).  Each call runs as its own statement, in a
# subtransaction, under a 1 s statement_timeout.  Pass:
#   - the server never crashes: the connection survives each batch, SELECT 1
#     answers, pg_postmaster_start_time() is unchanged, no "terminated by
#     signal" in the server log
#   - no XX000, and every SQLSTATE raised is one the docs (README.md, doc/) document
#   - a call cancelled by the timeout (a caller-controlled loop: a huge
#     horizon, a 100k-element array) answers 57014 within 2 s, and so do
#     calls made long on purpose (a 500,000-rule catalogue, a 2^31-month
#     horizon)
# Codes found but not (yet) in the docs are listed in `pending` below, each with
# the function or type that raises it: printed, not failed.
# HOSTILE_RANDOM (default 30) random argument combinations per function, drawn
# by hash so that every run makes the same calls; HOSTILE_CAP (default 5000)
# caps the number of calls, sampled the same way; HOSTILE_OUT=DIR keeps the
# results there.
# A call that crashes the server or raises XX000 is reported and, once known,
# listed in `excluded` below with the finding, so that the suite stays green
# while the fix is pending.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
db=seg_hostile
work=$(mktemp -d /tmp/seg-hostile.XXXXXX)
chmod 777 "$work"
trap 'rm -rf "$work"' EXIT
. "$top/test/lib/suite.sh"
started=$SECONDS

# calls known to crash or raise XX000, by their SQL (see the findings)
excluded=(
)

fresh_db
out=$(run -c "CREATE EXTENSION segmentation" -f "$top/test/lib/typed_values.sql" \
	-v random="${HOSTILE_RANDOM:-30}" -f "$top/test/ops/hostile.sql" 2>&1 >/dev/null) ||
	{ echo "not ok - setting up $db: $out"; exit 1; }
for q in "${excluded[@]}"; do
	run -c "DELETE FROM calls WHERE sql = \$hostile\$$q\$hostile\$" >/dev/null
done
# the cap keeps each function's first call (its baseline)
run -c "DELETE FROM calls WHERE id NOT IN (SELECT id FROM calls c
	ORDER BY id = (SELECT min(id) FROM calls f WHERE f.sig = c.sig) DESC, hashint4(id), id LIMIT ${HOSTILE_CAP:-5000})" >/dev/null

# every function has calls, every argument type has hostile values
check "every argument type of the extension's functions has hostile values" \
	"SELECT count(*) FROM (SELECT unnest(args) FROM fns EXCEPT SELECT typ FROM hv) s"
check "every function and aggregate of the extension is called" \
	"SELECT count(*) FROM fns f WHERE NOT EXISTS (SELECT FROM calls c WHERE c.sig = f.sig)"
echo "# $(run -c "SELECT count(*) FROM fns") functions, aggregates and window functions; $(run -c "SELECT count(*) FROM calls") calls"

# SQLSTATEs that the docs' error tables (README.md, doc/) document, XX codes
# aside, plus 57014: the suite's own 1 s statement_timeout (checked below)
. "$top/test/lib/errtables.sh"
allowed="$(documented_sqlstates "$top" | grep -v '^XX' | tr '\n' ' ')57014 "
echo "# documented SQLSTATEs: $allowed"

boot=$(run -c "SELECT pg_postmaster_start_time()")
signals() { grep -c "terminated by signal" "${SEG_CLUSTER_DIR:-/nonexistent}/server.log" 2>/dev/null || true; }
signals_before=$(signals)
crashes=0
alive() {
	local i
	for i in $(seq 1 60); do
		[ "$(run -c "SELECT 1" 2>/dev/null)" = 1 ] && return 0
		sleep 0.5
	done
	return 1
}

# run the statement TEMPLATE (%s: an id; it prints id|label|state|ms|message)
# for each id in $work/ids, in
# batches of 400, one psql session per batch; results go to $work/$2.  When a
# session dies, the first id without a result is the call that crashed it:
# report it and go on after it.
drive() {
	local template=$1 res=$work/$2 ids batch done_ids next
	: >"$res"
	mapfile -t ids <"$work/ids"
	local i=0
	while [ $i -lt ${#ids[@]} ]; do
		batch=("${ids[@]:$i:400}")
		printf "SET statement_timeout = '1s';\n" >"$work/batch.sql"
		for x in "${batch[@]}"; do printf "${template//%s/$x};\n"; done >>"$work/batch.sql"
		run -v ON_ERROR_STOP=0 -f "$work/batch.sql" >"$work/batch.out" 2>"$work/batch.err"
		cat "$work/batch.out" >>"$res"
		done_ids=$(wc -l <"$work/batch.out")
		if [ "$done_ids" -lt ${#batch[@]} ]; then
			next=${batch[$done_ids]}
			crashes=$((crashes + 1))
			echo "not ok - $2 $next ended the session: $(describe $2 $next 2>/dev/null): $(tr '\n' ' ' <"$work/batch.err" | head -c 300)"
			echo "$next|?|CRASH|0|" >>"$res"
			alive || { echo "not ok - the server did not come back"; return 1; }
			i=$((i + done_ids + 1))
		else
			i=$((i + ${#batch[@]}))
			[ "$(run -c "SELECT 1" 2>&1)" = 1 ] || echo "not ok - SELECT 1 after a batch of $2"
		fi
	done
}

# the SQL of a call, or the type and mutation of a binary variant
describe() {
	if [ "$1" = calls ]; then run -c "SELECT sql FROM calls WHERE id = $2" | head -c 600
	else run -c "SELECT typ || ': ' || what FROM bvar WHERE id = $2"; fi
}

# summarize RES (id|label|state|ms|message lines): counts by SQLSTATE; XX000
# and codes README does not document fail, unless pending lists the code for
# that function or type ("CODE label-prefix")
judge() {
	local name=$1 kind=$2 res=$work/$2 n ok bad
	n=$(wc -l <"$res")
	ok=$(awk -F'|' '$3 == "ok"' "$res" | wc -l)
	echo "# $name: $n, $ok ok, errors by SQLSTATE: $(awk -F'|' '$3 != "ok" {print $3}' "$res" | sort | uniq -c | awk '{printf "%s %s, ", $2, $1}' | sed 's/, $//')"
	bad=$(awk -F'|' '$3 == "XX000"' "$res")
	result "$name: no XX000" "$(if [ -n "$bad" ]; then wc -l <<<"$bad"; else echo 0; fi)" 0
	[ -n "$bad" ] && while IFS='|' read -r id label st ms msg; do
		echo "#   XX000 $kind $id: $(describe $kind $id) => $msg"
	done <<<"$bad"
	bad=$(awk -F'|' -v allowed=" $allowed " -v pending="$(printf '%s\n' "${pending[@]}")" '
		BEGIN { np = split(pending, p, "\n") }
		$3 != "ok" && $3 != "XX000" && $3 != "CRASH" && index(allowed, " " $3 " ") == 0 {
			for (i = 1; i <= np; i++) {
				c = substr(p[i], 1, 5); l = substr(p[i], 7)
				if (c == $3 && index($2, l) == 1) next
			}
			print
		}' "$res")
	result "$name: every SQLSTATE is one the docs (README.md, doc/) document" "$(if [ -n "$bad" ]; then awk -F'|' '{print $3 " " $2}' <<<"$bad" | sort -u | tr '\n' ';'; fi)" ""
	[ -n "$bad" ] && while IFS='|' read -r id label st ms msg; do
		echo "#   $st $kind $id: $(describe $kind $id) => $msg"
	done < <(sort -t'|' -k3,3 -k2,2 -u <<<"$bad")
	local entry c
	for entry in "${pending[@]}"; do
		c=$(awk -F'|' -v c="${entry:0:5}" -v l="${entry:6}" '$3 == c && index($2, l) == 1' "$res" | wc -l)
		[ "$c" -gt 0 ] && echo "# $name: pending, not in the docs: $entry...: $c"
	done
	local seen
	seen=$(awk -F'|' '$3 != "ok" {print $3}' "$res" | sort -u | tr '\n' ' ')
	echo "# $name: SQLSTATEs seen: $seen"
}

# undocumented SQLSTATEs the suite found, pending a decision (document them in
# README's error tables, or raise a documented code instead); each entry is
# "CODE label-prefix", the label being a function's signature or a binary
# variant's type
pending=(
	# none: the codes found in the first runs (2202E, 42809, 42883, 08P01,
	# 22021) are in README's error table now
)

# 1. the calls
run -c "SELECT id FROM calls ORDER BY id" >"$work/ids"
drive "SELECT id, sig, hostile_try(id) FROM calls WHERE id = %s" calls
judge "hostile calls" calls
# cancelled calls: 57014 within 2 s of a 1 s timeout
slow=$(awk -F'|' '$3 == "57014" && $4 + 0 > 2000' "$work/calls")
echo "# $(awk -F'|' '$3 == "57014"' "$work/calls" | wc -l) calls reached the 1 s statement_timeout: $(awk -F'|' '$3 == "57014" {printf "%s (%s ms) ", $2, $4}' "$work/calls")"
result "every call cancelled by the 1 s statement_timeout stopped within 2 s" "$(if [ -n "$slow" ]; then cut -d'|' -f1,4 <<<"$slow" | tr '\n' ' '; fi)" ""
[ -n "$slow" ] && while IFS='|' read -r id label st ms msg; do
	echo "#   $ms ms: $(describe calls $id)"
done <<<"$slow"

# 2. corrupted binary values through COPY (FORMAT binary)
run -c "SELECT id FROM bvar ORDER BY id" >"$work/ids"
drive "SELECT id, typ, bin_try(id, '$work') FROM bvar WHERE id = %s" binary
judge "corrupted binary values" binary
echo "# variants by type: $(run -c "SELECT string_agg(typ || ' ' || n, ', ') FROM (SELECT typ::text, count(*) n FROM bvar GROUP BY 1 ORDER BY 1) s")"

# 3. loops whose length is an argument, beyond those of test/ops/cancel.sh: a
# 1 s statement_timeout answers 57014 within 2 s.  The catalogue is stored
# first, so that the time goes to the extension's loops, not to building it.
run -c "CREATE TABLE big_catalogue AS SELECT (SELECT array_agg('s' || i) FROM generate_series(1, 500000) i) AS names,
	array_fill('f1 > 1 and f2 ilike ''%b%'''::segment_rule, ARRAY[500000]) AS rules" >/dev/null
cancel_within() {
	local name=$1 sql=$2 out ms
	out=$(run -v ON_ERROR_STOP=0 -c "SET statement_timeout = '1s'" -c '\timing on' -c "$sql" 2>&1)
	ms=$(grep -oE '^Time: [0-9.]+' <<<"$out" | tail -1 | cut -d' ' -f2)
	ms=${ms%.*}
	if grep -q 'canceling statement due to statement timeout' <<<"$out" && [ "${ms:-99999}" -lt 2000 ]; then
		echo "ok - $name is cancelled by a 1 s statement_timeout within 2 s ($ms ms)"
	else
		echo "not ok - $name: not cancelled within 2 s (${ms:-?} ms): $(grep -v '^Time' <<<"$out" | head -c 300)"
	fi
	[ "$(run -c "SELECT 1" 2>&1)" = 1 ] || echo "not ok - SELECT 1 after cancelling $name"
}
cancel_within "segment_memberships over a catalogue of 500,000 rules" \
	"SELECT segment_memberships(names, rules, (2, 'b', NULL, NULL, NULL)::hostile_t) FROM big_catalogue"
cancel_within "segment_classify over a catalogue of 500,000 rules, none matching" \
	"SELECT segment_classify(names, rules, (0, 'a', NULL, NULL, NULL)::hostile_t) FROM big_catalogue"
cancel_within "segment_memberships over 500,000 rules, NULL row" \
	"SELECT segment_memberships(names, rules, NULL::hostile_t) FROM big_catalogue"
cancel_within "clv_estimate at the bound of 1200 months over a million distinct customers" \
	"SELECT sum(clv_estimate((SELECT v FROM t_clv_model WHERE id = 1), (2, 1, 30 + i / 1000.0, 20, NULL)::btyd_summary, 1200, 0)) FROM generate_series(1, 1000000) i"

# 4. the server survived all of it
result "no call crashed a backend" "$crashes" 0
result "the postmaster did not restart" "$(run -c "SELECT pg_postmaster_start_time()")" "$boot"
result "no backend terminated by a signal (server log)" "$(signals)" "$signals_before"
echo "# $((SECONDS - started)) s"
# HOSTILE_OUT=DIR keeps the results (id|label|SQLSTATE|ms|message) there
[ -n "${HOSTILE_OUT:-}" ] && cp "$work/calls" "$work/binary" "$HOSTILE_OUT/"
drop_db
