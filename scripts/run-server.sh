#!/bin/sh
# run-server.sh - the end of `make run`: make the first users of the demo
# portfolio and start `licet serve` on it in the foreground.
#
#   sh scripts/run-server.sh LICET DB [LISTEN]
#
# The passwords are made fresh on every run (from /dev/urandom) and
# printed once; nothing here is a default password that could be left in
# place.  LISTEN defaults to 127.0.0.1:8080 ($LICET_LISTEN overrides).
set -eu
LICET=$1 DB=$2
LISTEN=${3:-${LICET_LISTEN:-127.0.0.1:8080}}

pw() { head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
MANAGER_PW=$(pw)
LICENSEE_PW=$(pw)
printf '%s\n' "$MANAGER_PW" | "$LICET" user add --db "$DB" manager --role manager
printf '%s\n' "$LICENSEE_PW" | "$LICET" user add --db "$DB" beta --role licensee --party beta
HOST=${LISTEN%:*} PORT=${LISTEN##*:}
cat <<MSG

  Open http://$HOST:$PORT/ and sign in:
    licensor's manager:  manager / $MANAGER_PW
    licensee (Beta):     beta / $LICENSEE_PW
  The example deals live in 2025-2028: pick an "as of" date such as 2027-12-31.
  More users: $LICET user add --db $DB NAME --role admin|manager|licensee|auditor

MSG
exec "$LICET" serve --db "$DB" --listen "$LISTEN"
