// Command report turns the JSON results the bench package's benchmarks
// write (BENCH_OUT) into the markdown of bench/results: extract.md for
// make bench-extract, store.md for make bench-store.
//
//	report -target extract|store -results DIR -machine FILE [-raw FILE]
//
// FILE holds "key: value" lines describing the machine (scripts write it);
// the raw `go test` output, when given, is appended. The exit status is 1
// when a result recorded errors or an expected result is missing, so the
// scripts fail on a benchmark that errored (never on a missed goal).
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strings"

	"github.com/smartap/desktop/bench"
)

func main() {
	target := flag.String("target", "", "extract or store")
	dir := flag.String("results", "", "folder of the JSON results")
	machine := flag.String("machine", "", "file of \"key: value\" lines describing the machine")
	raw := flag.String("raw", "", "raw go test output to append (optional)")
	flag.Parse()
	rs, err := bench.Load(*dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "report:", err)
		os.Exit(2)
	}
	w := &doc{rs: rs}
	switch *target {
	case "extract":
		w.extract(*machine)
	case "store":
		w.store(*machine)
	case "sync":
		w.sync(*machine)
	default:
		fmt.Fprintln(os.Stderr, "report: -target extract, store or sync")
		os.Exit(2)
	}
	w.errorsSection()
	if *raw != "" {
		w.rawSection(*raw)
	}
	fmt.Print(w.b.String())
	if w.failed {
		os.Exit(1)
	}
}

type doc struct {
	b      strings.Builder
	rs     map[string]bench.Result
	failed bool
	missed []string
}

func (d *doc) p(format string, args ...any) { fmt.Fprintf(&d.b, format+"\n", args...) }

// get returns a result, noting it as missing (a failure) when absent.
func (d *doc) get(name string) (bench.Result, bool) {
	r, ok := d.rs[name]
	if !ok {
		d.failed = true
		d.missed = append(d.missed, name)
	}
	return r, ok
}

func (d *doc) machineSection(path string) {
	d.p("## Machine and run")
	d.p("")
	d.p("| | |")
	d.p("|---|---|")
	f, err := os.Open(path) // #nosec G304 -- the file the script wrote for this run
	if err != nil {
		d.p("| machine details | unavailable: %v |", err)
		d.p("")
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok {
			d.p("| %s | %s |", strings.TrimSpace(k), cell(strings.TrimSpace(v)))
		}
	}
	d.p("")
}

func cell(s string) string { return strings.ReplaceAll(s, "|", "\\|") }

func perPass(r bench.Result) float64 { return r.Seconds / float64(max(r.Passes, 1)) }

func ratio(a, b bench.Result) string {
	if perPass(b) == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.2f×", perPass(a)/perPass(b))
}

func mark(ok bool) string {
	if ok {
		return "met"
	}
	return "**missed**"
}

func f1(v float64) string {
	switch {
	case v == 0:
		return "0"
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	case v >= 1:
		return fmt.Sprintf("%.2f", v)
	}
	return fmt.Sprintf("%.3f", v)
}

func mem(r bench.Result) string {
	if r.RSSPeakMiB == 0 {
		return "n/a"
	}
	reset := ""
	if !r.PeakReset {
		reset = " (lifetime peak)"
	}
	return fmt.Sprintf("%.0f → %.0f (+%.0f)%s", r.RSSBeforeMiB, r.RSSPeakMiB, math.Max(0, r.RSSPeakMiB-r.RSSBeforeMiB), reset)
}

func acc(a *bench.Accuracy) string {
	if a == nil {
		return "—"
	}
	return fmt.Sprintf("%.3f (%d/%d)", a.Overall, a.Correct, a.Total)
}

// --- extract.md -------------------------------------------------------------

type kind struct{ name, label string }

var kinds = []kind{
	{"XMLFloor", "floor: encoding/xml tokens of the same XML bytes"},
	{"ExtractStructured", "structured XML (UBL, CII, ZUGFeRD 1)"},
	{"PDFFloor", "floor: PDFium open + page text (pdfdoc.Engine.PageText)"},
	{"ExtractFacturX", "Factur-X PDF, as imported (embedded XML + page read and compared)"},
	{"ExtractFacturXOnly", "Factur-X PDF, embedded XML only (--source structured)"},
	{"ExtractVisual", "visible page, no XML (--source visual: PDFium text + page reader)"},
	{"ExtractOCR", "OCR: page rendered at 300 dpi, Tesseract, page reader"},
}

