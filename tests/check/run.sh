#!/bin/sh
# run.sh - data-driven `licet check` cases.
#
# Each tests/check/cases/NAME.yaml is checked with
#   licet check --no-warnings NAME.yaml      (run inside cases/)
# and its stderr must equal NAME.expected exactly (lines FILE:LINE:COL: ...).
# The exit status must be 1 when NAME.expected is non-empty, else 0.
# Files named NAME.warn.yaml are checked with warnings included.
# Directories under tests/check/portfolio/ are checked as portfolios.
# Prints "N passed, N failed"; exits 1 on any failure.
LICET=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/cases" || exit 2
passed=0; failed=0
for f in *.yaml; do
    name=${f%.yaml}
    exp="$name.expected"
    [ -f "$exp" ] || { echo "MISSING $exp"; failed=$((failed + 1)); continue; }
    case "$f" in
        *.warn.yaml) out=$("$LICET" check "$f" 2>&1 >/dev/null); rc=$? ;;
        *) out=$("$LICET" check --no-warnings "$f" 2>&1 >/dev/null); rc=$? ;;
    esac
    want_rc=0
    grep -qv ': warning: ' "$exp" 2>/dev/null && want_rc=1
    if [ "$out" = "$(cat "$exp")" ] && [ "$rc" -eq "$want_rc" ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL $f (exit $rc, wanted $want_rc)"
        printf '%s\n' "$out" | diff "$exp" - | head -n 10
    fi
done
# Portfolio cases: every directory under ../portfolio is checked as one
# portfolio (licet check --no-warnings *.yaml); stderr must equal `expected`.
for dir in ../portfolio/*/; do
    out=$(cd "$dir" && "$LICET" check --no-warnings *.yaml 2>&1 >/dev/null); rc=$?
    want_rc=0
    [ -s "$dir/expected" ] && want_rc=1
    if [ "$out" = "$(cat "$dir/expected")" ] && [ "$rc" -eq "$want_rc" ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL portfolio $dir (exit $rc, wanted $want_rc)"
        printf '%s\n' "$out" | diff "$dir/expected" - | head -n 10
    fi
done
# JSON cases: ../json/NAME.yaml checked with --json; stdout must equal NAME.json.
for f in ../json/*.yaml; do
    out=$(cd ../json && "$LICET" check --json "$(basename "$f")" 2>/dev/null)
    if [ "$out" = "$(cat "${f%.yaml}.json")" ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL json $f"
        printf '%s\n' "$out" | diff "${f%.yaml}.json" - | head -n 10
    fi
done
echo "cases: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
