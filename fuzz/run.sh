#!/usr/bin/env bash
# Runs libFuzzer harnesses for a bounded time each and fails on a crash.
#
#   fuzz/run.sh SECONDS build/fuzz/fuzz_NAME...
#
# Each runs over fuzz/corpus/NAME (the seeds kept in the repository, read
# only) and build/fuzz/corpus/NAME (what it finds, kept between runs but not
# committed), with fuzz/NAME.dict when there is one.  SECONDS 0 only replays
# the corpora.  A crashing input is saved as build/fuzz/artifacts/NAME-*.
# Prints one line per harness and, last, "N passed, N failed".
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds=$1
shift
passed=0
failed=0
for bin in "$@"; do
    case $bin in *.d) continue ;; esac
    name=${bin##*/fuzz_}
    work=build/fuzz/corpus/$name
    log=build/fuzz/$name.log
    mkdir -p "$work" build/fuzz/artifacts
    args=(-artifact_prefix="build/fuzz/artifacts/$name-" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1)
    [[ -f fuzz/$name.dict ]] && args+=(-dict="fuzz/$name.dict")
    if ((seconds > 0)); then
        args+=(-max_total_time="$seconds")
    else
        args+=(-runs=0)
    fi
    seeds=()
    [[ -d fuzz/corpus/$name ]] && seeds=("fuzz/corpus/$name")
    rc=0
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        "$bin" "${args[@]}" "$work" "${seeds[@]}" >"$log" 2>&1 </dev/null || rc=$?
    runs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+)$/\1/p' "$log" | tail -1)
    if ((rc == 0)); then
        passed=$((passed + 1))
        echo "fuzz $name: ok (${runs:-?} inputs in ${seconds}s)"
    else
        failed=$((failed + 1))
        echo "FAIL fuzz $name (exit $rc): see $log"
        grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$log" | head -20 | sed 's/^/    | /'
    fi
done
echo "$passed passed, $failed failed"
((failed == 0))
