package pagereader

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/einvoice"
	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/pdfdoc"
	"github.com/smartap/desktop/backend/vendor"
)

// pageShowsOtherInvoice are corpus PDFs whose visible page is another
// invoice than their XML (see backend/pdfdoc's corpus test): their XML is
// no ground truth for the page, so they are left out of the accuracy and
// used by the mismatch tests instead.
var pageShowsOtherInvoice = map[string]bool{
	"validXRechnung.pdf":                          true,
	"factur-x-invalid-xml-encoding-attribute.pdf": true,
}

// accuracyFloor is the overall header-field accuracy this reader reaches
// on the corpus (measured, see the log); the test fails below it.
const accuracyFloor = 0.95

// scoredFields are the header fields compared with the embedded XML.
var scoredFields = []string{"invoice_number", "issue_date", "due_date", "currency", "seller.name",
	"seller.vat_id", "buyer.name", "payment.iban", "totals.line_net", "totals.tax_exclusive",
	"totals.tax", "totals.tax_inclusive", "totals.payable"}

// fieldText gives a field's value in a comparable form ("" when absent):
// decimals by value, names normalised as for vendor matching.
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

type fieldScore struct{ correct, total, extra int }

// corpusPair is a corpus PDF with its embedded invoice.
type corpusPair struct {
	name string
	data []byte
	xml  invoice.Invoice
}

func corpusPairs(t *testing.T) []corpusPair {
	var out []corpusPair
	for _, path := range corpusPDFs(t) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		atts, err := engine(t).Attachments(data)
		if err != nil {
			continue // broken files: pdfdoc's tests cover them
		}
		att, ok := pdfdoc.InvoiceXML(atts)
		if !ok {
			continue
		}
		xml, _, err := einvoice.Read(att.Data)
		if err != nil {
			continue
		}
		out = append(out, corpusPair{name: filepath.Base(path), data: data, xml: xml})
	}
	return out
}

// Every Factur-X/ZUGFeRD PDF of the corpus, read from its page without
// its XML, compared field by field with the XML.
func TestCorpusAccuracy(t *testing.T) {
	scores := map[string]*fieldScore{}
	for _, f := range scoredFields {
		scores[f] = &fieldScore{}
	}
	var lineTotal, lineFound, lineTotalTab, lineFoundTab, files int
	var misses []string
	for _, p := range corpusPairs(t) {
		if pageShowsOtherInvoice[p.name] {
			continue
		}
		files++
		got, err := Read(pageWords(t, p.data))
		if err != nil {
			t.Errorf("%s: %v", p.name, err)
			continue
		}
		for _, f := range scoredFields {
			want, have := fieldText(p.xml, f), fieldText(got, f)
			switch {
			case want == "" && have != "":
				scores[f].extra++
			case want == "":
			case want == have:
				scores[f].correct++
				scores[f].total++
			default:
				scores[f].total++
				misses = append(misses, fmt.Sprintf("%-50s %-20s page %q xml %q", p.name, f, have, want))
			}
		}
		n := matchedLines(p.xml.Lines, got.Lines)
		lineTotal += len(p.xml.Lines)
		lineFound += n
		if len(got.Lines) > 0 {
			lineTotalTab += len(p.xml.Lines)
			lineFoundTab += n
		}
	}
	sort.Strings(misses)
	for _, m := range misses {
		t.Log("miss: " + m)
	}
	overall := logAccuracy(t, scores, files)
	t.Logf("line-item recall (net amount found): %d/%d = %.3f; on pages where a table was read: %d/%d = %.3f",
		lineFound, lineTotal, ratio(lineFound, lineTotal), lineFoundTab, lineTotalTab, ratio(lineFoundTab, lineTotalTab))
	if overall < accuracyFloor {
		t.Errorf("overall header-field accuracy %.3f < floor %.3f", overall, accuracyFloor)
	}
}

func logAccuracy(t *testing.T, scores map[string]*fieldScore, files int) float64 {
	var correct, total int
	t.Logf("%d PDFs; per field: correct/present in XML (extra = found where the XML has none)", files)
	for _, f := range scoredFields {
		s := scores[f]
		correct += s.correct
		total += s.total
		t.Logf("  %-22s %3d/%3d = %.3f  extra %d", f, s.correct, s.total, ratio(s.correct, s.total), s.extra)
	}
	overall := ratio(correct, total)
	t.Logf("  %-22s %3d/%3d = %.3f", "OVERALL", correct, total, overall)
	return overall
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// matchedLines counts the XML lines whose net amount a page line has (each
// page line used once).
func matchedLines(want, got []invoice.Line) int {
	used := make([]bool, len(got))
	n := 0
	for _, w := range want {
		if w.NetAmount == nil {
			continue
		}
		for i, g := range got {
			if !used[i] && g.NetAmount != nil && g.NetAmount.Equal(*w.NetAmount) {
				used[i] = true
				n++
				break
			}
		}
	}
	return n
}
