#!/bin/sh
# run-unit.sh - run each cmocka test binary given, then print one summary
# line "N passed, N failed".  Exits 1 if any test failed.
# cmocka prints "[  PASSED  ] N test(s)." and "[  FAILED  ] N test(s)...".
passed=0; failed=0; status=0
for t in "$@"; do
    out=$("$t" 2>&1); rc=$?
    p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
    f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
    passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
    if [ $rc -ne 0 ]; then
        status=1
        printf '%s\n' "$out"
        [ -z "$f" ] && failed=$((failed + 1))
    fi
done
echo "unit: $passed passed, $failed failed"
exit $status
