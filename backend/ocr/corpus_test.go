package ocr

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/einvoice"
	"github.com/smartap/desktop/backend/pdfdoc"
)

// corpusDir is the shared invoice corpus (MANIFEST.md), seen from here.
const corpusDir = "../../../shared/corpus"

var (
	pdfOnce sync.Once
	pdfEng  *pdfdoc.Engine
	pdfErr  error
)

// pdfEngine is one PDFium engine for the package's tests, with the same
// compilation cache as pdfdoc's tests.
func pdfEngine(t testing.TB) *pdfdoc.Engine {
	t.Helper()
	pdfOnce.Do(func() {
		dir := filepath.Join(t.TempDir(), "wazero")
		if c, err := os.UserCacheDir(); err == nil {
			dir = filepath.Join(c, "smartap-test", "wazero")
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		pdfEng, pdfErr = pdfdoc.NewEngine(ctx, dir)
	})
	if pdfErr != nil {
		t.Fatalf("PDFium: %v", pdfErr)
	}
	return pdfEng
}

func TestMain(m *testing.M) {
	code := m.Run()
	if pdfEng != nil {
		_ = pdfEng.Close()
	}
	os.Exit(code)
}

// quickCorpus are the PDFs plain `go test` scans: one-page invoices (number
// and payable amount on page 1) in French, German and English layouts.
var quickCorpus = []string{
	"factur-x-akretion/tests/fixtures/pdf/invoice_EN16931.pdf",
	"mustangproject/validator/src/test/resources/Facture_F20180027.pdf",
	"mustangproject/validator/src/test/resources/103767-Invoice-2026-03-24-1.pdf",
	"mustangproject/library/src/test/resources/zugferd_invoice.pdf",
}

// wholeCorpus: SMARTAP_OCR_CORPUS=all runs the corpus tests on every corpus
// PDF with an invoice instead of quickCorpus.
func wholeCorpus() bool { return os.Getenv("SMARTAP_OCR_CORPUS") == "all" }

// testTruths is the ground truth of quickCorpus, or of the whole corpus.
func testTruths(t testing.TB) []truth {
	t.Helper()
	if wholeCorpus() {
		return corpusTruths(t)
	}
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skipf("corpus not present: %v", err)
	}
	var trs []truth
	for _, rel := range quickCorpus {
		tr, ok := loadTruth(pdfEngine(t), rel)
		if !ok {
			t.Fatalf("%s: no invoice XML with number and payable amount", rel)
		}
		trs = append(trs, tr)
	}
	return trs
}

// truth is what a corpus PDF's embedded XML says, and where its own text
// layer shows it.
type truth struct {
	path      string // relative to corpusDir
	number    string
	payable   decimal.Decimal
	pages     int
	numPage   int // first page whose text layer has the number; 0: none
	amtPage   int // last page whose text layer has the payable amount; 0: none
	textPages [][]pdfdoc.TextRun
}

func (tr truth) name() string { return strings.TrimSuffix(filepath.Base(tr.path), ".pdf") }

// corpusTruths lists every corpus PDF with an embedded invoice whose XML
// gives an invoice number and a payable amount.
func corpusTruths(t testing.TB) []truth {
	t.Helper()
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skipf("corpus not present: %v", err)
	}
	var paths []string
	_ = filepath.WalkDir(corpusDir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.EqualFold(filepath.Ext(p), ".pdf") {
			paths = append(paths, p)
		}
		return err
	})
	sort.Strings(paths)
	e := pdfEngine(t)
	var out []truth
	for _, p := range paths {
		rel, _ := filepath.Rel(corpusDir, p)
		if tr, ok := loadTruth(e, rel); ok {
			out = append(out, tr)
		}
	}
	return out
}

func loadTruth(e *pdfdoc.Engine, rel string) (truth, bool) {
	data, err := os.ReadFile(filepath.Join(corpusDir, rel))
	if err != nil {
		return truth{}, false
	}
	atts, err := e.Attachments(data)
	if err != nil {
		return truth{}, false
	}
	x, ok := pdfdoc.InvoiceXML(atts)
	if !ok {
		return truth{}, false
	}
	inv, _, err := einvoice.Read(x.Data)
	if err != nil || inv.InvoiceNumber == "" || inv.Totals.Payable == nil {
		return truth{}, false
	}
	pages, err := e.PageText(data)
	if err != nil {
		return truth{}, false
	}
	tr := truth{path: rel, number: inv.InvoiceNumber, payable: *inv.Totals.Payable, pages: len(pages), textPages: pages}
	for i, p := range pages {
		if tr.numPage == 0 && hasNumber(p, tr.number) {
			tr.numPage = i + 1
		}
		if hasAmount(p, tr.payable) {
			tr.amtPage = i + 1
		}
	}
	return tr, true
}

// The matchers find the XML's invoice number and payable amount in the
// PDFs' own text layers: they are fit to judge OCR output.
func TestCorpusTextLayer(t *testing.T) {
	trs := testTruths(t)
	num, amt := 0, 0
	for _, tr := range trs {
		if tr.numPage > 0 {
			num++
		}
		if tr.amtPage > 0 {
			amt++
		}
		t.Logf("%-45.45s pages %d  number %-22q p.%d  payable %10s p.%d", tr.name(), tr.pages, tr.number, tr.numPage, tr.payable, tr.amtPage)
	}
	t.Logf("text layer: number found in %d/%d, payable in %d/%d", num, len(trs), amt, len(trs))
	if wholeCorpus() && len(trs) < 30 || num < len(trs)*8/10 || amt < len(trs)*8/10 {
		t.Errorf("matchers too weak on the text layer: %d PDFs, number %d, payable %d", len(trs), num, amt)
	}
}
