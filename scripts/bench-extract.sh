#!/usr/bin/env bash
# Measures reading invoices and writes bench/results/extract.md, headed by
# the machine's details: every source kind (structured XML, Factur-X PDFs,
# the visible page, OCR when built with -tags ocr) against its floor
# measured in the same run, field accuracy against the XML, PDFium's cold
# and warm start, and 1,000 Factur-X imports. Each benchmark runs in its
# own process of one test binary (BENCH_FULL=1 sizes), so its peak memory
# is its own. Progress goes to stderr; the markdown is printed at the end.
# Exits non-zero when a benchmark errored, never for a missed goal.
#   scripts/bench-extract.sh [GO BUILD FLAGS...]    e.g. -tags ocr
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/bench-lib.sh
source bench/bench-lib.sh

bench_setup extract "$@"

# name : -test.benchtime (one pass = every file of the set once)
bench_run BenchmarkXMLFloor 3s
bench_run BenchmarkExtractStructured 3s
bench_run BenchmarkPDFFloor 5x
bench_run BenchmarkExtractFacturX 5x
bench_run BenchmarkExtractFacturXOnly 5x
bench_run BenchmarkExtractVisual 5x
bench_run BenchmarkExtractOCR 1x
bench_run BenchmarkEngineStartCold 3x
bench_run BenchmarkEngineStartWarm 20x
bench_test TestEngineNotStartedByOpen
bench_run BenchmarkImportFacturX 1x

bench_report extract
