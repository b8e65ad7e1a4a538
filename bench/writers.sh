#!/usr/bin/env bash
# Writers side by side: how many audited writes a second tas takes as more
# of them come at once, on SQLite (one write at a time) and on PostgreSQL
# (writers side by side, SERIALIZABLE; src/store/store_pg.c), each started
# here on loopback and removed afterwards.  A benchmark, not a test.
#
#   bench/writers.sh [build/release/tas]
#
# For each backend: a demo authority, `tas serve`, then bench/writers.mjs
# keeps 1, 4, 16 and 32 writes in flight for WRITERS_SECONDS each (every
# writer to its own pupil, then all to one pupil).  Prints a Markdown table:
# backend, profile, writers, writes/s, p50 and p99 latency, answers other
# than 201, and writes/s as a ratio to one writer's on the same backend in
# the same run (the figure to read on a shared, noisy machine).
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

echo "| backend | profile | writers | writes/s | p50 ms | p99 ms | not 201 | ratio to 1 writer |"
echo "|---|---|---:|---:|---:|---:|---:|---:|"
for backend in sqlite postgresql; do
    db=$tmp/demo.db
    [[ $backend == postgresql ]] && db=$pg_url
    echo "writers: creating a demo authority ($backend)" >&2
    "$TAS" demo --db "$db" >"$tmp/demo.log" 2>&1 || { cat "$tmp/demo.log" >&2; exit 1; }
    port=$(free_port)
    "$TAS" serve --db "$db" --listen "127.0.0.1:$port" --threads "$THREADS" --quiet >"$tmp/serve.log" 2>&1 &
    tas_pid=$!
    wait_listening "$port" "$tas_pid" || { echo "writers: tas serve did not start" >&2; cat "$tmp/serve.log" >&2; exit 1; }
    for profile in spread one; do
        node bench/writers.mjs "http://127.0.0.1:$port" coordinator demo-password "$SECS" "$COUNTS" "$profile" |
            while read -r c rate p50 p99 bad ratio; do
                echo "| $backend | $profile | $c | $rate | $p50 | $p99 | $bad | $ratio |"
            done
    done
    stop "$tas_pid"
    tas_pid=""
done
