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

# The same from a portfolio store: the agreements and the option's events
# in a fresh SQLite database; names are the agreements' ids.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db="$tmp/c.db"
"$LICET" init --db "$db" > /dev/null && "$LICET" add --db "$db" ../status/agreements/base.yaml > /dev/null 2>&1 &&
    "$LICET" add --db "$db" option-de.yaml > /dev/null 2>&1 &&
    "$LICET" record --db "$db" --agreement OPT-DE-1 events/OPT-DE-1.yaml > /dev/null || echo "FAIL store set-up"
check_store() { # name as-of expected-exit expected-output [IDS...]
    name=$1 date=$2 want_rc=$3 want=$4
    shift 4
    out=$("$LICET" conflicts --db "$db" "$@" --as-of "$date" 2>&1)
    rc=$?
    if [ "$rc" = "$want_rc" ] && [ "$out" = "$want" ]; then pass=$((pass + 1)); else
        fail=$((fail + 1)); echo "FAIL $name: exit $rc, output:"; echo "$out"; fi
}
check_store store-before-the-option-is-exercised 2026-01-09 0 ""
check_store store-every-agreement-after-the-exercise 2026-01-10 1 \
"BASE-1: exclusive grant G1 of BASE-1 overlaps exclusive grant ODE of OPT-DE-1 (OPT-DE-1) on 2026-01-10 for licensor uni: fields therapeutics/oncology; countries DE"
check_store store-ids-given-after-the-exercise 2026-01-10 1 \
"OPT-DE-1: exclusive grant ODE of OPT-DE-1 overlaps exclusive grant G1 of BASE-1 (BASE-1) on 2026-01-10 for licensor uni: fields therapeutics/oncology; countries DE" OPT-DE-1 BASE-1
check_store store-unknown-id 2026-01-10 1 "licet conflicts: no agreement NOPE in $db" NOPE
echo "conflicts: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
