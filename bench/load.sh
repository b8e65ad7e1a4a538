#!/usr/bin/env bash
# Load benchmark: wrk against a signed-in tas and, as the reference, nginx
# serving the same bytes, both on loopback.  A benchmark, not a test.
#
#   bench/load.sh [build/release/tas]        (make bench-load installs wrk and
#                                             nginx-light, builds, runs this)
#
# It creates a demo authority in a temporary folder, starts `tas serve` on a
# free 127.0.0.1 port, signs in as the coordinator (bench/load_prep.mjs, which
# also saves each page's body), starts nginx on another free port with a
# configuration in the same folder serving those bodies, and runs wrk
# (bench/load.lua sends the session cookie) against each page at each number
# of connections, on tas and then on nginx.  The mixed profile is 90% GET
# /api/v1/pupils and 10% PUT of one pupil's record, unchanged (so it changes
# nothing but is audited); nginx has no counterpart for it.
#
# Prints a Markdown table: page, connections, tas requests/s, p50 and p99
# latency, errors (socket errors and non-2xx/3xx answers), nginx requests/s,
# tas / nginx, and the server's resident memory after the run (VmRSS).
# Everything it starts is stopped on exit, Ctrl-C included.
#
# Environment:
#   LOAD_SECONDS=5           length of each wrk run
#   LOAD_CONNECTIONS="16 64 256"
#   LOAD_THREADS=2           wrk threads
#   LOAD_TAS_THREADS=64      tas serve --threads (its default)
#   LOAD_PAGES="home /pupils /api/v1/pupils /dashboard mixed"
#                            which rows to run (labels as printed)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
TAS=${1:-build/release/tas}
SECS=${LOAD_SECONDS:-5}
CONNS=${LOAD_CONNECTIONS:-16 64 256}
THREADS=${LOAD_THREADS:-2}
TAS_THREADS=${LOAD_TAS_THREADS:-64}
PAGES=${LOAD_PAGES:-home /pupils /api/v1/pupils /dashboard mixed}

for tool in wrk nginx node "$TAS"; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "load: $tool is missing (make bench-load installs and builds what it needs)" >&2
        exit 1
    fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tas-load.XXXXXX")
tas_pid=""
nginx_pid=""

