//go:build ocr

package bench

import (
	"io"
	"testing"

	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/ocr"
	"github.com/smartap/desktop/backend/pagereader"
)

// BenchmarkExtractOCR reads the PDFs of the visual benchmark as scans:
// every page rendered at 300 dpi by PDFium, Tesseract's words, then
// backend/pagereader, scored against the embedded XML. Only in builds
// with the "ocr" tag; without Tesseract (or cgo) it reports why and
// measures nothing. By default two PDFs; BENCH_FULL=1 reads them all.
func BenchmarkExtractOCR(b *testing.B) {
	all := pdfCorpus(b)
	eng, err := ocr.New()
	if err != nil {
		save(b, Result{Name: "ExtractOCR", NotMeasured: "OCR not available: " + err.Error()})
		b.Skipf("OCR not available: %v", err)
	}
	if c, ok := eng.(io.Closer); ok {
		defer c.Close()
	}
	var files []pdfFile
	var excluded []string
	for _, f := range all {
		if pageShowsOtherInvoice[baseName(f.rel)] {
			excluded = append(excluded, baseName(f.rel)+": the visible page is another invoice than the XML")
			continue
		}
		files = append(files, f)
	}
	files = files[:min(len(files), size(len(files), 2))]
	pdf := engine(b)
	got := make([]*invoice.Invoice, len(files))
	m := newMeter(b)
	for b.Loop() {
		for i, f := range files {
			var readErr error
			err := m.time(func() error {
				pages, err := ocr.PDF(bg, eng, pdf, f.data)
				if err != nil {
					return err // rendering or Tesseract failed: a benchmark error
				}
				inv, err := pagereader.Read(pagereader.FromRuns(pages))
				if err == nil && got[i] == nil {
					got[i] = &inv
				}
				readErr = err
				return nil
			})
			if err != nil {
				m.errorf("%s: %v", f.rel, err)
			}
			if readErr != nil {
				m.readFailed(baseName(f.rel), readErr)
			}
		}
		m.pass()
	}
	b.StopTimer()
	items := make([]scored, len(files))
	for i, f := range files {
		items[i] = scored{name: baseName(f.rel), got: got[i], want: f.want}
	}
	m.res.Accuracy = score(items, excluded)
	m.res.Values["files"] = float64(len(files))
	m.note("pages rendered at %d dpi by PDFium, words by Tesseract (languages %v), fields by backend/pagereader", ocr.PDFDPI, ocr.DefaultLanguages)
	if !full() {
		m.note("default size: the first %d PDFs only (BENCH_FULL=1 reads all)", len(files))
	}
	m.finish("files")
}
