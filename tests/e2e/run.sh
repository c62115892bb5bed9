#!/bin/sh
# run.sh - the end-to-end browser test of `licet serve` (issue 6).
#
#   sh tests/e2e/run.sh LICET          # LICET: the licet binary to test
#
# Builds nothing.  Installs what it needs when missing: Debian's chromium
# (apt-get; needs root or sudo) and playwright-core from npm into
# tests/e2e/node_modules (package.json, package-lock.json).  Then makes a
# store in a temporary directory with the example portfolio (as `make run`
# does), a manager, an auditor and the licensee "beta" of
# UNIX-BETA-2025-01, starts `licet serve` on a free port of 127.0.0.1 and
# runs e2e.mjs against it.  Screenshots go to $E2E_OUT (default
# tests/e2e/out/).  Prints "e2e: PASS ..." or "e2e: FAIL ..." last; exits
# non-zero on failure.  Under a sanitizer build, anything the sanitizer
# reports from the server fails the test too.
set -eu

[ $# -eq 1 ] || { echo "usage: sh tests/e2e/run.sh LICET" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
case $1 in /*) LICET=$1 ;; *) LICET=$(pwd)/$1 ;; esac
[ -x "$LICET" ] || { echo "e2e: FAIL: $LICET is not an executable (build it first)" >&2; exit 1; }
OUT=${E2E_OUT:-$HERE/out}
CHROMIUM=${E2E_CHROMIUM:-/usr/bin/chromium}

fail() { echo "e2e: FAIL: $*"; exit 1; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else fail "need root (or sudo) to install: $*"
    fi
}

# ---- what the test needs ----
apt_updated=
apt_install() {
    if [ -z "$apt_updated" ]; then as_root apt-get update -qq; apt_updated=1; fi
    echo "e2e: installing $* (apt-get)"
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}
[ -x "$CHROMIUM" ] || apt_install chromium
[ -x "$CHROMIUM" ] || fail "no browser at $CHROMIUM"
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || apt_install nodejs npm
if [ ! -f "$HERE/node_modules/playwright-core/package.json" ]; then
    echo "e2e: installing playwright-core (npm)"
    (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error) || fail "npm could not install playwright-core"
fi

# ---- a store with the example portfolio, and its users ----
TMP=$(mktemp -d)
SERVER=
# Stops the server: SIGTERM, then SIGKILL if it is still there after 10 s.
stop_server() {
    [ -n "$SERVER" ] || return 0
    kill "$SERVER" 2>/dev/null || true
    n=0
    while kill -0 "$SERVER" 2>/dev/null && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
    kill -9 "$SERVER" 2>/dev/null || true
    wait "$SERVER" 2>/dev/null || true
    SERVER=
}
cleanup() {
    stop_server
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
# A sanitizer build: libfyaml's own leaks are known (tests/lsan.supp).
LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$ROOT/tests/lsan.supp:print_suppressions=0}
export LSAN_OPTIONS

DB=$TMP/e2e.db
run() { "$LICET" "$@" >>"$TMP/setup.log" 2>&1 || { cat "$TMP/setup.log"; fail "licet $1 failed"; }; }
run init --db "$DB"
DEALS=0
for f in "$ROOT"/examples/*.yaml; do run add --db "$DB" "$f"; DEALS=$((DEALS + 1)); done
run record --db "$DB" --agreement UNIX-BETA-2025-01 "$ROOT/tests/calendar/events.yaml"
run import-sales --db "$DB" --agreement UNIX-BETA-2025-01 --period 2027-Q3 --date 2027-10-20 \
    "$ROOT/examples/sales/unix-beta-2027-Q3.csv"
pw() { head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
MANAGER_PW=$(pw) LICENSEE_PW=$(pw) AUDITOR_PW=$(pw) ADMIN_PW=$(pw)
printf '%s\n' "$MANAGER_PW" | run user add --db "$DB" manager --role manager
printf '%s\n' "$LICENSEE_PW" | run user add --db "$DB" beta --role licensee --party beta
printf '%s\n' "$AUDITOR_PW" | run user add --db "$DB" auditor --role auditor
printf '%s\n' "$ADMIN_PW" | run user add --db "$DB" admin --role admin

# ---- the server ----
: >"$TMP/serve.out"
"$LICET" serve --db "$DB" --listen 127.0.0.1:0 --today "${SERVER_TODAY:-2026-11-23}" >"$TMP/serve.out" 2>"$TMP/serve.err" &
SERVER=$!
URL=
i=0
while [ $i -lt 100 ]; do
    URL=$(sed -n '1s|^licet serve: \(http://[^ ]*\)/$|\1|p' "$TMP/serve.out" || true)
    [ -n "$URL" ] && break
    kill -0 "$SERVER" 2>/dev/null || { cat "$TMP/serve.err"; fail "licet serve did not start"; }
    sleep 0.1
    i=$((i + 1))
done
[ -n "$URL" ] || fail "licet serve printed no URL in 10 s"
echo "e2e: server at $URL, screenshots in $OUT"

# ---- the browser ----
rm -rf "$OUT"
mkdir -p "$OUT"
status=0
E2E_URL=$URL E2E_OUT=$OUT E2E_CHROMIUM=$CHROMIUM E2E_DEALS=$DEALS \
    E2E_MANAGER="manager:$MANAGER_PW" E2E_LICENSEE="beta:$LICENSEE_PW" E2E_AUDITOR="auditor:$AUDITOR_PW" \
    E2E_ADMIN="admin:$ADMIN_PW" \
    node "$HERE/e2e.mjs" >"$TMP/e2e.log" 2>&1 || status=$?
stop_server
cp "$TMP/serve.err" "$OUT/serve.err"
if grep -q "Sanitizer" "$TMP/serve.err"; then
    grep -v "^e2e: \(PASS\|FAIL\)" "$TMP/e2e.log"
    sed -n '1,60p' "$TMP/serve.err"
    fail "the sanitizer reported a problem in licet serve (all of it: $OUT/serve.err)"
fi
cat "$TMP/e2e.log"
[ "$status" -eq 0 ] || exit 1
grep -q "^e2e: PASS" "$TMP/e2e.log" || fail "e2e.mjs did not say PASS"
