#!/bin/sh
# royalties.sh - every royalty statement of ten million sales lines, in
# licet and in SQLite SQL, beside `wc -l` on the same file.
#
#   sh bench/royalties.sh [BUILD_DIR]        (make bench; default build)
#
# Generates 1,000 agreements and one sales file (bench/gen-royalties.py,
# fixed seed; BENCH_ROY_LINES lines, default 10,000,000, about 700 MB)
# into build/bench/royalties unless they are there and newer than the
# generator.  Then, best of BENCH_ROY_ROUNDS (default 3) each:
#   wc -l       the I/O floor: reading the file once;
#   licet       bench/royalties.c: the CSV streamed through the sales
#               reader and the royalty calculator, every statement closed,
#               in two parts side by side (lic_sales_reader_open_at_lazy; cut
#               at an agreement near the middle: BENCH_ROY_PARTS=1
#               reads with one reader and a thread reading ahead);
#   sqlite3     the file imported with the sqlite3 shell (.import) into an
#               in-memory database and the marginal tiers computed in SQL
#               (bench/royalties.sql); import and query timed together;
#   split       bench/royalties-split.c: splitting every line (AVX2) and
#               adding up two columns in cents, nothing checked, looked up
#               or computed: the least a CSV program can do with the file,
#               on this machine; on one thread and on two (halves of the
#               file side by side, as licet's two parts);
#   cut, awk    two peers that do far less than licet, for scale: `cut
#               -d, -f5` prints the gross_sales column (splitting every
#               line, nothing checked or summed; written to /dev/null) and
#               awk (mawk on Debian) sums it in floating point;
#               BENCH_ROY_PEERS=0 leaves them out.
# Prints seconds, lines per second and the ratios the issue asks for
# (SQLite / licet, licet / wc -l), each tool's royalty total (licet rounds
# per statement line and country, the SQL per period, SQLite's round() is
# half away from zero: the totals differ by cents), and licet's peak RSS
# on the first tenth of the file and on the whole file (flat memory).
# POSIX sh; needs python3 and sqlite3 (scripts/install-deps.sh).
set -eu

cd "$(dirname "$0")/.."
build=${1:-build}
lib=$build/liblicet.a
lines=${BENCH_ROY_LINES:-10000000}
rounds=${BENCH_ROY_ROUNDS:-3}
peers=${BENCH_ROY_PEERS:-1}
dir=build/bench/royalties
bin=build/bench/royalties-driver
split=build/bench/royalties-split

[ -f "$lib" ] || { echo "bench: $lib is missing (make $lib first)" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "bench: sqlite3 is missing (sh scripts/install-deps.sh)" >&2; exit 2; }
case $lines in '' | *[!0-9]* | 0) echo "bench: BENCH_ROY_LINES must be a positive number" >&2; exit 2 ;; esac

stamp=$dir/.generated-$lines
if [ ! -f "$stamp" ] || [ -n "$(find bench/gen-royalties.py -newer "$stamp")" ]; then
    rm -rf "$dir"
    python3 bench/gen-royalties.py -n 1000 --lines "$lines" --seed 1 "$dir"
    head -n $((lines / 10 + 1)) "$dir/sales.csv" > "$dir/sales-tenth.csv"
    touch "$stamp"
fi

mkdir -p build/bench
# the libraries liblicet.a needs: the Makefile's PKGS
pkgs=$(sed -n 's/^PKGS *:= *//p' Makefile)
# shellcheck disable=SC2046,SC2086  # pkg-config prints several flags
cc -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O2 -pthread -Iinclude -o "$bin" bench/royalties.c "$lib" \
    $(pkg-config --libs $pkgs)

cc -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O2 -pthread -o "$split" bench/royalties-split.c

now() { date +%s.%N; }
calc() { awk "BEGIN { print $1 }"; }
best() { # best of $rounds runs of "$@"; output of the last run in $dir/out (or $to)
    b=""
    i=0
    while [ $i -lt "$rounds" ]; do
        t0=$(now)
        "$@" > "${to:-$dir/out}"
        t=$(calc "$(now) - $t0")
        if [ -z "$b" ] || [ "$(calc "$t < $b")" = 1 ]; then b=$t; fi
        i=$((i + 1))
    done
    echo "$b"
}
sql() {
    printf '.mode csv\n.import %s sales\n.import %s bands\n.read bench/royalties.sql\n' \
        "$dir/sales.csv" "$dir/bands.csv" | sqlite3 :memory:
}

t_wc=$(best wc -l "$dir/sales.csv")
t_licet=$(best "$bin" "$dir/agreements" "$dir/sales.csv")
licet_out=$(cat "$dir/out")
t_sql=$(best sql)
sql_out=$(tr -d '"' < "$dir/out")
if [ "$peers" != 0 ]; then
    t_split=$(best "$split" "$dir/sales.csv" 1)
    t_split2=$(best "$split" "$dir/sales.csv" 2)
    to=/dev/null
    t_cut=$(best cut -d, -f5 "$dir/sales.csv")
    to=
    t_awk=$(best awk -F, 'NR > 1 { g += $5 } END { printf "%.2f\n", g }' "$dir/sales.csv")
fi
"$bin" "$dir/agreements" "$dir/sales-tenth.csv" > "$dir/out"
tenth_rss=$(sed 's/.*maxrss_kib=//' "$dir/out")
rss=$(echo "$licet_out" | sed 's/.*maxrss_kib=//')

printf '%-8s %10s %14s %10s\n' tool seconds lines/s ratio
printf '%-8s %10.3f %14.0f %10s\n' "wc -l" "$t_wc" "$(calc "$lines / $t_wc")" "1.00"
printf '%-8s %10.3f %14.0f %10.2f   (licet / wc -l; target <= 3)\n' licet "$t_licet" \
    "$(calc "$lines / $t_licet")" "$(calc "$t_licet / $t_wc")"
printf '%-8s %10.3f %14.0f %10.2f   (sqlite3 / licet; target >= 20)\n' sqlite3 "$t_sql" \
    "$(calc "$lines / $t_sql")" "$(calc "$t_sql / $t_licet")"
if [ "$peers" != 0 ]; then
    printf '%-8s %10.3f %14.0f %10.2f   (split / wc -l: split and add, one thread, nothing checked)\n' split \
        "$t_split" "$(calc "$lines / $t_split")" "$(calc "$t_split / $t_wc")"
    printf '%-8s %10.3f %14.0f %10.2f   (the same on two threads)\n' split2 \
        "$t_split2" "$(calc "$lines / $t_split2")" "$(calc "$t_split2 / $t_wc")"
    printf '%-8s %10.3f %14.0f %10.2f   (cut / licet: the gross_sales column cut out)\n' cut "$t_cut" \
        "$(calc "$lines / $t_cut")" "$(calc "$t_cut / $t_licet")"
    printf '%-8s %10.3f %14.0f %10.2f   (awk / licet: the gross_sales column summed)\n' awk "$t_awk" \
        "$(calc "$lines / $t_awk")" "$(calc "$t_awk / $t_licet")"
fi
echo "licet:   $(echo "$licet_out" | sed 's/ seconds=.*//')"
echo "sqlite3: $sql_out"
echo "licet peak RSS: $tenth_rss KiB on $((lines / 10)) lines, $rss KiB on $lines lines"
echo "($lines lines, 1000 agreements; best of $rounds rounds; the wall time of each whole process)"
