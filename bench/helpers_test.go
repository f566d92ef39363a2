package bench

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/einvoice"
	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/pdfdoc"
	"github.com/smartap/desktop/backend/vendor"
)

// corpusDir is the shared invoice corpus (MANIFEST.md), seen from here.
const corpusDir = "../../shared/corpus"

// full reports BENCH_FULL=1: the sizes of make bench-extract / bench-store
// (1,000 imports, 100,000 invoices, OCR of every PDF). Without it the
// benchmarks use small sizes, so that `make bench` stays short.
func full() bool { return os.Getenv("BENCH_FULL") == "1" }

// size picks the full or the default size.
func size(fullN, defaultN int) int {
	if full() {
		return fullN
	}
	return defaultN
}

var bg = context.Background()

func needCorpus(tb testing.TB) {
	tb.Helper()
	if _, err := os.Stat(corpusDir); err != nil {
		tb.Skipf("corpus not present: %v", err)
	}
}

// corpusFile is one corpus file; rel is its path below corpusDir.
type corpusFile struct {
	rel  string
	data []byte
}

func walkCorpus(tb testing.TB, ext string) []corpusFile {
	tb.Helper()
	needCorpus(tb)
	var out []corpusFile
	err := filepath.WalkDir(corpusDir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.EqualFold(filepath.Ext(p), ext) {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(corpusDir, p)
		out = append(out, corpusFile{rel: filepath.ToSlash(rel), data: data})
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].rel < out[j].rel })
	return out
}

// xmlFiles is every XML file of the corpus, each with the invoice
// einvoice reads from it (the ground truth of the structured reader).
type xmlFile struct {
	corpusFile
	want invoice.Invoice
}

func xmlCorpus(tb testing.TB) []xmlFile {
	tb.Helper()
	var out []xmlFile
	for _, f := range walkCorpus(tb, ".xml") {
		inv, _, err := einvoice.Read(f.data)
		if err != nil {
			tb.Fatalf("%s: %v", f.rel, err)
		}
		out = append(out, xmlFile{corpusFile: f, want: inv})
	}
	return out
}

// One PDFium engine per process, with the compilation cache the other
// packages' tests use (warm after the first run).
var (
	engOnce sync.Once
	eng     *pdfdoc.Engine
	engErr  error
)

func warmCacheDir(tb testing.TB) string {
	if dir, err := os.UserCacheDir(); err == nil {
		return filepath.Join(dir, "smartap-test", "wazero")
	}
	return filepath.Join(tb.TempDir(), "wazero")
}

func engine(tb testing.TB) *pdfdoc.Engine {
	tb.Helper()
	engOnce.Do(func() {
		ctx, cancel := context.WithTimeout(bg, 5*time.Minute)
		defer cancel()
		eng, engErr = pdfdoc.NewEngine(ctx, warmCacheDir(tb))
	})
	if engErr != nil {
		tb.Fatalf("PDFium: %v", engErr)
	}
	return eng
}

func TestMain(m *testing.M) {
	code := m.Run()
	if eng != nil {
		_ = eng.Close()
	}
	os.Exit(code)
}

// pdfFile is a corpus PDF that carries a readable invoice XML.
type pdfFile struct {
	corpusFile
	xmlName string
	want    invoice.Invoice // the embedded XML, read by einvoice: ground truth
}

// pageShowsOtherInvoice are corpus PDFs whose visible page is another
// invoice than their XML (backend/pagereader's accuracy test leaves them
// out for the same reason): no ground truth for reading the page.
var pageShowsOtherInvoice = map[string]bool{
	"validXRechnung.pdf":                          true,
	"factur-x-invalid-xml-encoding-attribute.pdf": true,
}

var (
	pdfOnce    sync.Once
	pdfSet     []pdfFile
	pdfSkipped []string
)

// pdfCorpus is every corpus PDF with an embedded invoice XML that einvoice
// reads; pdfSkipped says why the others are left out.
func pdfCorpus(tb testing.TB) []pdfFile {
	tb.Helper()
	files := walkCorpus(tb, ".pdf")
	e := engine(tb)
	pdfOnce.Do(func() {
		for _, f := range files {
			atts, err := e.Attachments(f.data)
			if err != nil {
				pdfSkipped = append(pdfSkipped, f.rel+": "+firstLine(err.Error()))
				continue
			}
			att, ok := pdfdoc.InvoiceXML(atts)
			if !ok {
				pdfSkipped = append(pdfSkipped, f.rel+": no invoice XML")
				continue
			}
			inv, _, err := einvoice.Read(att.Data)
			if err != nil {
				pdfSkipped = append(pdfSkipped, f.rel+": embedded XML: "+firstLine(err.Error()))
				continue
			}
			pdfSet = append(pdfSet, pdfFile{corpusFile: f, xmlName: att.Name, want: inv})
		}
	})
	if len(pdfSet) == 0 {
		tb.Fatal("no corpus PDF with an invoice XML")
	}
	return pdfSet
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 120 {
		s = s[:120] + "…"
	}
	return s
}

