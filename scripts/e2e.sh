#!/usr/bin/env bash
# End-to-end tests of the desktop app in a real browser against the real backend.
#
# What runs: the app built in Wails' dev mode (go build -tags dev: the binary `wails dev` builds and
# starts), under Xvfb, in a private D-Bus session with an unlocked gnome-keyring (scripts/with-keyring.sh:
# the real OS keychain), on a fresh temporary data folder. In dev mode the app serves the built
# frontend (frontend/dist, with the production security headers) and the Go bindings over a websocket
# on http://127.0.0.1:PORT; headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core)
# opens that URL and the suite in e2e/tests/ clicks through the UI.
#
# Why not the `wails dev` command itself: it runs `go mod tidy` (unless -m), starts the Vite dev
# server named in wails.json (whose injected <style> tags the app's CSP blocks, so pages come out
# unstyled, and whose proxy drops the security headers), and rebuilds and restarts the app whenever a
# file changes, which turns other people's edits into test failures. Building with the same tag and
# starting the binary with the environment `wails dev` gives it (devserver, assetdir, loglevel) is the
# same app without those.
#
# The native file dialog cannot be driven from a browser: the dev build has a test-only binding,
# App.DevQueueImport (app/devimport.go, never in production builds), that answers the next dialog
# with files from $SMARTAP_DEV_IMPORT_DIR.
#
#   scripts/e2e.sh [--no-build] [-- NODE_TEST_ARGS...]
# Environment: E2E_TAGS (Go tags besides dev; default "ocr" plus webkit2_41 where needed),
#   E2E_PORT (default: a free port), E2E_KEEP=1 keeps the temporary folder (logs, data).
# Screenshots of the main screens go to docs/screenshots/; on failure, page screenshots and the app's
# log are in build/e2e/. Exit code: the suite's (non-zero on any failure).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

build=1
while [ "$#" -gt 0 ]; do
	case "$1" in
	--no-build) build=0; shift ;;
	--) shift; break ;;
	*) echo "usage: $0 [--no-build] [-- NODE_TEST_ARGS...]" >&2; exit 2 ;;
	esac
done

fail() {
	echo "e2e: FAIL $*" >&2
	exit 1
}

for t in Xvfb dbus-run-session gnome-keyring-daemon node npm setsid; do
	command -v "$t" >/dev/null 2>&1 || fail "$t is missing (run: make deps-test)"
done
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is missing (run: make deps-test)"

