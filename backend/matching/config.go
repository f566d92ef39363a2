package matching

import "github.com/smartap/desktop/backend/decimal"

// Tolerance says how far an invoice may stray from the order before a
// person has to look. Percentages are written as percent (2 means 2 %).
//
// A variance is within tolerance when it is within the absolute bound OR
// within the percent bound, bounds included. Either-or because each bound
// alone fails at one end of the scale: a pure percentage flags a cent of
// rounding on a 0.10 item (10 %), a pure amount waves through large
// differences on expensive items only when the amount is set high. The
// absolute bound covers rounding on cheap lines, the percentage scales with
// expensive ones. A zero bound switches that side off, so Tolerance{} asks
// for exact agreement.
type Tolerance struct {
	PriceAbs decimal.Decimal `json:"price_abs"` // per unit, invoice currency
	PricePct decimal.Decimal `json:"price_pct"` // of the PO unit price
	QtyAbs   decimal.Decimal `json:"qty_abs"`   // in the line's unit
	QtyPct   decimal.Decimal `json:"qty_pct"`   // of the ordered or received quantity
}

// Config tunes matching.
type Config struct {
	Tolerance Tolerance `json:"tolerance"`
	// DateWindowDays is how long before the invoice's issue date an order
	// may have been placed to be guessed as its PO (FindCandidates only).
	DateWindowDays int `json:"date_window_days"`
	// AmountPct bounds how far, in percent, the invoice net may be from an
	// order's value: for guessing a PO, and for invoices without lines.
	AmountPct decimal.Decimal `json:"amount_pct"`
}

// DefaultConfig is what a new installation starts with. Quantities must
// agree exactly: goods are counted, and a "small" quantity difference is a
// whole item billed. Prices get a cent per unit (four-decimal unit prices
// rounded by the vendor) or 2 %, a common AP policy. Orders are guessed
// from the last half year, within 2 % of the invoice net.
func DefaultConfig() Config {
	return Config{
		Tolerance: Tolerance{
			PriceAbs: decimal.MustParse("0.01"),
			PricePct: decimal.MustParse("2"),
			QtyAbs:   decimal.Decimal{},
			QtyPct:   decimal.Decimal{},
		},
		DateWindowDays: 180,
		AmountPct:      decimal.MustParse("2"),
	}
}

// within reports whether variance v is inside the absolute bound abs or
// the percent bound pct of base. The percent test multiplies instead of
// dividing so it stays exact and needs no special case for a zero base
// (then only a zero variance is within any percentage).
func within(v, base, abs, pct decimal.Decimal) bool {
	a := v.Abs()
	if a.Cmp(abs.Abs()) <= 0 {
		return true
	}
	return a.Mul(hundred).Cmp(pct.Abs().Mul(base.Abs())) <= 0
}

// priceOK applies the price tolerance to a unit price difference.
func (t Tolerance) priceOK(diff, poPrice decimal.Decimal) bool {
	return within(diff, poPrice, t.PriceAbs, t.PricePct)
}

// qtyOK applies the quantity tolerance to an excess over base.
func (t Tolerance) qtyOK(excess, base decimal.Decimal) bool {
	return within(excess, base, t.QtyAbs, t.QtyPct)
}

// amountOK applies AmountPct to a difference of whole amounts.
func (c Config) amountOK(diff, base decimal.Decimal) bool {
	return within(diff, base, decimal.Decimal{}, c.AmountPct)
}

var hundred = decimal.NewFromInt(100)