// --- measuring ---------------------------------------------------------

// meter times items (files, operations) inside a benchmark's b.Loop and
// writes the Result. Setup belongs before newMeter, which frees memory and
// resets the peak RSS so the peak is the loop's.
type meter struct {
	b      *testing.B
	res    Result
	lat    []time.Duration
	start  time.Time
	mem    runtime.MemStats
	passes int
	// perSample is how many items one latency sample covers (1; a
	// transaction of 1,000 inserts covers 1,000).
	perSample int
	// ownAlloc, when set, is the heap allocated inside the measured
	// sections only (see measureAlloc), not by the preparation around them.
	ownAlloc    uint64
	ownAllocSet bool
}

// measureAlloc runs fn and counts its heap allocations as the pass's own
// (for benchmarks that prepare data between measured sections).
func (m *meter) measureAlloc(fn func()) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	m.ownAlloc += after.TotalAlloc - before.TotalAlloc
	m.ownAllocSet = true
}

func newMeter(b *testing.B) *meter {
	b.Helper()
	runtime.GC()
	debug.FreeOSMemory()
	m := &meter{b: b, perSample: 1, res: Result{Name: strings.TrimPrefix(b.Name(), "Benchmark"), Values: map[string]float64{}}}
	m.res.PeakReset = resetPeakRSS()
	m.res.RSSBeforeMiB, _ = procStatusMiB("VmRSS")
	runtime.ReadMemStats(&m.mem)
	m.start = time.Now()
	b.ReportAllocs()
	return m
}

// time runs fn as one measured item.
func (m *meter) time(fn func() error) error {
	t0 := time.Now()
	err := fn()
	m.lat = append(m.lat, time.Since(t0))
	return err
}

// add records an item timed by the caller.
func (m *meter) add(d time.Duration) { m.lat = append(m.lat, d) }

// pass ends one pass over the item set.
func (m *meter) pass() { m.passes++ }

func (m *meter) errorf(format string, args ...any) {
	m.b.Helper()
	msg := fmt.Sprintf(format, args...)
	if len(m.res.Errors) < 50 {
		m.res.Errors = append(m.res.Errors, msg)
	}
	m.b.Error(msg)
}

// readFailed records a file a page reader (visual, OCR) could not read:
// a quality result, scored as wrong on every field, not a benchmark error.
func (m *meter) readFailed(name string, err error) {
	msg := fmt.Sprintf("could not read %s: %s", name, firstLine(err.Error()))
	for _, n := range m.res.Notes {
		if n == msg {
			return
		}
	}
	m.res.Values["read_failures"]++
	m.res.Notes = append(m.res.Notes, msg)
}

func (m *meter) note(format string, args ...any) {
	m.res.Notes = append(m.res.Notes, fmt.Sprintf(format, args...))
}

// finish computes the figures, reports them as benchmark metrics and
// writes the Result when BENCH_OUT is set. unit names the items.
func (m *meter) finish(unit string) Result {
	m.b.Helper()
	wall := time.Since(m.start)
	m.b.StopTimer()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	r := &m.res
	r.Passes = max(m.passes, 1)
	r.Items = len(m.lat) * m.perSample
	var sum time.Duration
	for _, d := range m.lat {
		sum += d
	}
	r.Seconds = sum.Seconds()
	if r.Seconds == 0 {
		r.Seconds = wall.Seconds()
	}
	if r.Seconds > 0 {
		r.ItemsPerSec = float64(r.Items) / r.Seconds
	}
	r.P50MS, r.P99MS, r.MaxMS = percentileMS(m.lat, 50), percentileMS(m.lat, 99), percentileMS(m.lat, 100)
	r.RSSPeakMiB, _ = procStatusMiB("VmHWM")
	alloc := after.TotalAlloc - m.mem.TotalAlloc
	if m.ownAllocSet {
		alloc = m.ownAlloc
	}
	r.AllocMiBPerPass = float64(alloc) / float64(r.Passes) / (1 << 20)
	r.Values["wall_s"] = wall.Seconds()
	if r.Items > 0 {
		m.b.ReportMetric(r.ItemsPerSec, unit+"/s")
		m.b.ReportMetric(r.P50MS, "p50-ms")
		m.b.ReportMetric(r.P99MS, "p99-ms")
	}
	if r.RSSPeakMiB > 0 {
		m.b.ReportMetric(r.RSSPeakMiB, "peakRSS-MiB")
	}
	if r.Accuracy != nil {
		m.b.ReportMetric(r.Accuracy.Overall, "accuracy")
	}
	if m.perSample > 1 {
		r.Values["items_per_sample"] = float64(m.perSample)
	}
	save(m.b, *r)
	return *r
}

