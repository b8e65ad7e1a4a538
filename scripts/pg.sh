#!/usr/bin/env bash
# A private PostgreSQL server for tests: Debian's postgresql binaries
# (/usr/lib/postgresql/*/bin, installed by scripts/install-deps.sh), a new
# cluster in a temporary directory owned by an ordinary user, listening on
# 127.0.0.1 at a free port and on a unix socket inside that directory.
# Password authentication (scram-sha-256) with a random password, so other
# local users cannot use it.  The password is in DIR/pgpass (libpq's
# password file, PGPASSFILE), never in the URL, so it shows in no message
# or process list.
#
#   scripts/pg.sh run CMD [ARG...]
#       starts a server, runs CMD with TAS_PG_URL set to its URL
#       (postgresql://tas@127.0.0.1:PORT/tas) and PGPASSFILE to its password
#       file, then stops the server and removes the directory, whatever
#       CMD's outcome; exits with CMD's status.
#   scripts/pg.sh start      starts one and prints two lines: its URL and
#                            its directory (for stop; PGPASSFILE=DIR/pgpass)
#   scripts/pg.sh stop DIR   stops the server of DIR (and its standby) and
#                            removes DIR
#   scripts/pg.sh standby DIR
#                            starts a hot standby of DIR's server, streaming
#                            its WAL (pg_basebackup -R), and prints its URL:
#                            the same databases, read only, on another port
#                            (DIR/pgpass gains its line); asked again while
#                            it runs, the same URL
#   scripts/pg.sh standby-stop DIR
#                            stops DIR's standby and removes it
#   scripts/pg.sh available  exit 0 if the binaries are there, else prints
#                            why not and exits 1
#
# As root (the tests run as root in CI) the server runs as TAS_PG_USER
# (default nobody): PostgreSQL refuses to run as root.
set -euo pipefail

pg_bindir() {
    local d
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [[ -x $d/initdb && -x $d/pg_ctl && -x $d/postgres ]]; then
            echo "$d"
            return 0
        fi
    done
    return 1
}

# Runs a command as the server's user (ourselves unless we are root).
as_owner() {
    if ((EUID == 0)); then
        runuser -u "${TAS_PG_USER:-nobody}" -- "$@"
    else
        "$@"
    fi
}

# A TCP port nobody listens on at this moment (the server may still lose a
# race for it: start retries).
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Whether DIR is one pg.sh made (nothing else is stopped or removed).
ours() {
    case $1 in
        "${TMPDIR:-/tmp}"/tas-pg.*) return 0 ;;
        *) echo "pg.sh: $1 is not a directory pg.sh made" >&2; return 1 ;;
    esac
}

# Stops the server of data directory DATA if it runs: fast, else at once.
stop_server() {
    local data=$1 bin
    bin=$(pg_bindir) || return 0
    [[ -f $data/postmaster.pid ]] || return 0
    as_owner "$bin/pg_ctl" -D "$data" -m fast -w -t 30 stop >/dev/null 2>&1 ||
        as_owner "$bin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
}

# Starts the server of data directory DATA (log LOG, socket in SOCKDIR)
# on a free loopback port, trying again if another takes the port first;
# prints the port.  fsync off and no full-page writes: a throwaway server.
# (A standby answers reads as it is: hot_standby is on by default.)
start_server() {
    local data=$1 log=$2 sockdir=$3 bin port tries
    bin=$(pg_bindir) || return 1
    for tries in 1 2 3 4 5; do
        port=$(free_port)
        if as_owner "$bin/pg_ctl" -D "$data" -l "$log" -w -t 30 start \
            -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$sockdir \
                -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
                -c max_connections=400" >/dev/null 2>&1; then
            echo "$port"
            return 0
        fi
    done
    return 1
}

pg_start() {
    local bin dir pass port
    bin=$(pg_bindir) || { echo "pg.sh: no PostgreSQL in /usr/lib/postgresql/*/bin (apt-get install postgresql)" >&2; return 1; }
    dir=$(mktemp -d "${TMPDIR:-/tmp}/tas-pg.XXXXXX")
    chmod 700 "$dir"
    if ((EUID == 0)); then
        chown "${TAS_PG_USER:-nobody}:" "$dir"
    fi
    pass=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
    # The password file is read by initdb (as the owner) and then removed.
    (umask 077 && printf '%s\n' "$pass" >"$dir/pw")
    if ((EUID == 0)); then
        chown "${TAS_PG_USER:-nobody}:" "$dir/pw"
    fi
    if ! as_owner "$bin/initdb" -D "$dir/data" -U tas --pwfile="$dir/pw" \
        --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1; then
        echo "pg.sh: initdb failed:" >&2
        cat "$dir/initdb.log" >&2
        rm -rf "$dir"
        return 1
    fi
    rm -f "$dir/pw"
    if ! port=$(start_server "$dir/data" "$dir/server.log" "$dir"); then
        echo "pg.sh: the server would not start:" >&2
        cat "$dir/server.log" >&2 || true
        rm -rf "$dir"
        return 1
    fi
    (umask 077 && printf '127.0.0.1:%s:*:tas:%s\n' "$port" "$pass" >"$dir/pgpass")
    if ! PGPASSFILE=$dir/pgpass "$bin/createdb" -h 127.0.0.1 -p "$port" -U tas tas >"$dir/createdb.log" 2>&1; then
        echo "pg.sh: createdb failed:" >&2
        cat "$dir/createdb.log" >&2
        pg_stop "$dir"
        return 1
    fi
    echo "postgresql://tas@127.0.0.1:$port/tas"
    echo "$dir"
}

