package checks

import (
	"slices"
	"testing"
	"time"

	"github.com/smartap/desktop/backend/invoice"
)

func TestMissingFieldVariants(t *testing.T) {
	const creditNote = "en16931-cen-examples/ubl/examples/ubl-tc434-creditnote1.xml"
	tests := []struct {
		name, file string
		change     func(*invoice.Invoice)
		path, msg  string
	}{
		{"invoice number", cleanCII, func(i *invoice.Invoice) { i.InvoiceNumber = " \t" }, "invoice_number", "invoice number (BT-1) is missing"},
		{"issue date", cleanCII, func(i *invoice.Invoice) { i.IssueDate = invoice.Date{} }, "issue_date", "issue date (BT-2) is missing"},
		{"currency", cleanCII, func(i *invoice.Invoice) { i.Currency = "" }, "currency", "currency (BT-5) is missing"},
		{"seller name", cleanCII, func(i *invoice.Invoice) { i.Seller.Name = "" }, "seller.name", "seller name (BT-27) is missing"},
		// Without BT-115 the payable sum has nothing to compare: only the
		// missing field is reported, not an arithmetic error as well.
		{"payable", cleanCII, func(i *invoice.Invoice) { i.Totals.Payable = nil }, "totals.payable", "amount due for payment (BT-115) is missing"},
		{"credit note number", creditNote, func(i *invoice.Invoice) { i.InvoiceNumber = "" }, "invoice_number", "invoice number (BT-1) is missing"},
		{"credit note payable", creditNote, func(i *invoice.Invoice) { i.Totals.Payable = nil }, "totals.payable", "amount due for payment (BT-115) is missing"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inv, ctx, cfg := base(t, tc.file)
			inv = clone(t, inv)
			tc.change(&inv)
			fs := Run(inv, ctx, cfg)
			expect(t, fs, []string{CodeMissingField}, tc.msg)
			if f := fs[0]; f.Severity != SeverityError || !slices.Equal(f.Fields, []string{tc.path}) {
				t.Errorf("got %s %q, want error [%s]", f.Severity, f.Fields, tc.path)
			}
		})
	}
}

// An empty invoice (a page nothing could be read from) lists every
// required field, most serious first, and names no seller.
func TestEmptyInvoice(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Now = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	fs := Run(invoice.Invoice{}, Context{}, cfg)
	expect(t, fs, []string{CodeMissingField, CodeMissingField, CodeMissingField, CodeMissingField, CodeMissingField,
		CodeVendorUnknown}, "the seller is not in the vendor master")
}
