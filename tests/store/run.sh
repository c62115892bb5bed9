#!/bin/sh
# run.sh LICET - the portfolio store suite (SQLite).
#
# 1. parity: every case of tests/status/cases and tests/royalties/cases is
#    replayed through a fresh store (init, add, record) and evaluated from
#    it by agreement id; the JSON must equal the case's expected.json
#    except the receipt's inputs_sha256 (it hashes the events file's bytes,
#    and the store's events text is not that file) and the "at" of
#    rejected events (it names the line of the ledger's events text).
# 2. scenario: init, add (new, unchanged, new version, invalid), record
#    (rejections, idempotence), import-sales (idempotence, revision),
#    list, royalties and status from the store, verify, the guards against
#    UPDATE and DELETE, and verify catching one changed byte; the whole
#    transcript must equal scenario.expected byte for byte.
# 3. crash: an import of a large report killed with SIGKILL at random
#    points; the chain must verify, the report be wholly present or
#    absent, and re-importing complete it exactly once.
# UPDATE=1 rewrites scenario.expected from the current transcript.
set -u
LICET=${1:?usage: run.sh LICET}
here=$(cd "$(dirname "$0")" && pwd)
tests=$(cd "$here/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL store: $*"; fail=$((fail + 1)); }

# ---- 1. parity with the file-based suites ----
norm() { grep -v inputs_sha256 "$1" | sed 's|"at": "[^"]*"|AT|'; }
for suite in status royalties; do
    for dir in "$tests/$suite/cases"/*/; do
        name=$(basename "$dir")
        if [ -f "$dir/agreement" ]; then ag="$tests/$suite/agreements/$(cat "$dir/agreement")"; else ag="$dir/agreement.yaml"; fi
        ev=""
        [ -f "$dir/events.yaml" ] && ev="$dir/events.yaml"
        [ -f "$dir/events.jsonl" ] && ev="$dir/events.jsonl"
        db="$tmp/parity.db"
        rm -f "$db" "$db-wal" "$db-shm"
        "$LICET" init --db "$db" > /dev/null &&
            "$LICET" add --db "$db" "$ag" > "$tmp/add.txt" 2> /dev/null || { bad "$suite/$name: init/add failed"; continue; }
        id=$(sed -n 's/: stored as version 1$//p' "$tmp/add.txt")
        [ -n "$ev" ] && "$LICET" record --db "$db" "$ev" > /dev/null 2>&1
        # shellcheck disable=SC2046
        "$LICET" "$suite" "$id" --db "$db" $(cat "$dir/args") --json > "$tmp/out.json" 2> "$tmp/err.txt"
        norm "$tmp/out.json" > "$tmp/o"
        norm "$dir/expected.json" > "$tmp/e"
        if cmp -s "$tmp/o" "$tmp/e"; then ok; else
            bad "$suite/$name from the store differs from expected.json"
            diff "$tmp/e" "$tmp/o" | head -10
            head -5 "$tmp/err.txt"
        fi
    done
done
echo "store parity: $pass cases passed, $fail failed"

# ---- 2. the scenario, as one transcript ----
work="$tmp/work"
mkdir -p "$work"
cp "$here"/*.csv "$here/events.yaml" "$tests/royalties/agreements/marginal.yaml" "$work/"
sed 's/title: Marginal royalty tiers/title: Marginal royalty tiers (amended)/' "$tests/royalties/agreements/marginal.yaml" > "$work/marginal-v2.yaml"
sed 's/currency: USD/currency: XXY/' "$tests/royalties/agreements/marginal.yaml" > "$work/broken.yaml"
t="$tmp/transcript.txt"
: > "$t"
# run ARGS...: the command line, its stdout and stderr, its exit status
run() {
    echo "\$ licet $*" >> "$t"
    (cd "$work" && LICET_DB= "$LICET" "$@") >> "$t" 2>&1
    echo "[exit $?]" >> "$t"
}
sq() {
    echo "\$ sqlite3 licet.db \"$1\"" >> "$t"
    (cd "$work" && sqlite3 licet.db "$1") >> "$t" 2>&1
    echo "[exit $?]" >> "$t"
}
run list
run init
run init --db sqlite:other.db
run add marginal.yaml
run add marginal.yaml
run add broken.yaml
run add marginal-v2.yaml
run record events.yaml
run record events.yaml
run import-sales --agreement ROY-MARGINAL --period 2026-Q1 --date 2026-04-20 q1.csv
run import-sales --agreement ROY-MARGINAL --period 2026-Q1 --date 2026-04-28 q1.csv
run import-sales --agreement ROY-MARGINAL --period 2026-Q2 --date 2026-07-20 q2.csv
run import-sales --agreement ROY-MARGINAL --period 2026-Q2 --date 2026-07-25 q2-revised.csv
run import-sales --agreement ROY-MARGINAL --period 2026-Q2 --date 2026-07-26 q2.csv
run import-sales --agreement NOPE --period 2026-Q2 q2.csv
run list
run list ROY-MARGINAL
run royalties ROY-MARGINAL --period 2026-Q2
run status ROY-MARGINAL --as-of 2026-12-31
run status NOPE --as-of 2026-12-31
run status ROY-MARGINAL --events events.yaml --as-of 2026-12-31
run verify
sq "UPDATE ledger SET ident = 'x' WHERE seq = 2"
sq "DELETE FROM ledger WHERE seq = 2"
sq "DELETE FROM agreement_versions"
sq "DROP TRIGGER ledger_no_update; UPDATE ledger SET content = replace(content, '\"100.00\"', '\"900.00\"') WHERE seq = 1"
run verify
sq "UPDATE ledger SET content = replace(content, '\"900.00\"', '\"100.00\"') WHERE seq = 1; UPDATE ledger SET hash = '0' || substr(hash, 2) WHERE seq = 4"
run verify
run verify --db postgresql://localhost/licet
run verify --db missing.db
if [ "${UPDATE:-0}" = 1 ]; then cp "$t" "$here/scenario.expected"; fi
if cmp -s "$t" "$here/scenario.expected"; then ok; else
    bad "scenario transcript differs from scenario.expected"
    diff "$here/scenario.expected" "$t" | head -40
fi

# ---- 3. crash: SIGKILL during a large import ----
crash="$tmp/crash"
mkdir -p "$crash"
cp "$tests/royalties/agreements/marginal.yaml" "$crash/"
awk 'BEGIN { print "period,date,country,gross_sales,currency";
             for (i = 0; i < 40000; i++) printf "2026-Q3,2026-08-%02d,US,%d.%02d,USD\n", 1 + i % 28, 100 + i, i % 100 }' > "$crash/big.csv"
(cd "$crash" && "$LICET" init --db c.db > /dev/null && "$LICET" add --db c.db marginal.yaml > /dev/null)
imp() { (cd "$crash" && exec "$LICET" import-sales --db c.db --agreement ROY-MARGINAL --period 2026-Q3 --date 2026-10-01 big.csv); }
rows() { sqlite3 "$crash/c.db" "SELECT count(*) FROM ledger WHERE kind = 'report'"; }
crash_ok=1
for i in 1 2 3 4 5; do
    imp > /dev/null 2>&1 &
    pid=$!
    sleep "$(awk -v s="$i$$" 'BEGIN { srand(s); printf "%.2f", rand() * 2.5 }')"
    kill -9 "$pid" 2> /dev/null
    wait "$pid" 2> /dev/null
    n=$(rows)
    if ! (cd "$crash" && "$LICET" verify --db c.db > /dev/null); then crash_ok=0; echo "crash $i: verify failed"; fi
    if [ "$n" != 0 ] && [ "$n" != 1 ]; then crash_ok=0; echo "crash $i: $n report rows"; fi
    if [ "$n" = 1 ] && [ "$(sqlite3 "$crash/c.db" "SELECT json_array_length(content, '\$.payload.lines') FROM ledger WHERE kind = 'report'")" != 40000 ]; then
        crash_ok=0; echo "crash $i: a partial report"; fi
    imp > "$crash/re.txt" 2>&1 || { crash_ok=0; echo "crash $i: re-import failed"; cat "$crash/re.txt"; }
    if [ "$(rows)" != 1 ]; then crash_ok=0; echo "crash $i: $(rows) report rows after re-import"; fi
    rm -f "$crash/c.db" "$crash/c.db-wal" "$crash/c.db-shm"
    (cd "$crash" && "$LICET" init --db c.db > /dev/null && "$LICET" add --db c.db marginal.yaml > /dev/null)
done
if [ $crash_ok = 1 ]; then ok; else bad "crash test"; fi

echo "store: $pass passed, $fail failed"
[ $fail -eq 0 ]
