//go:build ocr

package extract

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/smartap/desktop/backend/einvoice"
	"github.com/smartap/desktop/backend/intake"
	"github.com/smartap/desktop/backend/pdfdoc"
)

func engineStart(ctx context.Context) (PDF, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return pdfdoc.NewEngine(ctx, filepath.Join(dir, "smartap-test", "wazero"))
}

// A scan (the corpus PDF's page rendered at 300 dpi, as PNG) reads through
// OCR and the page reader to the invoice its embedded XML describes.
func TestScanReadsThroughOCR(t *testing.T) {
	const rel = "../../../shared/corpus/zugferd-corpus/XML-Rechnung/FX/EN16931_Einfach.pdf"
	pdf, err := os.ReadFile(rel)
	if os.IsNotExist(err) {
		t.Skip("the shared corpus is not beside the project")
	}
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	x := New(engineStart)
	eng, err := x.engine(ctx)
	if err != nil {
		t.Fatal(err)
	}
	img, _, err := eng.RenderPage(pdf, 1, 300)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	res, err := x.Extract(ctx, buf.Bytes(), intake.KindPNG, ModeAuto)
	if err != nil {
		t.Fatal(err)
	}
	atts, _ := eng.Attachments(pdf)
	att, _ := pdfdoc.InvoiceXML(atts)
	want, _, err := einvoice.Read(att.Data)
	if err != nil {
		t.Fatal(err)
	}
	if res.Source != SourceOCR || res.Invoice.InvoiceNumber != want.InvoiceNumber {
		t.Fatalf("OCR read %q (source %s), want %q", res.Invoice.InvoiceNumber, res.Source, want.InvoiceNumber)
	}
	// Page 1 of 2 carries the header; the totals are on page 2.
	if res.Invoice.IssueDate != want.IssueDate {
		t.Errorf("issue date %v, want %v", res.Invoice.IssueDate, want.IssueDate)
	}
	if res.Invoice.Confidence["invoice_number"] <= 0 {
		t.Errorf("no confidence for an OCR field: %v", res.Invoice.Confidence)
	}
}
