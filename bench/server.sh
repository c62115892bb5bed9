#!/bin/sh
# server.sh - `licet serve` under load, beside nginx serving the same JSON
# as a static file (issue 6; not in make test).
#
#   sh bench/server.sh [LICET]               (default build/licet)
#
# Seeds a throw-away SQLite store as `make run` does (the examples, the
# calendar test's events, the 2027-Q3 sales report), makes a manager and
# an API token, starts `licet serve --threads BENCH_THREADS` (default 2,
# the machine's cores) on a free loopback port and nginx (its own config,
# pid, logs and temp paths in a temporary directory; BENCH_THREADS worker
# processes, keep-alive without a request cap) serving the status JSON the
# server returned.  Then runs wrk with the same settings against each for
# BENCH_SECONDS (default 30), -t BENCH_WRK_THREADS (2) -c
# BENCH_CONNECTIONS (32) --latency, every request carrying the token:
#   licet cached    GET /api/agreements/UNIX-BETA-2025-01/status?as_of=2027-12-31
#                   (the state cache answers after the first request; the
#                   token, the agreement and the ledger head are still
#                   checked against the store on every request);
#   licet uncached  the same with a different as_of on every request (a
#                   wrk Lua script walks the days from 2025-01-01), so the
#                   deal is evaluated each time;
#   nginx           the static file.
# Prints requests/s, p99 latency and licet cached / nginx.  Targets: the
# ratio >= 0.5 and licet's cached p99 < 20 ms.  The two cores are shared
# by wrk and the server, for nginx the same.  Exit 1 when a run fails
# (server not up, non-2xx answers, socket errors) - not on a missed
# target, which is printed as MISSED.
#
# Needs wrk and nginx (Debian packages wrk and nginx-light: installed with
# apt-get when missing and running as root), curl and python3.  Every
# process it starts is stopped on exit.  POSIX sh.
set -eu

