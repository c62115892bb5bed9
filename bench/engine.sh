#!/bin/sh
# engine.sh - time the lifecycle engine over 10,000 agreements x 10 years of
# events, at 1x, 2x and 4x the events.
#
#   sh bench/engine.sh [BUILD_DIR]        (make bench; default build)
#
# Generates the agreements and events (bench/gen-engine.py, fixed seed) into
# build/bench/engine/{agreements,m1,m2,m4} unless they are already there and
# newer than the generator, builds the driver bench/engine.c against
# BUILD_DIR/liblicet.a into build/bench/engine-driver, runs it once per
# multiplier and prints one table: multiplier, events, report lines, seconds
# spent in lic_engine_eval over every agreement as of 2030-12-31 (each
# state rendered and freed before the next eval; best of BENCH_ENGINE_ROUNDS,
# default 3), microseconds per agreement, the seconds to evaluate them all
# with lic_engine_eval_many on BENCH_ENGINE_THREADS threads (default 2: a
# portfolio evaluated on this machine's two cores; the driver checks that
# those states render exactly as the one-at-a-time ones), seconds in
# lic_state_json (best round), and the driver's peak RSS, which is almost
# all the loaded agreements and events (loading is not timed).
#
# BENCH_ENGINE_COUNT (10000), BENCH_ENGINE_MULTS ("1 2 4") and
# BENCH_ENGINE_AS_OF (2030-12-31) change the set.  BENCH_ENGINE_HASH=1 also
# writes every state's lic_state_json() (first round) to
# build/bench/engine-mM.json and prints its SHA-256 per multiplier: a
# change made for speed must leave these unchanged.  Fails when a file does
# not load cleanly, an evaluation fails or the engine rejects an event.
# POSIX sh.
set -eu

cd "$(dirname "$0")/.."
build=${1:-build}
lib=$build/liblicet.a
count=${BENCH_ENGINE_COUNT:-10000}
mults=${BENCH_ENGINE_MULTS:-1 2 4}
rounds=${BENCH_ENGINE_ROUNDS:-3}
threads=${BENCH_ENGINE_THREADS:-2}
hash=${BENCH_ENGINE_HASH:-0}
as_of=${BENCH_ENGINE_AS_OF:-2030-12-31}
dir=build/bench/engine
bin=build/bench/engine-driver

if [ ! -f "$lib" ]; then
    echo "bench: $lib is missing (make $lib first)" >&2
    exit 2
fi
case $count in '' | *[!0-9]* | 0) echo "bench: BENCH_ENGINE_COUNT must be a positive number" >&2; exit 2 ;; esac
case $rounds in '' | *[!0-9]* | 0) echo "bench: BENCH_ENGINE_ROUNDS must be a positive number" >&2; exit 2 ;; esac
case $threads in '' | *[!0-9]* | 0) echo "bench: BENCH_ENGINE_THREADS must be a positive number" >&2; exit 2 ;; esac
# shellcheck disable=SC2086  # unquoted on purpose: runs of blanks become one comma
mlist=$(echo $mults | tr ' ' ,)
case $mlist in '' | *[!0-9,]*) echo "bench: BENCH_ENGINE_MULTS must be numbers like \"1 2 4\"" >&2; exit 2 ;; esac

stamp=$dir/.generated-$count-$(echo "$mlist" | tr , _)
if [ ! -f "$stamp" ] || [ -n "$(find bench/gen-engine.py -newer "$stamp")" ]; then
    rm -rf "$dir"
    python3 bench/gen-engine.py -n "$count" --seed 1 --mult "$mlist" "$dir"
    touch "$stamp"
fi

mkdir -p build/bench
# the libraries liblicet.a needs: the Makefile's PKGS
pkgs=$(sed -n 's/^PKGS *:= *//p' Makefile)
# shellcheck disable=SC2046,SC2086  # pkg-config prints several flags
cc -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -Iinclude -o "$bin" bench/engine.c "$lib" \
    $(pkg-config --libs $pkgs) -pthread

out=build/bench/engine.out
: > "$out"
for m in $mults; do
    set -- -r "$rounds" -d "$as_of" -a "$dir/agreements" -j "$threads"
    if [ "$hash" = 1 ]; then
        set -- "$@" -o "build/bench/engine-m$m.json"
    fi
    "$bin" "$@" "$dir/m$m" > build/bench/engine-m.out || {
        echo "bench: FAILED: the engine driver on $dir/m$m (exit $?)" >&2
        exit 1
    }
    if [ "$hash" = 1 ]; then
        echo "m=$m states sha256 $(sha256sum < "build/bench/engine-m$m.json" | cut -d' ' -f1)" >&2
    fi
    echo "m=$m $(cat build/bench/engine-m.out)" >> "$out"
done

awk -v as_of="$as_of" -v rounds="$rounds" '
{
    for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    if (NR == 1) {
        printf "%-11s %12s %10s %10s %14s %12s %10s %14s\n", "multiplier", "events", "lines", "eval s", \
            "us/agreement", "eval s, " v["threads"] " thr", "json s", "peak RSS MiB"
        n = v["agreements"]
    }
    printf "%-11s %12d %10d %10.3f %14.1f %12.3f %10.3f %14.1f\n", v["m"] "x", v["events"], v["lines"], \
        v["eval_s"], v["us_per_agreement"], v["eval_par_s"], v["json_s"], v["maxrss_kib"] / 1024
    rej += v["engine_rejected"]
}
END {
    printf "(%d agreements as of %s; best of %d rounds; eval and json timed apart", n, as_of, rounds
    printf "; events the engine rejected: %d)\n", rej
    exit rej > 0
}' "$out" || {
    echo "bench: FAILED: the engine rejected generated events (run $bin -v -r 1 $dir/m1)" >&2
    exit 1
}