source bench/lib.sh
cleanup() {
    stop "$tas_pid"
    stop "$nginx_pid"
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "load: creating a demo authority" >&2
"$TAS" demo --db "$tmp/demo.db" >"$tmp/demo.log" 2>&1 || { cat "$tmp/demo.log" >&2; exit 1; }

tas_port=$(free_port)
"$TAS" serve --db "$tmp/demo.db" --listen "127.0.0.1:$tas_port" --threads "$TAS_THREADS" --quiet \
    >"$tmp/serve.log" 2>&1 &
tas_pid=$!
wait_listening "$tas_port" "$tas_pid" || { echo "load: tas serve did not start" >&2; cat "$tmp/serve.log" >&2; exit 1; }

node bench/load_prep.mjs "http://127.0.0.1:$tas_port" "$tmp/prep" coordinator demo-password

# nginx: everything under $tmp/nginx; as root its workers run as nobody, so
# that folder is readable by all (the database beside it is not).
ng=$tmp/nginx
mkdir -p "$ng"
mv "$tmp/prep/www" "$ng/www"
chmod 711 "$tmp"
chmod -R a+rX "$ng"
nginx_port=$(free_port)
{
    ((EUID == 0)) && echo "user nobody nogroup;"
    cat <<CONF
worker_processes auto;
pid $ng/nginx.pid;
error_log $ng/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    client_body_temp_path $ng/body;
    proxy_temp_path $ng/proxy;
    fastcgi_temp_path $ng/fastcgi;
    uwsgi_temp_path $ng/uwsgi;
    scgi_temp_path $ng/scgi;
    server {
        listen 127.0.0.1:$nginx_port;
CONF
    while read -r name path type; do
        printf '        location = %s { default_type "%s"; root %s/www; try_files /%s =404; }\n' \
            "$path" "$type" "$ng" "$name"
    done <"$tmp/prep/types"
    echo "    }"
    echo "}"
} >"$ng/nginx.conf"
nginx -p "$ng" -c "$ng/nginx.conf" -e "$ng/error.log" -g 'daemon off;' >"$ng/stdout.log" 2>&1 &
nginx_pid=$!
wait_listening "$nginx_port" "$nginx_pid" || { echo "load: nginx did not start" >&2; cat "$ng/error.log" >&2; exit 1; }

# The reference must serve exactly the bytes tas served.
node -e '
    const fs = require("fs");
    const [types, www, base] = process.argv.slice(1);
    (async () => {
        for (const line of fs.readFileSync(types, "utf8").trim().split("\n")) {
            const [name, path] = line.split(" ");
            const got = Buffer.from(await (await fetch(base + path)).arrayBuffer());
            if (!got.equals(fs.readFileSync(`${www}/${name}`)))
                throw new Error(`nginx does not serve the bytes of ${path}`);
        }
    })().catch((e) => { console.error(`load: ${e.message}`); process.exit(1); });
' "$tmp/prep/types" "$ng/www" "http://127.0.0.1:$nginx_port"

export LOAD_COOKIE LOAD_CSRF LOAD_RESULT=$tmp/result
LOAD_COOKIE=$(cat "$tmp/prep/cookie")
LOAD_CSRF=$(cat "$tmp/prep/csrf")

# run_wrk URL CONNECTIONS: prints "requests duration_us p50_us p99_us errors".
run_wrk() {
    rm -f "$LOAD_RESULT"
    if ! wrk -t"$THREADS" -c"$2" -d"${SECS}s" --timeout 10s -s bench/load.lua "$1" >"$tmp/wrk.log" 2>&1 ||
        [[ ! -s $LOAD_RESULT ]]; then
        echo "load: wrk failed on $1" >&2
        cat "$tmp/wrk.log" >&2
        exit 1
    fi
    cat "$LOAD_RESULT"
}

rss_mb() {
    awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$tas_pid/status"
}

ms() { awk -v us="$1" 'BEGIN { printf "%.1f", us / 1000 }'; }
per_s() { awk -v n="$1" -v us="$2" 'BEGIN { printf "%.0f", n / (us / 1e6) }'; }

echo "load: ${SECS} s per run, wrk -t$THREADS, tas --threads $TAS_THREADS, $(nproc) cores" >&2
echo "| page | connections | tas req/s | p50 ms | p99 ms | errors | nginx req/s | tas/nginx | tas RSS MB |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"

# bench_page LABEL PATH [mixed]
bench_page() {
    local label=$1 path=$2 mixed=${3:-} c n us p50 p99 err rps nrps ratio
    [[ " $PAGES " == *" ${label%% *} "* ]] || return 0
    for c in $CONNS; do
        if [[ -n $mixed ]]; then
            read -r n us p50 p99 err < <(LOAD_PUT_PATH=$(cat "$tmp/prep/put_path") \
                LOAD_PUT_BODY=$(cat "$tmp/prep/put.json") run_wrk "http://127.0.0.1:$tas_port$path" "$c")
        else
            read -r n us p50 p99 err < <(run_wrk "http://127.0.0.1:$tas_port$path" "$c")
        fi
        rps=$(per_s "$n" "$us")
        nrps="-"
        ratio="-"
        if [[ -z $mixed ]]; then
            local nn nus
            read -r nn nus _ _ _ < <(run_wrk "http://127.0.0.1:$nginx_port$path" "$c")
            nrps=$(per_s "$nn" "$nus")
            ratio=$(awk -v a="$rps" -v b="$nrps" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }')
        fi
        echo "| $label | $c | $rps | $(ms "$p50") | $(ms "$p99") | $err | $nrps | $ratio | $(rss_mb) |"
    done
}

bench_page "home" /
bench_page "/pupils" /pupils
bench_page "/api/v1/pupils" /api/v1/pupils
bench_page "/dashboard" /dashboard
bench_page "mixed 90/10" /api/v1/pupils mixed
