#!/usr/bin/env bash
# Smoke test of the production desktop build under Xvfb:
# the window "SmartAP" must appear, the web UI must get the app's state from the Go side (it then
# titles the window "SmartAP — Set up" for a new data folder), and the screen must show something
# (not a blank, one-colour screen).
#   scripts/smoke-desktop.sh [--save PATH] [--bin PATH]
# Writes build/smoke/first-screen.png (and the app's output to build/smoke/app.log).
# Prints one line "smoke: PASS ..." or "smoke: FAIL ..."; exit 0 / 1.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)
bin="$root/build/bin/smartap-desktop"
save=""
while [ "$#" -gt 0 ]; do
	case "$1" in
	--save)
		save=${2:?--save needs a path}
		shift 2
		;;
	--bin)
		bin=${2:?--bin needs a path}
		shift 2
		;;
	*)
		echo "usage: $0 [--save PATH] [--bin PATH]" >&2
		exit 2
		;;
	esac
done

WINDOW_TIMEOUT=${SMOKE_WINDOW_TIMEOUT:-20}  # seconds until a visible window "SmartAP"
RENDER_TIMEOUT=${SMOKE_RENDER_TIMEOUT:-15}  # seconds until the screen is not blank
MIN_COLOURS=32                              # fewer unique colours = blank
FIRST_TITLE=${SMOKE_FIRST_TITLE:-"SmartAP — Set up"} # the first screen of a new data folder

outdir="$root/build/smoke"
shot="$outdir/first-screen.png"
log="$outdir/app.log"

fail() {
	echo "smoke: FAIL $*"
	if [ -s "$log" ]; then
		echo "--- last lines of $log ---"
		tail -n 30 "$log"
	fi
	exit 1
}

for t in Xvfb xdotool import convert dbus-run-session setsid timeout; do
	command -v "$t" >/dev/null 2>&1 || fail "$t is missing (run: scripts/deps.sh test)"
done
[ -x "$bin" ] || fail "$bin not found (run: make build)"

mkdir -p "$outdir"
rm -f "$shot" "$log"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/smartap-smoke.XXXXXX")
xvfb_pid=""
app_pid=""

cleanup() {
	if [ -n "$app_pid" ]; then
		# The app runs in its own process group (setsid): end the group, WebKit helpers included.
		kill -TERM -- "-$app_pid" 2>/dev/null || true
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			kill -0 -- "-$app_pid" 2>/dev/null || break
			sleep 0.2
		done
		kill -KILL -- "-$app_pid" 2>/dev/null || true
	fi
	if [ -n "$xvfb_pid" ]; then
		kill -TERM "$xvfb_pid" 2>/dev/null || true
		wait "$xvfb_pid" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# Xvfb picks a free display itself and writes its number to fd 5.
Xvfb -displayfd 5 -screen 0 1366x900x24 -nolisten tcp -nolisten unix-abstract 5>"$tmp/display" >"$tmp/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 1 100); do
	[ -s "$tmp/display" ] && break
	kill -0 "$xvfb_pid" 2>/dev/null || fail "Xvfb exited: $(tail -n 3 "$tmp/xvfb.log" | tr '\n' ' ')"
	sleep 0.1
done
[ -s "$tmp/display" ] || fail "Xvfb did not start within 10 s"
DISPLAY=":$(head -n 1 "$tmp/display" | tr -d '[:space:]')"
export DISPLAY

# A private, existing HOME (WebKit needs it) and runtime folder; a key file instead of an OS keychain.
mkdir -m 0700 "$tmp/home" "$tmp/run"
start=$(date +%s.%N)
env -u DBUS_SESSION_BUS_ADDRESS -u XDG_DATA_HOME -u XDG_CONFIG_HOME -u XDG_CACHE_HOME -u XDG_STATE_HOME \
	HOME="$tmp/home" XDG_RUNTIME_DIR="$tmp/run" NO_AT_BRIDGE=1 \
	SMARTAP_KEYCHAIN="file:$tmp/keys" \
	setsid dbus-run-session -- "$bin" >"$log" 2>&1 </dev/null &
app_pid=$!

alive() { kill -0 "$app_pid" 2>/dev/null; }

# Wait for the window in 1 s slices, so that a crashed app fails at once.
deadline=$(($(date +%s) + WINDOW_TIMEOUT))
until timeout 1 xdotool search --sync --onlyvisible --name SmartAP >"$tmp/windows" 2>/dev/null; do
	if ! alive; then
		wait "$app_pid" 2>/dev/null && rc=0 || rc=$?
		app_pid=""
		fail "the app exited (code $rc) before its window showed"
	fi
	[ "$(date +%s)" -ge "$deadline" ] && fail "no visible window named SmartAP within ${WINDOW_TIMEOUT} s"
done
shown=$(date +%s.%N)
win=$(head -n 1 "$tmp/windows")
geom=$(xdotool getwindowgeometry "$win" 2>/dev/null | awk '/Geometry:/ {print $2}')

# The UI titles the window after the backend answered State(): a title that never comes means the
# bindings or the backend are broken even if the page itself painted.
deadline=$(($(date +%s) + RENDER_TIMEOUT))
title=""
while [ "$title" != "$FIRST_TITLE" ]; do
	alive || fail "the app died after its window showed"
	title=$(xdotool getwindowname "$win" 2>/dev/null || true)
	[ "$(date +%s)" -ge "$deadline" ] && fail "the window title is \"$title\", not \"$FIRST_TITLE\", after ${RENDER_TIMEOUT} s: the UI did not get the app's state"
	sleep 0.2
done
sleep 0.3 # let the screen that set the title paint

colours=0
deadline=$(($(date +%s) + RENDER_TIMEOUT))
while :; do
	alive || fail "the app died after its window showed"
	if import -window root "$tmp/shot.png" 2>/dev/null; then
		colours=$(convert "$tmp/shot.png" -format %k info: 2>/dev/null || echo 0)
		cp "$tmp/shot.png" "$shot"
		[ "$colours" -ge "$MIN_COLOURS" ] && break
	fi
	[ "$(date +%s)" -ge "$deadline" ] && fail "screen still blank after ${RENDER_TIMEOUT} s ($colours colours, see $shot)"
	sleep 0.5
done
drawn=$(date +%s.%N)
alive || fail "the app died while rendering"

if [ -n "$save" ]; then
	mkdir -p "$(dirname "$save")"
	cp "$shot" "$save"
fi

rss=$(ps -o rss= -s "$app_pid" 2>/dev/null | awk '{s+=$1} END {printf "%d", s/1024}')
awk -v g="${geom:-?}" -v a="$start" -v b="$shown" -v c="$drawn" -v k="$colours" -v r="${rss:-?}" \
	-v f="${save:-build/smoke/first-screen.png}" \
	'BEGIN {printf "smoke: PASS window %s after %.1f s, first screen drawn after %.1f s, %s colours, %s MB RSS (app + WebKit), %s\n", g, b-a, c-a, k, r, f}'

