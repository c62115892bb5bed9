#!/bin/sh
# run.sh LICET [STORE-URL] - `licet serve` tested over real HTTP on
# loopback with curl (python3 reads the JSON where a check needs more
# than a byte-for-byte comparison).
#
# The store is a SQLite file in a temporary directory, or, with
# STORE-URL (postgresql://...), that database: its public schema is
# dropped and remade, so give it a database of its own (scripts/pg-test.sh
# makes one).  Into it go examples/*.yaml, the two agreements of the
# conflicts suite (BASE-1, OPT-DE-1: an exclusive overlap from 2026-01-10),
# tests/calendar/events.yaml for UNIX-BETA-2025-01, and the users admin,
# manager, auditor, beta (licensee of party beta: UNIX-BETA-2025-01) and
# meridian (licensee of party meridian: CORRIB-MERIDIAN-2025-NX).
#
# Then, against a server on 127.0.0.1 port 0: every route of the route
# table (server/route.c) with its status codes and exact answers (status
# and royalty statements byte for byte as the CLI prints them), sessions
# (cookie flags, CSRF), API tokens, uploads (201, 200 already, 422 with
# line and column, 413 against a second server with a small --max-body),
# reviews and the review queue, and last the authorization matrix: every
# route x role x (beta's, meridian's, a missing agreement), compared with
# matrix.expected (UPDATE=1 rewrites it).  A licensee asking about another
# licensee's agreement must get exactly the answer a missing one gets.
# Last, docs/openapi.json is validated and every JSON answer received
# above is checked against the schema it documents for that route and
# status (oas_check.py; strict: an undocumented key fails), when python3
# has openapi-spec-validator and openapi-schema-validator.  Every server
# must stop on SIGTERM with exit 0 and an empty stderr (so an ASan build
# fails on any sanitizer report).  KEEP=1 keeps the temporary directory.
#
# Checks print nothing when they pass; the last line is
# "server API: N passed, M failed" and the exit status is 1 on failures.
set -u
LICET=${1:?usage: run.sh LICET [STORE-URL]}
case $LICET in /*) ;; *) LICET=$PWD/$LICET ;; esac
URL=${2:-}
case "$URL" in
    "") backend=sqlite ;;
    postgresql://* | postgres://*) backend=postgres ;;
    *) echo "run.sh: STORE-URL must be postgresql://... (SQLite needs none)" >&2; exit 2 ;;
esac
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d)
suite="server API"
. "$here/lib.sh"
nlog=0
mkdir "$tmp/log"

U=UNIX-BETA-2025-01 C=CORRIB-MERIDIAN-2025-NX N=NIPD-CIRRUS-2025-003
# The server's date is pinned (lib.sh starts it with --today): the same
# date here, not the machine's, or the suite fails on every other day.
today=${SERVER_TODAY:-2026-11-23}
export today tmp root

# ---- the store ----
if [ $backend = sqlite ]; then DB=$tmp/store.db; else
    DB=$URL
    psql -X -q "$URL" -c "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public" > /dev/null 2>&1 ||
        { echo "run.sh: cannot reset the schema of $URL" >&2; exit 1; }
fi
setup() { "$@" > "$tmp/setup.out" 2>&1 || { echo "run.sh: setup failed: $*" >&2; cat "$tmp/setup.out" >&2; exit 1; }; }
setup "$LICET" init --db "$DB"
for f in "$root"/examples/*.yaml "$root/tests/status/agreements/base.yaml" "$root/tests/conflicts/option-de.yaml"; do
    setup "$LICET" add --db "$DB" "$f"
done
setup "$LICET" record --db "$DB" --agreement $U "$root/tests/calendar/events.yaml"
setup "$LICET" record --db "$DB" --agreement OPT-DE-1 "$root/tests/conflicts/events/OPT-DE-1.yaml"
PW=pw-$(head -c 9 /dev/urandom | od -An -tx1 | tr -d ' \n')
for u in admin manager auditor; do
    printf '%s\n' "$PW" > "$tmp/pw"
    setup "$LICET" user add --db "$DB" $u --role $u --password-file "$tmp/pw"
done
setup "$LICET" user add --db "$DB" beta --role licensee --party beta --password-file "$tmp/pw"
setup "$LICET" user add --db "$DB" meridian --role licensee --party meridian --password-file "$tmp/pw"
for u in admin manager auditor beta meridian; do
    t=$("$LICET" user token --db "$DB" $u) || { echo "run.sh: no token for $u" >&2; exit 1; }
    eval "tok_$u=\$t"
done

start main
main=$base

# ======================================================================
# 1. routing, public answers, errors
# ======================================================================
req GET /api/openapi.json
expect_file "the OpenAPI document is docs/openapi.json as built in" 200 "$root/docs/openapi.json"
header "the OpenAPI document is JSON" '^Content-Type: application/json$'
header "the OpenAPI document may be cached" '^Cache-Control: public, max-age=300$'
if python3 - "$root/server/route.c" "$tmp/b" > "$tmp/cover" <<'EOF'; then ok; else bad "every /api route of route.c is in openapi.json:"; cat "$tmp/cover"; fi
import json, re, sys
table = re.findall(r'\{"(GET|POST)", "(/api/[^"]*)"', open(sys.argv[1]).read())
doc = json.load(open(sys.argv[2]))
if not table:
    print("  no /api routes found in route.c"); sys.exit(1)
missing = []
for method, pattern in table:
    rx = re.compile("^" + re.escape(pattern).replace(r"\{\}", r"\{[^}/]+\}") + "$")
    paths = [p for p in doc.get("paths", {}) if rx.match(p)]
    if not any(method.lower() in doc["paths"][p] for p in paths):
        missing.append(method + " " + pattern)
for m in missing:
    print("  missing:", m)
sys.exit(1 if missing else 0)
EOF
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d.get("openapi")=="3.0.3" and d.get("components",{}).get("securitySchemes") else 1)' "$root/docs/openapi.json"; then ok; else
    bad "openapi.json is OpenAPI 3.0.3 with security schemes"; fi

req GET /api/nope
expect "an unknown /api path is 404 naming the path" 404 '{"error":{"status":404,"message":"no such page or endpoint: /api/nope"}}'
header "every answer says nosniff" '^X-Content-Type-Options: nosniff$'
header "every answer forbids framing" '^X-Frame-Options: DENY$'
header "every answer sends no referrer" '^Referrer-Policy: no-referrer$'
header "every answer has a strict CSP" "^Content-Security-Policy: default-src 'none'; "
header "API answers are not cached" '^Cache-Control: no-store$'
req GET /nope
if [ "$code" = 404 ] && grep -q '<h1>Error 404</h1>' "$tmp/b" && grep -q 'no such page or endpoint: /nope' "$tmp/b" &&
    grep -q '^Content-Type: text/html' "$tmp/h"; then ok; else bad "an unknown page is an HTML 404 page naming the path"; show; fi
as admin DELETE /api/agreements
expect "a known path with a wrong method is 405" 405 '{"error":{"status":405,"message":"DELETE is not allowed on /api/agreements"}}'
as admin PUT /api/me
expect "PUT on a GET route is 405" 405 '{"error":{"status":405,"message":"PUT is not allowed on /api/me"}}'
as admin GET /api/login
expect "GET on a POST-only route is 405" 405 '{"error":{"status":405,"message":"GET is not allowed on /api/login"}}'
as admin POST /api/agreements/$U/status
expect "POST on an agreement's GET route is 405" 405 "{\"error\":{\"status\":405,\"message\":\"POST is not allowed on /api/agreements/$U/status\"}}"
req DELETE /api/agreements/$U
expect "a wrong method is 405 before any sign-in is asked for" 405 "{\"error\":{\"status\":405,\"message\":\"DELETE is not allowed on /api/agreements/$U\"}}"

SIGNIN='{"error":{"status":401,"message":"sign in first: POST /api/login, or send Authorization: Bearer API-TOKEN"}}'
req GET /api/me
expect "no credentials: 401 and how to sign in" 401 "$SIGNIN"
header "a 401 names the Bearer scheme" '^WWW-Authenticate: Bearer realm="licet"$'
req GET /api/agreements/$U/status
expect "no credentials on an agreement route: 401 (not 404: nothing is told)" 401 "$SIGNIN"
req GET /api/agreements/NO-SUCH-AGREEMENT
expect "no credentials on a missing agreement: the same 401" 401 "$SIGNIN"
req GET /api/me -H 'Authorization: Bearer lic_0000000000000000000000000000000000000000000000000000000000000000'
expect "an unknown API token is 401" 401 '{"error":{"status":401,"message":"the API token is not valid"}}'
req GET /api/me -H 'Authorization: Bearer nonsense'
expect "a malformed API token is 401" 401 '{"error":{"status":401,"message":"the API token is not valid"}}'
req GET /api/me -H "Authorization: Basic YWRtaW46eA=="
expect "Basic authentication is not a credential" 401 "$SIGNIN"
req GET /api/me -b "licet_session=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
expect "an unknown session cookie is no sign-in" 401 "$SIGNIN"
req GET "/api/agreements/$U/status?token=$tok_admin"
expect "?token= is taken by calendar feeds only" 401 "$SIGNIN"
req GET /portfolio
expect "a page asks an anonymous caller to sign in (303 to /login)" 303 'see /login'
header "the sign-in redirect goes to /login" '^Location: /login$'
as admin GET "/api/agreements/x'%20OR%201=1"
expect "an odd agreement id is just not found (no SQL in answers)" 404 "{\"error\":{\"status\":404,\"message\":\"no agreement x' OR 1=1\"}}"
as admin GET /api/agreements/a%2Fb/status
expect "an encoded slash does not make a path segment of an id" 404 '{"error":{"status":404,"message":"no such page or endpoint: /api/agreements/a/b/status"}}'

# ======================================================================
# 2. sessions, CSRF, API tokens
# ======================================================================
WRONG='{"error":{"status":401,"message":"wrong name or password"}}'
req POST /api/login -H "$JSON" --data-binary '{"name":"manager","password":"not-the-password"}'
expect "login with a wrong password is 401" 401 "$WRONG"
no_header "a failed login sets no cookie" '^Set-Cookie:'
req POST /api/login -H "$JSON" --data-binary '{"name":"nobody","password":"not-the-password"}'
expect "login of an unknown user is the same 401 (names are not told)" 401 "$WRONG"
req POST /api/login -H "$JSON" --data-binary '{"name":"manager"}'
expect "login without a password is 400" 400 '{"error":{"status":400,"message":"body: \"password\" is missing"}}'
req POST /api/login -H "$JSON" --data-binary '{"name":"manager","password":5}'
expect "login with a non-string password is 400" 400 '{"error":{"status":400,"message":"body: \"password\" must be a string"}}'
req POST /api/login -H "$JSON" --data-binary '{'
expect "a body that is not JSON is 400 with line and column" 400 '{"error":{"status":400,"message":"body:1:1: not JSON: string or '"'"'}'"'"' expected near end of file"}}'
req POST /api/login -H "$JSON" --data-binary '[]'
expect "a JSON body that is not an object is 400" 400 '{"error":{"status":400,"message":"body: expected a JSON object"}}'
req POST /api/login -H "$JSON" --data-binary '{"name":"a","name":"b"}'
expect "duplicate keys in a JSON body are 400" 400 '{"error":{"status":400,"message":"body:1:18: not JSON: duplicate object key near '"'"'\"name\"'"'"'"}}'
for i in 1 2 3 4 5; do
    req POST /api/login -H "$JSON" --data-binary '{"name":"guesser","password":"wrong-guess-'$i'"}'
done
expect "a fifth wrong password for a name is still 401" 401 "$WRONG"
req POST /api/login -H "$JSON" --data-binary '{"name":"guesser","password":"wrong-guess-6"}'
jcheck "after five failed sign-ins a name is refused for 5 minutes (429)" 429 \
    'd["error"]["message"] in ("too many failed sign-ins for this name: try again in 300 s", "too many failed sign-ins for this name: try again in 299 s")'
header "the refusal says when to try again" '^Retry-After: (300|299)'

login manager
jcheck "login answers the user and a CSRF token" 200 'd["user"] == {"name": "manager", "role": "manager", "party": None} and re.fullmatch("[0-9a-f]{64}", d["csrf"])'
header "the session cookie: HttpOnly, SameSite=Strict, Secure, Path=/, 12 hours" \
    '^Set-Cookie: licet_session=[0-9a-f]{64}; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200; Secure$'
[ ${#cookie_manager} = 64 ] && ok || bad "the session cookie's value is a 64-hex token: \"$cookie_manager\""
nocsrf manager GET /api/me
csrf=$csrf_manager
export csrf
jcheck "a session GET needs no CSRF token; /api/me gives it again" 200 'd == {"user": {"name": "manager", "role": "manager", "party": None}, "csrf": E["csrf"]}' 
CSRF403='{"error":{"status":403,"message":"missing or wrong X-CSRF-Token header (the session'"'"'s token, from /api/me)"}}'
nocsrf manager POST /api/tokens
expect "a session POST without X-CSRF-Token is 403" 403 "$CSRF403"
nocsrf manager POST /api/tokens -H "X-CSRF-Token: $(printf '0%.0s' $(seq 64))"
expect "a session POST with a wrong X-CSRF-Token is 403" 403 "$CSRF403"
nocsrf manager POST /api/tokens -H "X-CSRF-Token: ${csrf_manager%??}"
expect "a session POST with a truncated X-CSRF-Token is 403" 403 "$CSRF403"
nocsrf manager POST /api/tokens -H "X-CSRF-Token: $tok_manager"
expect "an API token is not a CSRF token" 403 "$CSRF403"
with manager POST /api/tokens -H "$JSON" --data-binary '{"label":"from a session"}'
jcheck "a session POST with the CSRF token makes an API token" 201 'd["user"] == "manager" and re.fullmatch("lic_[0-9a-f]{64}", d["token"])'
newtok=$(jv 'd["token"]')
req GET /api/me -H "Authorization: Bearer $newtok"
expect "a new API token signs in (no CSRF token with a token)" 200 '{"user":{"name":"manager","role":"manager","party":null},"csrf":null}'
as auditor POST /api/tokens
jcheck "a Bearer POST needs no CSRF token" 201 'd["user"] == "auditor"'
as auditor POST /api/tokens -H "$JSON" --data-binary '{"label":7}'
expect "a token label must be a string" 400 '{"error":{"status":400,"message":"body: \"label\" must be a string"}}'
req POST /api/tokens -H "Authorization: Bearer $tok_auditor" -b "licet_session=$cookie_manager"
jcheck "with both, the API token is who asks (and needs no CSRF token)" 201 'd["user"] == "auditor"'

login manager
nocsrf manager POST /api/logout
expect "logout with the cookie but no CSRF token is 403" 403 "$CSRF403"
with manager POST /api/logout
expect "logout ends the session" 200 '{"signed_out":true}'
header "logout clears the cookie" '^Set-Cookie: licet_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Secure$'
with manager GET /api/me
expect "the cookie of an ended session is refused" 401 "$SIGNIN"
with manager POST /api/tokens
expect "the cookie and CSRF token of an ended session may not POST" 401 "$SIGNIN"
as auditor POST /api/logout
expect "logout with an API token answers 200" 200 '{"signed_out":true}'
as auditor GET /api/me
expect "an API token outlives a logout" 200 '{"user":{"name":"auditor","role":"auditor","party":null},"csrf":null}'

# ======================================================================
# 3. agreements
# ======================================================================
as admin GET /api/agreements
jcheck "staff list every agreement, as of today" 200 'sorted(a["id"] for a in d["agreements"]) == ["BASE-1", "CORRIB-MERIDIAN-2025-NX", "NIPD-CIRRUS-2025-003", "OPT-DE-1", "UNIX-BETA-2025-01"] and d["as_of"] == E["today"]'
sha_u=$(sha256sum < "$root/examples/unix-beta-exclusive.yaml" | cut -c1-64)
export sha_u
jcheck "a list entry: id, version, text hash, ledger counts, title, parties" 200 '[a for a in d["agreements"] if a["id"] == "UNIX-BETA-2025-01"] == [{"id": "UNIX-BETA-2025-01", "version": 1, "sha256": E["sha_u"], "events": 14, "reports": 0, "title": "Exclusive patent license \u2014 LNP delivery platform (oncology, rare disease)", "licensor": {"id": "unix", "name": "The Regents of the University of X (Office of Technology Licensing)"}, "licensee": {"id": "beta", "name": "Beta Therapeutics, Inc."}}]'
as auditor GET /api/agreements
jcheck "an auditor lists every agreement" 200 'len(d["agreements"]) == 5'
as beta GET /api/agreements
jcheck "licensee beta lists its own agreement only" 200 '[a["id"] for a in d["agreements"]] == ["UNIX-BETA-2025-01"]'
as meridian GET "/api/agreements?summary=1&as_of=2027-12-31"
jcheck "licensee meridian lists its own agreement only (with summaries too)" 200 '[a["id"] for a in d["agreements"]] == ["CORRIB-MERIDIAN-2025-NX"]'
if grep -qE 'UNIX|BETA|NIPD|BASE-1|OPT-DE|beta|cirrus|acme|delta' "$tmp/b"; then
    bad "meridian's list names nothing of other licensees"; show; else ok; fi
cli "$tmp/cli-status-u.json" status --db "$DB" $U --as-of 2027-12-31 --json
as manager GET "/api/agreements?summary=1&as_of=2027-12-31"
jcheck "?summary=1 gives each deal's state and balance as of the date" 200 'all("summary" in a for a in d["agreements"]) and [a["summary"] for a in d["agreements"] if a["id"] == "UNIX-BETA-2025-01"][0]["balance"] == J(E["tmp"] + "/cli-status-u.json")["balance"] and [a["summary"] for a in d["agreements"] if a["id"] == "UNIX-BETA-2025-01"][0]["state"] == J(E["tmp"] + "/cli-status-u.json")["state"] and d["as_of"] == "2027-12-31"'
as manager GET "/api/agreements?as_of=2027-02-30"
expect "a bad as_of is 400" 400 '{"error":{"status":400,"message":"as_of: expected a date like 2027-06-30, got \"2027-02-30\""}}'
as manager GET "/api/agreements?known_at=soon"
expect "a bad known_at is 400" 400 '{"error":{"status":400,"message":"known_at: expected a date like 2027-06-30, got \"soon\""}}'

as beta GET /api/agreements/$U
jcheck "an agreement: its version, hash, title, parties and text" 200 'd["id"] == "UNIX-BETA-2025-01" and d["version"] == 1 and d["latest"] == 1 and d["sha256"] == E["sha_u"] and d["licensee"] == {"id": "beta", "name": "Beta Therapeutics, Inc."} and d["text"] == T(E["root"] + "/examples/unix-beta-exclusive.yaml")'
as beta GET "/api/agreements/$U?format=yaml"
expect_file "?format=yaml is the stored text byte for byte" 200 "$root/examples/unix-beta-exclusive.yaml"
header "?format=yaml is served as YAML" '^Content-Type: application/yaml; charset=utf-8$'
as beta GET "/api/agreements/$U?version=2"
expect "a version that does not exist is 404" 404 "{\"error\":{\"status\":404,\"message\":\"agreement $U has no version 2\"}}"
as beta GET "/api/agreements/$U?version=first"
expect "a version that is not a number is 400" 400 "{\"error\":{\"status\":400,\"message\":\"version: expected a version number, got \\\"first\\\"\"}}"
as manager POST /api/agreements --data-binary @"$root/examples/startup-partnership.yaml"
expect "storing an unchanged agreement is 200 unchanged" 200 '{"id":"NIPD-CIRRUS-2025-003","version":1,"unchanged":true}'
printf 'licet: 1\nid: BROKEN-1\ntitle: [unclosed\n' > "$tmp/broken.yaml"
as manager POST /api/agreements --data-binary @"$tmp/broken.yaml"
jcheck "an agreement with errors is 422 with diagnostics (line, column), nothing stored" 422 'd["error"]["message"] == "the agreement has errors; nothing stored" and d["error"]["diagnostics"] and all(isinstance(g["line"], int) and g["line"] >= 1 and isinstance(g["column"], int) and g["severity"] in ("error", "warning") for g in d["error"]["diagnostics"])'
as manager GET /api/agreements/BROKEN-1
expect "a refused agreement was not stored" 404 '{"error":{"status":404,"message":"no agreement BROKEN-1"}}'
as manager POST /api/agreements/$U/versions --data-binary @"$root/examples/platform-nonexclusive-eur.yaml"
expect "a version whose id is another agreement's is 400" 400 "{\"error\":{\"status\":400,\"message\":\"the text is agreement $C, not $U\"}}"
sed 's/^title: .*/title: Research collaboration licence (amended title)/' "$root/examples/startup-partnership.yaml" > "$tmp/nipd-v2.yaml"
as manager POST /api/agreements/$N/versions --data-binary @"$tmp/nipd-v2.yaml"
expect "a changed text is a new version (201)" 201 "{\"id\":\"$N\",\"version\":2,\"unchanged\":false}"
as manager POST /api/agreements/$N/versions --data-binary @"$tmp/nipd-v2.yaml"
expect "the same version again is 200 unchanged" 200 "{\"id\":\"$N\",\"version\":2,\"unchanged\":true}"
as auditor GET /api/agreements/$N
jcheck "the latest version is served by default" 200 'd["version"] == 2 and d["latest"] == 2 and d["title"] == "Research collaboration licence (amended title)"'
as auditor GET "/api/agreements/$N?version=1"
jcheck "an older version: its own text and title, and the latest's number" 200 'd["version"] == 1 and d["latest"] == 2 and d["text"] == T(E["root"] + "/examples/startup-partnership.yaml") and d["title"] != "Research collaboration licence (amended title)"'
python3 -c 'import sys; sys.stdout.write("#" * (1 << 20) + "\n")' > "$tmp/mib.txt"
as manager POST /api/agreements --data-binary @"$tmp/mib.txt"
expect "a non-upload body over 1 MiB is 413" 413 '{"error":{"status":413,"message":"the body is larger than the limit of 1048576 bytes"}}'

