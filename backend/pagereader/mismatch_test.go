package pagereader_test

import (
	"context"
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smartap/desktop/backend/einvoice"
	"github.com/smartap/desktop/backend/extract"
	"github.com/smartap/desktop/backend/intake"
	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/pagereader"
	"github.com/smartap/desktop/backend/pdfdoc"
)

// fakePDF serves real attachments but the page text the test decides.
type fakePDF struct {
	eng   *pdfdoc.Engine
	pages [][]pdfdoc.TextRun
}

func (f fakePDF) Attachments(pdf []byte) ([]pdfdoc.Attachment, error) { return f.eng.Attachments(pdf) }
func (f fakePDF) PageText([]byte) ([][]pdfdoc.TextRun, error)         { return f.pages, nil }
func (f fakePDF) RenderPage(pdf []byte, page, dpi int) (image.Image, int, error) {
	return f.eng.RenderPage(pdf, page, dpi)
}

func extractor(p extract.PDF) *extract.Extractor {
	return extract.New(func(context.Context) (extract.PDF, error) { return p, nil })
}

func mismatch(r extract.Result) (extract.Finding, bool) {
	for _, f := range r.Findings {
		if f.Code == extract.FindingXMLPageMismatch {
			return f, true
		}
	}
	return extract.Finding{}, false
}

// Every corpus PDF with XML, read in auto mode: the two whose page shows
// another invoice raise xml_page_mismatch, the EN16931_* Factur-X files
// (page and XML the same invoice) do not.
func TestCorpusMismatch(t *testing.T) {
	eng := pagereader.SharedEngine(t)
	x := extractor(eng)
	raised := map[string]bool{}
	for _, path := range pagereader.CorpusPDFs(t) {
		name := filepath.Base(path)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		res, err := x.Extract(context.Background(), data, intake.KindPDF, extract.ModeAuto)
		if err != nil || res.Source != extract.SourceFacturX {
			continue
		}
		f, ok := mismatch(res)
		raised[name] = ok
		switch {
		case pagereader.OtherInvoicePDF[name] && !ok:
			t.Errorf("%s: page shows another invoice, no %s finding", name, extract.FindingXMLPageMismatch)
		case strings.HasPrefix(name, "EN16931_") && ok:
			t.Errorf("%s: false %s: %s", name, f.Code, f.Message)
		case ok:
			t.Logf("%s: %s %v: %s", name, f.Severity, f.Fields, f.Message)
		}
	}
	if len(raised) == 0 {
		t.Skip("no PDF with XML in the corpus")
	}
}

// A generated attack: the IBAN on the page of a Factur-X PDF is replaced
// by another valid IBAN; the XML is untouched. The finding must name
// payment.iban; the unaltered page must raise nothing.
func TestAlteredIBANRaisesMismatch(t *testing.T) {
	eng := pagereader.SharedEngine(t)
	data := pagereader.ReadCorpusFile(t, "zugferd-corpus/XML-Rechnung/FX/XRECHNUNG_Einfach.pdf")
	pages, err := eng.PageText(data)
	if err != nil {
		t.Fatal(err)
	}
	const real, fake = "DE02120300000000202051", "DE89370400440532013000"
	altered, n := replaceRuns(pages, real, fake)
	if n == 0 {
		t.Fatalf("IBAN %s not on the page", real)
	}
	res, err := extractor(fakePDF{eng: eng, pages: altered}).Extract(context.Background(), data, intake.KindPDF, extract.ModeAuto)
	if err != nil {
		t.Fatal(err)
	}
	f, ok := mismatch(res)
	if !ok || f.Severity != "critical" || len(f.Fields) != 1 || f.Fields[0] != "payment.iban" {
		t.Fatalf("altered IBAN: findings %+v", res.Findings)
	}
	if strings.Contains(f.Message, fake) || strings.Contains(f.Message, real) {
		t.Errorf("finding message carries a full IBAN: %s", f.Message)
	}
	res, err = extractor(fakePDF{eng: eng, pages: pages}).Extract(context.Background(), data, intake.KindPDF, extract.ModeAuto)
	if err != nil {
		t.Fatal(err)
	}
	if f, ok := mismatch(res); ok {
		t.Fatalf("unaltered page: %+v", f)
	}
}

// Compare on its own: each compared field, and what must not count.
func TestCompare(t *testing.T) {
	data := pagereader.ReadCorpusFile(t, "zugferd-corpus/XML-Rechnung/CII/XRECHNUNG_Einfach.cii.xml")
	xml, _, err := einvoice.Read(data)
	if err != nil {
		t.Fatal(err)
	}
	sure := map[string]float64{"payment.iban": 0.95, "totals.payable": 0.95, "invoice_number": 0.8,
		"seller.vat_id": 0.9, "seller.name": 0.8}
	page := xml
	page.Confidence = sure
	if d := pagereader.Compare(page, xml); len(d) != 0 {
		t.Fatalf("same invoice: %+v", d)
	}
	tests := []struct {
		name  string
		edit  func(*invoice.Invoice)
		field string
	}{
		{"iban", func(p *invoice.Invoice) { p.Payment.IBAN = "DE89370400440532013000" }, "payment.iban"},
		{"number", func(p *invoice.Invoice) { p.InvoiceNumber = "471103" }, "invoice_number"},
		{"vat", func(p *invoice.Invoice) { p.Seller.VATID = "DE136695976" }, "seller.vat_id"},
		{"name", func(p *invoice.Invoice) { p.Seller.Name = "Andere Firma KG" }, "seller.name"},
		{"payable", func(p *invoice.Invoice) { v := p.Totals.Payable.Add(*p.Totals.Payable); p.Totals.Payable = &v }, "totals.payable"},
		{"missing on page", func(p *invoice.Invoice) { p.Payment.IBAN = "" }, ""},
		{"low confidence", func(p *invoice.Invoice) {
			p.InvoiceNumber = "X1"
			p.Confidence = map[string]float64{"invoice_number": 0.3}
		}, ""},
		{"name spelled longer", func(p *invoice.Invoice) { p.Seller.Name = "Lieferant GmbH, München" }, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := xml
			p.Confidence = sure
			tc.edit(&p)
			d := pagereader.Compare(p, xml)
			switch {
			case tc.field == "" && len(d) != 0:
				t.Fatalf("unexpected differences %+v", d)
			case tc.field != "" && (len(d) != 1 || d[0].Field != tc.field):
				t.Fatalf("differences %+v, want %s", d, tc.field)
			}
		})
	}
}

func replaceRuns(pages [][]pdfdoc.TextRun, old, repl string) ([][]pdfdoc.TextRun, int) {
	out := make([][]pdfdoc.TextRun, len(pages))
	n := 0
	for i, p := range pages {
		out[i] = append([]pdfdoc.TextRun(nil), p...)
		for j, r := range out[i] {
			if strings.Contains(r.Text, old) {
				out[i][j].Text = strings.ReplaceAll(r.Text, old, repl)
				n++
			}
		}
	}
	return out, n
}
