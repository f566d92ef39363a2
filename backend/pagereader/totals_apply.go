package pagereader

import (
	"fmt"

	"github.com/smartap/desktop/backend/decimal"
)

// readTotals finds the totals, lets arithmetic choose among candidates,
// infers what the page leaves out (marked as inferred) and sets the
// confidence of totals and lines.
func (r *reader) readTotals() {
	s := r.sums()
	c, scores := solve(r.totalCands(), s)
	found := c
	computed := r.infer(&c, s)
	var copied [nTotals]bool
	for t := range nTotals {
		copied[t] = found[t] == nil && c[t] != nil && !computed[t]
	}
	held, broken, names := confirmations(c, s, computed, copied)
	for t := range nTotals {
		if c[t] == nil {
			continue
		}
		conf := scores[t] - 0.1
		if found[t] == nil {
			conf = ConfWeakLabel // the same amount under another label
		}
		switch {
		case computed[t]:
			conf = ConfInferred // computed from an identity: it cannot confirm itself
		case held[t] > 0 && broken[t] == 0:
			conf = ConfConfirmed
		case broken[t] > 0 && held[t] == 0:
			conf = ConfContradicted
		}
		r.set(totalPaths[t], conf)
	}
	for _, n := range names {
		r.warnf("arithmetic check failed: %s", n)
	}
	r.assignTotals(c)
	r.lineConfidence(c, s)
}

func (r *reader) assignTotals(c choice) {
	t := &r.inv.Totals
	t.LineNet, t.Allowances, t.Charges = c[tLineNet], c[tAllowances], c[tCharges]
	t.TaxExclusive, t.Tax, t.TaxInclusive = c[tTaxExclusive], c[tTax], c[tTaxInclusive]
	t.Prepaid, t.Payable = c[tPrepaid], c[tPayable]
}

// infer fills totals the page does not show from the ones it does. It
// reports the totals computed through an identity (as opposed to the same
// amount shown under another label, like the line total that is also the
// total without VAT).
func (r *reader) infer(c *choice, s sums) (computed [nTotals]bool) {
	if c[tLineNet] == nil && s.lines != nil {
		c[tLineNet] = s.lines
	}
	if c[tTaxExclusive] == nil {
		switch {
		case c[tLineNet] != nil && c[tAllowances] == nil && c[tCharges] == nil:
			c[tTaxExclusive] = c[tLineNet]
		case c[tTaxInclusive] != nil && c[tTax] != nil:
			v := c[tTaxInclusive].Sub(*c[tTax])
			c[tTaxExclusive], computed[tTaxExclusive] = &v, true
		}
	}
	if c[tLineNet] == nil && c[tTaxExclusive] != nil && c[tAllowances] == nil && c[tCharges] == nil {
		c[tLineNet] = c[tTaxExclusive]
	}
	if c[tTax] == nil && c[tTaxInclusive] != nil && c[tTaxExclusive] != nil {
		v := c[tTaxInclusive].Sub(*c[tTaxExclusive])
		c[tTax], computed[tTax] = &v, true
	}
	if c[tTaxInclusive] == nil && c[tTaxExclusive] != nil && c[tTax] != nil {
		v := c[tTaxExclusive].Add(*c[tTax])
		c[tTaxInclusive], computed[tTaxInclusive] = &v, true
	}
	if c[tPayable] == nil && c[tTaxInclusive] != nil {
		v := c[tTaxInclusive].Sub(orZero(c[tPrepaid]))
		c[tPayable], computed[tPayable] = &v, true
		r.warnf("no amount due shown: taken as the total with VAT%s", map[bool]string{true: " less the prepaid amount"}[c[tPrepaid] != nil])
	}
	return computed
}

// sums adds up the line amounts and the VAT breakdown.
func (r *reader) sums() sums {
	var s sums
	if len(r.rows) > 0 {
		var total decimal.Decimal
		for _, row := range r.rows {
			total = total.Add(*row.amount)
		}
		s.lines = &total
	}
	r.readBreakdown()
	if len(r.inv.TaxBreakdown) > 0 {
		var base, tax decimal.Decimal
		for _, b := range r.inv.TaxBreakdown {
			base, tax = base.Add(*b.Taxable), tax.Add(*b.Tax)
		}
		s.taxable, s.tax = &base, &tax
	}
	return s
}

// lineConfidence: lines that add up to the line total are confirmed; a
// line whose quantity × price is its amount is confirmed on its own.
func (r *reader) lineConfidence(c choice, s sums) {
	allAdd := c[tLineNet] != nil && s.lines != nil && near(*c[tLineNet], *s.lines)
	if !allAdd && len(r.rows) > 0 {
		r.warnf("the %d lines read add up to %s, not to the line total", len(r.rows), s.lines)
	}
	for i, l := range r.inv.Lines {
		p := fmt.Sprintf("lines[%d].", i)
		conf := ConfWeakLabel
		if l.Quantity != nil && l.UnitPrice != nil && l.NetAmount != nil {
			if near(l.Quantity.Mul(*l.UnitPrice).Round(2), *l.NetAmount) {
				conf = ConfChecksum
				r.set(p+"quantity", ConfChecksum)
				r.set(p+"unit_price", ConfChecksum)
			}
		}
		if allAdd {
			conf = ConfConfirmed
		}
		r.set(p+"net_amount", conf)
		r.set(p+"name", ConfWeakLabel)
		if _, ok := r.conf[p+"quantity"]; !ok && l.Quantity != nil {
			r.set(p+"quantity", ConfWeakLabel)
		}
		if _, ok := r.conf[p+"unit_price"]; !ok && l.UnitPrice != nil {
			r.set(p+"unit_price", ConfWeakLabel)
		}
	}
}
