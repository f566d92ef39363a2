package checks

import (
	"testing"

	"github.com/smartap/desktop/backend/invoice"
)

// cleanCII: number 12115118, seller De Koksmaat NL820098395B01, 250.33 EUR,
// issued 2015-01-09. Each prior is a copy with one thing changed.
func TestDuplicateVariants(t *testing.T) {
	type prior = func(*invoice.Invoice)
	same := func(*invoice.Invoice) {}
	otherNumber := func(i *invoice.Invoice) { i.InvoiceNumber = "12115119" }
	tests := []struct {
		name    string
		priors  []prior
		context func(*Context)
		want    []string
		msgs    []string
	}{
		{"no priors", nil, nil, nil, nil},
		{"exact bytes, found by the caller's index", nil,
			func(c *Context) { c.ExactDuplicateOf = "inv-9" },
			[]string{CodeDuplicateExact}, []string{"the same file was already imported as invoice inv-9"}},
		{"exact bytes, by a prior's digest (any case)", []prior{same},
			func(c *Context) { c.SHA256 = "ab12" },
			[]string{CodeDuplicateExact}, []string{"as invoice p-0"}},
		{"exact bytes reported once when index and prior agree", []prior{same},
			func(c *Context) { c.SHA256, c.ExactDuplicateOf = "ab12", "p-0" },
			[]string{CodeDuplicateExact}, nil},
		{"same seller and number, other bytes", []prior{same}, nil,
			[]string{CodeDuplicateNumber},
			[]string{`invoice p-0 (number "12115118", issued 2015-01-09) has the same seller and invoice number`}},
		{"number written differently", []prior{func(i *invoice.Invoice) { i.InvoiceNumber = " 00-1211 5118 " }}, nil,
			[]string{CodeDuplicateNumber}, nil},
		{"same number, seller known only by name", []prior{func(i *invoice.Invoice) {
			i.Seller.VATID, i.Seller.Name = "", "DE  KOKSMAAT BV"
		}}, nil, []string{CodeDuplicateNumber}, nil},
		{"same number, another seller", []prior{func(i *invoice.Invoice) { i.Seller.VATID = "NL004495445B01" }}, nil,
			nil, nil},
		{"near: other number, +0.5 %, 3 days earlier", []prior{func(i *invoice.Invoice) {
			otherNumber(i)
			i.Totals.Payable, i.IssueDate = dec("251.58"), i.IssueDate.AddDays(-3)
		}}, nil, []string{CodeDuplicateNear},
			[]string{`invoice p-0 from the same seller (number "12115119", 251.58 EUR, issued 2015-01-06) has nearly the same amount and date`}},
		{"near: exactly 7 days and 1 %", []prior{func(i *invoice.Invoice) {
			otherNumber(i)
			i.Totals.Payable, i.IssueDate = dec("247.8267"), i.IssueDate.AddDays(7)
		}}, nil, []string{CodeDuplicateNear}, nil},
		{"not near: 8 days apart", []prior{func(i *invoice.Invoice) { otherNumber(i); i.IssueDate = i.IssueDate.AddDays(-8) }}, nil,
			nil, nil},
		{"not near: 2 % apart", []prior{func(i *invoice.Invoice) { otherNumber(i); i.Totals.Payable = dec("255.34") }}, nil,
			nil, nil},
		{"not near: a credit note cancelling it", []prior{func(i *invoice.Invoice) {
			otherNumber(i)
			i.TypeCode = invoice.TypeCreditNote
		}}, nil, nil, nil},
		{"not near: other currency", []prior{func(i *invoice.Invoice) { otherNumber(i); i.Currency = "USD" }}, nil,
			nil, nil},
		{"the invoice itself, checked again", []prior{same},
			func(c *Context) { c.Self, c.ExactDuplicateOf = "p-0", "p-0" }, nil, nil},
		{"one finding per prior, strongest first", []prior{same, otherNumber, func(i *invoice.Invoice) { i.Seller.VATID = "BE0403019261" }},
			func(c *Context) { c.ExactDuplicateOf = "inv-9" },
			[]string{CodeDuplicateExact, CodeDuplicateNumber, CodeDuplicateNear}, []string{"invoice p-0", "invoice p-1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inv, ctx, cfg := base(t, cleanCII)
			for n, change := range tc.priors {
				p := clone(t, inv)
				change(&p)
				ctx.Priors = append(ctx.Priors, Prior{ID: "p-" + string(rune('0'+n)), Invoice: p, SHA256: "AB12"})
			}
			if tc.context != nil {
				tc.context(&ctx)
			}
			fs := Run(inv, ctx, cfg)
			expect(t, fs, tc.want, tc.msgs...)
			for _, f := range fs {
				if want := duplicateSeverity[f.Code]; f.Severity != want {
					t.Errorf("%s: severity %s, want %s", f.Code, f.Severity, want)
				}
			}
			if got, want := HasBlocking(fs), len(tc.want) > 0 && tc.want[0] == CodeDuplicateExact; got != want {
				t.Errorf("HasBlocking = %v, want %v", got, want)
			}
		})
	}
}

var duplicateSeverity = map[string]Severity{
	CodeDuplicateExact:  SeverityCritical,
	CodeDuplicateNumber: SeverityError,
	CodeDuplicateNear:   SeverityWarning,
}

func TestNormalizeNumber(t *testing.T) {
	for _, tc := range []struct{ a, b string }{
		{"RE-2024/001", "re 2024 001"},
		{"0042", "42"},
		{"INV.42", "inv42"},
		{"Rechnung Ä-7", "RECHNUNGä7"},
	} {
		if x, y := NormalizeNumber(tc.a), NormalizeNumber(tc.b); x != y || x == "" {
			t.Errorf("NormalizeNumber(%q) = %q, NormalizeNumber(%q) = %q; want equal", tc.a, x, tc.b, y)
		}
	}
	for in, want := range map[string]string{"": "", " - ": "", "000": "0", "A-01": "A01"} {
		if got := NormalizeNumber(in); got != want {
			t.Errorf("NormalizeNumber(%q) = %q, want %q", in, got, want)
		}
	}
}
