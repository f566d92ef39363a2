package checks

import (
	"testing"

	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/invoice"
)

// Each variant changes one thing in a clean published invoice; the
// findings must be exactly the arithmetic ones that change implies, with
// messages that show the expected and the found amount.
func TestArithmeticVariants(t *testing.T) {
	tests := []struct {
		name   string
		file   string
		change func(*invoice.Invoice, *Config)
		want   []string
		msgs   []string
	}{
		{"clean CII", cleanCII, nil, nil, nil},
		{"clean UBL with allowances, charges, prepaid", cleanUBL, nil, nil, nil},
		{"one line amount changed (BR-CO-10)", cleanCII,
			func(i *invoice.Invoice, _ *Config) { i.Lines[0].NetAmount = dec("29.9") },
			[]string{CodeArithmetic},
			[]string{"line_net (BT-106) is 229.6, expected 239.60 = the sum of 20 line net amounts (BT-131) (difference -10.00)"}},
		{"line_net changed: lines and tax exclusive disagree", cleanCII,
			func(i *invoice.Invoice, _ *Config) { i.Totals.LineNet = dec("239.6") },
			[]string{CodeArithmetic, CodeArithmetic},
			[]string{"line_net (BT-106) is 239.6, expected 229.6",
				"tax_exclusive (BT-109) is 229.6, expected 239.6 = line_net 239.6 (difference -10.0)"}},
		{"allowances changed (BR-CO-13)", cleanUBL,
			func(i *invoice.Invoice, _ *Config) { i.Totals.Allowances = dec("110.00") },
			[]string{CodeArithmetic},
			[]string{"tax_exclusive (BT-109) is 1436.50, expected 1426.50 = line_net 1436.50 - allowances 110.00 + charges 100.00 (difference 10.00)"}},
		{"tax total changed (BR-CO-15, BR-CO-14)", cleanCII,
			func(i *invoice.Invoice, _ *Config) { i.Totals.Tax = dec("21.73") },
			[]string{CodeArithmetic, CodeArithmetic},
			[]string{"tax_inclusive (BT-112) is 250.33, expected 251.33 = tax_exclusive 229.6 + tax 21.73 (difference -1.00)",
				"tax (BT-110) is 21.73, expected 20.73 = the sum of 2 VAT breakdown amounts (BT-117)"}},
		{"payable changed (BR-CO-16)", cleanUBL,
			func(i *invoice.Invoice, _ *Config) { i.Totals.Payable = dec("901.78") },
			[]string{CodeArithmetic},
			[]string{"payable (BT-115) is 901.78, expected 801.78 = tax_inclusive 1801.78 - prepaid 1000.00 (difference 100.00)"}},
		{"prepaid missing", cleanUBL,
			func(i *invoice.Invoice, _ *Config) { i.Totals.Prepaid = nil },
			[]string{CodeArithmetic},
			[]string{"payable (BT-115) is 801.78, expected 1801.78 = tax_inclusive 1801.78 (difference -1000.00)"}},
		{"rounding amount closes the gap", cleanUBL,
			func(i *invoice.Invoice, _ *Config) { i.Totals.Payable, i.Totals.Rounding = dec("802.00"), dec("0.22") },
			nil, nil},
		{"breakdown row tax wrong (BR-S-09)", cleanCII,
			func(i *invoice.Invoice, _ *Config) { i.TaxBreakdown[1].Tax = dec("9.84") },
			[]string{CodeArithmetic, CodeArithmetic},
			[]string{"tax (BT-110) is 20.73, expected 20.83",
				"tax_breakdown[1].tax (BT-117) is 9.84, expected 9.74 = 21% of taxable 46.37 (category S) (difference 0.10)"}},
		{"breakdown rate misread", cleanCII,
			func(i *invoice.Invoice, _ *Config) { i.TaxBreakdown[0].Rate = dec("9") },
			[]string{CodeArithmetic},
			[]string{"tax_breakdown[0].tax (BT-117) is 10.99, expected 16.49 = 9% of taxable 183.23"}},
		{"difference of one cent is within the tolerance", cleanCII,
			func(i *invoice.Invoice, _ *Config) { i.Totals.TaxInclusive = dec("250.34") },
			nil, nil},
		{"tolerance is configurable", cleanCII,
			func(i *invoice.Invoice, c *Config) {
				i.Totals.TaxInclusive = dec("250.34")
				c.ArithmeticTolerance = decimal.Decimal{}
			},
			[]string{CodeArithmetic, CodeArithmetic},
			[]string{"tax_inclusive (BT-112) is 250.34, expected 250.33", "payable (BT-115) is 250.33, expected 250.34"}},
		{"no tax total: the breakdown stands in", cleanCII,
			func(i *invoice.Invoice, _ *Config) { i.Totals.Tax, i.Totals.TaxInclusive = nil, dec("260.33") },
			[]string{CodeArithmetic, CodeArithmetic},
			[]string{"tax_inclusive (BT-112) is 260.33, expected 250.33 = tax_exclusive 229.6 + breakdown tax 20.73",
				"payable (BT-115) is 250.33, expected 260.33"}},
		{"totals only, as a read page may give: nothing to contradict", cleanCII,
			func(i *invoice.Invoice, _ *Config) { i.Lines, i.TaxBreakdown, i.Totals.LineNet = nil, nil, nil },
			nil, nil},
		{"a line without amount skips the line sum", cleanCII,
			func(i *invoice.Invoice, _ *Config) { i.Lines[3].NetAmount, i.Lines[0].NetAmount = nil, dec("0") },
			nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inv, ctx, cfg := base(t, tc.file)
			inv = clone(t, inv)
			if tc.change != nil {
				tc.change(&inv, &cfg)
			}
			fs := Run(inv, ctx, cfg)
			expect(t, fs, tc.want, tc.msgs...)
			for _, f := range fs {
				if f.Severity != SeverityError || len(f.Fields) == 0 {
					t.Errorf("arithmetic finding %q: severity %s, fields %q", f.Message, f.Severity, f.Fields)
				}
			}
		})
	}
}

