#!/bin/sh
# store.sh - the portfolio store's import speed and the status time of a
# long-running agreement, on SQLite and on PostgreSQL (not in make test).
#
#   sh bench/store.sh [BUILD_DIR]            (default build)
#
# Generates (fixed seed, into build/bench/store, kept while the sizes
# match) agreements in bench/gen-royalties.py's form and quarterly sales
# report files, 2020-Q1 to 2029-Q4:
#   import set   BENCH_STORE_LINES lines (default 10,000,000) over 4
#                agreements x 40 quarters: 160 reports of 62,500 lines.
#                (Once 40 reports of 250,000 were refused: import-sales
#                re-read the whole report through the events loader under
#                a 16 MiB cap.  It now checks a sample, and the ledger's
#                JSON Lines have no cap: see docs/.pending-import-speed.md);
#   status set   one more agreement, A0004, with 40 quarters of
#                BENCH_STORE_STATUS_LINES lines each (default 2,000): the
#                engine reads an agreement's whole ledger as one events
#                text (JSON Lines, uncapped since the same change).
# Then, for SQLite (a file under build/bench/store) and for PostgreSQL (a
# durable throw-away server from scripts/pg-test.sh, PG_TEST_DURABLE=1:
# fsync on, as a real one):
#   import   `licet import-sales` of the 160 files one after another;
#            then, on a fresh database, one `licet import-sales` per
#            agreement with its 40 files (still one transaction per
#            report; no process started per report);
#            lines/s = all lines / the wall time of the imports (each one
#            process and one transaction);
#   status   `licet status A0004 --as-of 2030-06-30` (best of 3).
# Targets from issue 5: SQLite >= 500,000 lines/s, PostgreSQL >= 200,000.
# The store keeps a report as ONE ledger row (its lines inline as
# canonical JSON, hashed into the chain), so PostgreSQL gets one INSERT
# per report, not a COPY of the lines.
set -eu

cd "$(dirname "$0")/.."
build=${1:-build}
licet=$PWD/$build/licet
lines=${BENCH_STORE_LINES:-10000000}
dir=$PWD/build/bench/store
[ -x "$licet" ] || { echo "bench: $licet is missing (make $build/licet first)" >&2; exit 2; }
case $lines in '' | *[!0-9]* | 0) echo "bench: BENCH_STORE_LINES must be a positive number" >&2; exit 2 ;; esac

slines=${BENCH_STORE_STATUS_LINES:-2000}
stamp=$dir/.generated-$lines-$slines
if [ ! -f "$stamp" ]; then
    rm -rf "$dir"
    mkdir -p "$dir/reports" "$dir/status"
    python3 - "$dir" <<'PY'
import importlib.util, sys
spec = importlib.util.spec_from_file_location("gen", "bench/gen-royalties.py")
gen = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gen)
for i in range(5):
    open(f"{sys.argv[1]}/A{i:04d}.yaml", "w").write(gen.agreement(i, 5_000_000, 20_000_000))
PY
    # gen D N AGREEMENTS: N lines over AGREEMENTS x 40 quarter files in D,
    # named AGREEMENT_PERIOD.csv.
    gen() {
        awk -v d="$1" -v n="$2" -v na="$3" -v first="$4" 'BEGIN {
            split("AT AU BE BR CA CH CN DE DK ES FR GB IE IN IT JP KR NL SE US", c, " ")
            srand(1)
            for (r = 0; r < na * 40; r++) {
                q = r % 40
                p = sprintf("%d-Q%d", 2020 + int(q / 4), q % 4 + 1)
                f = sprintf("%s/A%04d_%s.csv", d, first + int(r / 40), p)
                print "period,country,field,gross_sales,deductions,currency" > f
                m = int(n / (na * 40)) + (r < n % (na * 40) ? 1 : 0)
                for (k = 0; k < m; k++) {
                    g = 100000 + int(rand() * 499900000); e = int(rand() * g / 5)
                    printf "%s,%s,therapeutics/oncology,%d.%02d,%d.%02d,USD\n", p, c[1 + int(rand() * 20)],
                        g / 100, g % 100, e / 100, e % 100 > f
                }
                close(f)
            }
        }'
    }
    gen "$dir/reports" "$lines" 4 0
    gen "$dir/status" $((slines * 40)) 1 4
    touch "$stamp"
fi

