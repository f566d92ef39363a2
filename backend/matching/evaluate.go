package matching

import "github.com/smartap/desktop/backend/decimal"

// verdict is the judgement of one invoice line against its PO line.
type verdict struct {
	il   invLine
	slot *poSlot // nil when unmatched
	how  string

	before decimal.Decimal // billed on the PO line before this invoice line
	after  decimal.Decimal // and after it

	priceDiff decimal.Decimal // invoice minus PO unit price
	priceOff  bool            // outside the price tolerance

	// Excess quantities this line bills, each capped at the line's own
	// quantity so a line is not blamed for what earlier invoices billed.
	notReceived decimal.Decimal // beyond receipts net of earlier billing
	overOrdered decimal.Decimal // beyond the ordered quantity
	overCredit  decimal.Decimal // credited beyond what was billed
	overBilled  bool            // beyond both receipts and order

	status string
}

// judge compares one matched line with its PO line, given what was billed
// on that PO line before it.
func judge(il invLine, s *poSlot, how string, before decimal.Decimal, tol Tolerance) verdict {
	v := verdict{il: il, slot: s, how: how, before: before, after: before.Add(il.qty)}
	v.priceDiff = il.price.Sub(s.line.UnitPrice)
	v.priceOff = !tol.priceOK(v.priceDiff, s.line.UnitPrice)
	if il.qty.Sign() >= 0 {
		v.judgeBilling(tol)
	} else {
		v.judgeCredit(tol)
	}
	v.status = v.lineStatus()
	return v
}

// judgeBilling checks a line that adds to the billed quantity. Billing
// beyond the receipts is "not yet received" while the order still covers
// it — the goods may be on their way, or the receipt not yet booked — and
// over-billing once it also exceeds the order. Billing beyond the order
// but within the receipts means we kept an over-delivery: a quantity
// variance someone should accept.
func (v *verdict) judgeBilling(tol Tolerance) {
	ordered, received := v.slot.line.Quantity, v.slot.received
	v.notReceived = v.excess(v.after.Sub(received), received, tol)
	v.overOrdered = v.excess(v.after.Sub(ordered), ordered, tol)
	v.overBilled = v.notReceived.Sign() > 0 && v.overOrdered.Sign() > 0
}

// judgeCredit checks a line that gives billed quantity back: it may not
// give back more than was billed. Receipts are not checked, since a credit
// for returned goods comes whether or not the return was booked.
func (v *verdict) judgeCredit(tol Tolerance) {
	v.overCredit = v.excess(v.after.Neg(), v.slot.line.Quantity, tol)
}

// excess caps a positive overshoot at the line's own quantity and drops it
// when it is within the quantity tolerance of base.
func (v *verdict) excess(over, base decimal.Decimal, tol Tolerance) decimal.Decimal {
	if over.Sign() <= 0 {
		return decimal.Decimal{}
	}
	over = minDec(over, v.il.qty.Abs())
	if tol.qtyOK(over, base) {
		return decimal.Decimal{}
	}
	return over
}

// lineStatus picks the one status to show, worst first: over-billing and
// a wrong price cost money if paid; an extra quantity needs acceptance;
// missing receipts often resolve themselves when the goods are booked.
func (v *verdict) lineStatus() string {
	switch {
	case v.overBilled:
		return LineOverBilled
	case v.priceOff:
		return LinePriceVariance
	case v.overOrdered.Sign() > 0 || v.overCredit.Sign() > 0:
		return LineQuantityVariance
	case v.notReceived.Sign() > 0:
		return LineNotReceived
	}
	return LineOK
}

// lineMatch is the JSON form of a verdict.
func (v *verdict) lineMatch(subject string) LineMatch {
	m := LineMatch{
		InvoiceLine: v.il.label(), InvoicedQty: v.il.qty, InvoicePrice: v.il.price,
		Status: v.status, Explanation: explain(v, subject),
	}
	if v.slot == nil {
		return m
	}
	s := v.slot
	m.PONumber, m.POLine, m.How = s.poNumber, s.line.LineNo, v.how
	m.OrderedQty, m.ReceivedQty, m.PreviouslyBilled = s.line.Quantity, s.received, v.before
	m.POPrice, m.PriceVariance = s.line.UnitPrice, v.priceDiff
	m.QtyVariance = v.after.Sub(minDec(s.line.Quantity, s.received))
	return m
}

// judgeAll judges every line in invoice order, carrying the quantity
// billed per PO line from line to line so that two invoice lines on one
// PO line are checked together.
func judgeAll(lines []invLine, slots []poSlot, a assignment, tol Tolerance) []verdict {
	running := make([]decimal.Decimal, len(slots))
	for i := range slots {
		running[i] = slots[i].billed
	}
	out := make([]verdict, len(lines))
	for i, il := range lines {
		si := a.slot[i]
		switch {
		case il.empty: // nothing billed, nothing to check
			out[i] = verdict{il: il, status: LineOK}
			continue
		case si < 0:
			out[i] = verdict{il: il, status: LineUnmatched}
			continue
		}
		out[i] = judge(il, &slots[si], a.how[i], running[si], tol)
		running[si] = out[i].after
	}
	return out
}
