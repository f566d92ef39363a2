#!/usr/bin/env bash
# Runs CMD... in a private D-Bus session with an unlocked gnome-keyring (Secret Service),
# as in shared/design/RECIPES.md: private temporary HOME and XDG_RUNTIME_DIR, no inherited
# session bus, dbus-run-session so the bus and the keyring daemon end with CMD.
# Exports SMARTAP_TEST_KEYRING=1: the vault tests then insist on the real keyring.
# The caller's Go caches are kept (a new HOME would otherwise move them).
# Exit code: CMD's.
set -euo pipefail

if [ "$#" -eq 0 ]; then
	echo "usage: $0 CMD [ARG...]" >&2
	exit 2
fi
for t in dbus-run-session gnome-keyring-daemon; do
	if ! command -v "$t" >/dev/null 2>&1; then
		echo "with-keyring: $t is missing (run: scripts/deps.sh test)" >&2
		exit 1
	fi
done

# Pin the Go caches and module settings to the caller's before HOME changes.
if command -v go >/dev/null 2>&1; then
	GOPATH=$(go env GOPATH)
	GOCACHE=$(go env GOCACHE)
	GOMODCACHE=$(go env GOMODCACHE)
	export GOPATH GOCACHE GOMODCACHE
	# GOENV lives under the old HOME too: keep the caller's settings file.
	GOENV=$(go env GOENV)
	export GOENV
fi

# Keep the caller's cache folder too: tests cache compiled PDFium (WebAssembly) there, and
# compiling it again under -race costs about 30 s per test binary.
caller_cache=${XDG_CACHE_HOME:-$HOME/.cache}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/smartap-keyring.XXXXXX")
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
	# gnome-keyring may leave sockets and control files; remove everything.
	rm -rf "$tmp" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -m 0700 "$tmp/home" "$tmp/run"
export HOME="$tmp/home"
export XDG_RUNTIME_DIR="$tmp/run"
unset DBUS_SESSION_BUS_ADDRESS
# Keep XDG dirs under the private HOME (the keyring files land in $HOME/.local/share/keyrings).
unset XDG_DATA_HOME XDG_CONFIG_HOME XDG_STATE_HOME GNOME_KEYRING_CONTROL
export XDG_CACHE_HOME="$caller_cache"
export SMARTAP_TEST_KEYRING=1
# A random password for the throwaway login keyring.
KEYRING_PASS=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
export KEYRING_PASS

set +e
# shellcheck disable=SC2016 # expanded by the inner sh, not here
dbus-run-session -- sh -c 'printf %s "$KEYRING_PASS" | gnome-keyring-daemon --unlock --components=secrets >/dev/null || { echo "with-keyring: gnome-keyring-daemon failed" >&2; exit 1; }; unset KEYRING_PASS; exec "$@"' with-keyring "$@"
rc=$?
set -e
exit "$rc"
