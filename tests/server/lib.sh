# lib.sh - what tests/server/run.sh and shared-sessions.sh share: servers
# started and stopped, requests with curl, checks.  Sourced after setting
# LICET, DB (the store's URL or file), tmp (a fresh directory), suite (the
# name failures are reported under) and backend.  PW is the users'
# password, when a test signs in.

servers=""
stop_all() {
    for p in $servers; do kill -TERM "$p" 2> /dev/null; done
    for p in $servers; do wait "$p" 2> /dev/null; done
    servers=""
}
# KEEP=1 keeps the temporary directory (servers' stderr, answers) and says where.
trap 'stop_all; if [ "${KEEP:-0}" = 1 ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi' EXIT
trap 'exit 130' INT TERM

pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $suite ($backend): $*"; fail=$((fail + 1)); }
show() { printf '  got %s: ' "$code"; head -c 600 "$tmp/b"; echo; }

# ---- servers ----
# start NAME [OPTION...]: a server on a free port; its URL in $base and
# base_NAME, its pid in pid_NAME.
start() {
    _n=$1; shift
    "$LICET" serve --db "$DB" --listen 127.0.0.1:0 --threads 2 --today "${SERVER_TODAY:-2026-11-23}" "$@" > "$tmp/$_n.out" 2> "$tmp/$_n.err" &
    _p=$!
    servers="$servers $_p"
    eval "pid_$_n=$_p"
    _i=0 _l=""
    while [ $_i -lt 300 ]; do
        _l=$(head -n 1 "$tmp/$_n.out" 2> /dev/null)
        [ -n "$_l" ] && break
        kill -0 $_p 2> /dev/null || break
        sleep 0.1
        _i=$((_i + 1))
    done
    case $_l in
        "licet serve: http://127.0.0.1:"*/) base=${_l#licet serve: }; base=${base%/} ;;
        *) echo "$suite: the server did not start (first line: \"$_l\")" >&2; cat "$tmp/$_n.err" >&2; exit 1 ;;
    esac
    eval "base_$_n=\$base"
}
# stop NAME: SIGTERM; it must exit 0 with nothing on stderr (so no
# sanitizer report either).
stop() {
    eval "_p=\$pid_$1"
    kill -TERM "$_p"
    wait "$_p"
    _rc=$?
    servers=$(echo "$servers" | tr ' ' '\n' | grep -vx "$_p" | tr '\n' ' ')
    if [ $_rc = 0 ] && [ ! -s "$tmp/$1.err" ]; then ok; else
        bad "server $1 stops on SIGTERM with exit 0 and nothing on stderr: exit $_rc, stderr:"
        head -c 4000 "$tmp/$1.err"
    fi
}

