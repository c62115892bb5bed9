#!/bin/sh
# run.sh - build and run the libFuzzer targets for SECONDS each.
#
#   sh fuzz/run.sh [SECONDS [TARGET]]     (make fuzz FUZZ_SECONDS=N)
#
# Every fuzz/fuzz_NAME.c is a target (today: agreement, events, csv, body);
# TARGET (NAME or fuzz_NAME) runs only that one.  Each is built against
# every lib/*.c and the embedded calendars (fuzz_body also against the
# server files server_sources names below) with clang
# -fsanitize=fuzzer,address,undefined into build-fuzz/fuzz_NAME, seeds
# build-fuzz/corpus-NAME from the saved corpus fuzz/corpus/NAME/ (and, for
# the agreement target, examples/*.yaml), and fuzzes with fuzz/NAME.dict
# when there is one.  The working corpus is kept between runs; the saved
# one is only read.
#
# Exit status: 0 when the time ran out without a finding in any target;
# non-zero when a build fails or libFuzzer reports a crash, leak, timeout
# or OOM.  The offending input is left in build-fuzz/artifacts/
# (reproduce with `build-fuzz/fuzz_NAME FILE`).  FUZZ_CFLAGS adds
# compiler flags, e.g. -DLIC_FUZZ_SKIP_KNOWN_HANGS (see fuzz_agreement.c);
# FUZZ_PRECISE_LEAKS=1 narrows the libfyaml leak suppression (see below).
# POSIX sh.
set -eu

secs=${1:-60}
only=${2:-}
case $secs in
    '' | *[!0-9]*) echo "usage: sh fuzz/run.sh [SECONDS [TARGET]]" >&2; exit 2 ;;
esac
only=${only#fuzz_}
only=${only%.c}

cd "$(dirname "$0")/.."
out=build-fuzz
CC=${FUZZ_CC:-clang}

all=
targets=
for f in fuzz/fuzz_*.c; do
    [ -f "$f" ] || continue
    name=${f#fuzz/fuzz_}
    name=${name%.c}
    all="$all $name"
    if [ -z "$only" ] || [ "$only" = "$name" ]; then
        targets="$targets $name"
    fi
done
if [ -z "$targets" ]; then
    echo "fuzz: no target named $only (targets:$all)" >&2
    exit 2
fi

if ! command -v "$CC" >/dev/null 2>&1; then
    echo "fuzz: $CC not found (install clang and libclang-rt-14-dev)" >&2
    exit 2
fi

mkdir -p "$out/gen" "$out/artifacts"

# The generated calendars, written atomically so a failed run leaves nothing.
sh scripts/embed-calendars.sh data/calendars/*.txt > "$out/gen/calendars.c.tmp"
mv "$out/gen/calendars.c.tmp" "$out/gen/calendars.c"
# The server's embedded files (as the Makefile's ASSETS), for fuzz_body.
sh scripts/embed-assets.sh server/assets/* docs/openapi.json > "$out/gen/assets.c.tmp"
mv "$out/gen/assets.c.tmp" "$out/gen/assets.c"

pkgs=$(sed -n 's/^PKGS *:= *//p' Makefile) # what lib/*.c needs, as the Makefile says
# shellcheck disable=SC2086
pkg_cflags=$(pkg-config --cflags $pkgs)
# shellcheck disable=SC2086
pkg_libs=$(pkg-config --libs $pkgs)
flags="-std=c11 -D_POSIX_C_SOURCE=200809L -Iinclude -Ilib -O1 -g
    -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined
    -fno-sanitize-recover=all -Wall -Wextra ${FUZZ_CFLAGS:-}"

# Leaks inside libfyaml are not ours (see fuzz/lsan.supp).  By default the
# fast unwinder is used and any leak whose stack passes through libfyaml is
# suppressed: licet's own allocations never do, only a forgotten
# fy_parser_event_free would.  FUZZ_PRECISE_LEAKS=1 unwinds through
# libfyaml (no frame pointers: about 3x fewer execs/s) and suppresses only
# the one known libfyaml leak.
if [ "${FUZZ_PRECISE_LEAKS:-0}" = 1 ]; then
    asan=detect_leaks=1:fast_unwind_on_malloc=0
    supp=fuzz/lsan.supp
else
    asan=detect_leaks=1
    supp=$out/lsan-fast.supp
    printf 'leak:libfyaml.so\n' > "$supp"
fi

# The server files a target links beside lib/ (none for most): fuzz_body
# drives the request-body readers and the router without a daemon: every
# server/*.c but libmicrohttpd's side (http.c, serve.c: the target stubs
# what it needs of them) and api_review.c, which it includes itself (its
# checks are static there), with the embedded assets and the CLI's
# statement writers (cli/royalties_out.c) that royalty_files.c uses.
server_sources() {
    case $1 in
    body)
        for f in server/*.c; do
            case $f in server/http.c | server/serve.c | server/api_review.c) ;; *) echo "$f" ;; esac
        done
        echo "cli/royalties_out.c -Iserver $out/gen/assets.c" # royalty_files.c writes with the CLI's writers
        ;;
    esac
}

# Builds, seeds and runs one target; returns non-zero on a finding.
run_target() {
    name=$1
    bin=$out/fuzz_$name
    corpus=$out/corpus-$name
    mkdir -p "$corpus"

    echo "fuzz: building $bin"
    # shellcheck disable=SC2086,SC2046  # word splitting of the flag and file lists is wanted
    $CC $flags $pkg_cflags -o "$bin" \
        "fuzz/fuzz_$name.c" $(server_sources "$name") lib/*.c "$out/gen/calendars.c" $pkg_libs || return 1

    # Seed the working corpus; what earlier runs found stays beside the seeds.
    seeds="fuzz/corpus/$name/*"
    [ "$name" = agreement ] && seeds="examples/*.yaml $seeds"
    for f in $seeds; do
        [ -f "$f" ] || continue
        cp "$f" "$corpus/seed-$(basename "$f")"
    done

    dict=
    [ -f "fuzz/$name.dict" ] && dict=-dict=fuzz/$name.dict

    echo "fuzz: running fuzz_$name for ${secs}s"
    status=0
    # shellcheck disable=SC2086  # $dict is empty or one word
    ASAN_OPTIONS=${ASAN_OPTIONS:-$asan} \
    LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$supp:print_suppressions=0} \
    UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
    "$bin" \
        -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=4096 \
        $dict -artifact_prefix="$out/artifacts/" \
        -print_final_stats=1 \
        "$corpus" || status=$?

    if [ "$status" -ne 0 ]; then
        echo "fuzz: fuzz_$name FAILED (libFuzzer exit $status); inputs in $out/artifacts/:" >&2
        # shellcheck disable=SC2012  # libFuzzer names are hex digests
        ls -t "$out/artifacts/" | head -5 >&2
        echo "fuzz: reproduce with LSAN_OPTIONS=suppressions=$supp $bin FILE" >&2
        return 1
    fi
    n=$(find "$corpus" -type f | wc -l | tr -d ' ')
    echo "fuzz: fuzz_$name ok (${secs}s, corpus $n inputs)"
}

failed=
for name in $targets; do
    run_target "$name" || failed="$failed $name"
done
if [ -n "$failed" ]; then
    echo "fuzz: FAILED:$failed" >&2
    exit 1
fi
