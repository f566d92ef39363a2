package export

import (
	"regexp"
	"strings"
	"testing"

	"github.com/smartap/desktop/backend/invoice"
)

var safeFileName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*\.xml$`)

func TestUBLFileName(t *testing.T) {
	cases := []struct{ number, date, prefix string }{
		{"RE-2024/0042", "2024-03-01", "RE-2024_0042_2024-03-01_"},
		{"../../etc/passwd", "2024-03-01", "etc_passwd_2024-03-01_"},
		{"..", "", "invoice_"},
		{"-rf", "2024-03-01", "rf_2024-03-01_"},
		{"Rechnung Nr. 5 für März", "2024-03-01", "Rechnung_Nr._5_f_r_M_rz_2024-03-01_"},
		{"C:\\evil\x00name", "", "C_evil_name_"},
		{"", "2024-03-01", "invoice_2024-03-01_"},
		{strings.Repeat("9", 300), "", strings.Repeat("9", maxNumberInName) + "_"},
	}
	for _, c := range cases {
		inv := invoice.Invoice{InvoiceNumber: c.number, Seller: invoice.Party{Name: "ACME"}}
		if c.date != "" {
			inv.IssueDate = invoice.MustParseDate(c.date)
		}
		got := UBLFileName(inv)
		if !safeFileName.MatchString(got) || !strings.HasPrefix(got, c.prefix) || len(got) > 100 {
			t.Errorf("UBLFileName(%q) = %q, want a safe name starting %q", c.number, got, c.prefix)
		}
	}
}

// Two sellers' invoice "1" of the same day, or an invoice and its credit
// note, get different names; the same invoice always the same one.
func TestUBLFileNameDistinct(t *testing.T) {
	a := payableInvoice("1", "2024-03-01", "1.00")
	b := a
	b.Seller.Name = "Other Seller"
	c := a
	c.TypeCode = invoice.TypeCreditNote
	names := map[string]bool{UBLFileName(a): true, UBLFileName(b): true, UBLFileName(c): true}
	if len(names) != 3 {
		t.Errorf("names collide: %v", names)
	}
	if UBLFileName(a) != UBLFileName(payableInvoice("1", "2024-03-01", "2.00")) {
		t.Error("the name depends on more than the document's identity")
	}
}