now() { date +%s.%N; }
calc() { awk "BEGIN { print $1 }"; }

# import_all URL DIR: every report file of DIR into the store at URL.
import_all() {
    for f in "$2"/*.csv; do
        b=$(basename "$f" .csv)
        "$licet" import-sales --db "$1" --agreement "${b%%_*}" --period "${b#*_}" --date 2030-06-01 "$f" > /dev/null
    done
}

# import_batched URL DIR: the same reports, one process per agreement
# (import-sales with all of that agreement's files; still one transaction
# per report).
import_batched() {
    url=$1 d=$2
    for a in $(ls "$d" | sed 's/_.*//' | sort -u); do
        args=""
        for f in "$d/$a"_*.csv; do
            b=$(basename "$f" .csv)
            args="$args --period ${b#*_} $f"
        done
        # shellcheck disable=SC2086  # the periods and files, split on purpose
        "$licet" import-sales --db "$url" --agreement "$a" --date 2030-06-01 $args > /dev/null
    done
}

# bench_batched URL NAME: the import time with import_batched on a fresh
# database.
bench_batched() {
    "$licet" init --db "$1" > /dev/null
    for a in "$dir"/A*.yaml; do "$licet" add --db "$1" "$a" > /dev/null 2>&1; done
    t0=$(now)
    import_batched "$1" "$dir/reports"
    t=$(calc "$(now) - $t0")
    printf '%-10s %12d %10.2f %12.0f   (one process per agreement)\n' "$2" "$lines" "$t" "$(calc "$lines / $t")"
}

# bench_one URL NAME: the import and the status time on one database.
bench_one() {
    url=$1 name=$2
    "$licet" init --db "$url" > /dev/null
    for a in "$dir"/A*.yaml; do "$licet" add --db "$url" "$a" > /dev/null 2>&1; done
    t0=$(now)
    import_all "$url" "$dir/reports"
    t=$(calc "$(now) - $t0")
    import_all "$url" "$dir/status"
    best=""
    for i in 1 2 3; do
        s0=$(now)
        "$licet" status A0004 --db "$url" --as-of 2030-06-30 > "$dir/status-$name.txt"
        s=$(calc "$(now) - $s0")
        if [ -z "$best" ] || [ "$(calc "$s < $best")" = 1 ]; then best=$s; fi
    done
    v0=$(now)
    rows=$("$licet" verify --db "$url" | sed 's/.*intact, //')
    v=$(calc "$(now) - $v0")
    printf '%-10s %12d %10.2f %12.0f %12.3f %10.2f   %s\n' "$name" "$lines" "$t" "$(calc "$lines / $t")" "$best" "$v" "$rows"
}

if [ "${BENCH_STORE_HEADER:-1}" = 1 ]; then
    printf '%-10s %12s %10s %12s %12s %10s   %s\n' backend lines "import s" lines/s "status s" "verify s" ledger
fi
case "${BENCH_STORE_BACKEND:-both}" in
    both | sqlite)
        rm -f "$dir/bench.db" "$dir/bench.db-wal" "$dir/bench.db-shm"
        bench_one "sqlite:$dir/bench.db" sqlite
        rm -f "$dir/bench.db" "$dir/bench.db-wal" "$dir/bench.db-shm"
        bench_batched "sqlite:$dir/bench.db" sqlite ;;
esac
case "${BENCH_STORE_BACKEND:-both}" in
    both | postgres)
        PG_TEST_DURABLE=1 BENCH_STORE_BACKEND=inner sh scripts/pg-test.sh sh -c \
            'BENCH_STORE_HEADER=0 BENCH_STORE_BACKEND=pg-inner sh bench/store.sh "$1"' sh "$build" ;;
    pg-inner)
        bench_one "$LICET_PG_URL" postgres
        psql -X -q "$LICET_PG_URL" -c "DROP SCHEMA public CASCADE; CREATE SCHEMA public" > /dev/null 2>&1
        bench_batched "$LICET_PG_URL" postgres ;;
esac
if [ "${BENCH_STORE_HEADER:-1}" = 1 ]; then
    echo "(targets: SQLite >= 500000 lines/s, PostgreSQL >= 200000 lines/s; import: 160 reports, one process each,"
    echo " then again with one import-sales per agreement, 40 reports each; one transaction per report either way)"
    echo "(status: A0004, 40 quarters x $slines lines; verify: the whole chain, both sets)"
fi
