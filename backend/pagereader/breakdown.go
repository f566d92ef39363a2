package pagereader

import (
	"regexp"
	"strconv"

	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/invoice"
)

var taxCategory = regexp.MustCompile(`\((S|Z|E|AE|K|G|O|L|M)\)`)

// readBreakdown finds VAT breakdown rows: lines outside the item tables
// with a rate (0 < rate ≤ 30, with or without %) and two amounts where
// base × rate rounds to the tax. The identity is the evidence, so the
// layout does not matter.
func (r *reader) readBreakdown() {
	inTable := map[int]bool{}
	for _, t := range r.tables {
		for _, li := range t.body {
			inTable[li] = true
		}
	}
	for li, ln := range r.lay.Lines {
		if inTable[li] {
			continue
		}
		if b, ok := r.breakdownRow(ln); ok {
			r.inv.TaxBreakdown = append(r.inv.TaxBreakdown, b)
			r.set("tax_breakdown["+strconv.Itoa(len(r.inv.TaxBreakdown)-1)+"].tax", ConfChecksum)
		}
	}
}

func (r *reader) breakdownRow(ln Line) (invoice.TaxSubtotal, bool) {
	var all []amount
	for _, a := range scanAmounts(ln.Text, r.style) {
		if !a.Embedded {
			all = append(all, a)
		}
	}
	for _, rate := range all {
		if rate.Value.Sign() <= 0 || rate.Value.Cmp(decimal.NewFromInt(30)) > 0 {
			continue
		}
		for i, base := range all {
			for j, tax := range all {
				if i == j || base.Percent || tax.Percent || base.Start == rate.Start || tax.Start == rate.Start ||
					base.Value.Sign() <= 0 || tax.Value.Scale() < 2 || base.Value.Cmp(tax.Value) <= 0 {
					continue
				}
				want := base.Value.Mul(rate.Value)
				if near(want.Mul(decimal.New(1, 2)).Round(2), tax.Value) {
					cat := "S"
					if m := taxCategory.FindStringSubmatch(ln.Text); m != nil {
						cat = m[1]
					}
					rv, bv, tv := rate.Value, base.Value, tax.Value
					return invoice.TaxSubtotal{Category: cat, Rate: &rv, Taxable: &bv, Tax: &tv}, true
				}
			}
		}
	}
	return invoice.TaxSubtotal{}, false
}
