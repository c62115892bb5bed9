#!/bin/sh
# run.sh - time `licet check` over a generated portfolio of agreements.
#
#   sh bench/run.sh [LICET_BINARY]        (make bench; default build/licet)
#
# Then runs the engine benchmark, bench/engine.sh, against the liblicet.a
# beside LICET_BINARY (10,000 agreements x 10 years of events at 1x, 2x and
# 4x the events; BENCH_ENGINE=0 skips it), and the royalty benchmark,
# bench/royalties.sh (ten million sales lines against SQLite SQL and
# `wc -l`; BENCH_ROY=0 skips it), and the server benchmark, bench/server.sh
# (wrk against `licet serve` and nginx; BENCH_SERVER=0 skips it).
#
# Generates 1000 agreements (bench/gen-portfolio.py, fixed seed) into
# build/bench/portfolio unless they are already there and newer than the
# generator, then runs `LICET check build/bench/portfolio/*.yaml` BENCH_RUNS
# times (default 3) and prints one table: agreements, bytes, wall seconds
# (median of the runs), microseconds per agreement and peak RSS (the
# largest over the runs).  Uses /usr/bin/time when present, else Python's
# resource.getrusage(RUSAGE_CHILDREN).
#
# `licet check` exits 1 when the files have errors (diagnostics go to
# build/bench/check.log); that still counts as a run.  Exit 2 or more, or
# death by a signal, fails the benchmark.  POSIX sh.
set -eu

cd "$(dirname "$0")/.."
licet=${1:-build/licet}
runs=${BENCH_RUNS:-3}
count=${BENCH_COUNT:-1000}
dir=build/bench/portfolio
log=build/bench/check.log

case $licet in */*) ;; *) licet=./$licet ;; esac
if [ ! -x "$licet" ]; then
    echo "bench: $licet is not an executable (make build/licet first)" >&2
    exit 2
fi
case $runs in '' | *[!0-9]* | 0) echo "bench: BENCH_RUNS must be a positive number" >&2; exit 2 ;; esac

stamp=$dir/.generated-$count
if [ ! -f "$stamp" ] || [ -n "$(find bench/gen-portfolio.py -newer "$stamp")" ]; then
    rm -rf "$dir"
    python3 bench/gen-portfolio.py -n "$count" --seed 1 "$dir"
    touch "$stamp"
fi

nfiles=$(find "$dir" -name '*.yaml' | wc -l | tr -d ' ')
bytes=$(cat "$dir"/*.yaml | wc -c | tr -d ' ')
results=build/bench/times
: > "$results"

# One timed run: appends "WALL_SECONDS MAXRSS_KIB EXIT" to $results.
time_once() {
    if [ -x /usr/bin/time ]; then
        rc=0
        /usr/bin/time -f '%e %M %x' -o build/bench/time.out \
            "$licet" check "$dir"/*.yaml >/dev/null 2>"$log" || rc=$?
        # GNU time writes "Command exited with non-zero status N" or
        # "Command terminated by signal N" above the format line.
        line=$(tail -n 1 build/bench/time.out)
        if grep -q 'terminated by signal' build/bench/time.out; then
            echo "bench: $licet check died: $(head -n 1 build/bench/time.out)" >&2
            return 1
        fi
        # shellcheck disable=SC2086  # split "WALL RSS EXIT" into fields
        set -- $line
        echo "$1 $2 $rc" >> "$results"
    else
        python3 - "$licet" "$dir" "$log" >> "$results" <<'EOF'
import glob, resource, subprocess, sys, time
licet, d, log = sys.argv[1:4]
files = sorted(glob.glob(d + "/*.yaml"))
with open(log, "w") as err:
    t0 = time.monotonic()
    p = subprocess.run([licet, "check"] + files, stdout=subprocess.DEVNULL, stderr=err)
    wall = time.monotonic() - t0
if p.returncode < 0:
    sys.exit("bench: %s check died by signal %d" % (licet, -p.returncode))
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
print("%.3f %d %d" % (wall, rss, p.returncode))
EOF
        # Linux keeps a child's RSS high-water mark across exec, so the
        # figure is at least Python's own size: say so under the table.
        floor=$(python3 -c 'import resource, subprocess
subprocess.run(["true"])
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)')
        note="peak RSS from getrusage (no /usr/bin/time): at least the ${floor} MiB of the Python launcher"
    fi
}

note=
i=0
while [ "$i" -lt "$runs" ]; do
    time_once || exit 1
    i=$((i + 1))
done

status=0
awk -v n="$nfiles" -v bytes="$bytes" -v runs="$runs" -v logf="$log" '
{ wall[NR] = $1; if ($2 > rss) rss = $2; rc = $3; if ($3 > worst) worst = $3 }
END {
    # median wall time (insertion sort; runs is small)
    for (i = 2; i <= NR; i++) { v = wall[i]; j = i - 1
        while (j >= 1 && wall[j] > v) { wall[j + 1] = wall[j]; j-- } wall[j + 1] = v }
    med = (NR % 2) ? wall[(NR + 1) / 2] : (wall[NR / 2] + wall[NR / 2 + 1]) / 2
    printf "%-13s %12s %12s %16s %14s\n", "agreements", "bytes", "wall s", "us/agreement", "peak RSS MiB"
    printf "%-13d %12d %12.3f %16.1f %14.1f\n", n, bytes, med, med * 1e6 / n, rss / 1024
    printf "(median of %d runs; licet check exit %d", runs, rc
    if (rc == 1) printf ": files reported errors, see %s", logf
    printf ")\n"
    exit (worst >= 2) ? 1 : 0
}' "$results" || status=$?
[ -z "$note" ] || echo "($note)"
if [ "$status" -ne 0 ]; then
    echo "bench: FAILED: $licet check exited with status >= 2 (see $log)" >&2
    exit 1
fi

if [ "${BENCH_ENGINE:-1}" != 0 ]; then
    echo
    sh bench/engine.sh "$(dirname "$licet")"
fi

if [ "${BENCH_ROY:-1}" != 0 ]; then
    echo
    sh bench/royalties.sh "$(dirname "$licet")"
fi

if [ "${BENCH_SERVER:-1}" != 0 ]; then
    echo
    sh bench/server.sh "$licet"
fi
