#!/bin/sh
# users.sh LICET [URL] - `licet user` (the accounts of `licet serve`) on
# SQLite (no URL: ./licet.db in a temporary directory) or on the
# PostgreSQL database at URL (postgresql://...; the suite works in a
# schema of its own, licet_users, dropped and made again, so it can share
# a database with tests/store/run.sh).
#
# 1. transcript: init, user add (password on stdin, from a file, with a
#    CRLF line end), list, token, passwd, disable and enable (list shows
#    "disabled"; a disabled user gets no token), every refusal with its message
#    and exit status, what the database holds of the secrets, and a
#    schema-1 store brought to schema 2; it must equal users.expected
#    byte for byte (API tokens written as lic_<64 hex> once checked).
# 2. racing adds: several processes add the same name at once; exactly
#    one succeeds and the others say the name is taken.
# UPDATE=1 rewrites users.expected from the current transcript.
set -u
LICET=${1:?usage: users.sh LICET [URL]}
URL=${2:-}
case "$URL" in
    "") backend=sqlite ;;
    postgresql://* | postgres://*) backend=postgres ;;
    *) echo "users.sh: URL must be postgresql://... (SQLite needs none)" >&2; exit 2 ;;
esac
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL users ($backend): $*"; fail=$((fail + 1)); }

work="$tmp/work"
mkdir -p "$work"
db=""
if [ $backend = postgres ]; then
    psql -X -q "$URL" -c "DROP SCHEMA IF EXISTS licet_users CASCADE; CREATE SCHEMA licet_users" > /dev/null 2>&1 ||
        { echo "users.sh: cannot reach $URL" >&2; exit 1; }
    case "$URL" in *\?*) sep="&" ;; *) sep="?" ;; esac
    db="$URL${sep}options=-csearch_path%3Dlicet_users"
fi

# sql QUERY: its rows, one value a line, with the backend's own client.
sql() {
    if [ $backend = sqlite ]; then (cd "$work" && sqlite3 licet.db "$1")
    else psql -X -q -t -A "$db" -c "$1"; fi
}
t="$tmp/transcript.txt"
: > "$t"
as_file() { if [ -n "$db" ]; then sed "s|$db|licet.db|g"; else cat; fi; }
# run [-i INPUT] ARGS...: the command line, stdout and stderr (INPUT on
# stdin, else nothing), the exit status.  API tokens are checked for
# their shape and written as lic_<64 hex>.
run() {
    input=""
    if [ "$1" = -i ]; then input=$2; shift 2; fi
    echo "\$ licet $*" >> "$t"
    (cd "$work" && printf '%b' "$input" | LICET_DB=$db "$LICET" "$@"; echo $? > "$tmp/status") 2>&1 |
        as_file | sed 's/^lic_[0-9a-f]\{64\}$/lic_<64 hex>/' >> "$t"
    echo "[exit $(cat "$tmp/status")]" >> "$t"
}
# usage ARGS...: a usage error: its first line and the exit status.
usage() {
    echo "\$ licet $*" >> "$t"
    (cd "$work" && LICET_DB=$db "$LICET" "$@" < /dev/null > "$tmp/usage.txt" 2>&1; echo $? > "$tmp/status")
    head -1 "$tmp/usage.txt" >> "$t"
    echo "[exit $(cat "$tmp/status")]" >> "$t"
}
# q QUERY: the query (secrets in it written as <64 hex>) and its rows.
q() {
    echo "\$ sql \"$1\"" | sed 's/[0-9a-f]\{64\}/<64 hex>/g' >> "$t"
    sql "$1" >> "$t" 2>&1
}

# ---- 1. the transcript ----
printf 'pass word 2\nsecond line is ignored\n' > "$work/pw"
printf 'short\n' > "$work/short"
run user list
run init
run user list
run -i 'password1\n' user add alice --role licensee --party ACME-1
run user add bob --role manager --password-file pw
run -i 'crlf-password\r\n' user add carol --role admin
run -i 'no-newline' user add dave.d@example.org --role auditor
run user list
q "SELECT name, role, party, substr(pwhash, 1, 31), disabled FROM users ORDER BY name"
q "SELECT count(*) FROM users WHERE pwhash LIKE '%password%' OR pwhash LIKE '%pass word%'"
run user token bob --label ci
tok=$(cd "$work" && LICET_DB=$db "$LICET" user token bob --label "nightly export" 2> /dev/null)
case "$tok" in lic_????????????????????????????????????????????????????????????????) ok ;; *) bad "token: $tok" ;; esac
h=$(printf '%s' "$tok" | sha256sum | cut -d' ' -f1)
q "SELECT user_name, label FROM api_tokens WHERE token_hash = '$h'"
q "SELECT count(*) FROM api_tokens WHERE token_hash = '$tok' OR label = '$tok'"
run -i 'password1\n' user add alice --role manager
run -i 'password1\n' user add erin --role licensee
run -i 'password1\n' user add erin --role manager --party ACME-1
run -i 'password1\n' user add erin --role licensee --party -ACME
run -i 'password1\n' user add 'bad name' --role admin
run -i 'seven77\n' user add erin --role admin
run -i '\n' user add erin --role admin
run user add erin --role admin --password-file short
run user add erin --role admin --password-file nope
run -i 'new password\n' user passwd bob
run user passwd bob --password-file short
run -i 'new password\n' user passwd nobody
run user token nobody
run user token bob --label 'two
lines'
run user disable bob
run -i 'password1\n' user add erin --role licensee --party ACME-1
run user disable erin
run user list
q "SELECT name, disabled FROM users WHERE disabled <> 0 ORDER BY name"
run user token bob
run user disable bob
run user enable bob
run user enable bob
run user token erin
run user enable erin
run user disable nobody
run user enable 'bad name'
run user list
usage user
usage user frob
usage user add erin
usage user add erin --role boss
usage user add erin --role admin --password hunter22
usage user add --role admin
usage user list extra
usage user list --role admin
usage user token bob --label
usage user disable
usage user enable bob erin
usage user disable bob --label x
run user list
# A schema-1 store (as licet 0.1 left it): opening brings it to 2.
q "DROP TABLE api_tokens; DROP TABLE sessions; DROP TABLE users; DELETE FROM schema_version WHERE version = 2"
run user list
q "SELECT version FROM schema_version ORDER BY version"
run -i 'password1\n' user add alice --role licensee --party ACME-1
run user list
run init
if [ "${UPDATE:-0}" = 1 ]; then cp "$t" "$here/users.expected"; fi
if cmp -s "$t" "$here/users.expected"; then ok; else
    bad "transcript differs from users.expected"
    diff "$here/users.expected" "$t" | head -40
fi

# ---- 2. racing adds of one name ----
for i in 1 2 3 4 5; do
    (cd "$work" && echo "racing-pw-$i" | LICET_DB=$db "$LICET" user add racer --role manager > "$tmp/race$i.out" 2>&1
     echo $? > "$tmp/race$i.status") &
done
wait
added=$(cat "$tmp"/race*.out | grep -c '^user racer added (manager)$')
taken=$(cat "$tmp"/race*.out | grep -c '^licet user add: user "racer" already exists$')
if [ "$added" = 1 ] && [ "$taken" = 4 ]; then ok; else
    bad "racing adds: $added added, $taken refused"; cat "$tmp"/race*.out | head -10
fi

echo "users ($backend): $pass passed, $fail failed"
[ $fail -eq 0 ]
