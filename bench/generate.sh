#!/usr/bin/env bash
# tas generate against a baseline binary, in the same run: a benchmark, not
# a test.  The baseline is any earlier build of tas (for instance main's,
# built into another folder); both make the same generated England (or one
# authority of it) with the same seed, one after the other.
#
#   bench/generate.sh BASELINE_TAS [NEW_TAS] [SCALE] [SEED]
#       NEW_TAS default build/release/tas, SCALE authority (or national),
#       SEED 5
#
# Prints, for each binary, the wall time, the CPU time (user + system) and
# the peak resident memory (GNU time's "Maximum resident set size"), the
# ratios baseline / new, and whether the two databases hold the same rows:
# the SHA-256 of `sqlite3 DB .dump`'s INSERT lines, less schema_migrations
# (whose rows carry the time each migration was applied).  It exits 1 when
# they differ.  Needs /usr/bin/time (Debian's time package) and sqlite3.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
BASE=${1:?usage: bench/generate.sh BASELINE_TAS [NEW_TAS] [SCALE] [SEED]}
NEW=${2:-build/release/tas}
SCALE=${3:-authority}
SEED=${4:-5}
DIR=$(mktemp -d "${TMPDIR:-/tmp}/tas-gen-bench-XXXXXX")
trap 'rm -rf "$DIR"' EXIT

# run NAME BINARY: generate into $DIR/NAME.db, GNU time's report in NAME.time
run() {
    /usr/bin/time -v -o "$DIR/$1.time" "$2" generate --db "$DIR/$1.db" --scale "$SCALE" --seed "$SEED" \
        >"$DIR/$1.out" 2>"$DIR/$1.err" || { cat "$DIR/$1.err" >&2; exit 2; }
}
# field NAME LABEL: one figure from GNU time's report
field() { sed -n "s/^[[:space:]]*$2: //p" "$DIR/$1.time"; }
wall() {   # h:mm:ss or m:ss.ss -> seconds
    field "$1" 'Elapsed (wall clock) time (h:mm:ss or m:ss)' |
        awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.2f", s }'
}
cpu() { awk -v u="$(field "$1" 'User time (seconds)')" -v s="$(field "$1" 'System time (seconds)')" \
        'BEGIN { printf "%.2f", u + s }'; }
rss() { awk -v k="$(field "$1" 'Maximum resident set size (kbytes)')" 'BEGIN { printf "%.1f", k / 1024 }'; }
digest() {
    sqlite3 -batch "$DIR/$1.db" .dump | grep '^INSERT INTO' | grep -v '^INSERT INTO schema_migrations' |
        sha256sum | cut -c1-16
}

run base "$BASE"
run new "$NEW"
echo "tas generate --scale $SCALE --seed $SEED (load average $(cut -d' ' -f1 /proc/loadavg))"
echo
echo "| binary | wall s | CPU s | peak RSS MB | rows (dump SHA-256) |"
echo "|---|---:|---:|---:|---|"
printf '| baseline %s | %s | %s | %s | %s |\n' "$BASE" "$(wall base)" "$(cpu base)" "$(rss base)" "$(digest base)"
printf '| new %s | %s | %s | %s | %s |\n' "$NEW" "$(wall new)" "$(cpu new)" "$(rss new)" "$(digest new)"
awk -v bw="$(wall base)" -v nw="$(wall new)" -v bc="$(cpu base)" -v nc="$(cpu new)" \
    -v br="$(rss base)" -v nr="$(rss new)" 'BEGIN {
        printf "\nbaseline / new: wall %.2f x, CPU %.2f x, peak RSS %.2f x\n", bw / nw, bc / nc, br / nr }'
if [ "$(digest base)" = "$(digest new)" ]; then
    echo "the same rows, byte for byte"
else
    echo "DIFFERENT rows"
    exit 1
fi
