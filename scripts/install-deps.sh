#!/bin/sh
# install-deps.sh - install the Debian packages licet needs to build and
# test, if any are missing.  Safe to run again: it installs only what
# dpkg does not already list as installed.  Needs root (or sudo) on a
# Debian 12 machine when something is missing.
set -e
PKGS="build-essential pkg-config clang libclang-rt-14-dev libfyaml-dev
libjansson-dev libcmocka-dev libical-dev libsodium-dev libssl-dev libxlsxwriter-dev sqlite3 libsqlite3-dev
libpq-dev postgresql postgresql-client python3-icalendar libmicrohttpd-dev"
missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0
echo "install-deps: installing missing Debian packages:$missing"
SUDO=""
if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "install-deps: need root to install:$missing" >&2; exit 1; }
    SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
echo "install-deps: done"