# ======================================================================
# 4. where a deal stands: status, invoices, calendar
# ======================================================================
as beta GET "/api/agreements/$U/status?as_of=2027-12-31"
expect_file "status is byte for byte licet status --json (licensee, token)" 200 "$tmp/cli-status-u.json"
login beta
with beta GET "/api/agreements/$U/status?as_of=2027-12-31"
expect_file "status is byte for byte licet status --json (licensee, session)" 200 "$tmp/cli-status-u.json"
as auditor GET "/api/agreements/$U/status?as_of=2027-12-31"
expect_file "status is byte for byte licet status --json (auditor; cached answer)" 200 "$tmp/cli-status-u.json"
cli "$tmp/cli-status-k.json" status --db "$DB" $U --as-of 2027-12-31 --known-at 2026-12-31 --json
as manager GET "/api/agreements/$U/status?as_of=2027-12-31&known_at=2026-12-31"
expect_file "status with known_at is licet status --known-at --json" 200 "$tmp/cli-status-k.json"
cli "$tmp/cli-status-c.json" status --db "$DB" $C --as-of 2027-12-31 --json
as meridian GET "/api/agreements/$C/status?as_of=2027-12-31"
expect_file "meridian's status is licet status --json of its agreement" 200 "$tmp/cli-status-c.json"
as beta GET "/api/agreements/$U/status?as_of=31.12.2027"
expect "status with a bad as_of is 400" 400 '{"error":{"status":400,"message":"as_of: expected a date like 2027-06-30, got \"31.12.2027\""}}'
as beta GET "/api/agreements/$U/invoices?as_of=2027-12-31"
jcheck "invoices are the status's invoices and balance" 200 'd == {k: J(E["tmp"] + "/cli-status-u.json")[k] for k in ("agreement", "as_of", "invoices", "balance")} and list(d) == ["agreement", "as_of", "invoices", "balance"]'

