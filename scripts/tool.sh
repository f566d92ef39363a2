#!/bin/sh
# Installs a Go tool into ./.tools/bin with `go install`, only when it is missing or has
# another version than asked for (read from the binary's build info), and prints its path.
#   scripts/tool.sh PACKAGE@VERSION      e.g. honnef.co/go/tools/cmd/staticcheck@v0.8.2
# The tool is built from source through the Go module proxy; nothing prebuilt is fetched.
set -eu
[ "$#" -eq 1 ] || {
	echo "usage: $0 PACKAGE@VERSION" >&2
	exit 2
}
cd "$(dirname "$0")/.."
pkg=${1%@*}
version=${1##*@}
bindir="$(pwd)/.tools/bin"
bin="$bindir/$(basename "$pkg")"
case "$bin" in
*/v[0-9] | */v[0-9][0-9]) bin="$bindir/$(basename "$(dirname "$pkg")")" ;; # .../cmd/x/v2 -> x
esac

if [ -x "$bin" ]; then
	have=$(go version -m "$bin" 2>/dev/null | awk '$1 == "mod" {print $3; exit}')
	[ "$have" = "$version" ] && {
		echo "$bin"
		exit 0
	}
fi
mkdir -p "$bindir"
echo "tool: installing $pkg@$version into .tools/bin" >&2
GOBIN="$bindir" go install "$pkg@$version" >&2
echo "$bin"
