#!/usr/bin/env bash
# Shared by scripts/bench-extract.sh and scripts/bench-store.sh (sourced, not run):
# builds the ./bench test binary once, runs benchmarks one process each with
# BENCH_FULL=1 and BENCH_OUT, and turns the results into markdown with
# bench/cmd/report.

bench_setup() {
	BENCH_TARGET=$1
	shift
	BENCH_WORK=$(mktemp -d "${TMPDIR:-/tmp}/smartap-bench-$BENCH_TARGET.XXXXXX")
	trap 'rm -rf "$BENCH_WORK"' EXIT
	mkdir -p "$BENCH_WORK/results" "$BENCH_WORK/tmp"
	BENCH_FAILED=0
	BENCH_LOG=$BENCH_WORK/raw.txt
	: >"$BENCH_LOG"

	local cpu mem tess
	cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || true)
	mem=$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo 2>/dev/null || true)
	tess=$(tesseract --version 2>/dev/null | head -n 1 || true)
	{
		echo "date: $(date -u '+%Y-%m-%dT%H:%M:%SZ')"
		echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo ' (dirty: uncommitted changes)')"
		echo "uname: $(uname -a)"
		echo "cpu: ${cpu:-unknown}"
		echo "nproc: $(nproc) (GOMAXPROCS ${GOMAXPROCS:-$(nproc)})"
		echo "memory: ${mem:-unknown}"
		echo "go: $(go version)"
		echo "build flags: ${*:-none}"
		echo "tesseract: ${tess:-not installed}"
		echo "data folder: temporary, on $(df -T "$BENCH_WORK" 2>/dev/null | awk 'NR == 2 {print $2 " (" $1 ")"}')"
		echo "sizes: BENCH_FULL=1"
		echo "load average at start (1, 5, 15 min): $(bench_load)"
	} >"$BENCH_WORK/machine.txt"
	sed 's/^/bench: /' "$BENCH_WORK/machine.txt" >&2

	echo "bench: building the ./bench test binary ($*)" >&2
	go test -c -o "$BENCH_WORK/bench.test" "$@" ./bench
	go build -o "$BENCH_WORK/report" ./bench/cmd/report
}

# bench_load prints the 1, 5 and 15 minute load averages: other work on the
# machine during the run shows in the figures, so the report says it.
bench_load() { cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null || echo unknown; }

# bench_run PATTERN BENCHTIME: one process running the benchmarks PATTERN.
bench_run() {
	local pattern=$1 benchtime=$2 rc start
	echo "bench: $pattern (benchtime $benchtime)…" >&2
	start=$(date +%s)
	set +e
	(cd bench && BENCH_FULL=1 BENCH_OUT="$BENCH_WORK/results" TMPDIR="$BENCH_WORK/tmp" \
		"$BENCH_WORK/bench.test" -test.run '^$' -test.bench "^($pattern)\$" \
		-test.benchtime "$benchtime" -test.benchmem -test.timeout 30m) 2>&1 | tee -a "$BENCH_LOG" >&2
	rc=${PIPESTATUS[0]}
	set -e
	echo "bench: $pattern done in $(($(date +%s) - start)) s (exit $rc; load average $(bench_load))" | tee -a "$BENCH_LOG" >&2
	if [ "$rc" -ne 0 ]; then
		BENCH_FAILED=1
	fi
}

# bench_test NAME: one test (not timed) whose result goes into the report.
bench_test() {
	local name=$1 rc
	echo "bench: $name…" >&2
	set +e
	(cd bench && BENCH_OUT="$BENCH_WORK/results" TMPDIR="$BENCH_WORK/tmp" \
		"$BENCH_WORK/bench.test" -test.run "^$name\$" -test.v -test.count 1) 2>&1 | tee -a "$BENCH_LOG" >&2
	rc=${PIPESTATUS[0]}
	set -e
	if [ "$rc" -ne 0 ]; then
		BENCH_FAILED=1
	fi
}

# bench_report TARGET: writes bench/results/TARGET.md and prints it.
bench_report() {
	local target=$1 out rc
	out=bench/results/$target.md
	echo "load average at end (1, 5, 15 min): $(bench_load)" >>"$BENCH_WORK/machine.txt"
	mkdir -p bench/results
	set +e
	"$BENCH_WORK/report" -target "$target" -results "$BENCH_WORK/results" \
		-machine "$BENCH_WORK/machine.txt" -raw "$BENCH_LOG" >"$BENCH_WORK/out.md"
	rc=$?
	set -e
	if [ "$rc" -ne 0 ]; then
		BENCH_FAILED=1
	fi
	chmod 0644 "$BENCH_WORK/out.md"
	mv "$BENCH_WORK/out.md" "$out"
	cat "$out"
	echo "bench: results in $out$([ "$BENCH_FAILED" -ne 0 ] && echo ' — a benchmark errored, see above')" >&2
	exit "$BENCH_FAILED"
}