as beta GET "/api/agreements/$U/calendar.ics?as_of=2027-12-31"
expect_file "calendar.ics is licet calendar's feed (tests/calendar's expected file)" 200 "$root/tests/calendar/unix-beta.expected.ics"
header "calendar.ics is text/calendar" '^Content-Type: text/calendar; charset=utf-8$'
req GET "/api/agreements/$U/calendar.ics?as_of=2027-12-31&token=$tok_beta"
expect_file "a calendar feed takes ?token= (calendar programs send no headers)" 200 "$root/tests/calendar/unix-beta.expected.ics"
req GET "/api/agreements/$U/calendar.ics?as_of=2027-12-31&token=lic_nope"
expect "a feed with a wrong ?token= is 401" 401 '{"error":{"status":401,"message":"the API token is not valid"}}'
req GET "/api/agreements/$U/calendar.ics?as_of=2027-12-31"
expect "a feed without a token is 401" 401 "$SIGNIN"
req GET "/api/agreements/$U/calendar.ics?token=$tok_meridian"
expect "another licensee's feed by ?token= is the 404 of a missing agreement" 404 "{\"error\":{\"status\":404,\"message\":\"no agreement $U\"}}"

# ======================================================================
# 5. events
# ======================================================================
as auditor GET /api/agreements/$U/events
jcheck "the ledger rows of an agreement" 200 'd["agreement"] == "UNIX-BETA-2025-01" and len(d["rows"]) == 14 and all(r["kind"] == "event" and re.fullmatch("[0-9a-f]{64}", r["hash"]) for r in d["rows"]) and [r["seq"] for r in d["rows"]] == sorted(r["seq"] for r in d["rows"]) and d["rows"][0]["payload"]["type"] == "payment"'
as auditor GET "/api/agreements/$U/events?kind=report"
expect "?kind= filters the rows" 200 "{\"agreement\":\"$U\",\"rows\":[]}"
MEETING='- { date: 2028-06-08, type: committee_meeting, minutes: JDC-2028-1 }'
login manager
with manager POST /api/agreements/$U/events --data-binary "$MEETING"
expect "recording an event (session and CSRF token)" 200 "{\"agreement\":\"$U\",\"recorded\":1,\"already\":0,\"rejected\":0,\"diagnostics\":[]}"
with manager POST /api/agreements/$U/events --data-binary "$MEETING"
expect "recording the same event again stores nothing" 200 "{\"agreement\":\"$U\",\"recorded\":0,\"already\":1,\"rejected\":0,\"diagnostics\":[]}"
as manager POST /api/agreements/$U/events --data-binary '{"date":"2028-06-09","type":"committee_meeting","minutes":"JDC-2028-1b"}'
expect "events as JSON Lines" 200 "{\"agreement\":\"$U\",\"recorded\":1,\"already\":0,\"rejected\":0,\"diagnostics\":[]}"
as manager POST /api/agreements/$U/events --data-binary '- { date: 2026-03-02, type: [ '
expect "events that are not YAML: 422 with line and column" 422 '{"error":{"status":422,"message":"the body is not a YAML list or JSON Lines of events","diagnostics":[{"file":"body","line":2,"column":1,"severity":"error","code":"yaml","path":"","message":"YAML syntax error: flow sequence without a closing bracket"}]}}'
as manager POST /api/agreements/$U/events --data-binary '- { date: 2027-03-02, type: milestone_achieved, milestone: M99, evidence: x }'
expect "an event the agreement rejects: 422 with line and column" 422 "{\"agreement\":\"$U\",\"recorded\":0,\"already\":0,\"rejected\":1,\"diagnostics\":[{\"file\":\"body\",\"line\":1,\"column\":60,\"severity\":\"error\",\"message\":\"unknown milestone \\\"M99\\\" (known: L1, M1, M2, M2a, M2b, M3, RD1, C1, C2, C3, J1, S1, S2)\"}]}"
with beta POST /api/agreements/$U/events --data-binary '- { date: 2027-01-10, type: payment, amount: "100", currency: USD, invoice: "inv:upfront" }'
expect "a licensee may not record a payment (403)" 403 '{"error":{"status":403,"message":"a licensee may record milestone_achieved events only (with evidence); line 1 is payment"}}'
printf '%s\n%s\n' '- { date: 2026-06-30, type: milestone_achieved, milestone: M1, evidence: FDA IND acceptance letter }' \
    '- { date: 2027-08-01, type: notice, kind: breach, ref: M2, by: licensee, received: 2027-08-02 }' > "$tmp/mixed.yaml"
