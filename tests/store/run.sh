#!/bin/sh
# run.sh LICET [URL] - the portfolio store suite, on SQLite (no URL: a file
# in a temporary directory) or on the PostgreSQL database at URL
# (postgresql://...; scripts/pg-test.sh starts one; the suite drops and
# remakes its public schema and adds schemas parity1, parity2, ..., so
# give it a database of its own).  The same expected outputs hold on
# both: the transcript's database URL is written as licet.db, and the
# database tool's refusals as "refused: MESSAGE".
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
#    UPDATE and DELETE, and verify catching one changed byte; export and
#    import (into a new SQLite store: on PostgreSQL that crosses backends),
#    the two exports equal, a refused export into a non-empty directory,
#    an import into a non-empty store, an import of a changed export and
#    an export of a store whose chain is broken; the whole transcript must
#    equal scenario.expected byte for byte.
# 3. crash: an import of a large report killed with SIGKILL at
#    CRASH_POINTS (default 20) random points within 1.2 times the time
#    one whole import takes; the chain must verify, the report be wholly
#    present or absent, and re-importing complete it exactly once.
# 4. two writers: two processes record different events into one
#    database for CONC_SECONDS seconds (default 30, as issue 5 asks);
#    every event must be in the ledger once and the chain verify.
# 5. export and import on the same backend: a store exported, imported
#    into an empty store, exported again: the two directories must be
#    equal, status and royalties the same from both, the chain verify;
#    --progress says it is done.
# UPDATE=1 rewrites scenario.expected from the current transcript.
set -u
LICET=${1:?usage: run.sh LICET [URL]}
URL=${2:-}
CONC_SECONDS=${CONC_SECONDS:-30}
CRASH_POINTS=${CRASH_POINTS:-20}
case "$URL" in
    "") backend=sqlite ;;
    postgresql://* | postgres://*) backend=postgres ;;
    *) echo "run.sh: URL must be postgresql://... (SQLite needs none)" >&2; exit 2 ;;
esac
here=$(cd "$(dirname "$0")" && pwd)
tests=$(cd "$here/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL store ($backend): $*"; fail=$((fail + 1)); }

# The database of one test: FILE on SQLite (in the current directory),
# the URL's on PostgreSQL.  fresh FILE empties it; sql FILE QUERY prints a
# query's rows (one value a line) with the backend's own client.
dbof() { if [ $backend = sqlite ]; then echo "$1"; else echo "$URL"; fi; }
fresh() {
    if [ $backend = sqlite ]; then rm -f "$1" "$1-wal" "$1-shm"; else
        psql -X -q "$URL" -c "DROP SCHEMA public CASCADE; CREATE SCHEMA public" > /dev/null 2>&1; fi
}
sql() {
    if [ $backend = sqlite ]; then sqlite3 "$1" "$2"; else psql -X -q -t -A "$URL" -c "$2"; fi
}

# ---- 1. parity with the file-based suites ----
norm() { grep -v inputs_sha256 "$1" | sed 's|"at": "[^"]*"|AT|'; }
# On PostgreSQL each case gets a schema of its own, made up front in one
# psql call (the URL's search_path picks it): a psql per case to empty
# the database would cost more than the case.
ncase=0
if [ $backend = postgres ]; then
    n=$(ls -d "$tests"/status/cases/*/ "$tests"/royalties/cases/*/ | wc -l)
    seq 1 "$n" | sed 's/.*/CREATE SCHEMA parity&;/' | psql -X -q "$URL" > /dev/null
