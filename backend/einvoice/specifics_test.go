package einvoice

import (
	"strings"
	"testing"

	"github.com/smartap/desktop/backend/invoice"
)

const xr = "xrechnung-testsuite/src/test/business-cases/"

// specificCases are behaviours the corpus shows once, pinned by name so
// that a regression says what broke. check returns "" when all is well.
var specificCases = []struct {
	name, file string
	check      func(inv invoice.Invoice) string
}{
	{"second payee account is a warning", "en16931-cen-examples/ubl/examples/ubl-tc434-example1.xml", func(inv invoice.Invoice) string {
		if inv.Payment.IBAN != "NL57RABO0107307510" || len(inv.Warnings) != 1 || !strings.Contains(inv.Warnings[0], "NL03 INGB 0004489902") {
			return inv.Payment.IBAN + " " + strings.Join(inv.Warnings, "|")
		}
		return ""
	}},
	{"UBL sub-invoice lines are not flattened", xr + "extension/04.01a-INVOICE_ubl.xml", func(inv invoice.Invoice) string {
		if len(inv.Lines) != 2 || len(inv.Warnings) == 0 || !strings.Contains(inv.Warnings[0], "sub-invoice") {
			return strings.Join(inv.Warnings, "|")
		}
		return ""
	}},
	{"BT-111 in the tax currency", xr + "standard/02.01a-INVOICE_ubl.xml", func(inv invoice.Invoice) string {
		if inv.TaxCurrency != "GBP" || inv.TaxTotalTaxCurrency == nil || inv.TaxTotalTaxCurrency.String() != "2048.44" {
			return inv.TaxCurrency
		}
		return ""
	}},
	{"negative payable keeps its sign", xr + "standard/03.01a-INVOICE_ubl.xml", func(inv invoice.Invoice) string {
		if inv.Totals.Payable.String() != "-225.14" {
			return inv.Totals.Payable.String()
		}
		return ""
	}},
	{"credit note lines use CreditedQuantity", "oasis-ubl-2.1/xml/UBL-CreditNote-2.1-Example.xml", func(inv invoice.Invoice) string {
		if inv.TypeCode != invoice.TypeCreditNote || inv.Lines[1].Quantity.String() != "-1" || inv.Lines[1].NetAmount.String() != "-3.96" {
			return string(inv.TypeCode)
		}
		return ""
	}},
	{"ZUGFeRD 1.0 tax registration FC is BT-32", "factur-x-akretion/tests/fixtures/xml/zugferd-comfort.xml", func(inv invoice.Invoice) string {
		if inv.Seller.TaxID != "201/113/40209" || inv.Seller.VATID != "DE123456789" {
			return inv.Seller.TaxID + " " + inv.Seller.VATID
		}
		return ""
	}},
	{"CII base quantity is not divided out", "en16931-cen-examples/cii/examples/huf_example_cii.xml", func(inv invoice.Invoice) string {
		if inv.Lines[0].UnitPrice.String() != "36109.00" || inv.Lines[0].Quantity.String() != "64" {
			return inv.Lines[0].UnitPrice.String()
		}
		return ""
	}},
	{"BASIC WL has no lines", "factur-x-akretion/tests/fixtures/xml/factur-x-basicwl.xml", func(inv invoice.Invoice) string {
		if inv.Lines != nil || inv.Totals.Payable == nil {
			return "lines or totals wrong"
		}
		return ""
	}},
}

func TestCorpusSpecifics(t *testing.T) {
	needCorpus(t)
	for _, c := range specificCases {
		t.Run(c.name, func(t *testing.T) {
			if msg := c.check(mustRead(t, c.file)); msg != "" {
				t.Fatalf("%s: %s", c.file, msg)
			}
		})
	}
}
