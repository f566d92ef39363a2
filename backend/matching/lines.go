package matching

import (
	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/purchasing"
)

// invLine is an invoice line prepared for matching.
type invLine struct {
	idx   int // position in inv.Lines, for field paths
	line  invoice.Line
	qty   decimal.Decimal // signed as billing: negative gives billed quantity back
	shown decimal.Decimal // the quantity as the document writes it
	price decimal.Decimal // unit price, BT-146 or implied
	words []string
	// empty is a line that bills nothing: no quantity and no amount, as
	// the text-only lines of ZUGFeRD 1.0 EXTENDED. It is not compared.
	empty bool
}

// poSlot is one PO line of one candidate with what is known about it.
type poSlot struct {
	pos      int // index of the line within its order
	poNumber string
	line     purchasing.POLine
	words    []string
	code     string // compacted item code
	received decimal.Decimal
	billed   decimal.Decimal // by earlier invoices
}

// prepareLines reads quantity and price of every invoice line.
//
// Signs: EN 16931 writes a credit note's quantities positive (the credited
// amount), so a credit note's lines count negative here. An invoice's own
// negative lines (returns, corrections, type 384) already carry the sign.
// A negative quantity on a credit note is taken literally and so counts
// positive: a charge on a credit note is still a charge.
func prepareLines(inv invoice.Invoice) []invLine {
	out := make([]invLine, len(inv.Lines))
	credit := inv.IsCreditNote()
	for i, l := range inv.Lines {
		q, p := quantityAndPrice(l)
		out[i] = invLine{idx: i, line: l, qty: q, shown: q, price: p, words: words(l.Name)}
		if orZero(l.Quantity).IsZero() && orZero(l.NetAmount).IsZero() {
			out[i].empty, out[i].qty, out[i].shown = true, decimal.Decimal{}, decimal.Decimal{}
		}
		if credit {
			out[i].qty = out[i].qty.Neg()
		}
	}
	return out
}

// quantityAndPrice fills what the line leaves out from what it states. A
// line without a quantity is one of something (a flat fee); a missing unit
// price is the net amount over the quantity, to four decimals as unit
// prices are usually written.
func quantityAndPrice(l invoice.Line) (qty, price decimal.Decimal) {
	switch {
	case l.Quantity != nil:
		qty = *l.Quantity
	case l.UnitPrice != nil && l.NetAmount != nil:
		if q, ok := div(*l.NetAmount, *l.UnitPrice, 4); ok {
			qty = q
		} else {
			qty = decimal.NewFromInt(1)
		}
	default:
		qty = decimal.NewFromInt(1)
	}
	switch {
	case l.UnitPrice != nil:
		price = *l.UnitPrice
	case l.NetAmount != nil:
		if p, ok := div(*l.NetAmount, qty, 4); ok {
			price = p
		} else {
			price = *l.NetAmount
		}
	}
	return qty, price
}

// prepareSlots lists every line of every candidate, candidates in the
// given order and lines as the order lists them.
func prepareSlots(cands []Candidate) []poSlot {
	var out []poSlot
	for ci := range cands {
		c := &cands[ci]
		for li, l := range c.PO.Lines {
			out = append(out, poSlot{
				pos: li, poNumber: c.PO.Number, line: l,
				words: words(l.Description), code: compact(l.ItemCode),
				received: c.PO.ReceivedQuantity(c.Receipts, l.LineNo),
				billed:   c.Billed[l.LineNo],
			})
		}
	}
	return out
}

// fits scores how well quantity and price agree, to break ties between
// equally well described PO lines: 2 for the same unit price, 1 for a
// quantity equal to the ordered quantity, the received-but-unbilled
// quantity or the quantity still open on the order.
func fits(il invLine, s poSlot) int {
	score := 0
	if il.price.Equal(s.line.UnitPrice) {
		score += 2
	}
	if qtyFits(il.qty.Abs(), s) {
		score++
	}
	return score
}

func qtyFits(q decimal.Decimal, s poSlot) bool {
	return q.Equal(s.line.Quantity) || q.Equal(s.received.Sub(s.billed)) || q.Equal(s.line.Quantity.Sub(s.billed))
}