with beta POST /api/agreements/$U/events --data-binary @"$tmp/mixed.yaml"
expect "a licensee's batch with one non-milestone event is refused whole (403)" 403 '{"error":{"status":403,"message":"a licensee may record milestone_achieved events only (with evidence); line 2 is notice"}}'
as auditor GET /api/agreements/$U/events
jcheck "a refused batch stored nothing" 200 'len(d["rows"]) == 16'
with beta POST /api/agreements/$U/events --data-binary '- { date: 2026-06-30, type: milestone_achieved, milestone: M1, evidence: FDA IND acceptance letter }'
expect "a licensee may record that a milestone was achieved (here: already)" 200 "{\"agreement\":\"$U\",\"recorded\":0,\"already\":1,\"rejected\":0,\"diagnostics\":[]}"
CM1='- { date: 2026-03-02, type: milestone_achieved, milestone: M1, evidence: IVDR certificate 2026-117 }'
login meridian
with meridian POST /api/agreements/$C/events --data-binary "$CM1"
expect "licensee meridian submits milestone evidence for its agreement" 200 "{\"agreement\":\"$C\",\"recorded\":1,\"already\":0,\"rejected\":0,\"diagnostics\":[]}"
with meridian POST /api/agreements/$U/events --data-binary "$CM1"
expect "a licensee recording into another's agreement gets the 404 of a missing one" 404 "{\"error\":{\"status\":404,\"message\":\"no agreement $U\"}}"
as auditor POST /api/agreements/$U/events --data-binary "$MEETING"
expect "an auditor may not record events" 403 '{"error":{"status":403,"message":"an auditor may not do this"}}'

# ======================================================================
# 6. reports: template, uploads, statements
# ======================================================================
HEADER='period,date,product,country,field,units,gross_sales,deductions,currency,third_party_royalties'
as beta GET /api/agreements/$U/template.csv
expect "the CSV template is the report header" 200 "$HEADER"
header "the template is CSV" '^Content-Type: text/csv; charset=utf-8$'
header "the template downloads under the agreement's name" "^Content-Disposition: attachment; filename=\"$U-sales-template.csv\"\$"
SALES=$root/examples/sales/unix-beta-2027-Q3.csv
nocsrf beta POST "/api/agreements/$U/reports?period=2027-Q3&date=2027-10-20" --data-binary @"$SALES"
expect "an upload with the cookie but no CSRF token is 403" 403 "$CSRF403"
with beta POST "/api/agreements/$U/reports?period=2027-Q3&date=2027-10-20" -H 'Content-Type: text/csv' --data-binary @"$SALES"
as_of_q3=$(printf '%s\n%s\n' "$today" 2027-10-20 | sort | tail -n 1)
cli "$tmp/cli-upload.json" royalties --db "$DB" $U --period 2027-Q3 --as-of "$as_of_q3" --json
jcheck "a good report: 201 with its statement (as licet royalties) and no flags" 201 'd["statement"] == J(E["tmp"] + "/cli-upload.json") and d["flags"] == [] and d["agreement"] == "UNIX-BETA-2025-01" and d["period"] == "2027-Q3" and d["lines"] == 4 and d["revision"] == 1 and d["already"] is False and d["statement"]["royalty"] == "179700.00" and d["statement"]["net_sales"] == "6705000.00"'
seq_q3=$(jv 'd["seq"]')
export seq_q3
with beta POST "/api/agreements/$U/reports?period=2027-Q3&date=2027-10-20" --data-binary @"$SALES"
jcheck "the same report again: 200, already stored, same row" 200 'd["already"] is True and d["seq"] == int(E["seq_q3"]) and d["revision"] == 1'
printf '%s\n%s\n' "$HEADER" '2028-Q1,2028-02-01,BX-101,US,therapeutics/oncology,abc,"400000.00","10000.00",USD,0' > "$tmp/bad.csv"
with beta POST "/api/agreements/$U/reports?period=2028-Q1&date=2028-04-20" --data-binary @"$tmp/bad.csv"
expect "a bad report: 422 with the line and column" 422 '{"error":{"status":422,"message":"the report has errors; nothing stored","diagnostics":[{"file":"report-2028-Q1.csv","line":2,"column":52,"severity":"error","code":"error","path":"units","message":"expected a whole number from 0 to 2000000000, got \"abc\""}]}}'
with beta POST "/api/agreements/$U/reports" --data-binary @"$SALES"
expect "an upload without ?period= is 400" 400 '{"error":{"status":400,"message":"period: expected a period like 2027-Q3 (?period=...)"}}'
with beta POST "/api/agreements/$U/reports?period=2027-Q9" --data-binary @"$SALES"
expect "an upload with a bad period is 400" 400 '{"error":{"status":400,"message":"period: expected a period like 2027-Q3 (?period=...)"}}'
with beta POST "/api/agreements/$U/reports?period=2027-Q3&date=2027-10-32" --data-binary @"$SALES"
expect "an upload with a bad date is 400" 400 '{"error":{"status":400,"message":"date: expected the date the report was received, like 2027-10-20"}}'
with beta POST "/api/agreements/$U/reports?period=2027-Q3"
expect "an upload without a body is 400" 400 '{"error":{"status":400,"message":"the body must be the sales report CSV (FORMAT 4)"}}'
printf '%s\n%s\n%s\n' "$HEADER" '2027-Q4,2027-11-01,BX-101,US,therapeutics/oncology,100,"400000.00","10000.00",USD,0' \
    '2027-Q4,2027-11-02,BX-101,BR,therapeutics/oncology,10,"50000.00","0.00",USD,0' > "$tmp/flag.csv"
