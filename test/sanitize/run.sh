#!/usr/bin/env bash
# make sanitize: the whole suite of make test with the library built under
# UndefinedBehaviorSanitizer (overflow, shifts, bad casts, out-of-bounds
# array indexes, null pointers), any report in the server log failing the
# run, followed by a longer fuzzing run of the pure cores under ASan+UBSan.
#
# Not AddressSanitizer in the server: Debian's postgres binary deadlocks in
# bindtextdomain() at startup with libasan preloaded (tried on PostgreSQL
# 15.20), and an uninstrumented server would hide palloc'd memory from ASan
# anyway.  The pure cores, where all parsing and decoding of user input
# happens, run under ASan in test/unit and test/fuzz.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
make -s clean >/dev/null
make -s all WERROR=1 SANITIZE=1 || exit 1
SEG_SANITIZE=1 bash test/run.sh
rc=$?
make -s clean >/dev/null
if [ -f test/fuzz/fuzz.sh ]; then
	bash test/fuzz/fuzz.sh "${FUZZ_SECONDS:-300}" || rc=1
fi
exit $rc
