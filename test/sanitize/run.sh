#!/usr/bin/env bash
# make sanitize: the whole suite of make test against a server that loads the
# library built with AddressSanitizer and UndefinedBehaviorSanitizer, any
# report failing the run, followed by a longer fuzzing run of the pure cores
# under ASan+UBSan.
#
# The server is Debian's own postgres binary, not instrumented: libasan is
# preloaded into it (into the server alone: SEG_SERVER_ENV of
# test/lib/cluster.sh), with preload.so, without which the server hangs at
# startup and UBSan loses its options (see preload.c).  What ASan sees:
#   - every access by the library's own code to its globals, its stack and
#     malloc'd memory (its own, ICU's, and the blocks of PostgreSQL's memory
#     contexts): overflows past a block, use after free or out of scope,
#     double and invalid frees;
#   - the libc calls (memcpy, strlen, ...) of the whole server, whose
#     interceptors check their arguments against the same shadow memory.
# What it cannot see: an overflow from one palloc'd chunk into the next inside
# a memory-context block, or the use of a pfree'd chunk, as the server's
# allocator is not instrumented.  The pure cores, where all parsing and decoding
# of user input happens, run under ASan with plain malloc in test/unit and
# test/fuzz, which covers that.  UBSan checks the library for bad shifts,
# out-of-bounds array indexes, null, misaligned or out-of-object accesses,
# invalid bool and enum values, division by zero and pointer overflow; not
# signed integer overflow, which PostgreSQL's -fwrapv defines.
#
# ASan writes its reports into files of their own (log_path, one a process);
# UBSan into the server log (it cannot have a log_path of its own while ASan's
# runtime is loaded).  test/run.sh fails the run on any of them, from any
# cluster of the suite.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
make -s clean >/dev/null
make -s all WERROR=1 SANITIZE=1 || exit 1

san=$(mktemp -d /tmp/segmentation-sanitize.XXXXXX)
chmod 755 "$san"
# the server writes there, as the postgres user when we are root
mkdir "$san/reports" && chmod 1777 "$san/reports"
${CC:-gcc} -shared -fPIC -O2 -Wall -Werror -o "$san/preload.so" test/sanitize/preload.c || exit 1
# the very libasan the library is linked with
asan=$(ldd segmentation.so | awk '$1 ~ /^libasan\.so/ { print $3 }')
if [ ! -f "$asan" ]; then
	echo "not ok - segmentation.so is not linked with libasan"
	exit 1
fi
# detect_leaks=0: a backend leaves what it allocated for its lifetime to exit.
# abort_on_error=1: the backend dies by SIGABRT, which the server log shows.
asan_options="detect_leaks=0:abort_on_error=1:log_path=$san/reports/asan"
ubsan_options="print_stacktrace=1:halt_on_error=1:abort_on_error=1"
export SEG_SERVER_ENV="LD_PRELOAD=$asan:$san/preload.so ASAN_OPTIONS=$asan_options UBSAN_OPTIONS=$ubsan_options"
export SEG_SANITIZE_REPORTS=$san/reports
SEG_SANITIZE=1 bash test/run.sh
rc=$?
rm -rf "$san"
make -s clean >/dev/null
if [ -f test/fuzz/fuzz.sh ]; then
	bash test/fuzz/fuzz.sh "${FUZZ_SECONDS:-300}" || rc=1
fi
exit $rc
