package matching

import (
	"sort"
	"strings"
	"unicode"

	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/purchasing"
)

// FindCandidates picks the purchase orders an invoice from vendorID may be
// billing, best first.
//
// The orders the invoice names in BT-13 come first, in the order written,
// and when any of them is known nothing is guessed: a quoted number is far
// stronger evidence than an amount. Cancelled orders and orders of another
// vendor never count as named — an invoice quoting someone else's order
// must surface as po_not_found, not be matched.
//
// Otherwise the vendor's orders that are not closed or cancelled, in the
// invoice currency, whose value is within cfg.AmountPct of the invoice net
// and whose order date lies within cfg.DateWindowDays before the issue date
// (not tested when either date is unknown) are returned, closest value
// first, then the most recent order, then by number. FindCandidates sees no
// receipts or earlier invoices, so an order's value is its full ordered
// value. Nothing is guessed for a credit note (its amount says nothing
// about which order it corrects) or without a vendor.
func FindCandidates(inv invoice.Invoice, vendorID string, pos []purchasing.PurchaseOrder, cfg Config) []purchasing.PurchaseOrder {
	if named := namedOrders(inv.PurchaseOrder, vendorID, pos); len(named) > 0 {
		return named
	}
	if vendorID == "" || inv.IsCreditNote() {
		return nil
	}
	return guessOrders(inv, vendorID, pos, cfg)
}

// namedOrders returns the usable orders BT-13 refers to, in its order.
func namedOrders(bt13, vendorID string, pos []purchasing.PurchaseOrder) []purchasing.PurchaseOrder {
	usable := func(n string) (purchasing.PurchaseOrder, bool) {
		for _, po := range pos {
			if samePONumber(po.Number, n) && po.Status != purchasing.StatusCancelled &&
				(vendorID == "" || po.VendorID == "" || po.VendorID == vendorID) {
				return po, true
			}
		}
		return purchasing.PurchaseOrder{}, false
	}
	var out []purchasing.PurchaseOrder
	for _, ref := range poRefs(bt13, func(n string) bool { _, ok := usable(n); return ok }) {
		if po, ok := usable(ref); ok {
			out = append(out, po)
		}
	}
	return out
}

// poRefs splits BT-13 into the order numbers it quotes. The whole text is
// one number when known is true for it (numbers may contain spaces).
// Otherwise it is split at whitespace, commas, semicolons, "+" and "&"
// (slashes and dashes stay: "2013-471331" is one number), and only parts
// containing a digit are kept, so "PO 4711, 4712" gives 4711 and 4712 and
// not a phantom order "PO". Duplicates are dropped.
func poRefs(bt13 string, known func(string) bool) []string {
	bt13 = strings.TrimSpace(bt13)
	if bt13 == "" {
		return nil
	}
	if known(bt13) {
		return []string{bt13}
	}
	parts := strings.FieldsFunc(bt13, func(r rune) bool {
		return unicode.IsSpace(r) || r == ',' || r == ';' || r == '+' || r == '&'
	})
	var out []string
	seen := map[string]bool{}
	for _, p := range parts {
		key := strings.ToUpper(p)
		if strings.ContainsFunc(p, unicode.IsDigit) && !seen[key] {
			seen[key] = true
			out = append(out, p)
		}
	}
	return out
}

// samePONumber compares order numbers as people write them: case and
// surrounding space do not matter.
func samePONumber(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

// guessOrders is the amount-and-date search of FindCandidates.
func guessOrders(inv invoice.Invoice, vendorID string, pos []purchasing.PurchaseOrder, cfg Config) []purchasing.PurchaseOrder {
	net, ok := invoiceNet(inv)
	if !ok {
		return nil
	}
	type scored struct {
		po   purchasing.PurchaseOrder
		diff decimal.Decimal
	}
	var hits []scored
	for _, po := range pos {
		if !guessable(po, inv, vendorID, cfg) {
			continue
		}
		value := orderValue(po)
		diff := net.Abs().Sub(value).Abs()
		if cfg.amountOK(diff, net.Abs()) {
			hits = append(hits, scored{po, diff})
		}
	}
	sort.SliceStable(hits, func(i, j int) bool {
		a, b := hits[i], hits[j]
		if c := a.diff.Cmp(b.diff); c != 0 {
			return c < 0
		}
		if c := a.po.OrderDate.Compare(b.po.OrderDate); c != 0 {
			return c > 0
		}
		return a.po.Number < b.po.Number
	})
	out := make([]purchasing.PurchaseOrder, len(hits))
	for i, h := range hits {
		out[i] = h.po
	}
	return out
}

// guessable filters by vendor, status, currency and date window.
func guessable(po purchasing.PurchaseOrder, inv invoice.Invoice, vendorID string, cfg Config) bool {
	if po.VendorID != vendorID || po.Status == purchasing.StatusClosed || po.Status == purchasing.StatusCancelled {
		return false
	}
	if po.Currency != "" && inv.Currency != "" && !strings.EqualFold(po.Currency, inv.Currency) {
		return false
	}
	if po.OrderDate.IsZero() || inv.IssueDate.IsZero() {
		return true
	}
	return !po.OrderDate.After(inv.IssueDate) && !po.OrderDate.Before(inv.IssueDate.AddDays(-cfg.DateWindowDays))
}

// orderValue is Σ quantity × unit price over the order's lines.
func orderValue(po purchasing.PurchaseOrder) decimal.Decimal {
	var sum decimal.Decimal
	for _, l := range po.Lines {
		sum = sum.Add(l.Quantity.Mul(l.UnitPrice))
	}
	return sum
}

// invoiceNet is the goods value of the invoice: the sum of line nets
// (BT-106) when stated, else the total without VAT (BT-109), else the sum
// of the lines. BT-106 comes first because document-level freight and
// discounts (BT-107, BT-108) are rarely on the order.
func invoiceNet(inv invoice.Invoice) (decimal.Decimal, bool) {
	switch {
	case inv.Totals.LineNet != nil:
		return *inv.Totals.LineNet, true
	case inv.Totals.TaxExclusive != nil:
		return *inv.Totals.TaxExclusive, true
	case len(inv.Lines) > 0:
		var sum decimal.Decimal
		for _, l := range inv.Lines {
			sum = sum.Add(orZero(l.NetAmount))
		}
		return sum, true
	}
	return decimal.Decimal{}, false
}
