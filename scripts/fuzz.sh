#!/usr/bin/env bash
# Runs every Go fuzz target of the project for a while each (Go runs one target per invocation).
#   scripts/fuzz.sh [BUDGET_PER_TARGET]      a time (60s) or a count of inputs (3000x); default 5s.
#   `make fuzz` uses 60s each; `make test` a count (3000x), because a time budget can end with Go's
#   fuzzer reporting "context deadline exceeded" on a loaded machine while it minimises an input.
# The seed corpora (f.Add and testdata/fuzz) already run in every plain `go test`; this is the
# coverage-guided part. A crasher makes go test write testdata/fuzz/FuzzX/... and exit non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
budget=${1:-5s}
case "$budget" in
*s | *x) ;;
*) budget="${budget}s" ;;
esac
fail=0
count=0
while IFS= read -r file; do
	dir=$(dirname "$file")
	for target in $(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' "$file"); do
		count=$((count + 1))
		echo "fuzz: ./$dir $target ($budget)"
		if ! go test "./$dir" -run '^$' -fuzz "^${target}\$" -fuzztime "$budget" -fuzzminimizetime 200x >/tmp/smartap-fuzz.$$ 2>&1; then
			cat /tmp/smartap-fuzz.$$
			fail=$((fail + 1))
		fi
	done
done < <(grep -rl --include='*_test.go' '^func Fuzz' . | grep -v -e node_modules -e '/\.' | sed 's|^\./||' | sort)
rm -f /tmp/smartap-fuzz.$$
echo "fuzz: $count targets, $fail failed"
[ "$fail" -eq 0 ]
