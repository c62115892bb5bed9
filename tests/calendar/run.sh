#!/bin/sh
# run.sh - `licet calendar` end to end: tests/calendar/run.sh LICET
#
# Renders the flagship example with tests/calendar/events.yaml as of
# 2027-12-31 and checks that
#   - licet exits 0,
#   - a second parser (parse.py, python3-icalendar) accepts the file:
#     every VTODO has a UID, a DATE DUE and a -14-day alarm,
#   - the output equals unix-beta.expected.ics byte for byte (CRLF lines),
#   - a second run gives the same bytes (no clock in the output),
# and that usage errors exit 2.  Prints "calendar: N passed, N failed";
# exits 1 on any failure.
#
# To (re)make the expected file after a deliberate change, run the command
# printed on a mismatch, read the diff, and commit the new file.
[ $# -eq 1 ] || { echo "usage: tests/calendar/run.sh LICET" >&2; exit 2; }
LICET=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/../.." || exit 2
DIR=tests/calendar
EXPECTED=$DIR/unix-beta.expected.ics
CMD="calendar examples/unix-beta-exclusive.yaml --events $DIR/events.yaml --as-of 2027-12-31"
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

# Debian's python3-icalendar is installed for the system python3, which a
# pyenv or venv python3 earlier in PATH may not see.
PY=""
for p in python3 /usr/bin/python3; do
    if "$p" -c 'import icalendar' 2>/dev/null; then PY=$p; break; fi
done

passed=0; failed=0
pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }

# shellcheck disable=SC2086
"$LICET" $CMD > "$tmp/out.ics" 2> "$tmp/err"; rc=$?
if [ $rc -eq 0 ]; then pass; else fail "licet $CMD exited $rc"; head -n 10 "$tmp/err"; fi

if [ -z "$PY" ]; then
    fail "parse.py: no python3 with the icalendar module (apt-get install python3-icalendar)"
elif "$PY" $DIR/parse.py "$tmp/out.ics" > "$tmp/parse" 2>&1; then
    pass; cat "$tmp/parse"
else
    fail "parse.py rejects the calendar:"; head -n 20 "$tmp/parse"
fi

if [ ! -f "$EXPECTED" ]; then
    fail "$EXPECTED is missing: make it with"
    echo "    $1 $CMD > $EXPECTED"
    echo "  then read it and commit it"
elif cmp -s "$EXPECTED" "$tmp/out.ics"; then
    pass
else
    fail "output differs from $EXPECTED (- expected, + got):"
    diff -u "$EXPECTED" "$tmp/out.ics" | tr -d '\r' | head -n 40
    echo "  if the change is intended: $1 $CMD > $EXPECTED"
fi

# shellcheck disable=SC2086
"$LICET" $CMD > "$tmp/again.ics" 2>/dev/null
if cmp -s "$tmp/out.ics" "$tmp/again.ics"; then pass; else fail "two runs differ"; fi

usage() { # NAME ARGS...: must exit 2 and print nothing on stdout
    name=$1; shift
    out=$("$LICET" calendar "$@" 2>/dev/null); rc=$?
    if [ $rc -eq 2 ] && [ -z "$out" ]; then pass; else fail "$name: exit $rc, wanted 2"; fi
}
usage "no agreement"
usage "bad --as-of" examples/unix-beta-exclusive.yaml --as-of 2027-02-30
usage "unknown option" examples/unix-beta-exclusive.yaml --bogus

echo "calendar: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
