#!/bin/sh
# run.sh LICET [SUITE] - the lifecycle scenario suite (SUITE status, the
# default: `licet status --json`) or the royalty statement suite (SUITE
# royalties: tests/royalties/cases, `licet royalties --json`, whose args
# name the --period).
#
# Each directory tests/status/cases/NAME/ holds
#   agreement.yaml   the agreement, or `agreement` naming one in ../../agreements/
#   events.yaml      the events (or events.jsonl); optional
#   args             the rest of the command line: --as-of DATE [--known-at DATE]
#   expected.json    the exact `licet status --json` output
# and the case passes when the output is byte for byte the expected file.
# Every case is also run twice (the output must be byte-identical) and,
# when its events have distinct dates, with its events in reverse and in a
# shuffled order (the output, receipt aside, must not change).
# UPDATE=1 rewrites expected.json from the current output (review the diff!).
set -u
LICET=${1:?usage: run.sh LICET [status|royalties]}
suite=${2:-status}
here=$(cd "$(dirname "$0")" && pwd)
cases=$(cd "$here/../$suite/cases" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
for dir in "$cases"/*/; do
    name=$(basename "$dir")
    if [ -f "$dir/agreement" ]; then ag="$cases/../agreements/$(cat "$dir/agreement")"; else ag="$dir/agreement.yaml"; fi
    ev=""
    [ -f "$dir/events.yaml" ] && ev="$dir/events.yaml"
    [ -f "$dir/events.jsonl" ] && ev="$dir/events.jsonl"
    args=$(cat "$dir/args")
    evopt=""
    [ -n "$ev" ] && evopt="--events $(basename "$ev")"
    # shellcheck disable=SC2086
    (cd "$dir" && "$LICET" "$suite" "$ag" $evopt $args --json > "$tmp/out.json" 2> "$tmp/err.txt")
    rc=$?
    if [ "${UPDATE:-0}" = 1 ]; then cp "$tmp/out.json" "$dir/expected.json"; fi
    ok=1
    if [ $rc -ne 0 ]; then echo "FAIL $name: exit $rc"; cat "$tmp/err.txt"; ok=0
    elif ! cmp -s "$tmp/out.json" "$dir/expected.json"; then
        echo "FAIL $name: output differs from expected.json"; diff "$dir/expected.json" "$tmp/out.json" | head -20; ok=0
    else
        # shellcheck disable=SC2086
        (cd "$dir" && "$LICET" "$suite" "$ag" $evopt $args --json > "$tmp/again.json" 2>/dev/null)
        if ! cmp -s "$tmp/out.json" "$tmp/again.json"; then echo "FAIL $name: two runs differ"; ok=0; fi
        if [ -n "$ev" ] && [ "${ev%.yaml}" != "$ev" ] &&
            python3 "$here/shuffle.py" "$ev" "$tmp/shuf" ; then
            for f in "$tmp"/shuf/*.yaml; do
                # shellcheck disable=SC2086
                (cd "$dir" && "$LICET" "$suite" "$ag" --events "$f" $args --json 2>/dev/null) | grep -v inputs_sha256 > "$tmp/s.json"
                grep -v inputs_sha256 "$tmp/out.json" | sed "s|\"at\": \"[^\"]*\"|AT|" > "$tmp/o.json"
                sed -i "s|\"at\": \"[^\"]*\"|AT|" "$tmp/s.json"
                if ! cmp -s "$tmp/o.json" "$tmp/s.json"; then
                    echo "FAIL $name: reordering events ($(basename "$f")) changed the status"
                    diff "$tmp/o.json" "$tmp/s.json" | head -10; ok=0
                fi
            done
        fi
    fi
    if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done
echo "$suite: $pass passed, $fail failed"
[ $fail -eq 0 ]