with beta POST "/api/agreements/$U/reports?period=2027-Q4&date=2028-01-20" --data-binary @"$tmp/flag.csv"
FLAG='{"kind": "unlicensed_sale", "period": "2027-Q4", "detail": "country BR, field therapeutics/oncology not in any grant in force on 2027-11-02"}'
export FLAG
jcheck "a report with a red flag: 201 with the flag at once" 201 'd["flags"] == [json.loads(E["FLAG"])] and d["lines"] == 2 and d["statement"]["royalty"] == "15600.00"'
seq_q4=$(jv 'd["seq"]')
export seq_q4
printf '%s\n%s\n' "$HEADER" '2027-Q3,2027-08-10,MD-ONCO-24,DE,diagnostics/oncology-panels,500,"800000.00","40000.00",EUR,0' > "$tmp/corrib.csv"
with meridian POST "/api/agreements/$C/reports?period=2027-Q3&date=2027-10-20" --data-binary @"$tmp/corrib.csv"
jcheck "licensee meridian uploads its report" 201 'd["statement"]["royalty"] == "30400.00" and d["flags"] == []'
seq_c=$(jv 'd["seq"]')
export seq_c
with meridian POST "/api/agreements/$U/reports?period=2027-Q3&date=2027-10-20" --data-binary @"$SALES"
expect "a licensee uploading to another's agreement gets the 404 of a missing one" 404 "{\"error\":{\"status\":404,\"message\":\"no agreement $U\"}}"
as auditor POST "/api/agreements/$U/reports?period=2027-Q3&date=2027-10-20" --data-binary @"$SALES"
expect "an auditor may not upload" 403 '{"error":{"status":403,"message":"an auditor may not do this"}}'

cli "$tmp/cli-roy.json" royalties --db "$DB" $U --period 2027-Q3 --as-of 2027-12-31 --json
as beta GET "/api/agreements/$U/royalties/2027-Q3?as_of=2027-12-31"
expect_file "the royalty statement is byte for byte licet royalties --json" 200 "$tmp/cli-roy.json"
as beta GET "/api/agreements/$U/royalties/2027-Q3?as_of=2027-12-31&format=json"
expect_file "format=json is the same statement" 200 "$tmp/cli-roy.json"
cli "$tmp/cli-roy.csv" royalties --db "$DB" $U --period 2027-Q3 --as-of 2027-12-31 --csv
as beta GET "/api/agreements/$U/royalties/2027-Q3?as_of=2027-12-31&format=csv"
expect_file "format=csv is byte for byte licet royalties --csv" 200 "$tmp/cli-roy.csv"
header "format=csv downloads as a file" "^Content-Disposition: attachment; filename=\"$U-2027-Q3.csv\"\$"
as beta GET "/api/agreements/$U/royalties/2027-Q3?as_of=2027-12-31&format=xlsx"
if [ "$code" = 200 ] && [ "$(head -c 2 "$tmp/b")" = PK ]; then ok; else bad "format=xlsx is a workbook (a zip)"; show; fi
header "format=xlsx is an xlsx" '^Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet$'
as beta GET "/api/agreements/$U/royalties/2027-Q3?format=pdf"
expect "an unknown statement format is 400" 400 '{"error":{"status":400,"message":"format: expected json, csv or xlsx"}}'
as beta GET "/api/agreements/$U/royalties/2027-Q9"
expect "a bad period is 400" 400 '{"error":{"status":400,"message":"expected a period like 2027-Q3, got \"2027-Q9\""}}'
as beta GET "/api/agreements/$U/royalties/2026-Q1?as_of=2027-12-31"
expect "a period without a report is 404" 404 '{"error":{"status":404,"message":"no royalty report covers 2026-Q1 (as of the date asked)"}}'
cli "$tmp/cli-roy-c.json" royalties --db "$DB" $C --period 2027-Q3 --as-of 2027-12-31 --json
as meridian GET "/api/agreements/$C/royalties/2027-Q3?as_of=2027-12-31"
expect_file "meridian's statement is licet royalties --json" 200 "$tmp/cli-roy-c.json"

as manager GET /api/agreements/$U/reports
expect "the reports of an agreement, pending review" 200 "{\"agreement\":\"$U\",\"reports\":[{\"period\":\"2027-Q3\",\"revision\":1,\"seq\":$seq_q3,\"received\":\"2027-10-20\",\"lines\":4,\"decision\":\"pending\",\"decided_by\":null,\"decided_on\":null,\"note\":null},{\"period\":\"2027-Q4\",\"revision\":1,\"seq\":$seq_q4,\"received\":\"2028-01-20\",\"lines\":2,\"decision\":\"pending\",\"decided_by\":null,\"decided_on\":null,\"note\":null}]}"