licet=${1:-build/licet}
case $licet in /*) ;; *) licet=$PWD/$licet ;; esac
cd "$(dirname "$0")/.."
secs=${BENCH_SECONDS:-30}
threads=${BENCH_THREADS:-2}
wthreads=${BENCH_WRK_THREADS:-2}
conns=${BENCH_CONNECTIONS:-32}
id=UNIX-BETA-2025-01
path="/api/agreements/$id/status"
query="as_of=2027-12-31"

for v in "$secs" "$threads" "$wthreads" "$conns"; do
    case $v in '' | *[!0-9]* | 0) echo "bench: BENCH_SECONDS, BENCH_THREADS, BENCH_WRK_THREADS and BENCH_CONNECTIONS must be positive numbers" >&2; exit 2 ;; esac
done
[ -x "$licet" ] || { echo "bench: $licet is missing (make build/licet first)" >&2; exit 2; }

missing=
command -v wrk >/dev/null 2>&1 || missing="$missing wrk"
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing="$missing nginx-light"
command -v curl >/dev/null 2>&1 || missing="$missing curl"
if [ -n "$missing" ]; then
    [ "$(id -u)" = 0 ] || { echo "bench: missing:$missing (apt-get install them as root)" >&2; exit 2; }
    echo "bench: installing$missing (apt-get)" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
nginx=$(command -v nginx || echo /usr/sbin/nginx)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/licet-bench-server.XXXXXX")
chmod 755 "$tmp" # nginx's workers may run as another user and read www/
server_pid=
nginx_pid=
cleanup() {
    [ -z "$server_pid" ] || { kill "$server_pid" 2>/dev/null || :; wait "$server_pid" 2>/dev/null || :; }
    [ -z "$nginx_pid" ] || { kill "$nginx_pid" 2>/dev/null || :; wait "$nginx_pid" 2>/dev/null || :; }
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- the store, a user, a token ----
db=$tmp/bench.db
{
    "$licet" init --db "$db"
    for f in examples/*.yaml; do "$licet" add --db "$db" "$f"; done
    "$licet" record --db "$db" --agreement "$id" tests/calendar/events.yaml
    "$licet" import-sales --db "$db" --agreement "$id" --period 2027-Q3 --date 2027-10-20 \
        examples/sales/unix-beta-2027-Q3.csv
    head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n' | "$licet" user add --db "$db" bench --role manager
} > "$tmp/seed.log" 2>&1 || { echo "bench: seeding the store failed:" >&2; cat "$tmp/seed.log" >&2; exit 1; }
token=$("$licet" user token --db "$db" bench | tail -n 1)

# ---- licet serve ----
"$licet" serve --db "$db" --listen 127.0.0.1:0 --threads "$threads" > "$tmp/serve.out" 2> "$tmp/serve.err" &
server_pid=$!
url=
i=0
while [ $i -lt 100 ]; do
    url=$(sed -n '1s/^licet serve: //p' "$tmp/serve.out")
    [ -n "$url" ] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
    i=$((i + 1))
done
[ -n "$url" ] || { echo "bench: licet serve did not start:" >&2; cat "$tmp/serve.err" >&2; exit 1; }
base=${url%/}

mkdir -p "$tmp/www$(dirname "$path")"
code=$(curl -s -o "$tmp/www$path" -w '%{http_code}' -H "Authorization: Bearer $token" "$base$path?$query")
[ "$code" = 200 ] || { echo "bench: GET $path?$query answered $code:" >&2; cat "$tmp/www$path" >&2; exit 1; }
chmod -R a+rX "$tmp/www"
bytes=$(wc -c < "$tmp/www$path" | tr -d ' ')

# ---- nginx on the same JSON ----
nport=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$tmp/nginx"
user_line=
[ "$(id -u)" = 0 ] && user_line="user root;"
cat > "$tmp/nginx/nginx.conf" <<EOF
$user_line
worker_processes $threads;
daemon off;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $tmp/nginx/body;
    proxy_temp_path $tmp/nginx/proxy;
    fastcgi_temp_path $tmp/nginx/fastcgi;
    uwsgi_temp_path $tmp/nginx/uwsgi;
    scgi_temp_path $tmp/nginx/scgi;
    keepalive_requests 100000000;
    keepalive_timeout 60s;
    server {
        listen 127.0.0.1:$nport;
        root $tmp/www;
        location / { default_type application/json; }
    }
}
EOF
"$nginx" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" 2> "$tmp/nginx/stderr" &
nginx_pid=$!
i=0
until curl -s -o /dev/null "http://127.0.0.1:$nport$path"; do
    i=$((i + 1))
    if [ $i -ge 100 ] || ! kill -0 "$nginx_pid" 2>/dev/null; then
        echo "bench: nginx did not start:" >&2
        cat "$tmp/nginx/stderr" "$tmp/nginx/error.log" >&2 2>/dev/null || :
        exit 1
    fi
    sleep 0.1
done
cmp -s "$tmp/www$path" - <<EOF || { echo "bench: nginx does not serve the same bytes" >&2; exit 1; }
$(curl -s "http://127.0.0.1:$nport$path?$query")
EOF

# The uncached run: request n (thread k of T takes n = START + k, k + T,
# ...) asks as_of 2025-01-01 + (n mod 1826) days and known_at 2030-01-01 +
# (n div 1826) days: every (as_of, known_at) pair is new, so the state is
# evaluated each time, on dates inside the deal's life (the answer stays
# about the cached one's size; known_at after as_of changes nothing but
# the key).  setup() runs in the main Lua state, init() in each thread's.
# lua ROUND: the script for one round (START = ROUND x 10^6).
lua() {
    cat <<EOF
local count = 0
function setup(thread)
    thread:set("first", count)
    count = count + 1
end
function init(args)
    n = $1 * 1000000 + tonumber(wrk.thread:get("first"))
end
local asof = os.time({year = 2025, month = 1, day = 1, hour = 12})
local known = os.time({year = 2030, month = 1, day = 1, hour = 12})
function request()
    local a = os.date("%Y-%m-%d", asof + (n % 1826) * 86400)
    local k = os.date("%Y-%m-%d", known + math.floor(n / 1826) * 86400)
    n = n + $wthreads
    return wrk.format("GET", wrk.path .. "?as_of=" .. a .. "&known_at=" .. k)
end
EOF
}

# The machine is shared (wrk, the server, and whatever else runs there),
# so the time is cut into BENCH_ROUNDS rounds (default 3) that take turns:
# licet cached, nginx, licet uncached, then again; a slow spell then falls
# on all three alike.
rounds=${BENCH_ROUNDS:-3}
case $rounds in '' | *[!0-9]* | 0) echo "bench: BENCH_ROUNDS must be a positive number" >&2; exit 2 ;; esac
[ "$rounds" -le "$secs" ] || rounds=$secs
per=$((secs / rounds))

# run NAME ROUND URL [wrk options]: wrk's output to $tmp/NAME-ROUND.wrk,
# and "NAME ROUND REQ/S P99_MS REQUESTS SECONDS ERRORS" to $tmp/results.
run() {
    name=$1 round=$2 target=$3
    shift 3
    echo "bench: round $round/$rounds: wrk -t$wthreads -c$conns -d${per}s --latency ($name)" >&2
    out=$tmp/$name-$round.wrk
    wrk -t"$wthreads" -c"$conns" -d"${per}s" --latency -H "Authorization: Bearer $token" "$@" "$target" \
        > "$out" 2>&1 || { cat "$out" >&2; return 1; }
    awk -v name="$name" -v round="$round" '
        function ms(v) {
            if (v ~ /us$/) return v / 1000
            if (v ~ /ms$/) return v + 0
            if (v ~ /m$/) return v * 60000
            if (v ~ /s$/) return v * 1000
            return v + 0
        }
        /^ +99%/ { p99 = ms($2) }
        /requests in/ { n = $1; t = $4; sub(/s,?$/, "", t) }
        /Requests\/sec:/ { rps = $2 }
        /Non-2xx or 3xx responses:/ { bad += $NF }
        /Socket errors:/ { for (i = 3; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) bad += $i + 0 }
        END { printf "%s %d %.1f %.3f %d %.3f %d\n", name, round, rps, p99, n, t, bad }' "$out" >> "$tmp/results"
}

: > "$tmp/results"
r=1
while [ "$r" -le "$rounds" ]; do
    run cached "$r" "$base$path?$query"
    run nginx "$r" "http://127.0.0.1:$nport$path?$query"
    lua "$r" > "$tmp/uncached-$r.lua"
    run uncached "$r" "$base$path" -s "$tmp/uncached-$r.lua"
    r=$((r + 1))
done

status=0
awk -v secs="$secs" -v per="$per" -v rounds="$rounds" -v bytes="$bytes" -v t="$threads" -v wt="$wthreads" \
    -v c="$conns" -v id="$id" '
{
    n[$1] += $5; time[$1] += $6; bad[$1] += $7
    if ($4 > p99[$1]) p99[$1] = $4
    rps[$1, $2] = $3
}
END {
    printf "GET /api/agreements/%s/status (%d bytes of JSON), Authorization: Bearer\n", id, bytes
    printf "wrk -t%d -c%d --latency, %d rounds of %d s each (%d s per line); licet --threads %d, nginx %d workers\n",
        wt, c, rounds, per, rounds * per, t, t
    printf "%-17s %11s %11s %10s %8s   %s\n", "", "requests/s", "p99 ms (*)", "requests", "errors", "requests/s by round"
    split("cached uncached nginx", order, " ")
    label["cached"] = "licet (cached)"; label["uncached"] = "licet (uncached)"; label["nginx"] = "nginx (static)"
    for (i = 1; i <= 3; i++) {
        k = order[i]
        all[k] = time[k] > 0 ? n[k] / time[k] : 0
        by = ""
        for (r = 1; r <= rounds; r++) by = by sprintf(" %.0f", rps[k, r])
        printf "%-17s %11.1f %11.2f %10d %8d  %s\n", label[k], all[k], p99[k], n[k], bad[k], by
        if (bad[k] > 0) failed = 1
    }
    printf "(*) the worst round'"'"'s 99th percentile\n"
    ratio = all["nginx"] > 0 ? all["cached"] / all["nginx"] : 0
    by = ""
    for (r = 1; r <= rounds; r++) by = by sprintf(" %.2f", (rps["nginx", r] > 0 ? rps["cached", r] / rps["nginx", r] : 0))
    printf "licet cached / nginx: %.2f (by round:%s; target >= 0.50: %s)\n", ratio, by, (ratio >= 0.5 ? "met" : "MISSED")
    printf "licet cached p99: %.2f ms (target < 20 ms: %s)\n", p99["cached"], (p99["cached"] < 20 ? "met" : "MISSED")
    printf "licet uncached / cached: %.3f\n", (all["cached"] > 0 ? all["uncached"] / all["cached"] : 0)
    exit failed
}' "$tmp/results" || status=$?
if [ "$status" -ne 0 ]; then
    echo "bench: FAILED: errors or non-2xx answers (wrk outputs follow)" >&2
    cat "$tmp"/*.wrk >&2
    exit 1
fi
