#!/bin/sh
# hardening.sh LICET - the limits of `licet serve`, over real sockets on
# loopback (python3; not part of run.sh's route tests).
#
# Seeds a SQLite store in a temporary directory (examples/*.yaml, the
# calendar suite's events, an admin with an API token) and starts:
#   A  --max-body 4096 --timeout 2
#   B  --max-connections 4 --timeout 30
#   C  on a copy of the store that is then overwritten with zeros
# and checks:
#   - a body over --max-body gets 413 with a JSON message: announced by
#     Content-Length (answered before the body is sent), or chunked, on a
#     JSON route and on the streamed upload route; one just under the
#     limit is not refused for its size; a chunked body that goes on
#     for megabytes past the limit is not read for ever (the connection
#     is closed);
#   - an idle connection, one that sent half a request head, and an idle
#     keep-alive connection are closed after --timeout (not before);
#   - --max-connections: with 4 connections open a fifth is not served
#     until one of them closes, then it is;
#   - API error answers (404, 405, 401, 400, 422, 503 from a broken store,
#     bytes that are not UTF-8 in the path or a query argument) are JSON
#     {"error":{"status":N,"message":...}} with the security headers and
#     no SQL, SQLite, file path or stack trace; a missing page is an HTML
#     404 page with the same headers and none of those; libmicrohttpd's own
#     answers to a malformed request line or an oversized head (HTML from
#     the library, or a close) carry none of those either;
#   - every server stops on SIGTERM with exit 0.
# Known limit, not tested: --timeout is an idle timeout, so a client that
# trickles a byte of its request head every second keeps its connection
# (libmicrohttpd 0.9.75 has no deadline for the whole head).
#
# Prints one line per failure and last "server hardening: N passed, M
# failed"; exit 1 on a failure.  About 15 s.  KEEP=1 keeps the directory.
set -u
LICET=${1:?usage: hardening.sh LICET}
case $LICET in /*) ;; *) LICET=$PWD/$LICET ;; esac
cd "$(dirname "$0")/../.." || exit 2
command -v python3 > /dev/null || { echo "hardening.sh: python3 is missing" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/licet-hardening.XXXXXX")
pids=""
cleanup() {
    for p in $pids; do kill -TERM "$p" 2> /dev/null; done
    for p in $pids; do wait "$p" 2> /dev/null; done
    if [ "${KEEP:-0}" = 1 ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

db=$tmp/store.db
{
    "$LICET" init --db "$db" &&
        for f in examples/*.yaml; do "$LICET" add --db "$db" "$f" || exit 1; done &&
        "$LICET" record --db "$db" --agreement UNIX-BETA-2025-01 tests/calendar/events.yaml &&
        head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n' | "$LICET" user add --db "$db" admin --role admin
} > "$tmp/seed.log" 2>&1 || { echo "hardening.sh: seeding failed:" >&2; cat "$tmp/seed.log" >&2; exit 1; }
token=$("$LICET" user token --db "$db" admin | tail -n 1)
cp "$db" "$tmp/broken.db"

# start NAME DB [OPTION...]: its port in $tmp/NAME.port (not run in a
# subshell, so that the server is this shell's child and can be waited for).
start() {
    _n=$1 _db=$2
    shift 2
    "$LICET" serve --db "$_db" --listen 127.0.0.1:0 --threads 2 "$@" > "$tmp/$_n.out" 2> "$tmp/$_n.err" &
    _p=$!
    pids="$pids $_p"
    echo "$_p" > "$tmp/$_n.pid"
    _i=0
    while [ $_i -lt 100 ]; do
        _l=$(head -n 1 "$tmp/$_n.out" 2> /dev/null)
        case $_l in "licet serve: http://127.0.0.1:"*/) break ;; esac
        kill -0 "$_p" 2> /dev/null || break
        sleep 0.1
        _i=$((_i + 1))
    done
    case $_l in
        "licet serve: http://127.0.0.1:"*/) _l=${_l#licet serve: http://127.0.0.1:}; echo "${_l%/}" > "$tmp/$_n.port" ;;
        *) echo "hardening.sh: server $_n did not start" >&2; cat "$tmp/$_n.err" >&2; exit 1 ;;
    esac
}
start a "$db" --max-body 4096 --timeout 2
start b "$db" --max-connections 4 --timeout 30
start c "$tmp/broken.db"