# ======================================================================
# 7. reviews and the review queue
# ======================================================================
as manager GET /api/review-queue
jcheck "the queue: every pending report, with its flags open" 200 '[(q["agreement"], q["period"], q["decision"], q["open_flags"]) for q in d["queue"]] == [("CORRIB-MERIDIAN-2025-NX", "2027-Q3", "pending", 0), ("UNIX-BETA-2025-01", "2027-Q3", "pending", 0), ("UNIX-BETA-2025-01", "2027-Q4", "pending", 1)] and d["queue"][2]["flags"] == [dict(json.loads(E["FLAG"]), resolution="open")]'
login manager
with manager POST /api/agreements/$U/reviews -H "$JSON" --data-binary '{"period":"2027-Q3","decision":"approved","note":"figures match the distributor statements"}'
jcheck "a decision is recorded in the ledger (201)" 201 'd == {"period": "2027-Q3", "decision": "approved", "resolution": None, "note": "figures match the distributor statements", "by": "manager", "date": E["today"], "seq": d["seq"], "agreement": "UNIX-BETA-2025-01"} and d["seq"] > int(E["seq_q4"])'
nocsrf manager POST /api/agreements/$U/reviews -H "$JSON" --data-binary '{"period":"2027-Q3","decision":"rejected"}'
expect "a review by session needs the CSRF token" 403 "$CSRF403"
as manager POST /api/agreements/$U/reviews -H "$JSON" --data-binary '{"period":"2027-Q4","flag":{"kind":"unlicensed_sale","detail":"country BR, field therapeutics/oncology not in any grant in force on 2027-11-02"},"resolution":"waived"}'
jcheck "a red flag is waived (201)" 201 'd["resolution"] == "waived" and d["flag"] == {"kind": "unlicensed_sale", "detail": "country BR, field therapeutics/oncology not in any grant in force on 2027-11-02"} and d["by"] == "manager"'
EITHER='{"error":{"status":400,"message":"body: give either \"decision\" (approved, rejected, revision_requested) or \"flag\" and \"resolution\" (resolved, disputed, waived)"}}'
as manager POST /api/agreements/$U/reviews --data-binary '{"period":"2027-Q3","decision":"approved","resolution":"waived"}'
expect "a review is a decision or a resolution, not both" 400 "$EITHER"
as manager POST /api/agreements/$U/reviews --data-binary '{"period":"2027-Q3","decision":"maybe"}'
expect "an unknown decision is 400" 400 "$EITHER"
as manager POST /api/agreements/$U/reviews --data-binary '{"period":"2027-Q3","resolution":"waived"}'
expect "a resolution needs its flag" 400 '{"error":{"status":400,"message":"body: a \"resolution\" needs the \"flag\" it is for: {\"kind\":...,\"detail\":...}"}}'
as manager POST /api/agreements/$U/reviews --data-binary '{"decision":"approved"}'
expect "a review needs its period" 400 '{"error":{"status":400,"message":"body: \"period\" is missing"}}'
as manager POST /api/agreements/$U/reviews --data-binary '{"period":"Q3","decision":"approved"}'
expect "a review's period must be a period" 400 '{"error":{"status":400,"message":"body: \"period\" must be a period like 2027-Q3"}}'
as manager POST /api/agreements/$U/reviews --data-binary '{"period":"2027-Q3","decision":"approved","note":""}'
expect "a bad note is refused, not dropped" 400 '{"error":{"status":400,"message":"body: \"note\" must be 1 to 2000 bytes"}}'
as manager POST /api/agreements/$U/reviews --data-binary '{"period":"2027-Q3","decision":"approved","note":7}'
expect "a note must be a string" 400 '{"error":{"status":400,"message":"body: \"note\" must be a string"}}'
as manager POST /api/agreements/$U/reviews --data-binary '{"period":"2031-Q1","decision":"approved"}'
expect "a period without a report cannot be reviewed" 404 '{"error":{"status":404,"message":"agreement UNIX-BETA-2025-01 has no report for 2031-Q1 to review"}}'
with beta POST "/api/agreements/$U/reports?period=2026-Q3&date=2026-10-20" --data-binary @"$SALES"
expect "a licensee may not date its report before the day it uploads it" 400 '{"error":{"status":400,"message":"date: a licensee'"'"'s report is received on the day it is uploaded or later"}}'
with beta POST /api/agreements/$U/reviews --data-binary '{"period":"2027-Q3","decision":"approved"}'
expect "a licensee may not review its own report" 403 '{"error":{"status":403,"message":"a licensee may not do this"}}'
as auditor POST /api/agreements/$U/reviews --data-binary '{"period":"2027-Q3","decision":"approved"}'
expect "an auditor may not review" 403 '{"error":{"status":403,"message":"an auditor may not do this"}}'
as beta GET /api/agreements/$U/reports
jcheck "the reports show the decision, who made it and when" 200 'd["reports"][0] == {"period": "2027-Q3", "revision": 1, "seq": int(E["seq_q3"]), "received": "2027-10-20", "lines": 4, "decision": "approved", "decided_by": "manager", "decided_on": E["today"], "note": "figures match the distributor statements"} and d["reports"][1]["decision"] == "pending"'
as auditor GET /api/review-queue
jcheck "an approved report without open flags leaves the queue; a waived flag is closed" 200 '[(q["agreement"], q["period"], q["open_flags"]) for q in d["queue"]] == [("CORRIB-MERIDIAN-2025-NX", "2027-Q3", 0), ("UNIX-BETA-2025-01", "2027-Q4", 0)] and d["queue"][1]["flags"] == [dict(json.loads(E["FLAG"]), resolution="waived", resolved_by="manager")]'
as manager POST /api/agreements/$U/reviews --data-binary '{"period":"2027-Q4","decision":"revision_requested","note":"BR is not licensed: send a corrected report"}'
jcheck "a revision is requested (201)" 201 'd["decision"] == "revision_requested"'
as manager GET /api/review-queue
jcheck "a report sent back for revision stays in the queue" 200 '[q["decision"] for q in d["queue"] if q["period"] == "2027-Q4"] == ["revision_requested"]'
printf '%s\n%s\n' "$HEADER" '2027-Q4,2027-11-01,BX-101,US,therapeutics/oncology,100,"400000.00","10000.00",USD,0' > "$tmp/flag-fixed.csv"
with beta POST "/api/agreements/$U/reports?period=2027-Q4&date=2028-01-25" --data-binary @"$tmp/flag-fixed.csv"
jcheck "the corrected report is revision 2 (201), without the flag" 201 'd["revision"] == 2 and d["flags"] == [] and d["lines"] == 1'
as manager GET /api/agreements/$U/reports
jcheck "a new revision is pending again" 200 '[(r["period"], r["revision"], r["decision"]) for r in d["reports"]] == [("2027-Q3", 1, "approved"), ("2027-Q4", 2, "pending")]'
as meridian GET /api/review-queue
expect "a licensee may not see the review queue" 403 '{"error":{"status":403,"message":"a licensee may not do this"}}'

# ======================================================================
# 8. the portfolio: conflicts, verify; big uploads
# ======================================================================
as auditor GET "/api/conflicts?as_of=2026-01-09"
expect "no conflict before the option is exercised" 200 '{"as_of":"2026-01-09","conflicts":[]}'
as auditor GET "/api/conflicts?as_of=2026-01-10"
expect "the exclusive overlap once the option is exercised" 200 '{"as_of":"2026-01-10","conflicts":[{"licensor":"uni","agreement":"BASE-1","grant":"G1","exclusivity":"exclusive","other_agreement":"OPT-DE-1","other_grant":"ODE","other_exclusivity":"exclusive","fields":"therapeutics/oncology","countries":"DE"}]}'
as auditor GET "/api/conflicts?as_of=someday"
expect "conflicts with a bad as_of is 400" 400 '{"error":{"status":400,"message":"as_of: expected a date like 2027-06-30, got \"someday\""}}'
rows=$("$LICET" verify --db "$DB" | sed -n 's/.*ledger intact, \([0-9]*\) rows.*/\1/p')
as auditor GET /api/verify
expect "verify re-walks the chain as licet verify does" 200 "{\"ok\":true,\"rows\":$rows}"

# A report of 1.5 MB (past the 1 MiB kept in memory: read back from a
# temporary file), once with an error on its last line, once good.
python3 - "$tmp/big-bad.csv" "$tmp/big.csv" <<'EOF'
import sys
head = "period,date,product,country,field,units,gross_sales,deductions,currency,third_party_royalties,x_note\n"
pad = "n" * 1200
rows = [f'2028-Q2,2028-05-{1 + i % 28:02d},BX-101,US,therapeutics/oncology,1,"{100 + i % 50}.00","0.00",USD,0,{pad}\n'
        for i in range(1250)]
open(sys.argv[2], "w").write(head + "".join(rows))
open(sys.argv[1], "w").write(head + "".join(rows) + '2028-Q2,2028-05-02,BX-101,US,therapeutics/oncology,1,"x","0.00",USD,0,n\n')
EOF
as beta POST "/api/agreements/$U/reports?period=2028-Q2&date=2028-07-20" --data-binary @"$tmp/big-bad.csv"
jcheck "a 1.5 MB report with an error on its last line: 422 naming that line" 422 '[(g["line"], g["path"]) for g in d["error"]["diagnostics"]] == [(1252, "gross_sales")]'
as beta POST "/api/agreements/$U/reports?period=2028-Q2&date=2028-07-20" -H 'Transfer-Encoding: chunked' --data-binary @"$tmp/big.csv"
jcheck "a 1.5 MB report (chunked, spilled to a file) is stored whole" 201 'd["lines"] == 1250 and d["statement"]["net_sales"] == "155625.00"'

# ======================================================================
# 9. users
# ======================================================================
as admin GET /api/users
"$LICET" user list --db "$DB" > "$tmp/users.txt"
jcheck "the users, as licet user list" 200 'd["users"] == [dict(name=l.split()[0], role=l.split()[1], party=(l.split()[2] if len(l.split()) > 2 and l.split()[2] != "disabled" else None), disabled=l.split()[-1] == "disabled") for l in T(E["tmp"] + "/users.txt").splitlines() if l.strip()] and len(d["users"]) == 5'
as admin POST /api/users -H "$JSON" --data-binary "{\"name\":\"clerk\",\"role\":\"auditor\",\"password\":\"$PW\"}"
expect "admin adds a user (201)" 201 '{"user":{"name":"clerk","role":"auditor","party":null}}'
login clerk
jcheck "the new user signs in" 200 'd["user"] == {"name": "clerk", "role": "auditor", "party": None}'
as admin POST /api/users --data-binary "{\"name\":\"clerk\",\"role\":\"auditor\",\"password\":\"$PW\"}"
expect "a user name is taken once" 400 '{"error":{"status":400,"message":"user \"clerk\" already exists"}}'
as admin POST /api/users --data-binary "{\"name\":\"boss\",\"role\":\"owner\",\"password\":\"$PW\"}"
expect "an unknown role is 400" 400 '{"error":{"status":400,"message":"body: \"role\" must be admin, manager, licensee or auditor"}}'
as admin POST /api/users --data-binary "{\"name\":\"lic2\",\"role\":\"licensee\",\"password\":\"$PW\"}"
expect "a licensee needs its party" 400 '{"error":{"status":400,"message":"user \"lic2\": a licensee must be bound to a party (the agreement'"'"'s parties.licensee.id)"}}'
as admin POST /api/users --data-binary '{"name":"short","role":"auditor","password":"1234567"}'
expect "a password of under 8 bytes is refused" 400 '{"error":{"status":400,"message":"user \"short\": the password must be at least 8 bytes"}}'
as manager POST /api/users --data-binary "{\"name\":\"eve\",\"role\":\"admin\",\"password\":\"$PW\"}"
expect "a manager may not add users" 403 '{"error":{"status":403,"message":"a manager may not do this"}}'

