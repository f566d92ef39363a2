#!/usr/bin/env bash
# Measures the sealed store and writes bench/results/store.md, headed by the
# machine's details: 100,000 sealed invoices inserted through backend/store
# in transactions of 1,000 against plain SQLite inserts of the same bytes
# (same process, right after), list/find/filter/search latencies over them,
# and checks and 3-way matching per invoice. Data lives in a temporary
# folder that is removed afterwards. Progress goes to stderr; the markdown
# is printed at the end. Exits non-zero when a benchmark errored, never for
# a missed goal.
#   scripts/bench-store.sh [GO BUILD FLAGS...]    e.g. -tags ocr
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/bench-lib.sh
source bench/bench-lib.sh

bench_setup store "$@"

bench_run BenchmarkStore 1x
bench_run 'BenchmarkChecksRun|BenchmarkMatch' 3s

bench_report store
