// Package decimal is the exact number type for money and quantities.
//
// It wraps github.com/shopspring/decimal but keeps the scale a value was
// written with: "100.00" stays "100.00" and "-10.5" stays "-10.5". An invoice
// that says 100.00 must be shown, stored, hashed and exported as 100.00, and
// a float can neither keep that nor add 0.1 and 0.2 exactly.
//
// The zero value is 0 with scale 0 and is ready to use.
package decimal

import (
	"errors"
	"fmt"
	"math/big"
	"strings"
	"unicode/utf8"

	sdec "github.com/shopspring/decimal"
)

// MaxDigits bounds how many digits Parse accepts. It is far above any real
// amount (15 integer digits plus a long fraction), yet low enough that
// hostile input cannot make arithmetic on it expensive.
const MaxDigits = 40

// maxInputLen rejects oversized input before anything else looks at it. It
// leaves room for the whitespace of indented XML around a number; the digit
// limit is checked after trimming.
const maxInputLen = 256

// Sentinel errors callers can branch on with errors.Is.
var (
	// ErrSyntax: the text is not a plain decimal number.
	ErrSyntax = errors.New("decimal: invalid syntax")
	// ErrTooLong: more digits than MaxDigits, or oversized input.
	ErrTooLong = errors.New("decimal: too many digits")
)

// Decimal is an exact decimal number that remembers its scale.
//
// Compare values with Equal or Cmp, never with ==: the internal big.Int is
// behind a pointer.
type Decimal struct {
	// d always has Exponent() <= 0 so that Scale is simply -Exponent().
	d sdec.Decimal
}

// New returns unscaled × 10^-scale, e.g. New(1999, 2) is 19.99.
// A negative scale is treated as 0.
func New(unscaled int64, scale int32) Decimal {
	if scale < 0 {
		scale = 0
	}
	return Decimal{d: sdec.New(unscaled, -scale)}
}

// NewFromInt returns the integer n with scale 0.
func NewFromInt(n int64) Decimal {
	return Decimal{d: sdec.NewFromInt(n)}
}

// MustParse is Parse for constants and tests; it panics on bad input.
func MustParse(s string) Decimal {
	d, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

// Parse reads a plain decimal as written in EN 16931 documents (xsd:decimal):
// an optional sign, digits, and an optional dot with more digits. "5." and
// ".5" are accepted because CII files in the wild use them. Surrounding ASCII
// whitespace is ignored because XML character data often carries it.
//
// Rejected, with ErrSyntax: empty input, decimal commas ("1,2"), thousands
// separators, letters, NaN/Inf, non-ASCII digits and exponents ("1e5").
// Exponents are refused on purpose: money is never written that way in
// invoices, and "1e999999999" would be a cheap way to exhaust memory.
// More than MaxDigits digits gives ErrTooLong.
func Parse(s string) (Decimal, error) {
	if len(s) > maxInputLen {
		return Decimal{}, fmt.Errorf("%w: input of %d bytes (max %d digits)", ErrTooLong, len(s), MaxDigits)
	}
	t := strings.Trim(s, " \t\r\n")
	neg, intPart, fracPart, err := split(t)
	if err != nil {
		return Decimal{}, fmt.Errorf("%w: %q: %s", ErrSyntax, s, err.Error())
	}
	if n := len(intPart) + len(fracPart); n > MaxDigits {
		return Decimal{}, fmt.Errorf("%w: %q has %d digits (max %d)", ErrTooLong, s, n, MaxDigits)
	}
	return fromDigits(neg, intPart, fracPart), nil
}

// split checks the lexical form and returns its parts. It never allocates
// big numbers, so rejecting bad input stays cheap.
func split(t string) (neg bool, intPart, fracPart string, err error) {
	if t == "" {
		return false, "", "", errors.New("empty")
	}
	switch t[0] {
	case '-':
		neg, t = true, t[1:]
	case '+':
		t = t[1:]
	}
	intPart, fracPart, hasDot := strings.Cut(t, ".")
	if intPart == "" && fracPart == "" {
		return false, "", "", errors.New("no digits")
	}
	if hasDot && strings.Contains(fracPart, ".") {
		return false, "", "", errors.New("more than one dot")
	}
	if err := checkDigits(intPart); err != nil {
		return false, "", "", err
	}
	if err := checkDigits(fracPart); err != nil {
		return false, "", "", err
	}
	return neg, intPart, fracPart, nil
}

func checkDigits(s string) error {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
		case c == 'e' || c == 'E':
			return errors.New("exponents are not allowed")
		case c == ',':
			return errors.New("use a dot as decimal separator, no thousands separators")
		default:
			r, _ := utf8.DecodeRuneInString(s[i:])
			return fmt.Errorf("unexpected character %q", r)
		}
	}
	return nil
}

