package matching

import (
	"math/big"
	"strings"

	"github.com/smartap/desktop/backend/decimal"
)

// The decimal package deliberately has no division (money is multiplied
// and added, never divided, on a document). Matching needs it twice: a
// percentage for messages and a unit price implied by a line without one.
// big.Rat divides exactly and FloatString rounds half away from zero, the
// same commercial rounding decimal.Round uses.

// div returns a / b rounded to places decimals; ok is false for b = 0.
func div(a, b decimal.Decimal, places int) (decimal.Decimal, bool) {
	if b.IsZero() {
		return decimal.Decimal{}, false
	}
	ra, okA := new(big.Rat).SetString(a.String())
	rb, okB := new(big.Rat).SetString(b.String())
	if !okA || !okB { // String always prints a plain decimal; kept for safety
		return decimal.Decimal{}, false
	}
	q := new(big.Rat).Quo(ra, rb)
	d, err := decimal.Parse(q.FloatString(places))
	if err != nil { // beyond MaxDigits: no sensible figure to show
		return decimal.Decimal{}, false
	}
	return d, true
}

// percentOf is |v| as a percentage of |base|, two decimals; ok is false
// for a zero base, where no percentage exists.
func percentOf(v, base decimal.Decimal) (decimal.Decimal, bool) {
	return div(v.Abs().Mul(hundred), base.Abs(), 2)
}

// fmtQty prints a quantity without trailing zeros: invoices write
// "10.0000" where the clerk thinks "10".
func fmtQty(d decimal.Decimal) string { return trimZeros(d.String(), 0) }

// fmtMoney prints an amount or unit price with at least two decimals and
// no further trailing zeros: "4.5000" is "4.50", "3.3333" stays.
func fmtMoney(d decimal.Decimal) string { return trimZeros(d.Round(max(d.Scale(), 2)).String(), 2) }

// fmtPct prints a percentage as "10%" or "2.22%".
func fmtPct(d decimal.Decimal) string { return trimZeros(d.String(), 0) + "%" }

// trimZeros drops trailing fraction zeros but keeps at least keep digits.
func trimZeros(s string, keep int) string {
	dot := strings.IndexByte(s, '.')
	if dot < 0 {
		return s
	}
	end := len(s)
	for end > dot+1+keep && s[end-1] == '0' {
		end--
	}
	if end == dot+1 {
		end = dot
	}
	return s[:end]
}

// minDec and maxDec compare by value.
func minDec(a, b decimal.Decimal) decimal.Decimal {
	if a.Cmp(b) <= 0 {
		return a
	}
	return b
}

func maxDec(a, b decimal.Decimal) decimal.Decimal {
	if a.Cmp(b) >= 0 {
		return a
	}
	return b
}

// orZero dereferences an optional invoice amount.
func orZero(p *decimal.Decimal) decimal.Decimal {
	if p == nil {
		return decimal.Decimal{}
	}
	return *p
}