python3 - "$(cat "$tmp/a.port")" "$(cat "$tmp/b.port")" "$(cat "$tmp/c.port")" "$token" "$tmp" > "$tmp/results" <<'EOF'
import json, re, socket, sys, time

port_a, port_b, port_c = (int(p) for p in sys.argv[1:4])
token, tmp = sys.argv[4], sys.argv[5]
passed = failed = 0

def check(cond, what, got=""):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL hardening: %s%s" % (what, (": got " + repr(got)[:400]) if got != "" else ""))

def connect(port):
    return socket.create_connection(("127.0.0.1", port), timeout=10)

def read_response(s, timeout=10):
    """(status, headers, body) of one response, or (None, ..., why)."""
    s.settimeout(timeout)
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            d = s.recv(65536)
            if not d:
                return None, {}, "closed: " + repr(data[:200])
            data += d
        head, body = data.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for l in lines[1:]:
            k, _, v = l.partition(":")
            headers[k.strip().lower()] = v.strip()
        if "content-length" in headers:
            n = int(headers["content-length"])
            while len(body) < n:
                d = s.recv(65536)
                if not d:
                    break
                body += d
        return status, headers, body
    except socket.timeout:
        return None, {}, "timeout"
    except (ConnectionResetError, BrokenPipeError) as e:
        return None, {}, "reset: %s" % e

def request(port, method, path, headers=None, body=None, chunked=False, auth=True):
    h = {"Host": "127.0.0.1", "Connection": "close"}
    if auth:
        h["Authorization"] = "Bearer " + token
    h.update(headers or {})
    if body is not None and not chunked:
        h["Content-Length"] = str(len(body))
    if chunked:
        h["Transfer-Encoding"] = "chunked"
    s = connect(port)
    try:
        s.sendall(("%s %s HTTP/1.1\r\n" % (method, path)).encode("latin-1")
                  + "".join("%s: %s\r\n" % kv for kv in h.items()).encode("latin-1") + b"\r\n")
        if body is not None:
            if chunked:
                for i in range(0, len(body), 1000):
                    part = body[i:i + 1000]
                    s.sendall(b"%x\r\n" % len(part) + part + b"\r\n")
                s.sendall(b"0\r\n\r\n")
            else:
                s.sendall(body)
        return read_response(s)
    except (ConnectionResetError, BrokenPipeError) as e:
        return None, {}, "reset: %s" % e
    finally:
        s.close()

FORBIDDEN = re.compile(r"sqlite|select |insert |update |delete from|constraint failed|near \"|traceback|"
                       r"stack|backtrace|\.c:\d|0x[0-9a-f]{6,}|/tmp/|\.db\b|segmentation|assert", re.I)

def clean(body):
    return not FORBIDDEN.search(body.decode("utf-8", "replace"))

def json_error(what, resp, statuses):
    status, headers, body = resp
    check(status in statuses, "%s: status %s" % (what, statuses), (status, body))
    if status is None:
        return
    try:
        e = json.loads(body)["error"]
        ok = isinstance(e.get("message"), str) and e["message"] and e.get("status") == status
    except Exception:
        ok = False
    check(ok, "%s: a JSON error with status and message" % what, body)
    check(headers.get("content-type", "").startswith("application/json"), "%s: Content-Type JSON" % what,
          headers.get("content-type"))
    check(headers.get("x-content-type-options") == "nosniff" and headers.get("x-frame-options") == "DENY",
          "%s: security headers" % what, headers)
    check(clean(body), "%s: no SQL, path or trace in the answer" % what, body)

# ---- body limits (server A: --max-body 4096) ----
big = b"a" * 5000
# Content-Length over the limit: the 413 comes before any body is sent.
s = connect(port_a)
s.sendall(b"POST /api/agreements HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token.encode()
          + b"\r\nContent-Length: 5000\r\n\r\n")
json_error("Content-Length 5000 > --max-body 4096, before the body", read_response(s, 5), {413})
s.close()
json_error("Content-Length 5000 > --max-body, with the body", request(port_a, "POST", "/api/agreements", body=big),
           {413})
