#!/bin/sh
# shared-sessions.sh LICET PG-URL - two `licet serve` processes on one
# PostgreSQL database, as behind a load balancer: a session started on one
# is good on the other (cookie and CSRF token), an API token made on one
# works on the other, a write through one is seen at once by the other
# (its status cache is keyed by the ledger's head), and a logout on one is
# refused by the other.  The database's public schema is dropped and
# remade: give it a database of its own, e.g.
#   sh scripts/pg-test.sh sh -c 'sh tests/server/shared-sessions.sh "$1" "$LICET_PG_URL"' sh $PWD/build/licet
# Prints nothing per passing check; the last line is
# "shared sessions: N passed, M failed"; exit status 1 on failures.
set -u
LICET=${1:?usage: shared-sessions.sh LICET PG-URL}
URL=${2:?usage: shared-sessions.sh LICET PG-URL}
case $LICET in /*) ;; *) LICET=$PWD/$LICET ;; esac
case $URL in postgresql://* | postgres://*) ;; *) echo "shared-sessions.sh: PG-URL must be postgresql://..." >&2; exit 2 ;; esac
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d)
suite="shared sessions" backend=postgres DB=$URL
. "$here/lib.sh"
U=UNIX-BETA-2025-01 C=CORRIB-MERIDIAN-2025-NX

psql -X -q "$URL" -c "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public" > /dev/null 2>&1 ||
    { echo "shared-sessions.sh: cannot reset the schema of $URL" >&2; exit 1; }
setup() { "$@" > "$tmp/setup.out" 2>&1 || { echo "shared-sessions.sh: setup failed: $*" >&2; cat "$tmp/setup.out" >&2; exit 1; }; }
setup "$LICET" init --db "$DB"
for f in "$root"/examples/*.yaml; do setup "$LICET" add --db "$DB" "$f"; done
setup "$LICET" record --db "$DB" --agreement $U "$root/tests/calendar/events.yaml"
PW=pw-$(head -c 9 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf '%s\n' "$PW" > "$tmp/pw"
setup "$LICET" user add --db "$DB" manager --role manager --password-file "$tmp/pw"
setup "$LICET" user add --db "$DB" beta --role licensee --party beta --password-file "$tmp/pw"

start a
A=$base
start b
B=$base
[ "$A" != "$B" ] && ok || bad "the two servers listen on different ports ($A, $B)"
SIGNIN='{"error":{"status":401,"message":"sign in first: POST /api/login, or send Authorization: Bearer API-TOKEN"}}'
CSRF403='{"error":{"status":403,"message":"missing or wrong X-CSRF-Token header (the session'"'"'s token, from /api/me)"}}'

# A session started on A ...
base=$A
login manager
jcheck "manager signs in on server A" 200 'd["user"]["name"] == "manager"'
base=$B
# ... is good on B, with the same CSRF token.
with manager GET /api/me
expect "server B knows the session started on A, and its CSRF token" 200 "{\"user\":{\"name\":\"manager\",\"role\":\"manager\",\"party\":null},\"csrf\":\"$csrf_manager\"}"
nocsrf manager POST /api/tokens
expect "server B wants the CSRF token of A's session on a POST" 403 "$CSRF403"
with manager POST /api/tokens -H 'Content-Type: application/json' --data-binary '{"label":"made on B"}'
jcheck "server B takes A's session and CSRF token for a POST" 201 'd["user"] == "manager"'
tok_b=$(jv 'd["token"]')
base=$A
req GET /api/me -H "Authorization: Bearer $tok_b"
expect "an API token made on B works on A" 200 '{"user":{"name":"manager","role":"manager","party":null},"csrf":null}'

# A write through B is seen at once by A, whose status answer was cached.
with manager GET "/api/agreements/$U/status?as_of=2028-12-31"
cp "$tmp/b" "$tmp/before.json"
"$LICET" status --db "$DB" $U --as-of 2028-12-31 --json > "$tmp/cli-before.json" 2> /dev/null
expect_file "server A's status is licet status --json" 200 "$tmp/cli-before.json"
base=$B
with manager POST /api/agreements/$U/events --data-binary '- { date: 2028-06-08, type: committee_meeting, minutes: JDC-2028-1 }'
expect "an event recorded through B (A's session)" 200 "{\"agreement\":\"$U\",\"recorded\":1,\"already\":0,\"rejected\":0,\"diagnostics\":[]}"
base=$A
with manager GET "/api/agreements/$U/status?as_of=2028-12-31"
"$LICET" status --db "$DB" $U --as-of 2028-12-31 --json > "$tmp/cli-after.json" 2> /dev/null
expect_file "server A's status shows the event recorded through B" 200 "$tmp/cli-after.json"
if cmp -s "$tmp/before.json" "$tmp/cli-after.json"; then bad "the event changed the status (else the check above proves nothing)"; else ok; fi

# A licensee's session from B, on A: its own agreement only.
base=$B
login beta
base=$A
with beta GET /api/agreements
jcheck "beta's session from B lists its own agreement on A" 200 '[a["id"] for a in d["agreements"]] == ["UNIX-BETA-2025-01"]'
with beta GET /api/agreements/$C
expect "beta's session from B: another's agreement on A is 404" 404 "{\"error\":{\"status\":404,\"message\":\"no agreement $C\"}}"

# A logout on B ends the session on A.
base=$B
with manager POST /api/logout
expect "manager signs out on server B" 200 '{"signed_out":true}'
base=$A
with manager GET /api/me
expect "server A refuses the session ended on B" 401 "$SIGNIN"
with manager POST /api/tokens
expect "server A refuses a POST with the session ended on B" 401 "$SIGNIN"
base=$B
with manager GET /api/me
expect "server B refuses it too" 401 "$SIGNIN"
base=$A
with beta GET /api/me
expect "another user's session on A is untouched" 200 "{\"user\":{\"name\":\"beta\",\"role\":\"licensee\",\"party\":\"beta\"},\"csrf\":\"$csrf_beta\"}"
req GET /api/me -H "Authorization: Bearer $tok_b"
expect "an API token outlives the logout" 200 '{"user":{"name":"manager","role":"manager","party":null},"csrf":null}'

stop a
stop b
echo "shared sessions: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
