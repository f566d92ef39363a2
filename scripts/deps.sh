#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages SmartAP Desktop needs, only those missing.
#   scripts/deps.sh base   build tools, GTK 3, WebKitGTK, Tesseract OCR (library, English, German and
#                          French data), Node.js/npm (when node/npm are missing)
#   scripts/deps.sh test   base plus what the tests need (keyring, Xvfb, screenshots, Chromium, PostgreSQL)
#   scripts/deps.sh package  base plus the mingw-w64 cross compiler for the Windows build (make package)
# Idempotent and quiet when everything is present. Needs root or sudo.
set -euo pipefail

mode=${1:-base}
case "$mode" in
base | test | package) ;;
*)
	echo "usage: $0 [base|test|package]" >&2
	exit 2
	;;
esac

if ! command -v dpkg >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
	echo "deps: this script supports Debian/Ubuntu (dpkg + apt-get) only" >&2
	exit 1
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO=(sudo)
	else
		echo "deps: not root and sudo is missing; install the packages as root" >&2
		exit 1
	fi
fi
export DEBIAN_FRONTEND=noninteractive

installed() { dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed'; }

updated=0
apt_update() {
	if [ "$updated" -eq 0 ]; then
		echo "deps: apt-get update" >&2
		"${SUDO[@]}" apt-get update -qq
		updated=1
	fi
}

# has_candidate PKG: the package index offers PKG (needs a current index).
has_candidate() {
	local c
	c=$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2; exit}')
	[ -n "$c" ] && [ "$c" != "(none)" ]
}

# WebKitGTK: 4.0 where it exists (Debian 12, Ubuntu 22.04), else 4.1 (Ubuntu 24.04+, Debian 13+);
# build with -tags webkit2_41 there (scripts/webkit-tags.sh tells the Makefile).
webkit_pkg() {
	if installed libwebkit2gtk-4.0-dev; then
		echo libwebkit2gtk-4.0-dev
		return
	fi
	if installed libwebkit2gtk-4.1-dev; then
		echo libwebkit2gtk-4.1-dev
		return
	fi
	if ! has_candidate libwebkit2gtk-4.0-dev && ! has_candidate libwebkit2gtk-4.1-dev; then
		apt_update
	fi
	if has_candidate libwebkit2gtk-4.0-dev; then
		echo libwebkit2gtk-4.0-dev
	else
		echo libwebkit2gtk-4.1-dev
	fi
}

want=(build-essential pkg-config libgtk-3-dev "$(webkit_pkg)")
# OCR (backend/ocr, build tag "ocr"): the library and headers gosseract compiles against, and the
# language data it loads; the test scans need them too (test includes base).
want+=(tesseract-ocr tesseract-ocr-eng tesseract-ocr-deu tesseract-ocr-fra libtesseract-dev libleptonica-dev)
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	want+=(nodejs npm)
fi
if [ "$mode" = test ]; then
	want+=(gnome-keyring dbus-x11 libsecret-tools xvfb xdotool imagemagick x11-utils chromium fonts-dejavu-core)
	# The server store's tests run against a private cluster that scripts/with-postgres.sh starts.
	want+=(postgresql)
fi
if [ "$mode" = package ]; then
	# cgo (SQLite) for the Windows .exe; its objdump checks the .exe's resources.
	want+=(gcc-mingw-w64-x86-64 file)
fi

missing=()
for p in "${want[@]}"; do
	installed "$p" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
	apt_update
	echo "deps: installing ${missing[*]}" >&2
	"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
	echo "deps: done" >&2
fi

# The distribution's Node.js can be older than the web UI needs: say so now (a warning;
# the frontend build stops on it).
"$(dirname "$0")/check-node.sh" || echo "deps: warning: see above; the build needs a newer Node.js" >&2