// save writes r into $BENCH_OUT, if set.
func save(tb testing.TB, r Result) {
	tb.Helper()
	dir := os.Getenv("BENCH_OUT")
	if dir == "" {
		return
	}
	if err := Save(dir, r); err != nil {
		tb.Errorf("write result: %v", err)
	}
}

// percentileMS is the p-th percentile (nearest rank) of ds in ms.
func percentileMS(ds []time.Duration, p float64) float64 {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	rank := int(math.Ceil(p / 100 * float64(len(s))))
	rank = min(max(rank, 1), len(s))
	return float64(s[rank-1]) / float64(time.Millisecond)
}

// resetPeakRSS resets VmHWM to the current RSS (Linux: "5" to
// /proc/self/clear_refs); false where that is not possible.
func resetPeakRSS() bool {
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}

// procStatusMiB reads a kB line of /proc/self/status (VmRSS, VmHWM).
func procStatusMiB(key string) (float64, bool) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok || k != key {
			continue
		}
		n, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
		if err != nil {
			return 0, false
		}
		return n / 1024, true
	}
	return 0, false
}

// --- accuracy ------------------------------------------------------------

// scoredFields are the header fields compared with the XML ground truth,
// as in backend/pagereader's corpus accuracy test.
var scoredFields = []string{"invoice_number", "issue_date", "due_date", "currency", "seller.name",
	"seller.vat_id", "buyer.name", "payment.iban", "totals.line_net", "totals.tax_exclusive",
	"totals.tax", "totals.tax_inclusive", "totals.payable"}

// fieldText gives a field's value in a comparable form ("" when absent):
// decimals by value, names normalised as for vendor matching (the same
// comparison as backend/pagereader's accuracy test).
func fieldText(inv invoice.Invoice, f string) string {
	dec := func(d *decimal.Decimal) string {
		if d == nil {
			return ""
		}
		return d.Round(4).String()
	}
	switch f {
	case "invoice_number":
		return strings.ToUpper(strings.TrimSpace(inv.InvoiceNumber))
	case "issue_date":
		return inv.IssueDate.String()
	case "due_date":
		return inv.DueDate.String()
	case "currency":
		return inv.Currency
	case "seller.name":
		return vendor.MatchName(inv.Seller.Name)
	case "seller.vat_id":
		return vendor.NormalizeVATID(inv.Seller.VATID)
	case "buyer.name":
		return vendor.MatchName(inv.Buyer.Name)
	case "payment.iban":
		return inv.Payment.IBAN
	case "totals.line_net":
		return dec(inv.Totals.LineNet)
	case "totals.tax_exclusive":
		return dec(inv.Totals.TaxExclusive)
	case "totals.tax":
		return dec(inv.Totals.Tax)
	case "totals.tax_inclusive":
		return dec(inv.Totals.TaxInclusive)
	case "totals.payable":
		return dec(inv.Totals.Payable)
	}
	panic("unknown field " + f)
}

// scored is one file read: what the reader gave (nil: it failed) and the
// ground truth.
type scored struct {
	name string
	got  *invoice.Invoice
	want invoice.Invoice
}

// score counts, per field, the values that match the ground truth among
// those the ground truth has; a file the reader failed on counts as wrong
// on every field the truth has.
func score(items []scored, excluded []string) *Accuracy {
	acc := &Accuracy{Excluded: excluded}
	byField := map[string]*FieldScore{}
	for _, f := range scoredFields {
		byField[f] = &FieldScore{Field: f}
	}
	for _, it := range items {
		acc.Files++
		for _, f := range scoredFields {
			want := fieldText(it.want, f)
			have := ""
			if it.got != nil {
				have = fieldText(*it.got, f)
			}
			s := byField[f]
			switch {
			case want == "" && have != "":
				s.Extra++
			case want == "":
			case want == have:
				s.Correct++
				s.Total++
			default:
				s.Total++
				if it.got == nil {
					have = "(read failed)"
				}
				acc.Misses = append(acc.Misses, fmt.Sprintf("%s — %s: read %q, XML %q", it.name, f, have, want))
			}
		}
	}
	for _, f := range scoredFields {
		s := byField[f]
		acc.Fields = append(acc.Fields, *s)
		acc.Correct += s.Correct
		acc.Total += s.Total
	}
	if acc.Total > 0 {
		acc.Overall = float64(acc.Correct) / float64(acc.Total)
	}
	sort.Strings(acc.Misses)
	return acc
}

func baseName(rel string) string { return filepath.Base(rel) }

// withJunk returns a copy of pdf with one byte appended after its %%EOF.
func withJunk(pdf []byte, junk byte) []byte {
	out := make([]byte, len(pdf)+1)
	copy(out, pdf)
	out[len(pdf)] = junk
	return out
}

func hasEOF(pdf []byte) bool {
	tail := pdf[max(0, len(pdf)-1024):]
	return bytes.Contains(tail, []byte("%%EOF"))
}