# Disabling: the session ends at once, the API token is refused at once
# (the worker threads forget the tokens they remember), enabling brings
# the token back but not the session.
tok_clerk=$("$LICET" user token --db "$DB" clerk)
as clerk GET /api/me
expect "clerk's API token works" 200 '{"user":{"name":"clerk","role":"auditor","party":null},"csrf":null}'
with clerk GET /api/me
expect "clerk's session works" 200 "{\"user\":{\"name\":\"clerk\",\"role\":\"auditor\",\"party\":null},\"csrf\":\"$csrf_clerk\"}"
login admin
nocsrf admin POST /api/users/clerk/disable
expect "disabling with the cookie needs the CSRF token" 403 "$CSRF403"
with admin POST /api/users/clerk/disable
expect "admin disables a user" 200 '{"user":{"name":"clerk","role":"auditor","party":null,"disabled":true}}'
with clerk GET /api/me
expect "a disabled user's session stops at once" 401 "$SIGNIN"
as clerk GET /api/me
expect "a disabled user's API token is refused at once" 401 '{"error":{"status":401,"message":"the API token is not valid"}}'
req POST /api/login -H "$JSON" --data-binary "{\"name\":\"clerk\",\"password\":\"$PW\"}"
expect "a disabled user cannot sign in (the same 401)" 401 "$WRONG"
as admin GET /api/users
jcheck "the users list says who is disabled" 200 '[u["disabled"] for u in d["users"] if u["name"] in ("clerk", "admin")] == [False, True]'
"$LICET" user list --db "$DB" > "$tmp/users.txt"
grep -qx 'clerk                    auditor  disabled' "$tmp/users.txt" && ok || bad "licet user list shows clerk disabled"
as admin POST /api/users/clerk/disable
expect "disabling a disabled user changes nothing" 200 '{"user":{"name":"clerk","role":"auditor","party":null,"disabled":true}}'
as admin POST /api/users/admin/disable
expect "an admin cannot disable itself" 400 '{"error":{"status":400,"message":"you cannot disable your own account"}}'
as admin POST /api/users/nobody/disable
expect "disabling an unknown user is 404" 404 '{"error":{"status":404,"message":"no user \"nobody\""}}'
as admin POST /api/users/nobody/enable
expect "enabling an unknown user is 404" 404 '{"error":{"status":404,"message":"no user \"nobody\""}}'
as manager POST /api/users/clerk/enable
expect "a manager may not enable users" 403 '{"error":{"status":403,"message":"a manager may not do this"}}'
as admin POST /api/users/clerk/enable
expect "admin enables the user" 200 '{"user":{"name":"clerk","role":"auditor","party":null,"disabled":false}}'
as clerk GET /api/me
expect "enabling restores the API token" 200 '{"user":{"name":"clerk","role":"auditor","party":null},"csrf":null}'
with clerk GET /api/me
expect "enabling does not bring the ended session back" 401 "$SIGNIN"
as admin POST /api/users/clerk/password -H "$JSON" --data-binary '{"password":"clerk-new-pw"}'
expect "admin sets a password" 200 '{"user":{"name":"clerk","role":"auditor","party":null,"disabled":false}}'
req POST /api/login -H "$JSON" --data-binary '{"name":"clerk","password":"clerk-new-pw"}'
jcheck "the new password signs in" 200 'd["user"]["name"] == "clerk"'
as admin POST /api/users/clerk/password -H "$JSON" --data-binary '{"password":"short"}'
expect "a new password of under 8 bytes is refused" 400 '{"error":{"status":400,"message":"user \"clerk\": the password must be at least 8 bytes"}}'
as admin POST /api/users/clerk/password -H "$JSON" --data-binary '{}'
expect "a password body needs its password" 400 '{"error":{"status":400,"message":"body: \"password\" is missing"}}'
as admin POST /api/users/nobody/password -H "$JSON" --data-binary '{"password":"long enough"}'
expect "the password of an unknown user is 404" 404 '{"error":{"status":404,"message":"no user \"nobody\""}}'
with admin GET /admin/users
if [ "$code" = 200 ] && grep -q 'data-user="clerk"' "$tmp/b" && grep -q 'href="/admin/users" class="on"' "$tmp/b" &&
    grep -q 'id="user-add-form"' "$tmp/b" && ! grep -q 'data-user-action="disable" data-user="admin"' "$tmp/b"; then ok; else
    bad "/admin/users lists the users, with the add form and no disable button for oneself"; show; fi
login manager
with manager GET /portfolio
if grep -q '/admin/users' "$tmp/b"; then bad "a manager's nav has no Users entry"; else ok; fi

# ======================================================================
# 10. limits: a second server with --max-body 4096 --insecure-cookies
# ======================================================================
start small --max-body 4096 --insecure-cookies
head -c 5000 /dev/zero | tr '\0' 'x' > "$tmp/5000"
TOOBIG='{"error":{"status":413,"message":"the body is larger than the limit of 4096 bytes"}}'
as beta POST "/api/agreements/$U/reports?period=2029-Q1" --data-binary @"$tmp/5000"
expect "an upload over --max-body is 413 (Content-Length)" 413 "$TOOBIG"
as beta POST "/api/agreements/$U/reports?period=2029-Q1" -H 'Transfer-Encoding: chunked' --data-binary @"$tmp/5000"
expect "an upload over --max-body is 413 (chunked)" 413 "$TOOBIG"
as beta POST /api/login --data-binary @"$tmp/5000"
expect "any body over --max-body is 413" 413 "$TOOBIG"
as beta POST "/api/agreements/$U/reports?period=2028-Q1&date=2028-04-20" --data-binary @"$tmp/bad.csv"
jcheck "an upload under --max-body is read" 422 'd["error"]["diagnostics"][0]["line"] == 2'
login beta
header "--insecure-cookies leaves Secure off the cookie" '^Set-Cookie: licet_session=[0-9a-f]{64}; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200$'
base=$main
with beta GET /api/me
expect "a session is good on every server of the store" 200 "{\"user\":{\"name\":\"beta\",\"role\":\"licensee\",\"party\":\"beta\"},\"csrf\":\"$csrf_beta\"}"
stop small

# ======================================================================
# 11. the authorization matrix
# ======================================================================
# Every route of the table x role x target.  Targets of agreement routes:
# beta's (UNIX-BETA-2025-01), meridian's (CORRIB-MERIDIAN-2025-NX) and a
# missing id.  Writes are made idempotent (the same agreement text, event
# and report again: 200) or harmless (one more approval of the 2027-Q3
# report, a new user per call; the user routes act on mx-target).
# Pages: "ok" when the page's handler ran, "303:/login" and "303:/" for
# the router's redirects.
ROLES="admin manager auditor beta meridian anon"
MISSING=NO-SUCH-AGREEMENT
printf '%s\n' "$PW" > "$tmp/pw"
setup "$LICET" user add --db "$DB" mx-target --role auditor --password-file "$tmp/pw"
cat > "$tmp/routes" <<'EOF'
GET /api/openapi.json -
POST /api/login login
POST /api/logout -
GET /api/me -
GET /api/users -
POST /api/users user
POST /api/users/{}/disable -
POST /api/users/{}/enable -
POST /api/users/{}/password password
POST /api/tokens -
GET /api/agreements -
POST /api/agreements agreement
GET /api/agreements/{} -
POST /api/agreements/{}/versions version
GET /api/agreements/{}/status?as_of=2027-12-31 -
GET /api/agreements/{}/invoices?as_of=2027-12-31 -
GET /api/agreements/{}/calendar.ics?as_of=2027-12-31 -
GET /api/agreements/{}/events -
POST /api/agreements/{}/events event
GET /api/agreements/{}/reports -
POST /api/agreements/{}/reports?period=2027-Q3&date=2027-10-20 report
GET /api/agreements/{}/royalties/{}?as_of=2027-12-31 -
GET /api/agreements/{}/template.csv -
POST /api/agreements/{}/reviews review
GET /api/review-queue -
GET /api/conflicts?as_of=2027-12-31 -
GET /api/verify -
GET / -
GET /login -
GET /portfolio -
GET /agreements/{} -
GET /calendar -
GET /review -
GET /portal -
GET /admin/users -
GET /assets/{} -
EOF
# Every route of route.c's table is a row here.
sed -n 's/^ *{"\([A-Z]*\)", "\([^"]*\)",.*/\1 \2/p' "$root/server/route.c" > "$tmp/table"
sed 's/?[^ ]*//; s/ [^ ]*$//' "$tmp/routes" | sort -u > "$tmp/rows.s"
sort -u "$tmp/table" > "$tmp/table.s"
if [ -s "$tmp/table.s" ] && cmp -s "$tmp/table.s" "$tmp/rows.s"; then ok; else
    bad "the matrix has a row for every route of route.c's table, and no other (- table only, + matrix only):"
    comm -3 "$tmp/table.s" "$tmp/rows.s" | sed 's/^\t/  + /; t; s/^/  - /'
