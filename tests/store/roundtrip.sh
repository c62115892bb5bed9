#!/bin/sh
# roundtrip.sh LICET PG-URL - export and import across the two backends:
# a portfolio built in SQLite (two agreements, one with two versions;
# events with and without ids, one with quotes, a backslash and non-ASCII
# text; reports with a revision) is exported (A), imported into the
# PostgreSQL database at PG-URL (its public schema is dropped and made
# again: give it a database of its own) and exported from there (B),
# then B is imported into a new SQLite store and exported again (C).
# A, B and C must be identical (diff -r), the chain must verify in every
# store, and status and royalties must say the same from each.
#   sh scripts/pg-test.sh sh -c 'sh tests/store/roundtrip.sh "$1" "$LICET_PG_URL"' sh $PWD/build/licet
set -u
LICET=${1:?usage: roundtrip.sh LICET PG-URL}
PG=${2:?usage: roundtrip.sh LICET PG-URL}
here=$(cd "$(dirname "$0")" && pwd)
tests=$(cd "$here/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL roundtrip: $*"; fail=$((fail + 1)); }
# step WHAT CMD...: runs the command in $tmp, its output to log.txt.
step() {
    what=$1
    shift
    (cd "$tmp" && "$@") >> "$tmp/log.txt" 2>&1 || { bad "$what"; tail -3 "$tmp/log.txt"; }
}

cp "$here"/*.csv "$here/events.yaml" "$tests/royalties/agreements/marginal.yaml" \
    "$tests/royalties/agreements/adjust.yaml" "$tmp/"
sed 's/title: Marginal royalty tiers/title: Marginal royalty tiers (amended)/' "$tmp/marginal.yaml" > "$tmp/marginal-v2.yaml"
cat > "$tmp/more.jsonl" << 'EOF'
{"date": "2026-06-01", "type": "payment", "id": "PAY-2", "amount": "7.50", "currency": "USD", "note": "Lizenzgebühr – \"erste\" Rate, C:\\deals"}
{"date": "2026-06-02", "type": "payment", "amount": "2.50", "currency": "USD", "note": "ロイヤルティ"}
EOF
S1=sqlite:$tmp/s1.db S2=sqlite:$tmp/s2.db
step "build the SQLite store" "$LICET" init --db "$S1"
for f in marginal.yaml marginal-v2.yaml adjust.yaml; do step "add $f" "$LICET" add --db "$S1" "$f"; done
(cd "$tmp" && "$LICET" record --db "$S1" --agreement ROY-MARGINAL events.yaml) >> "$tmp/log.txt" 2>&1 # one rejected
step "record more.jsonl" "$LICET" record --db "$S1" --agreement ROY-MARGINAL more.jsonl
step "import q1" "$LICET" import-sales --db "$S1" --agreement ROY-MARGINAL --period 2026-Q1 --date 2026-04-20 q1.csv
step "import q2" "$LICET" import-sales --db "$S1" --agreement ROY-MARGINAL --period 2026-Q2 --date 2026-07-20 q2.csv
step "import q2-revised" "$LICET" import-sales --db "$S1" --agreement ROY-MARGINAL --period 2026-Q2 \
    --date 2026-07-25 q2-revised.csv
step "export A from SQLite" "$LICET" export --db "$S1" A

psql -X -q "$PG" -c "DROP SCHEMA public CASCADE; CREATE SCHEMA public" > /dev/null 2>&1
step "import A into PostgreSQL" "$LICET" import --db "$PG" A
step "export B from PostgreSQL" "$LICET" export --db "$PG" B
step "import B into SQLite" "$LICET" import --db "$S2" B
step "export C from SQLite" "$LICET" export --db "$S2" C
[ "$fail" = 0 ] && ok

for x in B C; do
    if diff -r "$tmp/A" "$tmp/$x" > "$tmp/diff.txt"; then ok; else bad "export $x differs from A"; head -5 "$tmp/diff.txt"; fi
done
for db in "$S1" "$PG" "$S2"; do
    if "$LICET" verify --db "$db" > "$tmp/verify.txt" 2>&1; then ok; else bad "verify $db"; cat "$tmp/verify.txt"; fi
done
for c in "status ROY-MARGINAL --as-of 2026-12-31 --json" "royalties ROY-MARGINAL --period 2026-Q2 --json" \
    "status ROY-ADJUST --as-of 2026-12-31 --json" "list ROY-MARGINAL" "list"; do
    # shellcheck disable=SC2086
    "$LICET" $c --db "$S1" > "$tmp/1.out" 2>&1
    # shellcheck disable=SC2086
    "$LICET" $c --db "$PG" > "$tmp/2.out" 2>&1
    # shellcheck disable=SC2086
    "$LICET" $c --db "$S2" > "$tmp/3.out" 2>&1
    if cmp -s "$tmp/1.out" "$tmp/2.out" && cmp -s "$tmp/1.out" "$tmp/3.out"; then ok; else
        bad "licet $c differs between the stores"; diff "$tmp/1.out" "$tmp/2.out" | head -5
    fi
done
rows=$(wc -l < "$tmp/A/ledger.jsonl")
echo "roundtrip (SQLite -> PostgreSQL -> SQLite, $rows ledger rows): $pass passed, $fail failed"
[ "$fail" -eq 0 ]
