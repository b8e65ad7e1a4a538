#!/usr/bin/env bash
# Installs what building and testing tas needs, and only what is missing:
# Debian 12 packages (through apt-get) and the npm packages of
# package-lock.json (through npm ci).  Prints one line per thing installed,
# nothing when all is present (and then takes well under a second).
#
#   scripts/install-deps.sh          (make deps / make run / make test call it)
#   scripts/install-deps.sh --bench  also what the load benchmark needs
#                                    (make bench-load): wrk
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# A Node.js this script installed from the npm registry (see below) comes
# first; the Makefile puts the same folder first on PATH.
NODE_DIR=build/node
export PATH="$PWD/$NODE_DIR/node_modules/.bin:$PATH"

DEB_PACKAGES=(
    build-essential pkg-config
    libmicrohttpd-dev libjansson-dev libsodium-dev libsqlite3-dev libcmocka-dev
    libxlsxwriter-dev zlib1g-dev
    nodejs npm
    chromium
    clang libclang-rt-dev sqlite3 valgrind
    libcurl4-openssl-dev python3-aiosmtpd
    libxml2-dev
    postgresql libpq-dev
    nginx-light openssl systemd
)
# nginx-light and openssl: tests/http/deploy.test.mjs runs deploy/nginx.conf
# in front of tas with a self-signed certificate (the test starts its own
# nginx on free ports; Debian's package also enables a default site on port
# 80, which `systemctl disable --now nginx` stops on a developer's machine).
# systemd: only for `systemd-analyze verify deploy/tas.service` in the same
# test (installing it starts nothing in a container).
# Only for bench/load.sh (which also uses nginx-light):
if [[ ${1:-} == --bench ]]; then
    DEB_PACKAGES+=(wrk)
fi

log=""
cleanup() { if [[ -n "$log" ]]; then rm -f "$log"; fi; }
trap cleanup EXIT

# Runs a command quietly; on failure shows its output and stops.
quiet() {
    log=${log:-$(mktemp "${TMPDIR:-/tmp}/tas-deps.XXXXXX")}
    if ! "$@" >"$log" 2>&1; then
        echo "install-deps: failed: $*" >&2
        cat "$log" >&2
        exit 1
    fi
}

# --- Debian packages ---------------------------------------------------------

missing=()
# One dpkg-query for all: it prints "name status" for every package it knows
# (unknown ones go to stderr and make it exit 1, which is fine here).
declare -A status=()
while read -r name state; do
    status[$name]=$state
done < <(dpkg-query -W -f='${Package} ${Status}\n' "${DEB_PACKAGES[@]}" 2>/dev/null || true)

for pkg in "${DEB_PACKAGES[@]}"; do
    case "$pkg" in
        nodejs | npm)
            # Keep a Node.js that is already there (possibly newer than Debian's).
            if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
                continue
            fi
            ;;
    esac
    if [[ "${status[$pkg]:-}" != "install ok installed" ]]; then
        missing+=("$pkg")
    fi
done

if ((${#missing[@]})); then
    if ((EUID == 0)); then
        sudo=()
    elif command -v sudo >/dev/null 2>&1; then
        sudo=(sudo)
    else
        echo "install-deps: missing Debian packages: ${missing[*]}" >&2
        echo "install-deps: as root, run: apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
        exit 1
    fi
    quiet "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
    quiet "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y --no-install-recommends "${missing[@]}"
    for pkg in "${missing[@]}"; do
        echo "installed Debian package $pkg"
    done
fi

# sass and playwright-core need Node.js 20 or later; Debian 12 ships 18.
# The npm registry's "node" package carries Node.js binaries: with an older
# system Node.js, it is installed into build/node (nothing outside the
# project changes).
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if ((node_major < 20)); then
    quiet npm install --no-save --no-audit --no-fund --prefix "$NODE_DIR" node@20
    node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
    if ((node_major < 20)); then
        echo "install-deps: could not install Node.js 20 from the npm registry" >&2
        exit 1
    fi
    echo "installed Node.js $(node --version) from the npm registry ($NODE_DIR)"
fi

# --- npm packages ------------------------------------------------------------

if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
    quiet env PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
    echo "installed npm packages (npm ci)"
fi