# (past 2^64 libmicrohttpd answers itself: an HTML 413)
st, _, b = request(port_a, "POST", "/api/agreements", headers={"Content-Length": "99999999999999999999999"})
check(st == 413 and clean(b), "Content-Length: 99999999999999999999999: 413", (st, b))
json_error("Content-Length: 18446744073709551615", request(port_a, "POST", "/api/agreements",
           headers={"Content-Length": "18446744073709551615"}), {413})
json_error("chunked 5000 bytes > --max-body", request(port_a, "POST", "/api/agreements", body=big, chunked=True),
           {413})
json_error("upload, Content-Length 5000 > --max-body",
           request(port_a, "POST", "/api/agreements/UNIX-BETA-2025-01/reports", body=big), {413})
json_error("upload, chunked 5000 > --max-body",
           request(port_a, "POST", "/api/agreements/UNIX-BETA-2025-01/reports", body=big, chunked=True), {413})
st, _, b = request(port_a, "POST", "/api/agreements", body=b"x" * 4000)
check(st is not None and st != 413, "a body of 4000 bytes (under the limit) is not refused for its size", (st, b))
# A chunked body that goes on: the server must stop reading it.
s = connect(port_a)
s.sendall(b"POST /api/agreements HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
chunk = b"%x\r\n" % 65536 + b"a" * 65536 + b"\r\n"
sent, cut = 0, False
try:
    while sent < 64 << 20:
        s.sendall(chunk)
        sent += 65536
except (ConnectionResetError, BrokenPipeError, socket.timeout):
    cut = True
s.close()
check(cut and sent < 16 << 20, "an endless chunked body is cut off (not read for ever)", "%d MiB sent" % (sent >> 20))

# ---- timeouts (server A: --timeout 2) ----
def closed_after(s, limit):
    t0 = time.time()
    s.settimeout(limit)
    try:
        d = s.recv(100)
        return time.time() - t0 if not d else None
    except ConnectionResetError:
        return time.time() - t0
    except socket.timeout:
        return None

s = connect(port_a)
t = closed_after(s, 6)
check(t is not None and 1.5 <= t <= 4, "an idle connection is closed after --timeout 2", t)
s = connect(port_a)
s.sendall(b"GET /api/me HTTP/1.1\r\nHost: x\r\n")
t = closed_after(s, 6)
check(t is not None and 1.5 <= t <= 4, "half a request head is dropped after --timeout 2", t)
s = connect(port_a)
s.sendall(b"GET /api/openapi.json HTTP/1.1\r\nHost: x\r\n\r\n")
st, _, _ = read_response(s)
check(st == 200, "keep-alive: first answer", st)
t = closed_after(s, 6)
check(t is not None and 1.5 <= t <= 4, "an idle keep-alive connection is closed after --timeout 2", t)
s.close()

# ---- connection limit (server B: --max-connections 4) ----
held = [connect(port_b) for _ in range(4)]
time.sleep(0.3)
x = connect(port_b)
x.sendall(b"GET /api/openapi.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
st, _, why = read_response(x, 1.0)
check(st is None, "a fifth connection is not served while 4 are open", (st, why))
held[0].close()
st, _, why = read_response(x, 5) if st is None else (st, None, why)
check(st == 200, "the fifth is served once one of the 4 closes", (st, why))
x.close()
for h in held[1:]:
    h.close()

# ---- error answers ----
ag = "/api/agreements/UNIX-BETA-2025-01"
cases = [
    ("GET", "/api/nope", {}, None, True, {404}),
    ("GET", "/api/x%FF%FE", {}, None, True, {404}),
    ("GET", "/api/agreements/%FF/status", {}, None, True, {404}),
    ("GET", "/api/agreements/NOPE/status", {}, None, True, {404}),
    ("GET", ag + "/status?as_of=2027-13-45", {}, None, True, {400}),
    ("GET", ag + "/status?as_of=%FF%C3", {}, None, True, {400}),
    ("GET", ag + "/royalties/2027-Q9", {}, None, True, {400, 404}),
    ("DELETE", "/api/agreements", {}, None, True, {405}),
    ("GET", "/api/me", {}, None, False, {401}),
    ("GET", "/api/me", {"Authorization": "Bearer lic_" + "0" * 64}, None, False, {401}),
    ("GET", "/api/me", {"Authorization": "Bearer ' OR 1=1 --"}, None, False, {401}),
    ("POST", "/api/login", {"Content-Type": "application/json"}, b"{", False, {400}),
    ("POST", "/api/login", {"Content-Type": "application/json"},
     b'{"name":"admin","password":"wrong password"}', False, {401, 403}),
    ("POST", "/api/users", {"Content-Type": "application/json"},
     b'{"name":"admin","role":"admin","password":"long enough password"}', True, {400, 409}),
    ("POST", "/api/users", {"Content-Type": "application/json"},
     b'{"name":"x\'); DROP TABLE users; --","role":"admin","password":"long enough password","party":5}', True,
     {400}),
    ("POST", "/api/agreements", {"Content-Type": "application/yaml"}, b"licet: [unclosed", True, {400, 422}),
    ("POST", ag + "/events", {"Content-Type": "application/json"}, b"[1,2", True, {400, 422}),
    ("POST", ag + "/reviews", {"Content-Type": "application/json"}, b'{"period":"2027-Q3","decision":5}', True,
     {400}),
]
for method, path, headers, body, auth, statuses in cases:
    json_error("%s %s%s" % (method, path, " " + body[:30].decode("latin-1") if body else ""),
               request(port_a, method, path, headers, body, auth=auth), statuses)

# pages answer errors as HTML pages: the same headers, nothing internal
for path in ("/nope", "/x%FF%FE", "/agreements/NOPE"):
    st, h, b = request(port_a, "GET", path)
    check(st == 404 and h.get("content-type", "").startswith("text/html"), "GET %s: a 404 page" % path, (st, h))
    check(h.get("x-content-type-options") == "nosniff" and "content-security-policy" in h,
          "GET %s: security headers" % path, h)
    check(clean(b), "GET %s: no SQL, path or trace in the page" % path, b[:300])

# a broken store (server C's file overwritten with zeros)
with open(tmp + "/broken.db", "r+b") as f:
    n = f.seek(0, 2)
    f.seek(0)
    f.write(b"\0" * n)
for sfx in ("-wal", "-shm"):
    try:
        with open(tmp + "/broken.db" + sfx, "r+b") as f:
            n = f.seek(0, 2)
            f.seek(0)
            f.write(b"\0" * n)
    except FileNotFoundError:
        pass
json_error("a broken store", request(port_c, "GET", ag + "/status?as_of=2027-12-31"), {500, 503})

# libmicrohttpd's own answers
s = connect(port_a)
s.sendall(b"GARBAGE\r\n\r\n")
st, _, b = read_response(s)
check(st in (400, None) and clean(b.encode() if isinstance(b, str) else b),
      "a malformed request line: 400 or closed, nothing internal", (st, b))
s.close()
st, _, b = request(port_a, "GET", "/api/me", headers={"X-Big": "a" * 40000})
check(st in (400, 413, 431) and clean(b), "a 40 kB header: refused, nothing internal", (st, b))

print("RESULT %d %d" % (passed, failed))
EOF
grep -v '^RESULT' "$tmp/results"
# shellcheck disable=SC2046  # "PASSED FAILED" split into two words
set -- $(sed -n 's/^RESULT //p' "$tmp/results")
pass=${1:-0} fail=${2:-1}
[ -n "${1:-}" ] || echo "FAIL hardening: the python checks did not finish"

# every server stops on SIGTERM with exit 0
for n in a b c; do
    p=$(cat "$tmp/$n.pid")
    kill -TERM "$p"
    if wait "$p"; then pass=$((pass + 1)); else
        echo "FAIL hardening: server $n does not stop on SIGTERM with exit 0"
        fail=$((fail + 1))
    fi
    pids=$(echo "$pids" | tr ' ' '\n' | grep -vx "$p" | tr '\n' ' ')
done

echo "server hardening: $pass passed, $fail failed"
[ "$fail" = 0 ]
