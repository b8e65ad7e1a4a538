#!/usr/bin/env bash
# Runs every test that has been built and prints, as its last line,
#   N passed, N failed[, N skipped]
# Exit status 1 if anything failed, else 0.  `make test` builds first.
#
#   1. unit tests (cmocka): every executable in build/{release,asan}/tests/*/,
#      and the release ones again under valgrind memcheck
#   2. HTTP tests (node:test): tests/http/*.test.mjs against build/release/tas
#      and against build/asan/tas on SQLite, again against build/release/tas
#      on PostgreSQL; tests/http/auth.test.mjs again with tas serve
#      under valgrind memcheck
#   3. browser tests (node:test + chromium): tests/browser/*.test.mjs against
#      build/release/tas
#   4. fuzzers (libFuzzer): every build/fuzz/fuzz_* for FUZZ_TEST_RUNS
#      inputs (default 100000) from its kept corpus with a fixed seed, one
#      test each, so a run's outcome is the same on every machine
#      (fuzz/run.sh; `make fuzz` explores by time instead)
#
# No result may depend on the day the suite is run: every tas process the
# tests start, and the tests themselves, take today from TAS_TODAY (see
# src/lib/clock.h), and the HTTP suite runs on two days in different terms
# of different halves of the school year (release on one, asan on the
# other; the browser tests on the second).  TAS_TEST_DAYS="A B" overrides.
#
# PostgreSQL: one private server (scripts/pg.sh: Debian's binaries, an
# ordinary user, a temporary directory, 127.0.0.1) for the whole run,
# stopped and removed at the end; the unit tests that use it
# (tests/store/test_backends.c) and the HTTP suite's PostgreSQL run find it
# in TAS_TEST_PG_URL.  Without
# the binaries those tests are skipped and the reason is printed here.
#
# A group with no tests yet contributes nothing.  Output of anything that
# failed is shown in full; passing groups get one line each.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

UNIT_TIMEOUT=${UNIT_TIMEOUT:-300}   # seconds per unit-test binary
NODE_TIMEOUT=${NODE_TIMEOUT:-1800}  # seconds per node --test run

ASAN_ENV=(
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
)

read -r TODAY_A TODAY_B <<<"${TAS_TEST_DAYS:-2026-11-18 2027-03-10}"
# One anchor for the whole run, so every process agrees on the time.
export TAS_TODAY_FROM=${TAS_TODAY_FROM:-$(date +%s)}

passed=0
failed=0
skipped=0

out=$(mktemp "${TMPDIR:-/tmp}/tas-tests.XXXXXX")
pg_dir=""
cleanup() {
    rm -f "$out"
    if [[ -n $pg_dir ]]; then
        scripts/pg.sh stop "$pg_dir" || true
    fi
}
trap cleanup EXIT

