package core

import (
	"testing"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/invoice"
)

func TestSetField(t *testing.T) {
	p := decimal.MustParse("100.00")
	n := decimal.MustParse("10.00")
	base := invoice.Invoice{InvoiceNumber: "A-1", Currency: "EUR", Totals: invoice.Totals{Payable: &p},
		Lines: []invoice.Line{{ID: "1", Name: "x", NetAmount: &n}}}
	ok := []struct{ path, value, old string }{
		{"invoice_number", "A-2", "A-1"},
		{"totals.payable", "119.00", "100.00"},
		{"totals.prepaid", "5.00", ""},
		{"seller.name", "ACME", ""},
		{"seller.address.city", "Berlin", ""},
		{"issue_date", "2026-11-01", ""},
		{"lines.0.net_amount", "12.50", "10.00"},
		{"lines[0].name", "Bolts", "x"},
		{"payment.iban", "de89 3704 0044 0532 0130 00", ""},
	}
	for _, tc := range ok {
		inv := base
		inv.Lines = append([]invoice.Line(nil), base.Lines...)
		old, err := setField(&inv, tc.path, tc.value)
		if err != nil || old != tc.old {
			t.Errorf("set %s=%s: old %q err %v", tc.path, tc.value, old, err)
		}
	}
	inv := base
	_, _ = setField(&inv, "payment.iban", "de89 3704 0044 0532 0130 00")
	if inv.Payment.IBAN != "DE89370400440532013000" {
		t.Errorf("not normalised: %q", inv.Payment.IBAN)
	}
	bad := []struct{ path, value string }{
		{"totals.payable", "1,5"},
		{"totals.payable", "abc"},
		{"issue_date", "01.11.2026"},
		{"confidence.invoice_number", "1"},
		{"warnings", "x"},
		{"nonsense", "1"},
		{"totals", "1"},
		{"lines.5.name", "x"},
		{"lines.x.name", "x"},
		{"seller..name", "x"},
	}
	for _, tc := range bad {
		inv := base
		before := inv.InvoiceNumber
		if _, err := setField(&inv, tc.path, tc.value); err == nil || apperr.CodeOf(err) == apperr.Internal {
			t.Errorf("set %s=%q: %v", tc.path, tc.value, err)
		}
		if inv.InvoiceNumber != before || inv.Totals.Payable.String() != "100.00" {
			t.Errorf("failed set %s changed the invoice", tc.path)
		}
	}
}