// fromDigits builds the value from already validated ASCII digits.
func fromDigits(neg bool, intPart, fracPart string) Decimal {
	coef, ok := new(big.Int).SetString(intPart+fracPart, 10)
	if !ok { // cannot happen after checkDigits; keep zero rather than panic
		coef = new(big.Int)
	}
	if neg {
		coef.Neg(coef)
	}
	return Decimal{d: sdec.NewFromBigInt(coef, -int32(len(fracPart)))} // #nosec G115 -- at most MaxDigits
}

// Add returns d + e; the scale is the larger of the two.
func (d Decimal) Add(e Decimal) Decimal { return Decimal{d: d.d.Add(e.d)} }

// Sub returns d - e; the scale is the larger of the two.
func (d Decimal) Sub(e Decimal) Decimal { return Decimal{d: d.d.Sub(e.d)} }

// Mul returns d × e exactly; the scale is the sum of both scales, so
// 2 × 9.95 is 19.90. Round the result when a fixed scale is wanted.
func (d Decimal) Mul(e Decimal) Decimal { return Decimal{d: d.d.Mul(e.d)} }

// Neg returns -d with the same scale.
func (d Decimal) Neg() Decimal { return Decimal{d: d.d.Neg()} }

// Abs returns |d| with the same scale.
func (d Decimal) Abs() Decimal { return Decimal{d: d.d.Abs()} }

// Cmp compares by value: -1 if d < e, 0 if equal, +1 if d > e.
func (d Decimal) Cmp(e Decimal) int { return d.d.Cmp(e.d) }

// Equal compares by value, ignoring scale: 1.0 equals 1.00.
func (d Decimal) Equal(e Decimal) bool { return d.d.Equal(e.d) }

// IsZero reports whether the value is 0, whatever its scale.
func (d Decimal) IsZero() bool { return d.d.IsZero() }

// Sign returns -1, 0 or +1.
func (d Decimal) Sign() int { return d.d.Sign() }

// Scale is the number of digits after the dot.
func (d Decimal) Scale() int32 { return -d.d.Exponent() }

// Round rounds half away from zero ("commercial rounding", as EN 16931
// expects, not banker's rounding) to places digits after the dot. The result
// has exactly that scale, so 10.5 rounded to 2 places prints as 10.50.
// A negative places rounds to tens, hundreds, … and leaves scale 0.
func (d Decimal) Round(places int32) Decimal {
	r := d.d.Round(places)
	if r.Exponent() > 0 {
		r = scaleToZero(r)
	}
	return Decimal{d: r}
}

// scaleToZero rewrites c×10^k (k > 0) as (c·10^k)×10^0 to keep the
// exponent invariant.
func scaleToZero(r sdec.Decimal) sdec.Decimal {
	ten := big.NewInt(10)
	mult := new(big.Int).Exp(ten, big.NewInt(int64(r.Exponent())), nil)
	return sdec.NewFromBigInt(new(big.Int).Mul(r.Coefficient(), mult), 0)
}

// String prints the value with its scale and no exponent: "-10.50".
func (d Decimal) String() string { return d.d.StringFixed(d.Scale()) }
