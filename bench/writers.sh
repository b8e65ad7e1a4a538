#!/usr/bin/env bash
# Writers side by side: how many audited writes a second tas takes as more
# of them come at once, on SQLite (one write at a time) and on PostgreSQL
# (writers side by side, SERIALIZABLE; src/store/store_pg.c), each started
# here on loopback and removed afterwards.  A benchmark, not a test.
#
#   bench/writers.sh [build/release/tas]
#
# Two sets of data: the demo authority (small tables), whose writes add a
# consent to a pupil, and a generated authority (`tas generate --scale
# authority`: 131 schools, 9,951 cases, 34,982 actions), whose writes add
# an action to a case.  On each, three runs: SQLite; PostgreSQL with every
# change alone (tas serve --writes-alone, the baseline); PostgreSQL with
# changes side by side (the default).  Each run: `tas serve`, then
# bench/writers.mjs keeps 1, 4, 16 and 32 writes in flight for
# WRITERS_SECONDS each (every writer to its own pupil or case, then all to
# one).  Prints a Markdown table:
# data (and what is written), database, writes (alone or side by side),
# profile, writers, writes/s, p50 and p99 latency,
# answers other than 201, writes/s as a ratio to one writer's in the same
# run, and (side by side) as a ratio to the same load alone: the figures to
# read on a shared, noisy machine.  The server's own count of changes run
# again after a conflict goes to standard error.
#
# Environment: WRITERS_SECONDS=5, WRITERS_COUNTS="1 4 16 32",
# WRITERS_THREADS=32 (tas serve --threads).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
TAS=${1:-build/release/tas}
SECS=${WRITERS_SECONDS:-5}
COUNTS=${WRITERS_COUNTS:-1 4 16 32}
THREADS=${WRITERS_THREADS:-32}
[[ -x $TAS ]] || { echo "writers: $TAS is missing: run make" >&2; exit 2; }
scripts/pg.sh available

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tas-writers.XXXXXX")
tas_pid=""
pg_dir=""
source bench/lib.sh
cleanup() {
    stop "$tas_pid"
    [[ -n $pg_dir ]] && scripts/pg.sh stop "$pg_dir" >/dev/null 2>&1 || true
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

out=$(scripts/pg.sh start)
pg_url=${out%%$'\n'*}
pg_dir=${out#*$'\n'}
export PGPASSFILE=$pg_dir/pgpass
# A server has no key file beside a PostgreSQL database.
TAS_SECRET_KEY=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
export TAS_SECRET_KEY

# The generated authority has no users: one is added, with its own password.
PASS=Quiet-river-$RANDOM-$RANDOM
echo "| data | database | writes | profile | writers | writes/s | p50 ms | p99 ms | not 201 | ratio to 1 writer | ratio to alone |"
echo "|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|"
declare -A alone_rate
for data in demo generated; do
    for run in sqlite postgresql:alone postgresql:side-by-side; do
        backend=${run%%:*}
        mode=${run#*:}
        [[ $mode == "$run" ]] && mode=alone
        db=$tmp/$data-$run.db
        extra=()
        if [[ $backend == postgresql ]]; then
            db=$pg_url
            psql -X -q -d "$pg_url" -c "SET client_min_messages = warning; DROP SCHEMA public CASCADE; CREATE SCHEMA public" >/dev/null
            [[ $mode == alone ]] && extra=(--writes-alone)
        fi
        echo "writers: $data authority into $backend (writes $mode)" >&2
        if [[ $data == demo ]]; then
            user=coordinator pass=demo-password kind=consent
            "$TAS" demo --db "$db" >"$tmp/make.log" 2>&1 || { cat "$tmp/make.log" >&2; exit 1; }
        else
            user=benchcoord pass=$PASS kind=action
            { "$TAS" generate --db "$db" --scale authority &&
              echo "$PASS" | "$TAS" user add benchcoord --db "$db" --name "Bench Coordinator" --role case_coordinator \
                  --scope authority --scope-id 1; } >"$tmp/make.log" 2>&1 || { cat "$tmp/make.log" >&2; exit 1; }
        fi
        port=$(free_port)
        "$TAS" serve --db "$db" --listen "127.0.0.1:$port" --threads "$THREADS" --quiet "${extra[@]}" \
            >"$tmp/serve.log" 2>&1 &
        tas_pid=$!
        wait_listening "$port" "$tas_pid" || { echo "writers: tas serve did not start" >&2; cat "$tmp/serve.log" >&2; exit 1; }
        for profile in spread one; do
            while read -r c rate p50 p99 bad ratio; do
                key=$data:$backend:$profile:$c
                vs=""
                if [[ $mode == alone ]]; then
                    alone_rate[$key]=$rate
                elif [[ -n ${alone_rate[$key]:-} ]]; then
                    vs=$(awk -v a="$rate" -v b="${alone_rate[$key]}" 'BEGIN { printf "%.2f", a / b }')
                fi
                echo "| $data ($kind) | $backend | $mode | $profile | $c | $rate | $p50 | $p99 | $bad | $ratio | $vs |"
            done < <(WRITERS_KIND=$kind node bench/writers.mjs "http://127.0.0.1:$port" "$user" "$pass" "$SECS" "$COUNTS" "$profile")
        done
        stop "$tas_pid"
        tas_pid=""
        grep -h "side by side" "$tmp/serve.log" >&2 || true
    done
done