func (d *doc) extract(machine string) {
	d.p("# Reading invoices — benchmarks (`make bench-extract`)")
	d.p("")
	d.p("Every figure below comes from Go benchmarks (`testing.B`, package `./bench`) run in this one `make` run;")
	d.p("speeds are stated as ratios against floors measured in the same run on the same files. Each benchmark ran")
	d.p("in its own process of the same test binary, so its peak memory is its own. The load averages below show")
	d.p("whether other work shared the machine during the run (above nproc it did); the raw output lists them per benchmark.")
	d.p("")
	d.machineSection(machine)

	xf, _ := d.get("XMLFloor")
	st, _ := d.get("ExtractStructured")
	pf, _ := d.get("PDFFloor")
	fx, _ := d.get("ExtractFacturX")
	fxo, _ := d.get("ExtractFacturXOnly")
	vis, _ := d.get("ExtractVisual")
	ocr, _ := d.get("ExtractOCR")
	cold, _ := d.get("EngineStartCold")
	warm, _ := d.get("EngineStartWarm")
	open, _ := d.get("EngineNotStartedByOpen")
	imp, _ := d.get("ImportFacturX")

	d.p("## Summary")
	d.p("")
	d.p("| Measure | Result | Goal / reference | |")
	d.p("|---|---|---|---|")
	d.p("| Structured XML read ÷ bare XML token decode (time, same bytes) | %s | floor = 1.00× | |", ratio(st, xf))
	d.p("| Factur-X as imported ÷ PDFium page text (time, same PDFs) | %s | floor = 1.00× | |", ratio(fx, pf))
	d.p("| Factur-X embedded XML only ÷ PDFium page text | %s | floor = 1.00× | |", ratio(fxo, pf))
	d.p("| Visible page (no XML) ÷ PDFium page text | %s | floor = 1.00× | |", ratio(vis, pf))
	if ocr.NotMeasured != "" {
		d.p("| OCR | not measured: %s | | |", cell(ocr.NotMeasured))
	} else if ocr.Items > 0 {
		d.p("| OCR ÷ PDFium page text (p50 per file; %.0f files) | %.0f× | floor = 1× | |", ocr.Values["files"], ocr.P50MS/math.Max(pf.P50MS, 1e-9))
	}
	for _, k := range []struct {
		label string
		r     bench.Result
		want  string
	}{{"structured", st, "1.000"}, {"Factur-X (as imported)", fx, "1.000"}, {"visible page", vis, ""}, {"OCR", ocr, ""}} {
		if k.r.Accuracy == nil {
			continue
		}
		goal, m := "", ""
		if k.want != "" {
			goal, m = "must be "+k.want, mark(fmt.Sprintf("%.3f", k.r.Accuracy.Overall) == k.want)
		}
		d.p("| Header-field accuracy, %s | %s | %s | %s |", k.label, acc(k.r.Accuracy), goal, m)
	}
	if cold.Items > 0 && warm.Items > 0 {
		d.p("| PDFium start, cold cache ÷ warm cache (p50) | %s ms ÷ %s ms = %.0f× | | |", f1(cold.P50MS), f1(warm.P50MS), cold.P50MS/warm.P50MS)
	}
	if open.Values != nil {
		ok := open.Values["passed"] == 1
		d.p("| PDFium started by core.Open + Unlock | %.0f starts (XML import: %.0f; first PDF import: %.0f; second: %.0f) | 0 before the first PDF, then 1 | %s |",
			open.Values["starts_after_open_unlock"], open.Values["starts_after_xml_import"],
			open.Values["starts_after_pdf_import"], open.Values["starts_after_second_pdf_import"], mark(ok))
	}
	if imp.Values != nil {
		total, goal := imp.Values["total_s"], imp.Values["goal_s"]
		d.p("| %.0f Factur-X PDF imports (read, sealed, stored), sequential | %.1f s (%.1f imports/s) | < %.0f s | %s |",
			imp.Values["imports"], total, imp.ItemsPerSec, goal, mark(total < goal && imp.Values["imports"] >= 1000))
	}
	d.p("")

	d.p("## Per source kind")
	d.p("")
	d.p("Latencies are per file; \"time ÷ floor\" compares the time of one pass over the same files.")
	d.p("Peak memory: the process's resident set before the measured loop → its peak during it (VmHWM reset through")
	d.p("`/proc/self/clear_refs` just before the loop); PDFium's WebAssembly memory and Tesseract's are included.")
	d.p("")
	d.p("| Source | Files × passes | Files/s | p50 ms | p99 ms | max ms | Time ÷ floor | Peak RSS MiB | Go alloc MiB/pass | Accuracy |")
	d.p("|---|---|---|---|---|---|---|---|---|---|")
	for _, k := range kinds {
		r, ok := d.rs[k.name]
		if !ok {
			continue
		}
		if r.NotMeasured != "" {
			d.p("| %s | not measured: %s | | | | | | | | |", k.label, cell(r.NotMeasured))
			continue
		}
		floor := "—"
		switch k.name {
		case "ExtractStructured":
			floor = ratio(r, xf)
		case "ExtractFacturX", "ExtractFacturXOnly", "ExtractVisual":
			floor = ratio(r, pf)
		case "ExtractOCR": // another file set: compare the typical file
			if pf.P50MS > 0 {
				floor = fmt.Sprintf("%.0f× (p50 per file)", r.P50MS/pf.P50MS)
			}
		}
		d.p("| %s | %.0f × %d | %s | %s | %s | %s | %s | %s | %s | %s |", k.label, r.Values["files"], r.Passes,
			f1(r.ItemsPerSec), f1(r.P50MS), f1(r.P99MS), f1(r.MaxMS), floor, mem(r), f1(r.AllocMiBPerPass), acc(r.Accuracy))
	}
	d.p("")

	d.p("## Field accuracy per header field")
	d.p("")
	d.p("Against the XML ground truth (for PDFs: the embedded invoice XML), the comparison of")
	d.p("`backend/pagereader`'s corpus accuracy test: decimals by value, names normalised as for vendor matching.")
	d.p("correct/present in the XML; *extra* = a value found where the XML has none.")
	d.p("")
	cols := []struct {
		label string
		r     bench.Result
	}{{"Structured", st}, {"Factur-X", fx}, {"Visible page", vis}, {"OCR", ocr}}
	head, sep := "| Field |", "|---|"
	for _, c := range cols {
		if c.r.Accuracy != nil {
			head += " " + c.label + " |"
			sep += "---|"
		}
	}
	d.p("%s", head)
	d.p("%s", sep)
	for i, f := range fieldNames(st, fx, vis, ocr) {
		row := "| " + f + " |"
		for _, c := range cols {
			a := c.r.Accuracy
			if a == nil {
				continue
			}
			if i < len(a.Fields) {
				s := a.Fields[i]
				row += fmt.Sprintf(" %d/%d", s.Correct, s.Total)
				if s.Total > 0 {
					row += fmt.Sprintf(" = %.2f", float64(s.Correct)/float64(s.Total))
				}
				if s.Extra > 0 {
					row += fmt.Sprintf(", extra %d", s.Extra)
				}
			}
			row += " |"
		}
		d.p("%s", row)
	}
	row := "| **overall** |"
	for _, c := range cols {
		if c.r.Accuracy != nil {
			row += " **" + acc(c.r.Accuracy) + "** over " + fmt.Sprint(c.r.Accuracy.Files) + " files |"
		}
	}
	d.p("%s", row)
	d.p("")
	for _, c := range cols {
		a := c.r.Accuracy
		if a == nil || (len(a.Misses) == 0 && len(a.Excluded) == 0) {
			continue
		}
		d.p("**%s** — ", c.label)
		for _, e := range a.Excluded {
			d.p("- left out: %s", e)
		}
		for i, m := range a.Misses {
			if i == 40 {
				d.p("- … %d more", len(a.Misses)-40)
				break
			}
			d.p("- miss: %s", m)
		}
		d.p("")
	}
	if st.Secondary != nil {
		d.p("**Cross-syntax check (informational)** — %s: %s over %d pairs. The differences are in the corpus files", st.SecondaryLabel, acc(st.Secondary), st.Secondary.Files)
		d.p("themselves (e.g. another seller VAT id or issue date in the UBL than in the CII of a case), not in reading:")
		for _, m := range st.Secondary.Misses {
			d.p("- %s", m)
		}
		d.p("")
	}

	d.p("## PDFium engine start")
	d.p("")
	d.p("| Start | Starts | p50 ms | max ms | Peak RSS MiB | Go alloc MiB/start |")
	d.p("|---|---|---|---|---|---|")
	for _, r := range []bench.Result{cold, warm} {
		if r.Items > 0 {
			d.p("| %s | %d | %s | %s | %s | %s |", r.Name, r.Items, f1(r.P50MS), f1(r.MaxMS), mem(r), f1(r.AllocMiBPerPass))
		}
	}
	d.p("")
	d.p("Cold = an empty compilation-cache folder (first start after install or update: PDFium's WebAssembly is compiled")
	d.p("to machine code and written to the cache); warm = the filled cache. `TestEngineNotStartedByOpen` builds a core")
	d.p("whose PDF start function counts its calls: set-up, Open + Unlock and an XML import leave it at %.0f; the first", open.Values["starts_after_open_unlock"])
	d.p("PDF import calls it once and the second not again.")
	d.p("")

	if imp.Values != nil {
		d.p("## Import goal: 1,000 Factur-X PDFs")
		d.p("")
		d.p("| | |")
		d.p("|---|---|")
		d.p("| imports | %.0f (%.0f distinct corpus PDFs, up to %.0f copies each, one byte after %%%%EOF varied per copy) |",
			imp.Values["imports"], imp.Values["distinct_pdfs"], imp.Values["max_copies_per_pdf"])
		d.p("| total (sum of Session.Import calls) | **%.1f s** — goal < %.0f s: %s |", imp.Values["total_s"], imp.Values["goal_s"],
			mark(imp.Values["total_s"] < imp.Values["goal_s"] && imp.Values["imports"] >= 1000))
		d.p("| per import | p50 %s ms, p99 %s ms, max %s ms |", f1(imp.P50MS), f1(imp.P99MS), f1(imp.MaxMS))
		d.p("| PDFium start inside the first import (warm cache) | %s ms |", f1(imp.Values["engine_start_ms"]))
		d.p("| peak RSS | %s MiB |", mem(imp))
		d.p("| checks | every import read the same invoice number and amount due from the embedded XML (else an error is listed below); identical bytes imported again were refused as a duplicate |")
		d.p("")
		if fx.Items > 0 && fxo.Items > 0 && pf.Items > 0 && imp.Items > 0 {
			mean := func(r bench.Result) float64 { return r.Seconds / float64(r.Items) * 1000 }
			rest := mean(imp) - mean(fx)
			d.p("Where the time goes (means per file, all from this run): an import takes %s ms; reading the PDF as the import does", f1(mean(imp)))
			d.p("(embedded XML, then the visible page read and compared with it) takes %s ms of that, of which PDFium's page text", f1(mean(fx)))
			d.p("alone (the floor) is %s ms, while the embedded XML alone is read in %s ms. The rest of the import — intake, duplicate", f1(mean(pf)), f1(mean(fxo)))
			d.p("look-ups, checks and matching, the sealed original in `attachments/` (fsync), the sealed row, the audit entry and the")
			d.p("commit (`synchronous=FULL`) — is about %s ms. So the page cross-check (ARCHITECTURE.md §3.5) is most of the cost:", f1(rest))
			d.p("without it, %.0f imports would take about %.0f s (an estimate from the figures above, not measured).",
				imp.Values["imports"], (rest+mean(fxo))*imp.Values["imports"]/1000)
			d.p("Imports run one after the other: each is one transaction on the store's single SQLite connection (the file is")
			d.p("read inside it) and PDFium serves one call at a time, so imports cannot overlap; the second core only helps the")
			d.p("Go runtime (garbage collection) and the operating system (writes).")
			d.p("")
		}
	}
	d.notes("ExtractFacturX", "ExtractVisual", "ExtractOCR", "ImportFacturX", "EngineStartCold", "EngineStartWarm")
}

