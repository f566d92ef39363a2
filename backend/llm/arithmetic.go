package llm

import (
	"fmt"
	"slices"
	"strings"

	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/invoice"
)

// relation is one arithmetic rule of EN 16931 evaluated on an invoice:
// which fields take part and whether it holds.
type relation struct {
	what   string
	fields []string
	holds  bool
}

var (
	cent    = decimal.New(1, 2)
	percent = decimal.New(1, 2) // × 0.01 turns a rate in percent into a factor
)

// checkArithmetic evaluates the relations between the amounts of inv
// (after the merge) and adjusts the confidence of the fields taken from the
// model: every rule that holds confirms them (ConfirmedConfidence), any rule
// that fails makes them doubtful (DoubtfulConfidence) with a warning. Rules
// touching no taken field are left to the page reader's own checks.
func checkArithmetic(inv *invoice.Invoice, taken map[string]bool) []string {
	confirmed, doubtful := map[string]bool{}, map[string]bool{}
	var warnings []string
	for _, r := range relations(inv) {
		var mine []string
		for _, f := range r.fields {
			if taken[f] {
				mine = append(mine, f)
			}
		}
		if len(mine) == 0 {
			continue
		}
		for _, f := range mine {
			if r.holds {
				confirmed[f] = true
			} else {
				doubtful[f] = true
			}
		}
		if !r.holds {
			slices.Sort(mine)
			warnings = append(warnings, fmt.Sprintf("%s%s does not hold; marked doubtful: %s",
				warningPrefix, r.what, strings.Join(mine, ", ")))
		}
	}
	for f := range confirmed {
		if !doubtful[f] {
			inv.Confidence[f] = max(inv.Confidence[f], ConfirmedConfidence)
		}
	}
	for f := range doubtful {
		inv.Confidence[f] = DoubtfulConfidence
	}
	return warnings
}

// relations lists the rules whose operands are all present.
func relations(inv *invoice.Invoice) []relation {
	var out []relation
	t := inv.Totals
	linesNet, allNets := decimal.Decimal{}, len(inv.Lines) > 0
	var netFields []string
	for i, l := range inv.Lines {
		p := func(f string) string { return fmt.Sprintf("lines[%d].%s", i, f) }
		if l.NetAmount == nil {
			allNets = false
			continue
		}
		linesNet = linesNet.Add(*l.NetAmount)
		netFields = append(netFields, p("net_amount"))
		if l.Quantity != nil && l.UnitPrice != nil {
			// A unit price printed rounded may be off by half its last
			// digit, which the quantity multiplies.
			tol := cent.Add(l.Quantity.Abs().Mul(decimal.New(5, l.UnitPrice.Scale()+1)))
			out = append(out, relation{
				what:   fmt.Sprintf("lines[%d]: quantity × unit_price = net_amount", i),
				fields: []string{p("quantity"), p("unit_price"), p("net_amount")},
				holds:  near(l.Quantity.Mul(*l.UnitPrice), *l.NetAmount, tol),
			})
		}
	}
	if allNets && t.LineNet != nil {
		out = append(out, relation{
			what:   "sum of line net amounts = totals.line_net",
			fields: append(slices.Clone(netFields), "totals.line_net"),
			holds:  near(linesNet, *t.LineNet, cent),
		})
	}
	if t.LineNet != nil && t.TaxExclusive != nil {
		out = append(out, relation{
			what:   "line_net − allowances + charges = tax_exclusive",
			fields: []string{"totals.line_net", "totals.tax_exclusive"},
			holds:  near(t.LineNet.Sub(orZero(t.Allowances)).Add(orZero(t.Charges)), *t.TaxExclusive, cent),
		})
	}
	if r, ok := taxFromRates(inv); ok {
		out = append(out, r)
	}
	if t.TaxExclusive != nil && t.Tax != nil && t.TaxInclusive != nil {
		out = append(out, relation{
			what:   "tax_exclusive + tax = tax_inclusive",
			fields: []string{"totals.tax_exclusive", "totals.tax", "totals.tax_inclusive"},
			holds:  near(t.TaxExclusive.Add(*t.Tax), *t.TaxInclusive, cent),
		})
	}
	if t.TaxInclusive != nil && t.Payable != nil {
		out = append(out, relation{
			what:   "tax_inclusive − prepaid + rounding = payable",
			fields: []string{"totals.tax_inclusive", "totals.payable"},
			holds:  near(t.TaxInclusive.Sub(orZero(t.Prepaid)).Add(orZero(t.Rounding)), *t.Payable, cent),
		})
	}
	return out
}

// taxFromRates: the VAT total is the sum, per rate, of the rounded VAT on
// the lines' net amounts. Only when every line has a net amount and a rate
// and no document-level allowance or charge changes the base.
func taxFromRates(inv *invoice.Invoice) (relation, bool) {
	t := inv.Totals
	if len(inv.Lines) == 0 || t.Tax == nil || !orZero(t.Allowances).IsZero() || !orZero(t.Charges).IsZero() {
		return relation{}, false
	}
	type group struct{ rate, net decimal.Decimal }
	var groups []group
	fields := []string{"totals.tax"}
	for i, l := range inv.Lines {
		if l.NetAmount == nil || l.TaxRate == nil {
			return relation{}, false
		}
		fields = append(fields, fmt.Sprintf("lines[%d].tax_rate", i))
		j := slices.IndexFunc(groups, func(g group) bool { return g.rate.Equal(*l.TaxRate) })
		if j < 0 {
			groups = append(groups, group{rate: *l.TaxRate})
			j = len(groups) - 1
		}
		groups[j].net = groups[j].net.Add(*l.NetAmount)
	}
	var want decimal.Decimal
	for _, g := range groups {
		want = want.Add(g.net.Mul(g.rate).Mul(percent).Round(2))
	}
	tol := cent.Mul(decimal.NewFromInt(int64(len(groups))))
	return relation{
		what:   "VAT on the lines at their rates = totals.tax",
		fields: fields,
		holds:  near(want, *t.Tax, tol),
	}, true
}

// near reports |a − b| ≤ tol.
func near(a, b, tol decimal.Decimal) bool { return a.Sub(b).Abs().Cmp(tol) <= 0 }

func orZero(d *decimal.Decimal) decimal.Decimal {
	if d == nil {
		return decimal.Decimal{}
	}
	return *d
}