pg_standby() {
    local dir=$1 bin pport pass port
    ours "$dir" || return 1
    # One standby per server: asked again, the running one's URL.
    if [[ -f $dir/standby.port && -f $dir/standby/postmaster.pid ]]; then
        echo "postgresql://tas@127.0.0.1:$(cat "$dir/standby.port")/tas"
        return 0
    fi
    # What a run stopped half way left (a standby dir, stopped or unnamed)
    # would make pg_basebackup refuse: gone first, so no run depends on
    # how the last one ended.
    pg_standby_stop "$dir"
    bin=$(pg_bindir) || { echo "pg.sh: no PostgreSQL binaries" >&2; return 1; }
    IFS=: read -r _ pport _ _ pass <"$dir/pgpass"
    # The server's user reads the password from its own copy.
    (umask 077 && printf '127.0.0.1:%s:*:tas:%s\n' "$pport" "$pass" >"$dir/standby.pgpass")
    if ((EUID == 0)); then
        chown "${TAS_PG_USER:-nobody}:" "$dir/standby.pgpass"
    fi
    if ! as_owner env PGPASSFILE="$dir/standby.pgpass" "$bin/pg_basebackup" -h 127.0.0.1 -p "$pport" -U tas \
        -D "$dir/standby" -X stream -R --no-sync --checkpoint=fast >"$dir/standby.log" 2>&1; then
        echo "pg.sh: pg_basebackup failed:" >&2
        cat "$dir/standby.log" >&2
        return 1
    fi
    printf "primary_conninfo = 'host=127.0.0.1 port=%s user=tas passfile=%s'\n" "$pport" "$dir/standby.pgpass" |
        as_owner tee -a "$dir/standby/postgresql.auto.conf" >/dev/null
    if ! port=$(start_server "$dir/standby" "$dir/standby-server.log" "$dir"); then
        echo "pg.sh: the standby would not start:" >&2
        cat "$dir/standby-server.log" >&2 || true
        return 1
    fi
    printf '127.0.0.1:%s:*:tas:%s\n' "$port" "$pass" >>"$dir/pgpass"
    echo "$port" >"$dir/standby.port"
    echo "postgresql://tas@127.0.0.1:$port/tas"
}

pg_standby_stop() {
    local dir=$1 bin
    ours "$dir" || return 1
    stop_server "$dir/standby"
    rm -rf "$dir/standby" "$dir/standby.port" "$dir/standby.pgpass"
}

pg_stop() {
    local dir=$1
    ours "$dir" || return 1
    stop_server "$dir/standby"
    stop_server "$dir/data"
    rm -rf "$dir"
}

case ${1:-} in
    available)
        if pg_bindir >/dev/null; then
            exit 0
        fi
        echo "no PostgreSQL binaries in /usr/lib/postgresql/*/bin (Debian package postgresql)"
        exit 1
        ;;
    start)
        pg_start
        ;;
    stop)
        pg_stop "${2:?usage: pg.sh stop DIR}"
        ;;
    standby)
        pg_standby "${2:?usage: pg.sh standby DIR}"
        ;;
    standby-stop)
        pg_standby_stop "${2:?usage: pg.sh standby-stop DIR}"
        ;;
    run)
        shift
        (($#)) || { echo "usage: pg.sh run CMD [ARG...]" >&2; exit 2; }
        info=$(pg_start)
        url=${info%%$'\n'*}
        PG_DIR=${info#*$'\n'}
        trap 'pg_stop "$PG_DIR"' EXIT
        trap 'exit 130' INT TERM
        rc=0
        TAS_PG_URL=$url PGPASSFILE=$PG_DIR/pgpass "$@" || rc=$?
        exit "$rc"
        ;;
    *)
        echo "usage: pg.sh run CMD [ARG...] | start | stop DIR | available" >&2
        exit 2
        ;;
esac
