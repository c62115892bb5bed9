#!/bin/sh
# run.sh LICET - `licet conflicts` over time: base.yaml (G1 exclusive
# oncology in US, DE, FR, GB) and option-de.yaml (an option for exclusive
# oncology in DE, exercised on 2026-01-10 per events/OPT-DE-1.yaml).
# Before the exercise there is no conflict (exit 0, no output); after it
# the overlap is reported exactly (exit 1).
set -u
LICET=${1:?usage: run.sh LICET}
cd "$(dirname "$0")" || exit 2
pass=0 fail=0
check() { # name as-of expected-exit expected-output
    out=$("$LICET" conflicts ../status/agreements/base.yaml option-de.yaml --events events --as-of "$2" 2>&1)
    rc=$?
    if [ "$rc" = "$3" ] && [ "$out" = "$4" ]; then pass=$((pass + 1)); else
        fail=$((fail + 1)); echo "FAIL $1: exit $rc, output:"; echo "$out"; fi
}
check before-the-option-is-exercised 2026-01-09 0 ""
check after-the-option-is-exercised 2026-01-10 1 \
"../status/agreements/base.yaml: exclusive grant G1 of BASE-1 overlaps exclusive grant ODE of OPT-DE-1 (option-de.yaml) on 2026-01-10 for licensor uni: fields therapeutics/oncology; countries DE"
echo "conflicts: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
