#!/usr/bin/env bash
# Runs every Go benchmark once and writes bench/results/bench.txt, headed by what the
# numbers were measured on. Extra arguments go to `go test` (e.g. -count=5, -benchtime=2s).
#   scripts/bench.sh [GO TEST FLAGS...]
set -euo pipefail
cd "$(dirname "$0")/.."

out=bench/results/bench.txt
mkdir -p "$(dirname "$out")"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || true)
mem=$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo 2>/dev/null || true)
{
	echo "# SmartAP Desktop benchmarks"
	echo "# date:    $(date -u '+%Y-%m-%dT%H:%M:%SZ')"
	echo "# commit:  $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo ' (dirty)')"
	echo "# uname:   $(uname -a)"
	echo "# cpu:     ${cpu:-unknown}"
	echo "# nproc:   $(nproc)"
	echo "# memory:  ${mem:-unknown}"
	echo "# go:      $(go version)"
	echo "# command: go test -run '^\$' -bench . -benchmem${*:+ $*} ./..."
	echo
} >"$tmp"
cat "$tmp"

set +e
go test -run '^$' -bench . -benchmem "$@" ./... 2>&1 | tee -a "$tmp"
rc=${PIPESTATUS[0]}
set -e
chmod 0644 "$tmp"
mv "$tmp" "$out"
trap - EXIT
echo "bench: results in $out"
exit "$rc"
