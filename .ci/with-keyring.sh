#!/bin/sh
# Runs a command against a real, unlocked Secret Service (GNOME Keyring) on a private D-Bus
# session bus, so keychain tests exercise the real backend, not a mock:
#
#   dbus-run-session -- .ci/with-keyring.sh cargo test -p smartdial-core -p smartdial-cli
#
# HOME is left alone (cargo and rustup live there). The keyring files go to a throw-away
# XDG_DATA_HOME instead, and the daemon creates a fresh "login" keyring unlocked with a
# fixed password read from stdin. Needs: gnome-keyring, dbus (dbus-run-session).
set -eu

if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
    echo "with-keyring.sh: no D-Bus session; run it as: dbus-run-session -- $0 <command>" >&2
    exit 2
fi
if ! command -v gnome-keyring-daemon >/dev/null 2>&1; then
    echo "with-keyring.sh: gnome-keyring-daemon not found (apt-get install gnome-keyring)" >&2
    exit 2
fi

keyring_home=$(mktemp -d "${TMPDIR:-/tmp}/smartdial-keyring.XXXXXX")
export XDG_DATA_HOME="$keyring_home"

# --unlock reads the password from stdin and creates the login keyring if it is missing;
# the daemon prints GNOME_KEYRING_CONTROL=... for the clients to find it.
eval "$(printf 'smartdial-ci' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
export SMARTDIAL_REQUIRE_KEYRING="${SMARTDIAL_REQUIRE_KEYRING:-1}"

status=0
"$@" || status=$?
rm -rf "$keyring_home"
exit "$status"