outdir="$root/build/e2e"
bin="$outdir/smartap-dev"
mkdir -p "$outdir"
rm -f "$outdir"/*.png "$outdir"/app.log

tags="dev,${E2E_TAGS:-ocr}"
webkit=$(scripts/webkit-tags.sh)
[ -n "$webkit" ] && tags="$tags,$webkit"

if [ "$build" -eq 1 ]; then
	echo "e2e: building the web UI and the dev-mode app (-tags $tags)" >&2
	make --no-print-directory frontend >&2
	go build -tags "$tags" -o "$bin" .
	# The test-only binding is there (and package.sh checks that release binaries lack it).
	grep -q DevQueueImport "$bin" || fail "the dev build lacks App.DevQueueImport"
	go test -count=1 -vet=off -tags "$tags" -run '^TestDevQueue' ./app >&2 # vet: make lint
fi
[ -x "$bin" ] || fail "$bin not found (run without --no-build)"
[ -f frontend/dist/index.html ] || fail "frontend/dist is missing (make frontend)"

# The suite's own dependencies: npm ci when node_modules is missing or older than the lock file.
if [ ! -d e2e/node_modules ] || [ e2e/package-lock.json -nt e2e/node_modules/.package-lock.json ]; then
	(cd e2e && npm ci --no-audit --no-fund >&2)
fi
# Keep Go's ./... patterns out of node_modules.
[ -f e2e/node_modules/go.mod ] || printf 'module smartap.invalid/e2e_node_modules\n' >e2e/node_modules/go.mod

tmp=$(mktemp -d "${TMPDIR:-/tmp}/smartap-e2e.XXXXXX")
xvfb_pid=""
app_pid=""
cleanup() {
	if [ -n "$app_pid" ]; then
		# The app runs in its own process group (setsid): end the group (D-Bus, keyring, WebKit helpers).
		kill -TERM -- "-$app_pid" 2>/dev/null || true
		for _ in $(seq 1 25); do
			kill -0 -- "-$app_pid" 2>/dev/null || break
			sleep 0.2
		done
		kill -KILL -- "-$app_pid" 2>/dev/null || true
	fi
	if [ -n "$xvfb_pid" ]; then
		kill -TERM "$xvfb_pid" 2>/dev/null || true
		wait "$xvfb_pid" 2>/dev/null || true
	fi
	[ -f "$tmp/app.log" ] && cp "$tmp/app.log" "$outdir/app.log"
	if [ "${E2E_KEEP:-0}" = 1 ]; then
		echo "e2e: kept $tmp" >&2
	else
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

Xvfb -displayfd 5 -screen 0 1366x900x24 -nolisten tcp -nolisten unix-abstract 5>"$tmp/display" >"$tmp/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 1 100); do
	[ -s "$tmp/display" ] && break
	kill -0 "$xvfb_pid" 2>/dev/null || fail "Xvfb exited: $(tail -n 3 "$tmp/xvfb.log" | tr '\n' ' ')"
	sleep 0.1
done
[ -s "$tmp/display" ] || fail "Xvfb did not start within 10 s"
display=":$(head -n 1 "$tmp/display" | tr -d '[:space:]')"

port=${E2E_PORT:-$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')}
mkdir -m 0700 "$tmp/data" "$tmp/import"

# with-keyring.sh gives the app a private HOME, runtime folder, session bus and unlocked keyring;
# SMARTAP_KEYCHAIN stays unset, so the app uses that real Secret Service keychain.
env -u SMARTAP_KEYCHAIN -u frontenddevserverurl \
	DISPLAY="$display" NO_AT_BRIDGE=1 \
	SMARTAP_DATA_DIR="$tmp/data" SMARTAP_DEV_IMPORT_DIR="$tmp/import" \
	devserver="127.0.0.1:$port" assetdir="$root/frontend/dist" loglevel=Warning \
	setsid scripts/with-keyring.sh "$bin" >"$tmp/app.log" 2>&1 </dev/null &
app_pid=$!

# Ready when the dev server accepts connections; the suite then waits for the UI itself.
ready=0
for _ in $(seq 1 600); do
	if ! kill -0 "$app_pid" 2>/dev/null; then
		tail -n 30 "$tmp/app.log" >&2
		app_pid=""
		fail "the app exited before its dev server listened"
	fi
	if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
		ready=1
		break
	fi
	sleep 0.1
done
[ "$ready" -eq 1 ] || fail "the dev server did not listen on 127.0.0.1:$port within 60 s"
echo "e2e: app up at http://127.0.0.1:$port (display $display, data $tmp/data)" >&2

set +e
(cd e2e && E2E_URL="http://127.0.0.1:$port/" E2E_IMPORT_DIR="$tmp/import" E2E_DATA_DIR="$tmp/data" \
	E2E_CORPUS="${E2E_CORPUS:-$root/../shared/corpus}" E2E_SCREENSHOTS="$root/docs/screenshots" \
	E2E_ARTIFACTS="$outdir" node --test --test-concurrency=1 --test-reporter=spec "$@" tests/*.test.mjs)
rc=$?
set -e
if ! kill -0 "$app_pid" 2>/dev/null; then
	echo "e2e: the app died during the run; its log:" >&2
	tail -n 30 "$tmp/app.log" >&2
	app_pid=""
	rc=1
fi
if [ "$rc" -ne 0 ]; then
	echo "e2e: FAIL (exit $rc); failure screenshots and app.log in build/e2e/" >&2
	exit "$rc"
fi
echo "e2e: PASS" >&2
