#!/usr/bin/env bash
# Measures the sync server and writes bench/results/sync.md, headed by the
# machine's details: per store (SQLite; PostgreSQL when SMARTAP_TEST_PG_URL
# is set, which `make bench-sync` does by running this under
# scripts/with-postgres.sh), the raw serverstore.Append rate of 100,000
# invoices (200,000 ops), the same ops ingested through the real websocket
# server, a new device's bootstrap of those 100,000 invoices, fan-out
# latency to 100 connected clients and memory per connection. Data lives in
# temporary folders and databases that are removed afterwards. Exits
# non-zero when a benchmark errored, never for a missed goal.
#   scripts/bench-sync.sh [GO BUILD FLAGS...]    e.g. -tags ocr
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/bench-lib.sh
source bench/bench-lib.sh

bench_setup sync "$@"
if [ -n "${SMARTAP_TEST_PG_URL:-}" ]; then
	pgctl=$(printf '%s\n' /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -n 1)
	pg="$("${PG_BIN:-$(dirname "$pgctl")}/pg_ctl" --version 2>/dev/null || echo PostgreSQL), private throwaway cluster (scripts/with-postgres.sh: fsync=off, loopback)"
else
	pg="not configured (SMARTAP_TEST_PG_URL unset): PostgreSQL not measured"
fi
echo "postgres: $pg" >>"$BENCH_WORK/machine.txt"

bench_run BenchmarkSync 1x

bench_report sync