fi

printf '%s\n' "$CM1" > "$tmp/ev-$C"
printf '%s\n' '- { date: 2026-06-30, type: milestone_achieved, milestone: M1, evidence: FDA IND acceptance letter }' > "$tmp/ev-$U"
cp "$tmp/ev-$U" "$tmp/ev-$MISSING"
cp "$root/examples/unix-beta-exclusive.yaml" "$tmp/ag-$U"
cp "$root/examples/platform-nonexclusive-eur.yaml" "$tmp/ag-$C"
cp "$tmp/ag-$U" "$tmp/ag-$MISSING"
cp "$SALES" "$tmp/rep-$U"
cp "$tmp/corrib.csv" "$tmp/rep-$C"
cp "$SALES" "$tmp/rep-$MISSING"
n=0
# cell ROLE METHOD PATH BODYKIND TARGET: one request; its cell in $cell.
cell() {
    n=$((n + 1))
    case $4 in
        -) set -- "$1" "$2" "$3" ;;
        login) set -- "$1" "$2" "$3" -H "$JSON" --data-binary "{\"name\":\"auditor\",\"password\":\"$PW\"}" ;;
        user) set -- "$1" "$2" "$3" -H "$JSON" --data-binary "{\"name\":\"mx-$1-$n\",\"role\":\"auditor\",\"password\":\"$PW\"}" ;;
        agreement) set -- "$1" "$2" "$3" --data-binary @"$root/examples/unix-beta-exclusive.yaml" ;;
        version) set -- "$1" "$2" "$3" --data-binary @"$tmp/ag-$5" ;;
        event) set -- "$1" "$2" "$3" --data-binary @"$tmp/ev-$5" ;;
        report) set -- "$1" "$2" "$3" --data-binary @"$tmp/rep-$5" ;;
        review) set -- "$1" "$2" "$3" -H "$JSON" --data-binary '{"period":"2027-Q3","decision":"approved","note":"authorization matrix"}' ;;
        password) set -- "$1" "$2" "$3" -H "$JSON" --data-binary "{\"password\":\"$PW\"}" ;;
    esac
    as "$@"
    cell=$code
    case $3 in
        /api/*) ;;
        *) case $code in
               200 | 501) cell=ok ;;
               303) cell="303:$(sed -n 's/^Location: //p' "$tmp/h")" ;;
           esac ;;
    esac
}
fmt='%-47s %-10s'
{
    printf "$fmt" "route" "agreement"
    for r in $ROLES; do printf ' %-14s' "$r"; done
    echo
} > "$tmp/matrix"
while read -r method path kind; do
    case $path in
        */assets/*) targets=asset ;;
        /api/users/*) targets=user ;;
        *{}*) targets="$U $C $MISSING" ;;
        *) targets=- ;;
    esac
    shown=$(echo "$path" | sed 's/?.*//')
    for target in $targets; do
        case $target in
            asset) p=$(echo "$path" | sed 's/{}/openapi.json/') label=- ;;
            -) p=$path label=- ;;
            user) p=$(echo "$path" | sed 's/{}/mx-target/') label=- ;;
            *) p=$(echo "$path" | sed "s/{}/$target/; s/{}/2027-Q3/")
               case $target in $U) label="beta's" ;; $C) label="meridian's" ;; *) label=missing ;; esac ;;
        esac
        printf "$fmt" "$method $shown" "$label" >> "$tmp/matrix"
        for role in $ROLES; do
            cell "$role" "$method" "$p" "$kind" "$target"
            printf ' %-14s' "$cell" >> "$tmp/matrix"
            cp "$tmp/b" "$tmp/m.$role.$label"
        done
        echo >> "$tmp/matrix"
    done
    # A licensee asking about the other licensee's agreement gets exactly
    # what a missing agreement gets (the id it asked for aside).
    case $targets in
        *"$MISSING"*)
            for pair in "beta meridian's $C" "meridian beta's $U"; do
                set -- $pair
                sed "s/$MISSING/$3/g" "$tmp/m.$1.missing" > "$tmp/m.want"
                if grep -q '"status":404\|<h1>Error 404</h1>' "$tmp/m.$1.$2" && cmp -s "$tmp/m.want" "$tmp/m.$1.$2"; then ok; else
                    bad "$1's $method $shown on $2 agreement answers as on a missing one:"
                    printf '  other:   '; head -c 300 "$tmp/m.$1.$2"; printf '  missing: '; head -c 300 "$tmp/m.want"; echo
                fi
            done ;;
    esac
done < "$tmp/routes"

echo "authorization matrix (beta's: $U, meridian's: $C):"
sed 's/ *$//' "$tmp/matrix" > "$tmp/matrix.txt"
cat "$tmp/matrix.txt"
if [ "${UPDATE:-0}" = 1 ]; then cp "$tmp/matrix.txt" "$here/matrix.expected"; echo "(matrix.expected rewritten)"; fi
# One check per cell against matrix.expected.
awk -v out="$tmp/mx.count" '
    NR == FNR { want[FNR] = $0; nw = FNR; next }
    {
        got = $0; line = want[FNR]
        if (FNR == 1) { if (got != line) { print "FAIL matrix header differs:\n  expected: " line "\n  got:      " got; f++ } else p++; next }
        split(got, g, / +/); split(line, w, / +/)
        for (i = 4; i <= 9; i++) {
            if (g[i] == w[i]) p++
            else { print "FAIL server API: matrix " g[1] " " g[2] " (" g[3] ") as " roles[i]  ": " g[i] ", expected " w[i]; f++ }
        }
    }
    BEGIN { split("x x x admin manager auditor beta meridian anon", roles, " ") }
    END { if (FNR != nw) { print "FAIL matrix has " FNR " lines, matrix.expected " nw; f++ } print p + 0, f + 0 > out }
' "$here/matrix.expected" "$tmp/matrix.txt"
read -r mp mf < "$tmp/mx.count"
pass=$((pass + mp)) fail=$((fail + mf))

stop main

# ======================================================================
# 12. every JSON answer above against docs/openapi.json
# ======================================================================
if python3 -c 'import openapi_spec_validator, openapi_schema_validator' 2> /dev/null; then
    if python3 -c 'import json, sys; from openapi_spec_validator import validate; validate(json.load(open(sys.argv[1])))' \
        "$root/docs/openapi.json" 2> "$tmp/oas.err"; then ok; else
        bad "docs/openapi.json is a valid OpenAPI 3 document:"; tail -n 5 "$tmp/oas.err"; fi
    python3 "$here/oas_check.py" "$root/docs/openapi.json" "$tmp/log/index" > "$tmp/oas.out" 2>&1
    last=$(tail -n 1 "$tmp/oas.out")
    case $last in
        [0-9]*" "[0-9]*)
            sed '$d' "$tmp/oas.out"
            pass=$((pass + ${last% *})) fail=$((fail + ${last#* })) ;;
        *) bad "oas_check.py ran to its end:"; tail -n 20 "$tmp/oas.out" ;;
    esac
else
    echo "note: python3 has no openapi-spec-validator / openapi-schema-validator: answers not checked against openapi.json"
fi

echo "server API: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
