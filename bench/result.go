// Package bench holds the project-level benchmarks of reading invoices
// (make bench-extract) and of the sealed store (make bench-store). The
// benchmarks are ordinary Go benchmarks (`go test ./bench -run '^$' -bench .`,
// small sizes by default; BENCH_FULL=1 for the sizes the make targets use).
// Speed and memory are never asserted in tests: each figure is reported
// beside a floor measured in the same run (bare XML decoding, PDFium page
// text, plain SQLite inserts), and the ratio is what the reports state.
//
// With BENCH_OUT set to a folder, every benchmark also writes its figures
// there as one JSON Result; cmd/report turns those into the markdown files
// of bench/results.
package bench

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Result is what one benchmark measured. Latencies are per item: a file
// for the reading benchmarks, an operation (a query, an import) otherwise.
type Result struct {
	Name        string  `json:"name"`
	Items       int     `json:"items"`       // items measured in total (all passes)
	Passes      int     `json:"passes"`      // passes over the item set (b.N)
	Seconds     float64 `json:"seconds"`     // measured wall time, all passes
	ItemsPerSec float64 `json:"items_per_s"` // Items / Seconds
	P50MS       float64 `json:"p50_ms"`
	P99MS       float64 `json:"p99_ms"`
	MaxMS       float64 `json:"max_ms"`
	// RSS of the process before the measured loop and its peak during it
	// (VmHWM after resetting it through /proc/self/clear_refs); 0 when the
	// platform has neither.
	RSSBeforeMiB float64 `json:"rss_before_mib"`
	RSSPeakMiB   float64 `json:"rss_peak_mib"`
	// PeakReset says whether the peak was reset before the loop (else it
	// is the process's lifetime peak).
	PeakReset bool `json:"peak_reset"`
	// AllocMiBPerPass is Go heap allocated per pass (runtime.MemStats).
	AllocMiBPerPass float64   `json:"alloc_mib_per_pass"`
	Accuracy        *Accuracy `json:"accuracy,omitempty"`
	// Secondary is a second comparison, described by SecondaryLabel.
	Secondary      *Accuracy          `json:"secondary,omitempty"`
	SecondaryLabel string             `json:"secondary_label,omitempty"`
	Values         map[string]float64 `json:"values,omitempty"` // further figures, named
	Notes          []string           `json:"notes,omitempty"`
	// NotMeasured says why a benchmark measured nothing (e.g. OCR not built).
	NotMeasured string   `json:"not_measured,omitempty"`
	Errors      []string `json:"errors,omitempty"`
}

// Accuracy compares the header fields read with the XML ground truth.
type Accuracy struct {
	Files    int          `json:"files"`
	Fields   []FieldScore `json:"fields"`
	Correct  int          `json:"correct"`
	Total    int          `json:"total"`
	Overall  float64      `json:"overall"`
	Misses   []string     `json:"misses,omitempty"`
	Excluded []string     `json:"excluded,omitempty"` // files left out of the score, with the reason
}

// FieldScore is one header field: correct of those the XML has, and extra
// (found where the XML has none).
type FieldScore struct {
	Field   string `json:"field"`
	Correct int    `json:"correct"`
	Total   int    `json:"total"`
	Extra   int    `json:"extra"`
}

// Save writes r as dir/<name>.json (sub-benchmark slashes become "~").
func Save(dir string, r Result) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	name := strings.ReplaceAll(r.Name, "/", "~") + ".json"
	return os.WriteFile(filepath.Join(dir, name), b, 0o600)
}

// Load reads every Result in dir, keyed by name.
func Load(dir string) (map[string]Result, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	out := map[string]Result{}
	var errs []error
	for _, n := range names {
		b, err := os.ReadFile(n) // #nosec G304 -- result files of this run, in the folder the script made
		if err != nil {
			errs = append(errs, err)
			continue
		}
		var r Result
		if err := json.Unmarshal(b, &r); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", n, err))
			continue
		}
		out[r.Name] = r
	}
	return out, errors.Join(errs...)
}
