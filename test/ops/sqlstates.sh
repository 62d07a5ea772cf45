#!/usr/bin/env bash
# The error tables of README.md and doc/ list every SQLSTATE the extension raises: each
# ERRCODE_ that the C sources name (in an ereport, or as the SQLSTATE a core
# error code maps to in core_pg.c) must appear as a SQLSTATE in a row of one
# of those tables under an "Errors" heading.  XX000 is the one exception:
# it marks a bug or a failure inside ICU, never user input, and README says
# so (test/ops/hostile.sh fails on any XX000 it meets).
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
errcodes=$(pg_config --includedir-server)/utils/errcodes.h
pass=0
fail=0

# SQLSTATEs in the rows of the docs' tables under a heading with "Errors"
. "$top/test/lib/errtables.sh"
documented=$(documented_sqlstates "$top")
echo "# documented: $(tr '\n' ' ' <<<"$documented")"

used=$(grep -rhoE 'ERRCODE_[A-Z_0-9]+' src --include=*.c --include=*.h | sort -u)
n=0
for name in $used; do
	def=$(grep -E "^#define $name MAKE_SQLSTATE" "$errcodes")
	if [ -z "$def" ]; then
		echo "not ok - $name is not a SQLSTATE of $errcodes"
		fail=$((fail + 1))
		continue
	fi
	code=$(sed -E "s/.*MAKE_SQLSTATE\('(.)','(.)','(.)','(.)','(.)'\).*/\1\2\3\4\5/" <<<"$def")
	n=$((n + 1))
	if [ "$code" = XX000 ]; then
		echo "ok - $name ($code) is the bug-only SQLSTATE README rules out"
		pass=$((pass + 1))
	elif grep -qx "$code" <<<"$documented"; then
		echo "ok - $name ($code) is in the docs' error tables"
		pass=$((pass + 1))
	else
		echo "not ok - $name ($code) is raised by $(grep -rl "$name" src --include=*.c | tr '\n' ' ')but is in none of the docs' error tables"
		fail=$((fail + 1))
	fi
done
# the check itself: a SQLSTATE absent from the tables is caught
if grep -qx 22P05 <<<"$documented"; then
	echo "not ok - 22P05 (never raised) should not be documented"
	fail=$((fail + 1))
else
	echo "ok - a SQLSTATE the tables lack (22P05) is recognised as missing"
	pass=$((pass + 1))
fi
[ "$n" -ge 15 ] && { echo "ok - $n SQLSTATEs named in the sources"; pass=$((pass + 1)); } ||
	{ echo "not ok - only $n SQLSTATEs found in the sources"; fail=$((fail + 1)); }
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
