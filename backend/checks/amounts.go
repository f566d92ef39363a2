package checks

import (
	"fmt"
	"math/big"
	"slices"
	"strings"
	"unicode"

	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/invoice"
)

// checkRoundAmount notes a large payable that is a whole multiple of 100:
// real invoices are sums of prices and VAT and rarely land there, while
// made-up ones often do. Only a hint (info); credit notes are skipped.
func checkRoundAmount(inv *invoice.Invoice, _ *Context, cfg *Config) []Finding {
	p := inv.Totals.Payable
	if p == nil || inv.IsCreditNote() || p.Cmp(cfg.RoundAmountMin) < 0 {
		return nil
	}
	if !p.Round(-2).Equal(*p) { // Round(-2) is to hundreds; equal means a multiple of 100
		return nil
	}
	msg := fmt.Sprintf("the amount due %s %s is a round amount; invoices made up to be paid often are", p, inv.Currency)
	return []Finding{finding(CodeRoundAmount, SeverityInfo, msg, "totals.payable")}
}

// pricePoint is one earlier unit price of an item.
type pricePoint struct {
	unit  string
	price decimal.Decimal
}

// checkPriceSpikes compares each line's unit price with the median of the
// same item's earlier prices from this vendor. The median, not the mean,
// so one old outlier does not hide or fake a spike. Items are matched by
// name (case, punctuation and spacing ignored), in the same currency and,
// when both lines state one, the same unit: 5 per kilogram and 5000 per
// tonne are the same price.
func checkPriceSpikes(inv *invoice.Invoice, ctx *Context, cfg *Config) []Finding {
	if inv.IsCreditNote() || len(ctx.History) == 0 {
		return nil
	}
	history := priceHistory(ctx.History, inv.Currency)
	var out []Finding
	for i, l := range inv.Lines {
		if l.UnitPrice == nil || l.UnitPrice.Sign() <= 0 {
			continue
		}
		prices := comparable(history[itemKey(l.Name)], l.Unit)
		if len(prices) == 0 {
			continue
		}
		if f, ok := spike(i, &l, prices, cfg.PriceSpikePct); ok {
			out = append(out, f)
		}
	}
	return out
}

// priceHistory indexes positive unit prices of earlier invoices (not
// credit notes, whose prices refund rather than charge) by item.
func priceHistory(hist []invoice.Invoice, currency string) map[string][]pricePoint {
	m := map[string][]pricePoint{}
	for i := range hist {
		h := &hist[i]
		if h.IsCreditNote() || !strings.EqualFold(h.Currency, currency) {
			continue
		}
		for _, l := range h.Lines {
			k := itemKey(l.Name)
			if k == "" || l.UnitPrice == nil || l.UnitPrice.Sign() <= 0 {
				continue
			}
			m[k] = append(m[k], pricePoint{unit: strings.ToUpper(strings.TrimSpace(l.Unit)), price: *l.UnitPrice})
		}
	}
	return m
}

// comparable keeps the prices whose unit matches, or is unknown on either
// side.
func comparable(points []pricePoint, unit string) []decimal.Decimal {
	unit = strings.ToUpper(strings.TrimSpace(unit))
	var out []decimal.Decimal
	for _, p := range points {
		if unit == "" || p.unit == "" || p.unit == unit {
			out = append(out, p.price)
		}
	}
	return out
}

// spike reports whether price > median × (1 + pct/100). Everything stays
// exact: both sides are multiplied by 200 so the even-count median, a half
// sum, needs no division.
func spike(i int, l *invoice.Line, prices []decimal.Decimal, pct decimal.Decimal) (Finding, bool) {
	slices.SortFunc(prices, decimal.Decimal.Cmp)
	k := len(prices) / 2
	twiceMedian := prices[k].Add(prices[k])
	if len(prices)%2 == 0 {
		twiceMedian = prices[k-1].Add(prices[k])
	}
	hundred := decimal.NewFromInt(100)
	lhs := l.UnitPrice.Mul(hundred).Add(l.UnitPrice.Mul(hundred)) // 200 × price
	rhs := twiceMedian.Mul(hundred.Add(pct))                      // 200 × median × (1 + pct/100)
	if lhs.Cmp(rhs) <= 0 {
		return Finding{}, false
	}
	median := twiceMedian.Mul(decimal.New(5, 1)).Round(max(l.UnitPrice.Scale(), 2))
	msg := fmt.Sprintf("line %s %q: unit price %s is %s%% above the median %s of %d earlier prices (limit %s%%)",
		lineName(i, l), l.Name, l.UnitPrice, increasePct(*l.UnitPrice, twiceMedian), median, len(prices), pct)
	return finding(CodePriceSpike, SeverityWarning, msg, fmt.Sprintf("lines[%d].unit_price", i)), true
}

// increasePct is (price / median - 1) × 100 to whole percent, computed on
// rationals: a displayed ratio needs division, and floats are not used on
// money.
func increasePct(price, twiceMedian decimal.Decimal) string {
	p, ok1 := new(big.Rat).SetString(price.String())
	m, ok2 := new(big.Rat).SetString(twiceMedian.String())
	if !ok1 || !ok2 || m.Sign() == 0 {
		return "?"
	}
	r := new(big.Rat).Quo(new(big.Rat).Mul(p, big.NewRat(200, 1)), m) // 100 × price / median
	return r.Sub(r, big.NewRat(100, 1)).FloatString(0)
}

// lineName is the line's own id (BT-126), else its position from 1.
func lineName(i int, l *invoice.Line) string {
	if id := strings.TrimSpace(l.ID); id != "" {
		return id
	}
	return fmt.Sprint(i + 1)
}

// itemKey is the matching form of an item name.
func itemKey(name string) string {
	f := strings.FieldsFunc(strings.ToLower(name), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	return strings.Join(f, " ")
}
