package purchasing

import "github.com/smartap/desktop/backend/decimal"

// ReceivedQuantity sums the receipts for one line of this order. Receipts
// for other orders or lines are ignored, so callers can pass everything
// they loaded for a vendor.
func (po *PurchaseOrder) ReceivedQuantity(receipts []GoodsReceipt, lineNo int) decimal.Decimal {
	var sum decimal.Decimal
	for _, r := range receipts {
		if r.PONumber == po.Number && r.LineNo == lineNo {
			sum = sum.Add(r.Quantity)
		}
	}
	return sum
}

// OpenQuantity is what is still to be delivered on a line: ordered minus
// received. It is negative when more arrived than was ordered.
func (po *PurchaseOrder) OpenQuantity(receipts []GoodsReceipt, lineNo int) decimal.Decimal {
	l, _ := po.Line(lineNo)
	return l.Quantity.Sub(po.ReceivedQuantity(receipts, lineNo))
}

// DeriveStatus computes the delivery status from the receipts: every line
// fully received gives received, something received gives
// partially_received, nothing gives open. Closed and cancelled orders keep
// their status whatever arrives. Over-receipt counts as fully received;
// OverReceipts reports it.
func DeriveStatus(po *PurchaseOrder, receipts []GoodsReceipt) Status {
	if po.Status.sticky() {
		return po.Status
	}
	full, some := 0, false
	for _, l := range po.Lines {
		got := po.ReceivedQuantity(receipts, l.LineNo)
		if got.Sign() > 0 {
			some = true
		}
		if got.Cmp(l.Quantity) >= 0 && got.Sign() > 0 {
			full++
		}
	}
	switch {
	case len(po.Lines) > 0 && full == len(po.Lines):
		return StatusReceived
	case some:
		return StatusPartiallyReceived
	}
	return StatusOpen
}

// OverReceipt is a line where more was received than ordered. It is
// allowed — vendors round up packs, and the goods are physically there —
// but it must be shown to people before an invoice for it is paid.
type OverReceipt struct {
	LineNo   int             `json:"line_no"`
	Ordered  decimal.Decimal `json:"ordered"`
	Received decimal.Decimal `json:"received"`
	Excess   decimal.Decimal `json:"excess"`
}

// OverReceipts lists the lines received beyond the ordered quantity, in
// line order.
func (po *PurchaseOrder) OverReceipts(receipts []GoodsReceipt) []OverReceipt {
	var out []OverReceipt
	for _, l := range po.Lines {
		got := po.ReceivedQuantity(receipts, l.LineNo)
		if got.Cmp(l.Quantity) > 0 {
			out = append(out, OverReceipt{
				LineNo: l.LineNo, Ordered: l.Quantity, Received: got, Excess: got.Sub(l.Quantity),
			})
		}
	}
	return out
}
