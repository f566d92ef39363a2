package pagereader

import (
	"sort"

	"github.com/smartap/desktop/backend/decimal"
)

// The document totals, in the order the solver handles them.
const (
	tLineNet = iota
	tAllowances
	tCharges
	tTaxExclusive
	tTax
	tTaxInclusive
	tPrepaid
	tPayable
	nTotals
)

var totalPaths = [nTotals]string{"totals.line_net", "totals.allowances", "totals.charges",
	"totals.tax_exclusive", "totals.tax", "totals.tax_inclusive", "totals.prepaid", "totals.payable"}

var totalLabels = [nTotals][]label{lineNetLabels, allowanceLabels, chargeLabels,
	taxExclusiveLabels, taxLabels, taxInclusiveLabels, prepaidLabels, payableLabels}

// maxOptions bounds the candidates per total the solver tries.
const maxOptions = 3

// totalCands collects the amounts standing next to or under each total's
// labels, best first, one per value.
func (r *reader) totalCands() [nTotals][]cand[decimal.Decimal] {
	var out [nTotals][]cand[decimal.Decimal]
	for t := range nTotals {
		seen := map[string]bool{}
		cs := r.collectMoney(totalLabels[t])
		sort.SliceStable(cs, func(i, j int) bool {
			if cs[i].Score != cs[j].Score {
				return cs[i].Score > cs[j].Score
			}
			return cs[i].Line > cs[j].Line // totals stand at the end
		})
		if t == tPrepaid {
			cs = withNegations(cs)
		}
		for _, c := range cs {
			if t == tAllowances || t == tCharges {
				c.Val = c.Val.Abs()
			}
			if k := c.Val.String(); !seen[k] && len(out[t]) < maxOptions {
				seen[k] = true
				out[t] = append(out[t], c)
			}
		}
	}
	return out
}

// withNegations adds each amount with the other sign, a little less
// likely: pages show prepayments as "-50,00" or "50,00" and arithmetic
// decides.
func withNegations(cs []cand[decimal.Decimal]) []cand[decimal.Decimal] {
	out := make([]cand[decimal.Decimal], 0, 2*len(cs))
	for _, c := range cs {
		out = append(out, c)
		if !c.Val.IsZero() {
			n := c
			n.Val, n.Score = c.Val.Neg(), c.Score-0.05
			out = append(out, n)
		}
	}
	return out
}

// collectMoney is collect for amounts: the segment to the right of the
// label is tried first (a totals column), then the rest of the label's
// segment, then the segment below (a column header); the last amount of
// the text counts.
func (r *reader) collectMoney(labels []label) []cand[decimal.Decimal] {
	var out []cand[decimal.Decimal]
	for _, h := range r.hits(labels) {
		if r.headerLines[h.Line] {
			continue
		}
		ln := r.lay.Lines[h.Line]
		c := cand[decimal.Decimal]{Score: h.Score, Line: h.Line, Label: h.Line}
		if v, ok := r.lastMoney(restOfLine(ln, h.Seg)); ok {
			c.Val, c.Where, c.Seg = v, toRight, h.Seg+1
		} else if v, ok := r.lastMoney(h.Rest); ok {
			c.Val, c.Where, c.Seg = v, inSegment, h.Seg
		} else if li, si, ok := r.below(h.Line, h.Seg); ok {
			v, ok := r.lastMoney(r.lay.Lines[li].Segs[si].Text)
			if !ok {
				continue
			}
			c.Val, c.Where, c.Line, c.Seg, c.Score = v, below, li, si, h.Score-0.1
		} else {
			continue
		}
		out = append(out, c)
	}
	return out
}

// restOfLine is the text of the segments right of seg.
func restOfLine(ln Line, seg int) string {
	s := ""
	for _, x := range ln.Segs[seg+1:] {
		s += x.Text + "  "
	}
	return s
}

func (r *reader) lastMoney(s string) (decimal.Decimal, bool) {
	ms := moneyIn(s, r.style)
	if len(ms) == 0 {
		return decimal.Decimal{}, false
	}
	return ms[len(ms)-1].Value, true
}

// choice is one value per total (nil: not on the page).
type choice [nTotals]*decimal.Decimal

// relation is an arithmetic identity between totals; ok is false when a
// term is missing.
type relation struct {
	name   string
	fields []int
	holds  func(c choice, sums sums) (holds, ok bool)
	// sameAmount: without allowances and charges both sides are one
	// amount, so a copy of one side proves nothing.
	sameAmount bool
}

// sums are what the lines and the VAT breakdown add up to.
type sums struct {
	lines, taxable, tax *decimal.Decimal
}

var relations = []relation{
	{"line amounts add up to the line total", []int{tLineNet}, func(c choice, s sums) (bool, bool) {
		return eqOK(c[tLineNet], s.lines)
	}, false},
	{"line total − allowances + charges = total without VAT", []int{tLineNet, tAllowances, tCharges, tTaxExclusive}, func(c choice, _ sums) (bool, bool) {
		if c[tLineNet] == nil || c[tTaxExclusive] == nil {
			return false, false
		}
		v := c[tLineNet].Sub(orZero(c[tAllowances])).Add(orZero(c[tCharges]))
		return near(v, *c[tTaxExclusive]), true
	}, true},
	{"total without VAT + VAT = total with VAT", []int{tTaxExclusive, tTax, tTaxInclusive}, func(c choice, _ sums) (bool, bool) {
		if c[tTaxExclusive] == nil || c[tTax] == nil || c[tTaxInclusive] == nil {
			return false, false
		}
		return near(c[tTaxExclusive].Add(*c[tTax]), *c[tTaxInclusive]), true
	}, false},
	{"total with VAT − prepaid = amount due", []int{tTaxInclusive, tPrepaid, tPayable}, func(c choice, _ sums) (bool, bool) {
		if c[tTaxInclusive] == nil || c[tPayable] == nil {
			return false, false
		}
		return near(c[tTaxInclusive].Sub(orZero(c[tPrepaid])), *c[tPayable]), true
	}, false},
	{"VAT breakdown adds up to the VAT total", []int{tTax}, func(c choice, s sums) (bool, bool) {
		return eqOK(c[tTax], s.tax)
	}, false},
	{"VAT breakdown bases add up to the total without VAT", []int{tTaxExclusive}, func(c choice, s sums) (bool, bool) {
		return eqOK(c[tTaxExclusive], s.taxable)
	}, false},
}

func eqOK(a, b *decimal.Decimal) (bool, bool) {
	if a == nil || b == nil {
		return false, false
	}
	return near(*a, *b), true
}

// near: equal within one cent, the rounding the standard tolerates.
func near(a, b decimal.Decimal) bool { return a.Sub(b).Abs().Cmp(decimal.New(1, 2)) <= 0 }

func orZero(d *decimal.Decimal) decimal.Decimal {
	if d == nil {
		return decimal.Decimal{}
	}
	return *d
}