func fieldNames(rs ...bench.Result) []string {
	for _, r := range rs {
		if r.Accuracy != nil {
			var out []string
			for _, f := range r.Accuracy.Fields {
				out = append(out, f.Field)
			}
			return out
		}
	}
	return nil
}

func (d *doc) notes(names ...string) {
	seen := map[string]bool{}
	var lines []string
	for _, n := range names {
		for _, note := range d.rs[n].Notes {
			if !seen[note] {
				seen[note] = true
				lines = append(lines, fmt.Sprintf("- %s: %s", n, note))
			}
		}
	}
	if len(lines) == 0 {
		return
	}
	d.p("## Notes from the benchmarks")
	d.p("")
	for _, l := range lines {
		d.p("%s", l)
	}
	d.p("")
}

// --- store.md ---------------------------------------------------------------

func (d *doc) store(machine string) {
	d.p("# Sealed store — benchmarks (`make bench-store`)")
	d.p("")
	d.p("Every figure below comes from Go benchmarks (`testing.B`, package `./bench`) run in one process in this `make`")
	d.p("run; the sealed insert rate is stated as a ratio against plain SQLite inserts measured right after it. The load")
	d.p("averages below show whether other work shared the machine during the run (above nproc it did).")
	d.p("")
	d.machineSection(machine)

	sealed, _ := d.get("Store/insert/sealed")
	plain, _ := d.get("Store/insert/plain")
	n := sealed.Values["invoices"]
	type q struct{ name, label string }
	queries := []q{
		{"Store/query/list-newest-100-needs_review", "list the newest 100 invoices of a status (needs_review)"},
		{"Store/query/find-by-seller-number", "find by seller + invoice number (blind index)"},
		{"Store/query/filter-status-paid", "filter by status (paid: every invoice of it)"},
		{"Store/query/search-seller-name", "search by seller name (no index possible: sealed)"},
		{"Store/query/sql-floor-list-newest-100-needs_review", "floor: plain SQL, newest 100 of needs_review, sealed blobs not opened"},
		{"Store/query/sql-floor-filter-status-paid", "floor: plain SQL, every paid row, sealed blobs not opened"},
	}
	checksR, _ := d.get("ChecksRun")
	matchR, _ := d.get("Match")

	d.p("## Summary")
	d.p("")
	d.p("| Measure | Result | Goal | |")
	d.p("|---|---|---|---|")
	if sealed.ItemsPerSec > 0 && plain.ItemsPerSec > 0 {
		r := sealed.ItemsPerSec / plain.ItemsPerSec
		d.p("| Sealed inserts ÷ plain SQLite inserts (throughput, %.0f invoices, transactions of 1,000, same row bytes) | %.0f/s ÷ %.0f/s = **%.2f** | ≥ 0.5 | %s |",
			n, sealed.ItemsPerSec, plain.ItemsPerSec, r, mark(r >= 0.5))
	}
	for _, x := range queries[:4] {
		r, ok := d.get(x.name)
		if !ok {
			continue
		}
		d.p("| %s, p99 over %.0f invoices | %s ms (p50 %s ms) | < 100 ms | %s |", x.label, r.Values["invoices_in_store"], f1(r.P99MS), f1(r.P50MS), mark(r.P99MS < 100))
	}
	if checksR.Items > 0 {
		d.p("| checks.Run per invoice (20 lines, 3 priors) | %s µs (p50 %s µs, p99 %s µs) | — | |", f1(perItemUS(checksR)), f1(checksR.P50MS*1000), f1(checksR.P99MS*1000))
	}
	if matchR.Items > 0 {
		d.p("| matching.Match per invoice (50 lines vs 3 POs of 50 lines) | %s ms (p50 %s ms, p99 %s ms) | — | |", f1(perItemUS(matchR)/1000), f1(matchR.P50MS), f1(matchR.P99MS))
	}
	d.p("")

	d.p("## Inserts")
	d.p("")
	d.p("| Run | Invoices × passes | Invoices/s | p50 ms per tx of 1,000 | p99 ms per tx | Avg row bytes (sealed columns) | Peak RSS MiB | Go alloc MiB/pass |")
	d.p("|---|---|---|---|---|---|---|---|")
	for _, r := range []bench.Result{sealed, plain} {
		if r.Items == 0 {
			continue
		}
		d.p("| %s | %.0f × %d | %.0f | %s | %s | %.0f | %s | %s |", r.Name, r.Values["invoices"], r.Passes, r.ItemsPerSec,
			f1(r.P50MS), f1(r.P99MS), r.Values["avg_row_bytes"], mem(r), f1(r.AllocMiBPerPass))
	}
	d.p("")
	if sealed.Values["row_bytes_total"] > 0 {
		same := "equal"
		if sealed.Values["row_bytes_total"] != plain.Values["row_bytes_total"] {
			same = "**not equal**"
		}
		d.p("Row bytes of the sealed columns: sealed run %.0f, plain run %.0f (%s). Generated invoices: %.1f lines on average,",
			sealed.Values["row_bytes_total"], plain.Values["row_bytes_total"], same, sealed.Values["avg_lines"])
		d.p("from five corpus invoices (1–20 lines) with 500 sellers, other numbers, dates, amounts (×1…9) and statuses")
		d.p("(70 %% paid, 10 %% exported, 5 %% each approved, ready_for_approval, needs_review, 3 %% extracted, 1 %% on_hold, 0.5 %% rejected and void).")
		d.p("")
	}

	d.p("## Queries")
	d.p("")
	d.p("| Query | Samples | Rows returned (avg) | Rows of the status | p50 ms | p99 ms | max ms | Peak RSS MiB | Goal p99 < 100 ms |")
	d.p("|---|---|---|---|---|---|---|---|---|")
	for _, x := range queries {
		r, ok := d.rs[x.name]
		if !ok {
			continue
		}
		status := "—"
		if v, ok := r.Values["rows_of_status"]; ok {
			status = fmt.Sprintf("%.0f", v)
		}
		goal := mark(r.P99MS < 100)
		if strings.Contains(x.name, "sql-floor") {
			goal = "(floor)"
		}
		d.p("| %s | %d | %.0f | %s | %s | %s | %s | %s | %s |", x.label, r.Items, r.Values["avg_rows_returned"], status,
			f1(r.P50MS), f1(r.P99MS), f1(r.MaxMS), mem(r), goal)
	}
	d.p("")
	list, _ := d.rs[queries[0].name]
	filter, _ := d.rs[queries[2].name]
	floorList, _ := d.rs[queries[4].name]
	if filter.Values["avg_rows_returned"] > 0 {
		perRow := filter.P50MS / filter.Values["avg_rows_returned"] * 1000
		d.p("Why: content columns are sealed, so SQLite can select by the clear columns (status, times, blind indexes) but")
		d.p("every row it returns must be opened (XChaCha20-Poly1305) and decoded (JSON) in Go — about %s µs per invoice here.", f1(perRow))
		d.p("The newest-100 list pages with `store.Tx.InvoicesPage(status, 100)` (LIMIT over the `(status, created_at)` index),")
		d.p("so it opens 100 of the %.0f invoices of that status; plain SQL with `LIMIT 100` takes p50 %s ms.", list.Values["rows_of_status"], f1(floorList.P50MS))
		d.p("Filtering a whole status or searching by name opens every matching row: about %s µs each; the UI must page those too.", f1(perRow))
		d.p("A seller-name search cannot use an index at all (names are sealed; only equality on the blind index works), so it")
		d.p("opens every invoice. The seller + number look-up goes through the blind index and opens only the matching rows.")
		d.p("")
	}

	d.p("## Checks and matching per invoice")
	d.p("")
	d.p("| Benchmark | Ops | per op (mean) | p50 | p99 | Go alloc per op | Details |")
	d.p("|---|---|---|---|---|---|---|")
	for _, r := range []bench.Result{checksR, matchR} {
		if r.Items == 0 {
			continue
		}
		var det []string
		keys := make([]string, 0, len(r.Values))
		for k := range r.Values {
			if k != "wall_s" {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			det = append(det, fmt.Sprintf("%s %g", k, r.Values[k]))
		}
		d.p("| %s | %d | %s µs | %s µs | %s µs | %s KiB | %s |", r.Name, r.Items, f1(perItemUS(r)), f1(r.P50MS*1000), f1(r.P99MS*1000),
			f1(r.AllocMiBPerPass*1024), strings.Join(det, ", "))
	}
	d.p("")
	d.notes("Store/insert/sealed", "Store/insert/plain")
}

func perItemUS(r bench.Result) float64 {
	if r.Items == 0 {
		return 0
	}
	return r.Seconds / float64(r.Items) * 1e6
}

// --- common -----------------------------------------------------------------

func (d *doc) errorsSection() {
	names := make([]string, 0, len(d.rs))
	for n := range d.rs {
		names = append(names, n)
	}
	sort.Strings(names)
	var lines []string
	for _, n := range names {
		for _, e := range d.rs[n].Errors {
			lines = append(lines, fmt.Sprintf("- %s: %s", n, e))
		}
	}
	for _, n := range d.missed {
		lines = append(lines, fmt.Sprintf("- %s: no result (the benchmark did not run or failed before writing it)", n))
	}
	if len(lines) == 0 {
		return
	}
	d.failed = true
	d.p("## Errors")
	d.p("")
	for _, l := range lines {
		d.p("%s", l)
	}
	d.p("")
}

func (d *doc) rawSection(path string) {
	f, err := os.Open(path) // #nosec G304 -- the log the script wrote for this run
	if err != nil {
		return
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		return
	}
	d.p("## Raw `go test` output")
	d.p("")
	d.p("<details><summary>benchmark lines</summary>")
	d.p("")
	d.p("```")
	d.b.WriteString(strings.TrimRight(string(b), "\n"))
	d.p("")
	d.p("```")
	d.p("")
	d.p("</details>")
}
