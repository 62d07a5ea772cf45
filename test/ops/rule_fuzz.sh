#!/usr/bin/env bash
# A short fuzzing run of the segment rule parser and binary decoder (about
# 15 seconds, at least 100,000 executions each), part of make test; make fuzz
# runs the long one (test/fuzz/fuzz.sh, at least 1,000,000 executions each).
exec bash "$(dirname "$0")/../fuzz/fuzz.sh" "${RULE_FUZZ_SECONDS:-14}" 100000
