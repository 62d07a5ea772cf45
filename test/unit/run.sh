#!/usr/bin/env bash
# Builds and runs the C unit tests of the pure cores, without the server:
# every test/unit/test_*.c is linked with every core source (src/**/*.c but
# the *_pg.c glue and the module file) and core_malloc.c.  The cores are
# compiled once, two at a time (the machine has 2 cores), and every test
# links the same objects: compiling them again for each test took most of
# this suite's time.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
bin=test/unit/bin
obj=$bin/obj
rm -rf "$obj"
mkdir -p "$obj"
CC=${CC:-gcc}
CFLAGS=${UNIT_CFLAGS:--O1 -g -Wall -Wextra -Werror -Wno-unused-function -fsanitize=address,undefined -fno-omit-frame-pointer}
jobs=${UNIT_JOBS:-$(nproc 2>/dev/null || echo 2)}
status=0

# one object per core source (src/<feature>/<name>.c -> src_<feature>_<name>.o, as
# two features may have files of the same name), and core_malloc.c
sources=$( (ls src/*/*.c | grep -v '_pg\.c$'; echo test/unit/core_malloc.c) )
export CC CFLAGS obj
printf '%s\n' $sources | xargs -P "$jobs" -n1 bash -c '
	o=$obj/$(echo "$1" | tr / _ | sed "s/\.c\$/.o/")
	$CC $CFLAGS -Isrc -Isrc/core -c -o "$o" "$1" 2>"$o.err" || touch "$o.failed"' _
for f in "$obj"/*.failed; do
	[ -e "$f" ] || continue
	o=${f%.failed}
	echo "not ok - $(basename "$o" .o) does not compile"
	sed 's/^/# /' "$o.err" | head -30
	status=1
done
[ $status -eq 0 ] || exit $status

for t in test/unit/test_*.c; do
	[ -f "$t" ] || continue
	name=$(basename "$t" .c)
	if ! $CC $CFLAGS -Isrc -Isrc/core -o "$bin/$name" "$t" "$obj"/*.o -lm 2>"$bin/$name.err"; then
		echo "not ok - $name does not compile"
		sed 's/^/# /' "$bin/$name.err" | head -30
		status=1
		continue
	fi
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 "$bin/$name" || status=1
done
exit $status