# ---- requests and checks ----
# req METHOD PATH [CURL-ARG...]: the status in $code, the body in $tmp/b,
# the headers (CR removed) in $tmp/h.
req() {
    _m=$1 _p=$2
    shift 2
    code=$(curl -sS -g -o "$tmp/b" -D "$tmp/h0" -w '%{http_code}' -X "$_m" "$@" "$base$_p" 2> "$tmp/curl.err") ||
        code="curl-failed($(cat "$tmp/curl.err"))"
    tr -d '\r' < "$tmp/h0" > "$tmp/h" 2> /dev/null
    # JSON answers are kept for the check against openapi.json (the end).
    if [ -d "$tmp/log" ] && grep -q '^Content-Type: application/json' "$tmp/h"; then
        nlog=$((nlog + 1))
        cp "$tmp/b" "$tmp/log/$nlog"
        echo "$code $_m $_p $tmp/log/$nlog" >> "$tmp/log/index"
    fi
}
# as ROLE METHOD PATH [CURL-ARG...]: with ROLE's API token (anon: none).
as() {
    _r=$1
    shift
    if [ "$_r" = anon ]; then req "$@"; return; fi
    eval "_t=\$tok_$_r"
    _m=$1 _p=$2
    shift 2
    req "$_m" "$_p" -H "Authorization: Bearer $_t" "$@"
}
# login NAME: signs in; the cookie in cookie_NAME, the CSRF token in csrf_NAME.
login() {
    req POST /api/login -H 'Content-Type: application/json' --data-binary "{\"name\":\"$1\",\"password\":\"$PW\"}"
    _c=$(sed -n 's/^[Ss]et-[Cc]ookie: licet_session=\([0-9a-f]*\);.*/\1/p' "$tmp/h")
    _x=$(jv 'd["csrf"]' 2> /dev/null)
    eval "cookie_$1=\$_c csrf_$1=\$_x"
}
# with NAME METHOD PATH [CURL-ARG...]: with NAME's session cookie and CSRF
# token; nocsrf: the cookie alone.
with() {
    eval "_c=\$cookie_$1 _x=\$csrf_$1"
    shift
    _m=$1 _p=$2
    shift 2
    req "$_m" "$_p" -b "licet_session=$_c" -H "X-CSRF-Token: $_x" "$@"
}
nocsrf() {
    eval "_c=\$cookie_$1"
    shift
    _m=$1 _p=$2
    shift 2
    req "$_m" "$_p" -b "licet_session=$_c" "$@"
}
JSON='Content-Type: application/json'

# expect NAME STATUS [BODY]: the last answer had STATUS (and exactly BODY
# and a newline).
expect() {
    if [ "$code" != "$2" ]; then bad "$1: status $code, expected $2"; show; return; fi
    if [ $# -ge 3 ]; then
        printf '%s\n' "$3" > "$tmp/want"
        if ! cmp -s "$tmp/want" "$tmp/b"; then
            bad "$1: body differs"
            printf '  expected: '; head -c 800 "$tmp/want"
            printf '  got:      '; head -c 800 "$tmp/b"; echo
            return
        fi
    fi
    ok
}
# expect_file NAME STATUS FILE: the body is FILE byte for byte.
expect_file() {
    if [ "$code" != "$2" ]; then bad "$1: status $code, expected $2"; show; return; fi
    if cmp -s "$3" "$tmp/b"; then ok; else
        bad "$1: body differs from $(basename "$3") (- expected, + got):"
        diff "$3" "$tmp/b" | head -n 20
    fi
}
# header NAME REGEX: a header line of the last answer matches REGEX (ERE).
header() {
    if grep -qE "$2" "$tmp/h"; then ok; else bad "$1: no header line matches /$2/:"; sed 's/^/  /' "$tmp/h"; fi
}
no_header() {
    if grep -qE "$2" "$tmp/h"; then bad "$1: a header line matches /$2/:"; grep -E "$2" "$tmp/h"; else ok; fi
}
# jcheck NAME STATUS EXPR: the status, and the Python expression EXPR over
# the body's JSON as d (J(path) loads a JSON file, T(path) reads a text
# file, E is the environment) is true.
PYHELP='
import json, os, re, sys
E = os.environ
def J(p): return json.load(open(p))
def T(p): return open(p, encoding="utf-8").read()
try: d = json.load(open(sys.argv[1]))
except Exception as e: d = None; print("  not JSON:", e)
'
jcheck() {
    if [ "$code" != "$2" ]; then bad "$1: status $code, expected $2"; show; return; fi
    if python3 -c "$PYHELP
sys.exit(0 if d is not None and ($3) else 1)" "$tmp/b"; then ok; else bad "$1: not true: $3"; show; fi
}
# jv EXPR: prints EXPR over the last answer's JSON (strings as they are).
jv() {
    python3 -c "$PYHELP
v = $1
print(v if isinstance(v, str) else json.dumps(v))" "$tmp/b"
}
# cli FILE ARG...: runs licet with the store, its stdout to FILE.
cli() {
    _f=$1
    shift
    "$LICET" "$@" > "$_f" 2> "$tmp/cli.err" || true
}