if why=$(scripts/pg.sh available); then
    if pg_info=$(scripts/pg.sh start); then
        export TAS_TEST_PG_URL=${pg_info%%$'\n'*}
        pg_dir=${pg_info#*$'\n'}
        export PGPASSFILE=$pg_dir/pgpass
        echo "postgresql: a test server at ${TAS_TEST_PG_URL}"
    else
        echo "FAIL postgresql: scripts/pg.sh could not start a server"
        failed=$((failed + 1))
    fi
else
    echo "postgresql: skipped: $why"
fi

show_output() {
    if [[ -s $out ]]; then
        sed 's/^/    | /' "$out"
    else
        echo "    | (no output)"
    fi
}

# TAP output without the passing tests (their "ok" lines and YAML blocks)
# and "# Subtest:" headers: what is left is failures, diagnostics, stray
# output (stderr of the tests) and the closing counts.
show_tap_failures() {
    awk '
        skip && /^ *\.\.\.$/ { skip = 0; next }
        skip { next }
        /^ *# Subtest: / { next }
        /^ *ok [0-9]+ / {
            getline nxt
            if (nxt ~ /^ *---$/) { skip = 1; next }
            $0 = nxt
        }
        { print "    | " $0 }
    ' "$out"
}

# "exit N", or the signal's name for a process killed by one.
describe_exit() {
    local rc=$1
    if ((rc == 124)); then
        echo "timed out"
    elif ((rc > 128)); then
        echo "killed by SIG$(kill -l $((rc - 128)) 2>/dev/null || echo $((rc - 128)))"
    else
        echo "exit $rc"
    fi
}

# plural N WORD [PLURAL]: "1 file", "2 files".
plural() {
    if (($1 == 1)); then
        echo "1 $2"
    else
        echo "$1 ${3:-$2s}"
    fi
}

# ", N skipped" when N > 0.
skipped_note() {
    if (($1 > 0)); then
        echo ", $1 skipped"
    fi
}

# Sums the numbers captured by a regular expression over the output file.
sum_of() {
    local re=$1 total=0 n
    while IFS= read -r n; do
        total=$((total + n))
    done < <(sed -nE "s/$re/\\1/p" "$out")
    echo "$total"
}

# --- 1. unit tests -----------------------------------------------------------

run_unit() {
    local mode=$1 bin rc p f s name dir=$1
    local -a env_args=()
    if [[ $mode == asan ]]; then
        env_args=("${ASAN_ENV[@]}")
    elif [[ $mode == valgrind ]]; then
        # The release binaries again under memcheck: what ASan cannot see
        # (reads of uninitialised memory) and what only the optimised
        # build does.  Errors or definite leaks fail the binary.
        dir=release
        env_args=(valgrind --quiet --error-exitcode=99 --leak-check=full
                  --errors-for-leak-kinds=definite --track-origins=yes)
    fi
    local -a bins=()
    if [[ -d build/$dir/tests ]]; then
        while IFS= read -r bin; do
            bins+=("$bin")
        done < <(find "build/$dir/tests" -mindepth 2 -maxdepth 2 -type f -perm -u+x \
            ! -name '*.d' ! -name '*.o' | sort)
    fi
    if ((${#bins[@]} == 0)); then
        echo "unit ($mode): no test binaries in build/$dir/tests"
        return
    fi
    local gp=0 gf=0 gs=0
    for bin in "${bins[@]}"; do
        name=${bin#build/}
        rc=0
        # (The group's 2>/dev/null only silences bash's own "Segmentation
        # fault" notice; the test's output goes to $out.)
        { timeout "$UNIT_TIMEOUT" env "${env_args[@]}" "$bin" >"$out" 2>&1 </dev/null; } 2>/dev/null || rc=$?
        p=$(sum_of '^\[  PASSED  \] ([0-9]+) test\(s\)\.$')
        f=$(sum_of '^\[  FAILED  \] ([0-9]+) test\(s\), listed below:$')
        s=$(sum_of '^\[  SKIPPED \] ([0-9]+) test\(s\), listed below:$')
        local summary=0
        grep -qE '^\[  (PASSED|FAILED|SKIPPED) *\] [0-9]+ test\(s\)' "$out" && summary=1
        if ((rc != 0 && f == 0)); then
            # Crash, sanitizer report, timeout or a failed group setup.
            f=1
        elif ((rc == 0 && summary == 0)); then
            # Ran cleanly but printed no cmocka summary: count the binary once.
            p=1
        fi
        gp=$((gp + p))
        gf=$((gf + f))
        gs=$((gs + s))
        if ((f > 0)); then
            echo "FAIL $name ($(describe_exit "$rc")): $p passed, $f failed"
            show_output
        fi
    done
    echo "unit ($mode): $gp passed, $gf failed$(skipped_note "$gs") ($(plural ${#bins[@]} binary binaries))"
    passed=$((passed + gp))
    failed=$((failed + gf))
    skipped=$((skipped + gs))
}

# --- 2 and 3. node:test suites -----------------------------------------------

# run_node LABEL DIR BIN [ENV=VALUE...]
run_node() {
    local label=$1 dir=$2 bin=$3
    shift 3
    local -a files=()
    local f
    while IFS= read -r f; do
        files+=("$f")
    done < <(if [[ -d $dir ]]; then find "$dir" -maxdepth 1 -type f -name '*.test.mjs' 2>/dev/null | sort;
             else printf '%s\n' $dir; fi)
    if ((${#files[@]} == 0)); then
        echo "$label: no tests yet in $dir/ (skipped)"
        return
    fi
    if [[ ! -x $bin ]]; then
        echo "FAIL $label: $bin is missing (make test builds it)"
        failed=$((failed + 1))
        return
    fi
    local rc=0
    { env TAS_BIN="$bin" "$@" timeout "$NODE_TIMEOUT" \
        node --test --test-reporter=tap "${files[@]}" >"$out" 2>&1 </dev/null; } 2>/dev/null || rc=$?
    local p fl s c t
    p=$(sum_of '^# pass ([0-9]+)$')
    fl=$(sum_of '^# fail ([0-9]+)$')
    c=$(sum_of '^# cancelled ([0-9]+)$')
    s=$(sum_of '^# skipped ([0-9]+)$')
    t=$(sum_of '^# todo ([0-9]+)$')
    fl=$((fl + c))
    if ((rc != 0 && fl == 0)); then
        fl=1
    fi
    if ((fl > 0)); then
        echo "FAIL $label ($(describe_exit "$rc")):"
        show_tap_failures
    fi
    echo "$label: $p passed, $fl failed$(skipped_note $((s + t))) ($(plural ${#files[@]} file))"
    passed=$((passed + p))
    failed=$((failed + fl))
    skipped=$((skipped + s + t))
}

# --- 4. fuzzers --------------------------------------------------------------

run_fuzz() {
    local -a bins=()
    local bin
    while IFS= read -r bin; do
        bins+=("$bin")
    done < <(find build/fuzz -maxdepth 1 -type f -name 'fuzz_*' -perm -u+x ! -name '*.d' 2>/dev/null | sort)
    if ((${#bins[@]} == 0)); then
        echo "fuzz: no fuzzers in build/fuzz (skipped)"
        return
    fi
    local rc=0
    fuzz/run.sh --runs "${FUZZ_TEST_RUNS:-100000}" "${bins[@]}" >"$out" 2>&1 </dev/null || rc=$?
    local p f
    p=$(sum_of '^([0-9]+) passed, [0-9]+ failed$')
    f=$(sum_of '^[0-9]+ passed, ([0-9]+) failed$')
    if ((rc != 0 && f == 0)); then
        f=1
    fi
    if ((f > 0)); then
        echo "FAIL fuzz ($(describe_exit "$rc")):"
        show_output
    fi
    echo "fuzz: $p passed, $f failed ($(plural ${#bins[@]} fuzzer))"
    passed=$((passed + p))
    failed=$((failed + f))
}

run_unit release
run_unit asan
run_unit valgrind
run_node "http (release, today $TODAY_A)" tests/http build/release/tas TAS_TODAY="$TODAY_A"
run_node "http (asan, today $TODAY_B)" tests/http build/asan/tas TAS_TODAY="$TODAY_B" "${ASAN_ENV[@]}"
# The whole HTTP suite again on PostgreSQL: each server a fresh database
# on the run's private server (harness.mjs); the few tests about SQLite's
# file itself say why they skip.
if [[ -n $pg_dir ]]; then
    run_node "http on postgresql (release, today $TODAY_B)" tests/http build/release/tas \
        TAS_TODAY="$TODAY_B" TAS_TEST_DB=postgresql
else
    echo "http on postgresql: skipped: no PostgreSQL server (above)"
fi
run_node "browser (release, today $TODAY_B)" tests/browser build/release/tas TAS_TODAY="$TODAY_B"
# And the browser suite on PostgreSQL (the pages, forms and axe checks on
# the other backend; toolkits.test.mjs makes its own SQLite file).
if [[ -n $pg_dir ]]; then
    run_node "browser on postgresql (release, today $TODAY_B)" tests/browser build/release/tas \
        TAS_TODAY="$TODAY_B" TAS_TEST_DB=postgresql
else
    echo "browser on postgresql: skipped: no PostgreSQL server (above)"
fi
# tas serve itself under valgrind memcheck for the sign-in and session
# tests (the whole HTTP suite would take hours there): uninitialised reads
# and definite leaks in the server fail them (TAS_SERVE_WRAP, harness.mjs).
run_node "http under valgrind (release, today $TODAY_A)" "tests/http/auth.test.mjs" build/release/tas \
    TAS_TODAY="$TODAY_A" TAS_SERVE_WRAP="valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite"
run_fuzz

if ((skipped)); then
    echo "$passed passed, $failed failed, $skipped skipped"
else
    echo "$passed passed, $failed failed"
fi
if ((failed > 0)); then
    exit 1
fi
exit 0
