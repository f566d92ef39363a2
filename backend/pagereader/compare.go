package pagereader

import (
	"strings"

	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/vendor"
)

// MinCompareConfidence is the confidence a page value needs before it is
// held against the XML: a guess that differs is no evidence.
const MinCompareConfidence = 0.6

// Difference is a field on which the visible page and the embedded XML
// disagree (ARCHITECTURE.md §3.5: a fraud signal).
type Difference struct {
	Field string // JSON path, e.g. "payment.iban"
	Page  string
	XML   string
}

// Compare holds what was read from the page against the invoice of the
// XML: the IBAN, the amount due (else the total with VAT), the invoice
// number and the seller's VAT id and name. A field is compared only when
// the page shows it with at least MinCompareConfidence and the XML has
// it; a value the page simply lacks is never a difference.
func Compare(page, xml invoice.Invoice) []Difference {
	var out []Difference
	add := func(field, p, x string) { out = append(out, Difference{Field: field, Page: p, XML: x}) }
	sure := func(path string) bool { return page.Confidence[path] >= MinCompareConfidence }

	if p, x := compact(page.Payment.IBAN), compact(xml.Payment.IBAN); p != "" && x != "" && sure("payment.iban") && p != x {
		add("payment.iban", p, x)
	}
	switch {
	case page.Totals.Payable != nil && xml.Totals.Payable != nil && sure("totals.payable"):
		if !page.Totals.Payable.Equal(*xml.Totals.Payable) {
			add("totals.payable", page.Totals.Payable.String(), xml.Totals.Payable.String())
		}
	case page.Totals.TaxInclusive != nil && xml.Totals.TaxInclusive != nil && sure("totals.tax_inclusive"):
		if !page.Totals.TaxInclusive.Equal(*xml.Totals.TaxInclusive) {
			add("totals.tax_inclusive", page.Totals.TaxInclusive.String(), xml.Totals.TaxInclusive.String())
		}
	}
	if p, x := compact(page.InvoiceNumber), compact(xml.InvoiceNumber); p != "" && x != "" && sure("invoice_number") && p != x {
		add("invoice_number", page.InvoiceNumber, xml.InvoiceNumber)
	}
	if p, x := vendor.NormalizeVATID(page.Seller.VATID), vendor.NormalizeVATID(xml.Seller.VATID); p != "" && x != "" && sure("seller.vat_id") && p != x {
		add("seller.vat_id", p, x)
	}
	if p, x := vendor.MatchName(page.Seller.Name), vendor.MatchName(xml.Seller.Name); p != "" && x != "" &&
		page.Confidence["seller.name"] >= ConfLabel-0.05 && !strings.Contains(p, x) && !strings.Contains(x, p) {
		add("seller.name", page.Seller.Name, xml.Seller.Name)
	}
	return out
}

func compact(s string) string { return strings.ToUpper(strings.Join(strings.Fields(s), "")) }
