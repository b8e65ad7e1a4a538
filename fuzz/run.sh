#!/usr/bin/env bash
# Runs libFuzzer harnesses and fails on a crash.
#
#   fuzz/run.sh SECONDS build/fuzz/fuzz_NAME...    explore for SECONDS each
#   fuzz/run.sh --runs N build/fuzz/fuzz_NAME...   N inputs each, as a test
#
# Exploring runs over fuzz/corpus/NAME (the seeds kept in the repository, read
# only) and build/fuzz/corpus/NAME (what it finds, kept between runs but not
# committed); SECONDS 0 only replays the corpora.  As a test (--runs) the
# outcome must not depend on the clock, the machine or earlier runs: a fixed
# random seed, a fixed number of inputs and a fresh working corpus each time.
# Either way fuzz/NAME.dict is used when there is one, and a crashing input is
# saved as build/fuzz/artifacts/NAME-* (add it to fuzz/corpus/NAME once
# fixed, so it is replayed ever after).
# Prints one line per harness and, last, "N passed, N failed".
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds=0
runs=
if [[ $1 == --runs ]]; then
    runs=$2
    shift 2
else
    seconds=$1
    shift
fi
passed=0
failed=0
for bin in "$@"; do
    case $bin in *.d) continue ;; esac
    name=${bin##*/fuzz_}
    work=build/fuzz/corpus/$name
    [[ -n $runs ]] && work=build/fuzz/test-corpus/$name && rm -rf "$work"
    log=build/fuzz/$name.log
    mkdir -p "$work" build/fuzz/artifacts
    # As a test (--runs) an input may take a minute on a busy shared
    # machine before it counts as a hang; exploring, ten seconds.
    timeout=10
    [[ -n $runs ]] && timeout=60
    args=(-artifact_prefix="build/fuzz/artifacts/$name-" -timeout=$timeout -rss_limit_mb=2048 -print_final_stats=1)
    [[ -f fuzz/$name.dict ]] && args+=(-dict="fuzz/$name.dict")
    if [[ -n $runs ]]; then
        args+=(-seed=1 -runs="$runs")
    elif ((seconds > 0)); then
        args+=(-max_total_time="$seconds")
    else
        args+=(-runs=0)
    fi
    seeds=()
    [[ -d fuzz/corpus/$name ]] && seeds=("fuzz/corpus/$name")
    rc=0
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        "$bin" "${args[@]}" "$work" "${seeds[@]}" >"$log" 2>&1 </dev/null || rc=$?
    done_runs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+)$/\1/p' "$log" | tail -1)
    if ((rc == 0)); then
        passed=$((passed + 1))
        if [[ -n $runs ]]; then
            echo "fuzz $name: ok (${done_runs:-?} inputs, seed 1)"
        else
            echo "fuzz $name: ok (${done_runs:-?} inputs in ${seconds}s)"
        fi
    else
        failed=$((failed + 1))
        echo "FAIL fuzz $name (exit $rc): see $log"
        grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$log" | head -20 | sed 's/^/    | /'
    fi
done
echo "$passed passed, $failed failed"
((failed == 0))
