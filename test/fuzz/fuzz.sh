#!/usr/bin/env bash
# Fuzzes the segment rule parser and binary decoder outside the server
# (test/fuzz/fuzz_rule.c), with libFuzzer under ASan, UBSan and LeakSanitizer
# when clang has it, else with the deterministic mutation loop fuzz_main.c
# under ASan and UBSan.
#
# usage: test/fuzz/fuzz.sh [SECONDS [MIN_RUNS]]
#   SECONDS   total time budget, split between the two targets (default 120)
#   MIN_RUNS  executions each target must reach (default 1000000); a target
#             that ends its time below it keeps running until it reaches it
# Prints one "ok - ..." / "not ok - ..." line per target and, on a crash, the
# report and the path of the input that caused it (kept in FUZZ_OUT, default
# a temporary directory that is removed when nothing failed).
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
budget=${1:-120}
min_runs=${2:-1000000}
per=$((budget / 2))
[ "$per" -lt 1 ] && per=1

out=${FUZZ_OUT:-$(mktemp -d /tmp/segmentation-fuzz.XXXXXX)}
mkdir -p "$out"
keep=0
cores=$(ls src/rule/*.c src/core/core.c | grep -v '_pg\.c$')
inc="-Isrc -Isrc/core"
unit=test/unit/core_malloc.c

# build: libFuzzer if clang can link it, else the mutation loop
engine=${FUZZ_ENGINE:-libfuzzer}
build() {
	local target=$1 def=$2
	if [ "$engine" = libfuzzer ]; then
		clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
			$inc -D"$def" -o "$out/$target" test/fuzz/fuzz_rule.c $cores $unit 2>"$out/$target.build" && return 0
		engine=loop
	fi
	${CC:-gcc} -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined \
		$inc -D"$def" -o "$out/$target" test/fuzz/fuzz_rule.c test/fuzz/fuzz_main.c $cores $unit \
		2>"$out/$target.build"
}
if ! command -v clang >/dev/null 2>&1; then
	engine=loop
fi
for t in "rule_parse FUZZ_PARSE" "rule_decode FUZZ_DECODE"; do
	set -- $t
	if ! build "$1" "$2"; then
		echo "not ok - fuzz $1 does not build"
		sed 's/^/# /' "$out/$1.build" | head -20
		exit 1
	fi
done

# seeds: rule texts, and their flattened forms for the decoder
mkdir -p "$out/seeds_parse" "$out/seeds_decode" "$out/corpus_parse" "$out/corpus_decode"
cp test/fuzz/seeds/*.txt "$out/seeds_parse/"
${CC:-gcc} -g -O1 $inc -o "$out/mkseeds" test/fuzz/mkseeds.c $cores $unit &&
	"$out/mkseeds" "$out/seeds_decode" test/fuzz/seeds/*.txt || {
	echo "not ok - fuzz seeds for the decoder"
	exit 1
}

status=0
run() {
	local target=$1 seeds=$2 corpus=$3 secs=$4 runs_total=0
	local log=$out/$target.log
	local args=(-max_total_time="$secs" -timeout=10 -max_len=4096 -print_final_stats=1
		-artifact_prefix="$out/$target-" -dict=test/fuzz/rule.dict)
	[ "$engine" = loop ] && args=(-max_total_time="$secs")
	: >"$log"
	local rounds=0
	while :; do
		rounds=$((rounds + 1))
		if ! ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
			"$out/$target" "${args[@]}" "$corpus" "$seeds" >>"$log" 2>&1; then
			echo "not ok - fuzz $target ($engine): a crash or sanitizer report"
			grep -E 'ERROR|SUMMARY|invariant|Test unit written|^#[0-9]+ ' "$log" | grep -v '^#[0-9]* *\(NEW\|REDUCE\|pulse\|INITED\|RELOAD\)' | head -30 | sed 's/^/# /'
			keep=1
			status=1
			return
		fi
		local n
		n=$(grep -o 'Done [0-9]* runs' "$log" | tail -1 | grep -o '[0-9]*')
		runs_total=$((runs_total + ${n:-0}))
		[ "$runs_total" -ge "$min_runs" ] || [ "$rounds" -ge 20 ] && break
	done
	if [ "$runs_total" -ge "$min_runs" ]; then
		echo "ok - fuzz $target ($engine): $runs_total executions, no crash, no sanitizer report"
	else
		echo "not ok - fuzz $target ($engine): only $runs_total executions (wanted $min_runs)"
		status=1
	fi
}
run rule_parse "$out/seeds_parse" "$out/corpus_parse" "$per"
run rule_decode "$out/seeds_decode" "$out/corpus_decode" "$per"

if [ "$keep" = 1 ] || [ -n "${FUZZ_OUT:-}" ]; then
	echo "# fuzz artifacts and logs in $out"
else
	rm -rf "$out"
fi
exit $status
