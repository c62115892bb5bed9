#!/bin/sh
# outputs.sh LICET - `licet royalties` beyond --json: the terminal table
# and --csv compared byte for byte with tests/royalties/outputs/expected.*,
# and the --xlsx workbook read back (outputs/xlsx_check.py), for the case
# marginal-quarter-crosses-band (two bands: 7,500.00 + 9,200.00).
set -u
LICET=${1:?usage: outputs.sh LICET}
here=$(cd "$(dirname "$0")" && pwd)
case=$here/cases/marginal-quarter-crosses-band
ag=$here/agreements/$(cat "$case/agreement")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
check() { # name, then the command; its stdout against outputs/expected.NAME
    name=$1
    shift
    if "$@" > "$tmp/out" 2> "$tmp/err" && cmp -s "$tmp/out" "$here/outputs/expected.$name"; then
        pass=$((pass + 1))
    else
        echo "FAIL royalties --$name output"; diff "$here/outputs/expected.$name" "$tmp/out" | head -10; cat "$tmp/err"
        fail=$((fail + 1))
    fi
}
run() { "$LICET" royalties "$ag" --events "$case/events.yaml" --period 2026-Q2 "$@"; }
check txt run
check csv run --csv
if run --xlsx "$tmp/q.xlsx" && python3 "$here/outputs/xlsx_check.py" "$tmp/q.xlsx"; then
    pass=$((pass + 1))
else
    echo "FAIL royalties --xlsx workbook"; fail=$((fail + 1))
fi
if run --period 2031-Q1 > /dev/null 2> "$tmp/err" || ! grep -q "no royalty report for 2031-Q1" "$tmp/err"; then
    echo "FAIL royalties for a period never reported must fail saying so"; cat "$tmp/err"; fail=$((fail + 1))
else
    pass=$((pass + 1))
fi
echo "royalty outputs: $pass passed, $fail failed"
[ $fail -eq 0 ]