// Credit notes carry the same totals chain, whatever the sign convention:
// the published UBL credit note (positive amounts) and the CII example
// turned into a credit note with every amount negated.
func TestArithmeticCreditNotes(t *testing.T) {
	published, ctx1, cfg1 := base(t, "en16931-cen-examples/ubl/examples/ubl-tc434-creditnote1.xml")
	negated, ctx2, cfg2 := base(t, cleanCII)
	negated = clone(t, negated)
	negated.TypeCode = invoice.TypeCreditNote
	negate(&negated)
	for _, tc := range []struct {
		name string
		inv  invoice.Invoice
		ctx  Context
		cfg  Config
	}{{"published", published, ctx1, cfg1}, {"negated", negated, ctx2, cfg2}} {
		t.Run(tc.name, func(t *testing.T) {
			if !tc.inv.IsCreditNote() {
				t.Fatalf("type %s is not a credit note", tc.inv.TypeCode)
			}
			expect(t, Run(tc.inv, tc.ctx, tc.cfg), nil)
			inv := clone(t, tc.inv)
			inv.Totals.Payable = dec(inv.Totals.Payable.Add(decimal.MustParse("1.00")).String())
			expect(t, Run(inv, tc.ctx, tc.cfg), []string{CodeArithmetic}, "payable (BT-115) is ", "(difference 1.00)")
		})
	}
}

// negate flips the sign of every amount, as some senders write credit notes.
func negate(inv *invoice.Invoice) {
	neg := func(p **decimal.Decimal) {
		if *p != nil {
			n := (*p).Neg()
			*p = &n
		}
	}
	t := &inv.Totals
	for _, p := range []**decimal.Decimal{&t.LineNet, &t.Allowances, &t.Charges, &t.TaxExclusive, &t.Tax,
		&t.TaxInclusive, &t.Prepaid, &t.Rounding, &t.Payable} {
		neg(p)
	}
	for i := range inv.TaxBreakdown {
		neg(&inv.TaxBreakdown[i].Taxable)
		neg(&inv.TaxBreakdown[i].Tax)
	}
	for i := range inv.Lines {
		neg(&inv.Lines[i].Quantity)
		neg(&inv.Lines[i].NetAmount)
	}
}

// Amounts written in whole currency units (HUF, JPY) may be half a unit
// from the exact product; the same amount written with two decimals may not.
func TestArithmeticWholeUnits(t *testing.T) {
	const huf = "en16931-cen-examples/cii/examples/huf_example_cii.xml"
	inv, ctx, cfg := base(t, huf)
	inv = clone(t, inv)
	expect(t, Run(inv, ctx, cfg), []string{CodeArithmetic}, "18679.00, expected 18678.60")
	inv.TaxBreakdown[0].Tax = dec("18679")
	expect(t, Run(inv, ctx, cfg), nil)
	inv.TaxBreakdown[0].Tax, inv.Totals.Tax = dec("18680"), dec("18680")
	inv.Totals.TaxInclusive, inv.Totals.Payable = dec("87860"), dec("87860")
	expect(t, Run(inv, ctx, cfg), []string{CodeArithmetic}, "tax_breakdown[0].tax (BT-117) is 18680, expected 18678.60")
}
