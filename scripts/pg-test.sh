#!/bin/sh
# pg-test.sh COMMAND [ARG...] - runs COMMAND against a throw-away
# PostgreSQL server: installs PostgreSQL (apt) when it is missing, creates
# a cluster in a fresh temporary directory, starts it on 127.0.0.1 on a
# free port (its unix socket in the same directory, so it never meets a
# system server), creates the database `licet` and runs COMMAND with
#   LICET_PG_URL=postgresql://licet@127.0.0.1:PORT/licet
# exported (trust authentication on loopback: nothing secret).  The server
# is stopped and the directory removed however COMMAND ends; the exit
# status is COMMAND's.
#
# PostgreSQL refuses to run as root: as root the server runs as the
# `postgres` user the Debian package creates (or a `licet-test` system
# user made here when that is missing).  For speed the cluster runs with
# fsync off (a test server never outlives its directory); set
# PG_TEST_DURABLE=1 to keep PostgreSQL's defaults (bench/store.sh does).
set -eu
[ $# -ge 1 ] || { echo "usage: pg-test.sh COMMAND [ARG...]" >&2; exit 2; }

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2> /dev/null | sort -V | tail -1; }
if [ -z "$(pg_bin)" ] || ! command -v psql > /dev/null 2>&1; then
    echo "pg-test: installing PostgreSQL (apt-get)" >&2
    [ "$(id -u)" = 0 ] || { echo "pg-test: need root to install postgresql" >&2; exit 1; }
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql postgresql-client > /dev/null
fi
BIN=$(pg_bin)

as_server() { "$@"; }
if [ "$(id -u)" = 0 ]; then
    user=postgres
    if ! id "$user" > /dev/null 2>&1; then
        user=licet-test
        id "$user" > /dev/null 2>&1 || useradd -r -M -s /usr/sbin/nologin "$user"
    fi
    as_server() { runuser -u "$user" -- "$@"; }
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/licet-pg.XXXXXX")
started=0
cleanup() {
    [ $started = 1 ] && as_server "$BIN/pg_ctl" -D "$tmp/data" -m immediate -w stop > /dev/null 2>&1
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
[ "$(id -u)" = 0 ] && chown "$user" "$tmp"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_server "$BIN/initdb" -D "$tmp/data" -U licet -A trust -E UTF8 --locale=C > "$tmp/initdb.log" 2>&1 ||
    { cat "$tmp/initdb.log" >&2; exit 1; }
opts="-c listen_addresses=127.0.0.1 -p $port -k $tmp"
[ "${PG_TEST_DURABLE:-0}" = 1 ] || opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
started=1
as_server "$BIN/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -o "$opts" -w -t 60 start > /dev/null ||
    { cat "$tmp/server.log" >&2; exit 1; }
"$BIN/createdb" -h 127.0.0.1 -p "$port" -U licet licet

LICET_PG_URL="postgresql://licet@127.0.0.1:$port/licet"
export LICET_PG_URL
set +e
"$@"
