package checks

import (
	"strings"

	"github.com/smartap/desktop/backend/invoice"
)

// required is one field that every invoice and credit note must carry
// before AP can work on it: without these it cannot be booked, matched to
// a vendor or paid. EN 16931 requires more (BR-01..BR-16), but these are
// the ones AP cannot do without and that read sources most often miss.
type required struct {
	path    string
	label   string
	missing func(*invoice.Invoice) bool
}

var requiredFields = []required{
	{"invoice_number", "invoice number (BT-1)", func(i *invoice.Invoice) bool { return blank(i.InvoiceNumber) }},
	{"issue_date", "issue date (BT-2)", func(i *invoice.Invoice) bool { return i.IssueDate.IsZero() }},
	{"currency", "currency (BT-5)", func(i *invoice.Invoice) bool { return blank(i.Currency) }},
	{"seller.name", "seller name (BT-27)", func(i *invoice.Invoice) bool { return blank(i.Seller.Name) }},
	{"totals.payable", "amount due for payment (BT-115)", func(i *invoice.Invoice) bool { return i.Totals.Payable == nil }},
}

// checkRequired gives one missing_field finding per absent field, so the
// UI can point at each one and clear it once it is filled in.
func checkRequired(inv *invoice.Invoice, _ *Context, _ *Config) []Finding {
	var out []Finding
	for _, r := range requiredFields {
		if r.missing(inv) {
			out = append(out, finding(CodeMissingField, SeverityError, r.label+" is missing", r.path))
		}
	}
	return out
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }
