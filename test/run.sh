#!/usr/bin/env bash
# Runs every suite of segmentation against a throwaway cluster that loads this
# checkout's build from a private installation (test/lib/pgtree.sh):
#   1. C unit tests of the pure cores            test/unit/run.sh
#   2. pg_regress                                sql/*.sql against expected/*.out
#   3. every other suite                         test/{diff,ops,clients}/*.sh
# Each suite prints TAP-style "ok ..." / "not ok ..." lines; this script counts
# them and ends with "N passed, N failed".  Exit status is non-zero on any
# failure.  Run it with `make test` (which builds first).  SEG_ONLY=REGEX runs
# only the suites whose name matches (unit, pg_regress, test/ops/upgrade.sh,
# ...), for a quick check while developing: `SEG_ONLY=upgrade make test`.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. test/lib/cluster.sh

work=$(mktemp -d /tmp/segmentation-test.XXXXXX)
chmod 755 "$work"
log=$work/log
cleanup() {
	cluster_stop "$work/cluster"
	if [ "${SEG_KEEP:-0}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

passed=0
failed=0
failures=()
timings=()

# Run one suite, echo its lines, count ok / not ok.
suite() {
	local name=$1
	shift
	if [ -n "${SEG_ONLY:-}" ] && ! [[ $name =~ $SEG_ONLY ]]; then
		return 0
	fi
	echo "# $name"
	local out=$work/suite.out
	local start=$SECONDS
	"$@" >"$out" 2>&1
	local rc=$?
	timings+=("$((SECONDS - start)) s  $name")
	local p f
	if [ ! -f "$out" ]; then
		# the test directory is gone (removed under the run): count a failure
		# rather than nothing
		echo "not ok - $name: its output is gone ($work was removed during the run)"
		failed=$((failed + 1))
		failures+=("$name")
		return 0
	fi
	cat "$out"
	p=$(grep -c '^ok ' "$out")
	f=$(grep -c '^not ok ' "$out")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $name exited with status $rc"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	[ "$f" -gt 0 ] && failures+=("$name")
}

# 1. unit tests need no server
suite "unit tests" bash test/unit/run.sh

# 2. private installation and cluster
bindir=$(bash test/lib/pgtree.sh "$work/root") || { echo "not ok - staging the installation failed"; echo "0 passed, 1 failed"; exit 1; }
cluster_start "$work/cluster" "$bindir" || { echo "not ok - the cluster did not start"; echo "0 passed, 1 failed"; exit 1; }

# pg_regress prints "ok" / "FAILED" per test; turn it into TAP lines
regress() {
	local pgxs_dir
	pgxs_dir=$(dirname "$(pg_config --pgxs)")/../..
	"$pgxs_dir/src/test/regress/pg_regress" --inputdir=. --bindir="$bindir" \
		--host="$PGHOST" --port="$PGPORT" --user="$PGUSER" --dbname=contrib_regression \
		--load-extension=segmentation $(ls sql/*.sql 2>/dev/null | xargs -n1 basename | sed 's/\.sql$//') \
		>"$work/regress.out" 2>&1
	local rc=$?
	sed -n 's/^\(test\|     \)\? *\([a-z0-9_]*\)  *\.\.\. ok.*/ok - regress \2/p; s/^\(test\|     \)\? *\([a-z0-9_]*\)  *\.\.\. FAILED.*/not ok - regress \2/p' "$work/regress.out"
	if [ $rc -ne 0 ]; then
		tail -5 "$work/regress.out"
		[ -f regression.diffs ] && head -100 regression.diffs
	fi
	return $rc
}
if ls sql/*.sql >/dev/null 2>&1; then
	suite "pg_regress" regress
fi

# 3. shell suites: each gets the running cluster in PGHOST/PGPORT (the client
#    drivers' suite, test/clients, starts a TCP cluster of its own)
for s in test/diff/*.sh test/ops/*.sh test/clients/*.sh; do
	[ -f "$s" ] || continue
	suite "$s" bash "$s"
done

# 4. under make sanitize: no sanitizer report, neither in the server's log nor
#    in SEG_SANITIZE_REPORTS (test/sanitize/run.sh), where ASan writes its
#    reports and cluster_stop leaves the log of any other cluster with some
if [ "${SEG_SANITIZE:-0}" = 1 ]; then
	sanitizer_log() {
		local reports=() status=0 f
		if [ -n "${SEG_SANITIZE_REPORTS:-}" ]; then
			for f in "$SEG_SANITIZE_REPORTS"/*; do
				[ -e "$f" ] && reports+=("$f")
			done
		fi
		if grep -qE 'runtime error:|Sanitizer' "$SEG_CLUSTER_DIR/server.log"; then
			grep -E -A30 'runtime error:|Sanitizer' "$SEG_CLUSTER_DIR/server.log" | head -60
			echo "not ok - the sanitizers reported errors in the server log"
			status=1
		fi
		if [ ${#reports[@]} -gt 0 ]; then
			for f in "${reports[@]}"; do
				echo "# $f:"
				{ grep -E -A30 'runtime error:|Sanitizer' "$f" || cat "$f"; } | head -60 | sed 's/^/# /'
			done
			echo "not ok - the sanitizers wrote ${#reports[@]} report file(s)"
			status=1
		fi
		if [ $status -eq 0 ]; then
			echo "ok - no AddressSanitizer or UndefinedBehaviorSanitizer report"
		fi
		return 0
	}
	suite "sanitizer reports" sanitizer_log
fi

echo
# the suites that took longest, so that make test stays well under 15 minutes
echo "# slowest suites (wall-clock, of $SECONDS s):"
printf '%s\n' "${timings[@]}" | sort -rn | head -8 | sed 's/^/#   /'
[ ${#failures[@]} -gt 0 ] && echo "failing suites: ${failures[*]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
