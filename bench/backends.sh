#!/usr/bin/env bash
# The dashboard on both storage backends, side by side: generates the same
# England (or one authority of it) into a SQLite file and into a private
# PostgreSQL server (scripts/pg.sh, on loopback, removed afterwards), runs
# bench/dashboard_bench on each, and prints each timing as a ratio to the C
# scan of that same run, SQLite's and PostgreSQL's in two columns.  It
# fails when the two databases give different dashboard figures (the
# benchmark's checksum of every figure).  A benchmark, not a test.
#
#   bench/backends.sh [authority|national] [FROM TO]
#
# TAS (default build/release/tas) and BENCH (build/release/bench/dashboard_bench)
# name the binaries; `make bench` builds them.  The national scale needs
# several GB on disk in TMPDIR and in the PostgreSQL cluster's directory.
set -euo pipefail

scale=${1:-authority}
from=${2:-2024-09-01}
to=${3:-2025-08-31}
tas=${TAS:-build/release/tas}
bench=${BENCH:-build/release/bench/dashboard_bench}
for b in "$tas" "$bench"; do
    [[ -x $b ]] || { echo "backends: $b is missing: run make bench" >&2; exit 2; }
done
scripts/pg.sh available

work=$(mktemp -d "${TMPDIR:-/tmp}/tas-backends-XXXXXX")
pg_dir=
cleanup() {
    [[ -n $pg_dir ]] && scripts/pg.sh stop "$pg_dir" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

out=$(scripts/pg.sh start)
pg_url=${out%%$'\n'*}
pg_dir=${out#*$'\n'}
export PGPASSFILE=$pg_dir/pgpass

echo "backends: generating the $scale scale into SQLite and into PostgreSQL" >&2
"$tas" generate --db "$work/g.db" --scale "$scale" > "$work/gen-sqlite.txt"
"$tas" generate --db "$pg_url" --scale "$scale" > "$work/gen-pg.txt"
cat "$work/gen-sqlite.txt" "$work/gen-pg.txt"

"$bench" "$work/g.db" 1 "$from" "$to" > "$work/sqlite.txt"
"$bench" "$pg_url" 1 "$from" "$to" > "$work/pg.txt"

# The same figures on both, or the comparison means nothing.
sums() { grep 'checksums: figures' "$1" | awk '{print $1, $4}'; }
if [[ "$(sums "$work/sqlite.txt")" != "$(sums "$work/pg.txt")" ]]; then
    echo "backends: the dashboard's figures differ between SQLite and PostgreSQL" >&2
    diff <(sums "$work/sqlite.txt") <(sums "$work/pg.txt") >&2 || true
    exit 1
fi

# Each "... NAME  X ms, ratio to scan R (cpu Y ms, ratio Q)" line of both runs.
timings() {
    sed -n 's/^\([a-z]*\) *\(dashboard from the [a-z]*\) *\([0-9.]*\) ms, ratio to scan *\([0-9.]*\) (cpu *\([0-9.]*\) ms, ratio *\([0-9.]*\))$/\1 \2|\3|\4|\5|\6/p' "$1"
    sed -n 's/^\([a-z]*\) *rollup rebuilt for [a-z ]*: one month ([0-9-]*) *\([0-9.]*\) ms, every month *\([0-9.]*\) ms.*/\1 rollup rebuilt, every month|\3|||/p' "$1"
}
printf '\n%-44s | %-26s | %-26s\n' "$scale scale, $from to $to" "SQLite ms (x scan; cpu x)" "PostgreSQL ms (x scan; cpu x)"
printf '%-44s-+-%-26s-+-%-26s\n' "" "" "" | tr ' ' '-'
join -t'|' <(timings "$work/sqlite.txt" | sort) <(timings "$work/pg.txt" | sort) |
    awk -F'|' '{
        a = $3 == "" ? $2 : sprintf("%s (%s; %s)", $2, $3, $5);
        b = $7 == "" ? $6 : sprintf("%s (%s; %s)", $6, $7, $9);
        printf "%-44s | %-26s | %-26s\n", $1, a, b }'
grep 'C scan' "$work/sqlite.txt" | sed 's/^/sqlite:     /'
grep 'C scan' "$work/pg.txt" | sed 's/^/postgresql: /'
echo "figures the same on both: $(sums "$work/sqlite.txt" | tr '\n' ' ')"