fi
case "$URL" in *\?*) sep="&" ;; *) sep="?" ;; esac
for suite in status royalties; do
    for dir in "$tests/$suite/cases"/*/; do
        name=$(basename "$dir")
        if [ -f "$dir/agreement" ]; then ag="$tests/$suite/agreements/$(cat "$dir/agreement")"; else ag="$dir/agreement.yaml"; fi
        ev=""
        [ -f "$dir/events.yaml" ] && ev="$dir/events.yaml"
        [ -f "$dir/events.jsonl" ] && ev="$dir/events.jsonl"
        ncase=$((ncase + 1))
        db=$(dbof "$tmp/parity.db")
        [ $backend = postgres ] && db="$URL${sep}options=-csearch_path%3Dparity$ncase"
        [ $backend = sqlite ] && fresh "$tmp/parity.db"
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
echo "store parity ($backend): $pass cases passed, $fail failed"

# ---- 2. the scenario, as one transcript ----
work="$tmp/work"
mkdir -p "$work"
[ $backend = postgres ] && fresh
cp "$here"/*.csv "$here/events.yaml" "$tests/royalties/agreements/marginal.yaml" "$work/"
sed 's/title: Marginal royalty tiers/title: Marginal royalty tiers (amended)/' "$tests/royalties/agreements/marginal.yaml" > "$work/marginal-v2.yaml"
sed 's/currency: USD/currency: XXY/' "$tests/royalties/agreements/marginal.yaml" > "$work/broken.yaml"
t="$tmp/transcript.txt"
: > "$t"
# run ARGS...: the command line, its stdout and stderr, its exit status
# (LICET_DB is the database on PostgreSQL; on SQLite unset: ./licet.db.)
pg_db=""
[ $backend = postgres ] && pg_db=$URL
url_as_file() { if [ -n "$URL" ]; then sed "s|$URL|licet.db|g"; else cat; fi; }
run() {
    echo "\$ licet $*" >> "$t"
    (cd "$work" && LICET_DB=$pg_db "$LICET" "$@"; echo $? > "$tmp/status") 2>&1 | url_as_file >> "$t"
    echo "[exit $(cat "$tmp/status")]" >> "$t"
}
# sq SQL: SQL through the database's own client (sqlite3 or psql), its
# refusal written the same way for both.  SQLite's "DROP TRIGGER name" is
# PostgreSQL's "DROP TRIGGER name ON ledger".
sq() {
    echo "\$ sql \"$1\"" >> "$t"
    if [ $backend = sqlite ]; then
        (cd "$work" && sqlite3 licet.db "$1") > "$tmp/sq.txt" 2>&1
    else
        psql -X -q -v ON_ERROR_STOP=1 -v VERBOSITY=terse "$URL" \
            -c "$(echo "$1" | sed 's/DROP TRIGGER \([a-z_]*\);/DROP TRIGGER \1 ON ledger;/')" > "$tmp/sq.txt" 2>&1
    fi
    st=$?
    sed -e 's/^Error: stepping, \(.*\) ([0-9]*)$/refused: \1/' -e 's/^ERROR:  /refused: /' "$tmp/sq.txt" >> "$t"
    if [ $st = 0 ]; then echo "[ok]" >> "$t"; else echo "[failed]" >> "$t"; fi
}
# step CMD: a shell command in the work directory, with its output.
step() {
    echo "\$ $1" >> "$t"
    (cd "$work" && sh -c "$1") >> "$t" 2>&1
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
run calendar ROY-MARGINAL --as-of 2026-12-31
run status NOPE --as-of 2026-12-31
run status ROY-MARGINAL --events events.yaml --as-of 2026-12-31
run verify
run export dump
run export dump
run import --db sqlite:copy.db dump
run import --db sqlite:copy.db dump
run import dump
run export --db sqlite:copy.db dump2
run verify --db sqlite:copy.db
step "diff -r dump dump2 && ls dump dump/agreements/ROY-MARGINAL"
step "cp -r dump changed && sed 's/\"100.00\"/\"900.00\"/' dump/ledger.jsonl > changed/ledger.jsonl"
run import --db sqlite:changed.db changed
run list --db sqlite:changed.db
sq "UPDATE ledger SET ident = 'x' WHERE seq = 2"
sq "DELETE FROM ledger WHERE seq = 2"
sq "DELETE FROM agreement_versions"
sq "DROP TRIGGER ledger_no_update; UPDATE ledger SET content = replace(content, '\"100.00\"', '\"900.00\"') WHERE seq = 1"
run verify
run export broken-dump
sq "UPDATE ledger SET content = replace(content, '\"900.00\"', '\"100.00\"') WHERE seq = 1; UPDATE ledger SET hash = '0' || substr(hash, 2) WHERE seq = 4"
run verify
run verify --db postgresql://127.0.0.1:1/licet
run verify --db missing.db
if [ "${UPDATE:-0}" = 1 ]; then cp "$t" "$here/scenario.expected"; fi
if cmp -s "$t" "$here/scenario.expected"; then ok; else
    bad "scenario transcript differs from scenario.expected"
    diff "$here/scenario.expected" "$t" | head -40
fi

# ---- 3. crash: SIGKILL during a large import ----
# 10000 lines: an import takes about 0.6 s on SQLite (40000 took 2 s,
# mostly re-reading the report as the engine will); the kill points are
# spread over 1.2 times the measured length of one import, so a few land
# after it has finished (the report must then be whole).
crash="$tmp/crash"
mkdir -p "$crash"
cp "$tests/royalties/agreements/marginal.yaml" "$crash/"
clines=10000
awk -v n=$clines 'BEGIN { print "period,date,country,gross_sales,currency";
             for (i = 0; i < n; i++) printf "2026-Q3,2026-08-%02d,US,%d.%02d,USD\n", 1 + i % 28, 100 + i, i % 100 }' > "$crash/big.csv"
cdb=$(dbof c.db)
setup() {
    fresh "$crash/c.db"
    (cd "$crash" && "$LICET" init --db "$cdb" > /dev/null && "$LICET" add --db "$cdb" marginal.yaml > /dev/null)
}
imp_args="import-sales --db $cdb --agreement ROY-MARGINAL --period 2026-Q3 --date 2026-10-01 big.csv"
# shellcheck disable=SC2086
imp() { (cd "$crash" && exec "$LICET" $imp_args); }
rows() { sql "$crash/c.db" "SELECT count(*) FROM ledger WHERE kind = 'report'"; }
nlines() {
    if [ $backend = sqlite ]; then q="json_array_length(content, '\$.payload.lines')"
    else q="json_array_length((content::json)->'payload'->'lines')"; fi
    sql "$crash/c.db" "SELECT $q FROM ledger WHERE kind = 'report'"
}
ms() { date +%s%N | cut -c1-13; }
setup
t0=$(ms)
imp > /dev/null 2>&1
window=$(( ($(ms) - t0) * 12 / 10 ))
setup
crash_ok=1 absent=0
crash_start=$(date +%s)
for i in $(seq 1 "$CRASH_POINTS"); do
    # the subshell execs licet, so $! is licet itself (a function run in
    # the background would be a shell of its own, and SIGKILL would stop
    # that shell and leave licet running)
    # shellcheck disable=SC2086
    (cd "$crash" && exec "$LICET" $imp_args) > /dev/null 2>&1 &
    pid=$!
    sleep "$(awk -v s="$i$$" -v w="$window" 'BEGIN { srand(s); printf "%.3f", rand() * w / 1000 }')"
    kill -9 "$pid" 2> /dev/null
    wait "$pid" 2> /dev/null
    n=$(rows)
    [ "$n" = 0 ] && absent=$((absent + 1))
    if ! (cd "$crash" && "$LICET" verify --db "$cdb" > /dev/null); then crash_ok=0; echo "crash $i: verify failed"; fi
    if [ "$n" != 0 ] && [ "$n" != 1 ]; then crash_ok=0; echo "crash $i: $n report rows"; fi
    if [ "$n" = 1 ] && [ "$(nlines)" != $clines ]; then crash_ok=0; echo "crash $i: a partial report"; fi
    imp > "$crash/re.txt" 2>&1 || { crash_ok=0; echo "crash $i: re-import failed"; cat "$crash/re.txt"; }
    if [ "$(rows)" != 1 ]; then crash_ok=0; echo "crash $i: $(rows) report rows after re-import"; fi
    setup
done
if [ $crash_ok = 1 ]; then ok; else bad "crash test"; fi
echo "store crash ($backend): $CRASH_POINTS kills within ${window} ms ($absent before the commit)," \
    "$(($(date +%s) - crash_start)) s"

# ---- 4. two writers at once ----
conc="$tmp/conc"
mkdir -p "$conc"
cp "$tests/royalties/agreements/marginal.yaml" "$conc/"
fresh "$conc/w.db"
wdb=$(dbof "$conc/w.db")
"$LICET" init --db "$wdb" > /dev/null && "$LICET" add --db "$wdb" "$conc/marginal.yaml" > /dev/null
# writer W: records files of 3 payments with ids W-N-K until the time is
# up; the ids of every file recorded go to W.ids, failures to W.err.
writer() {
    w=$1 end=$(($(date +%s) + CONC_SECONDS)) n=0
    : > "$conc/$w.ids"
    while [ "$(date +%s)" -lt $end ]; do
        n=$((n + 1))
        for k in 1 2 3; do
            echo "- { date: 2026-05-0$k, type: payment, id: $w-$n-$k, amount: \"1.00\", currency: USD }"
        done > "$conc/$w.yaml"
        if out=$("$LICET" record --db "$wdb" --agreement ROY-MARGINAL "$conc/$w.yaml" 2>&1) &&
            [ "$out" = "ROY-MARGINAL: 3 recorded, 0 already recorded, 0 rejected" ]; then
            printf '%s\n' "$w-$n-1" "$w-$n-2" "$w-$n-3" >> "$conc/$w.ids"
        else
            echo "$w-$n: $out" >> "$conc/$w.err"
        fi
    done
}
writer A & pa=$!
writer B & pb=$!
wait $pa $pb
"$LICET" list --db "$wdb" ROY-MARGINAL | awk '{ print $3 }' | sort > "$conc/ledger.ids"
sort "$conc/A.ids" "$conc/B.ids" > "$conc/expected.ids"
nw=$(wc -l < "$conc/expected.ids")
if [ -s "$conc/A.err" ] || [ -s "$conc/B.err" ]; then
    bad "two writers: a record failed"; cat "$conc"/*.err | head -5
elif [ "$(wc -l < "$conc/A.ids")" = 0 ] || [ "$(wc -l < "$conc/B.ids")" = 0 ]; then
    bad "two writers: a writer recorded nothing"
elif ! cmp -s "$conc/ledger.ids" "$conc/expected.ids"; then
    bad "two writers: the ledger does not hold every event once"; diff "$conc/expected.ids" "$conc/ledger.ids" | head -5
elif ! "$LICET" verify --db "$wdb" > "$conc/verify.txt"; then
    bad "two writers: verify failed"; cat "$conc/verify.txt"
else
    ok
fi
echo "store two writers ($backend, ${CONC_SECONDS}s): $nw events recorded"

# ---- 5. export and import on the same backend ----
rt="$tmp/rt"
mkdir -p "$rt"
cp "$here"/*.csv "$here/events.yaml" "$tests/royalties/agreements/marginal.yaml" "$rt/"
sed 's/title: Marginal royalty tiers/title: Marginal royalty tiers (amended)/' "$rt/marginal.yaml" > "$rt/marginal-v2.yaml"
fresh "$rt/a.db"
rm -f "$rt/b.db"
adb=$(dbof "$rt/a.db") bdb="$rt/b.db"
if [ $backend = postgres ]; then
    psql -X -q "$URL" -c "DROP SCHEMA IF EXISTS rt CASCADE; CREATE SCHEMA rt" > /dev/null 2>&1
    bdb="$URL${sep}options=-csearch_path%3Drt"
fi
rt_ok=1
(cd "$rt" && "$LICET" init --db "$adb" && "$LICET" add --db "$adb" marginal.yaml &&
    "$LICET" add --db "$adb" marginal-v2.yaml && { "$LICET" record --db "$adb" events.yaml || true; } &&
    "$LICET" import-sales --db "$adb" --agreement ROY-MARGINAL --period 2026-Q1 --date 2026-04-20 q1.csv &&
    "$LICET" import-sales --db "$adb" --agreement ROY-MARGINAL --period 2026-Q2 --date 2026-07-20 q2.csv &&
    "$LICET" import-sales --progress --db "$adb" --agreement ROY-MARGINAL --period 2026-Q2 --date 2026-07-25 \
        q2-revised.csv 2> sales-progress.txt &&
    "$LICET" export --db "$adb" A &&
    "$LICET" import --progress --db "$bdb" A 2> import-progress.txt &&
    "$LICET" export --db "$bdb" B && "$LICET" verify --db "$bdb") > "$rt/log.txt" 2>&1 ||
    { rt_ok=0; echo "round trip: a step failed"; tail -5 "$rt/log.txt"; }
if ! diff -r "$rt/A" "$rt/B" > "$rt/diff.txt"; then rt_ok=0; echo "round trip: the exports differ"; head -5 "$rt/diff.txt"; fi
for c in "status ROY-MARGINAL --as-of 2026-12-31 --json" "royalties ROY-MARGINAL --period 2026-Q2 --json"; do
    # shellcheck disable=SC2086
    "$LICET" $c --db "$adb" > "$rt/a.out" 2>&1
    # shellcheck disable=SC2086
    "$LICET" $c --db "$bdb" > "$rt/b.out" 2>&1
    if ! cmp -s "$rt/a.out" "$rt/b.out"; then rt_ok=0; echo "round trip: licet $c differs"; diff "$rt/a.out" "$rt/b.out" | head -5; fi
done
grep -q '^licet import: done, 5 ledger rows in ' "$rt/import-progress.txt" ||
    { rt_ok=0; echo "round trip: import --progress did not say it was done"; cat "$rt/import-progress.txt"; }
grep -q '^licet import-sales: done, 1 line in ' "$rt/sales-progress.txt" ||
    { rt_ok=0; echo "round trip: import-sales --progress did not say it was done"; cat "$rt/sales-progress.txt"; }
if [ $rt_ok = 1 ]; then ok; else bad "export/import round trip"; fi

# ---- 6. a sales CSV's own fx_rate column is kept in the ledger ----
# (the report's rate 1.11 against the ledger's 1.085: fx_rate_differs, as
# tests/royalties/cases/fx-report-rate-more-than-2-percent-off inline)
fx="$tmp/fx"
mkdir -p "$fx"
[ $backend = postgres ] && fresh
fxdb=$(dbof "$fx/fx.db")
echo '- { date: 2026-04-01, type: fx, from: EUR, to: USD, rate: "1.085", period: 2026-Q1 }' > "$fx/fx.yaml"
printf 'period,country,gross_sales,deductions,currency,fx_rate\n2026-Q1,DE,100000.00,5000.00,EUR,1.11\n' > "$fx/r.csv"
"$LICET" init --db "$fxdb" > /dev/null && "$LICET" add --db "$fxdb" "$tests/royalties/agreements/marginal.yaml" > /dev/null 2>&1 &&
    "$LICET" record --db "$fxdb" --agreement ROY-MARGINAL "$fx/fx.yaml" > /dev/null &&
    "$LICET" import-sales --db "$fxdb" --agreement ROY-MARGINAL --period 2026-Q1 --date 2026-04-20 "$fx/r.csv" > /dev/null &&
    "$LICET" royalties --db "$fxdb" ROY-MARGINAL --period 2026-Q1 --json > "$fx/out.json" 2>&1
if grep -q '"detail": "EUR/USD: the report.s rate 1.11 is more than 2% from the ledger.s 1.085"' "$fx/out.json"; then ok; else
    bad "a CSV's fx_rate column reaches the ledger (fx_rate_differs)"; head -20 "$fx/out.json"; fi

# ---- 7. several reports in one import-sales ----
# Each report is its own transaction: the rows (and so the chain) are the
# ones separate imports make; a refused report in the middle stores
# nothing, the others are stored, and the exit status is 1.
bt="$tmp/batch"
mkdir -p "$bt"
hdr='period,country,field,gross_sales,currency'
printf '%s\n2026-Q1,US,therapeutics/oncology,1000.00,USD\n' "$hdr" > "$bt/q1.csv"
printf '%s\n2026-Q2,XX,therapeutics/oncology,2000.00,USD\n' "$hdr" > "$bt/bad.csv"
printf '%s\n2026-Q2,DE,therapeutics/oncology,3000.00,USD\n' "$hdr" > "$bt/q2.csv"
btdb=$(dbof "$bt/b.db")
mk() {
    fresh "$btdb"
    "$LICET" init --db "$btdb" > /dev/null && "$LICET" add --db "$btdb" "$tests/royalties/agreements/marginal.yaml" > /dev/null 2>&1
}
mk && (cd "$bt" && "$LICET" import-sales --db "$btdb" --agreement ROY-MARGINAL --date 2026-07-20 \
    --period 2026-Q1 q1.csv --period 2026-Q2 bad.csv --date 2026-07-21 q2.csv) > "$bt/out.txt" 2>&1
st=$?
batch=$(sql "$btdb" "SELECT seq || ' ' || ident || ' ' || hash FROM ledger ORDER BY seq")
mk && (cd "$bt" && "$LICET" import-sales --db "$btdb" --agreement ROY-MARGINAL --date 2026-07-20 --period 2026-Q1 q1.csv &&
    "$LICET" import-sales --db "$btdb" --agreement ROY-MARGINAL --date 2026-07-21 --period 2026-Q2 q2.csv) > /dev/null 2>&1
apart=$(sql "$btdb" "SELECT seq || ' ' || ident || ' ' || hash FROM ledger ORDER BY seq")
want="ROY-MARGINAL: report 2026-Q1, 1 line, stored as ledger row 1
bad.csv:2:9: country: expected an ISO 3166-1 alpha-2 country code like US, got \"XX\"
licet import-sales: bad.csv: nothing stored
ROY-MARGINAL: report 2026-Q2, 1 line, stored as ledger row 2"
if [ $st = 1 ] && [ "$(cat "$bt/out.txt")" = "$want" ] && [ -n "$apart" ] && [ "$batch" = "$apart" ] &&
    [ "$(echo "$batch" | wc -l)" = 2 ]; then ok; else
    bad "import-sales with several reports: exit $st, rows [$batch] against [$apart]"; cat "$bt/out.txt"; fi

echo "store ($backend): $pass passed, $fail failed"
[ $fail -eq 0 ]
