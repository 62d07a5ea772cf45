#!/usr/bin/env bash
# Builds and runs the C unit tests of the pure cores, without the server:
# every test/unit/test_*.c is linked with every core source (src/**/*.c but
# the *_pg.c glue and the module file) and core_malloc.c.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
bin=test/unit/bin
mkdir -p "$bin"
cores=$(ls src/*/*.c | grep -v '_pg\.c$')
CC=${CC:-gcc}
CFLAGS=${UNIT_CFLAGS:--O1 -g -Wall -Wextra -Werror -Wno-unused-function -fsanitize=address,undefined -fno-omit-frame-pointer}
status=0
for t in test/unit/test_*.c; do
	[ -f "$t" ] || continue
	name=$(basename "$t" .c)
	if ! $CC $CFLAGS -Isrc -Isrc/core -o "$bin/$name" "$t" $cores test/unit/core_malloc.c -lm 2>"$bin/$name.err"; then
		echo "not ok - $name does not compile"
		sed 's/^/# /' "$bin/$name.err" | head -30
		status=1
		continue
	fi
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 "$bin/$name" || status=1
done
exit $status
