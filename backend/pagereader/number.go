package pagereader

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/smartap/desktop/backend/decimal"
)

// numStyle is how a document writes decimals.
type numStyle int

const (
	styleUnknown numStyle = iota
	styleComma            // 1.234,56 / 1 234,56
	stylePoint            // 1,234.56 / 1'234.56
)

// amount is a number found in a text, with its place (byte offsets).
type amount struct {
	Value    decimal.Decimal
	Start    int
	End      int
	Percent  bool   // followed by %
	Currency string // ISO code when a symbol or code touches the number
	Embedded bool   // glued to letters or slashes: part of an id, a date, a code
}

var (
	twoDecComma = regexp.MustCompile(`\d,\d{2}(?:[^\d]|$)`)
	twoDecPoint = regexp.MustCompile(`\d\.\d{2}(?:[^\d.]|$)`)
)

// detectStyle counts unambiguous two-decimal amounts of each style.
func detectStyle(lines []Line) numStyle {
	var comma, point int
	for _, ln := range lines {
		comma += len(twoDecComma.FindAllStringIndex(ln.Text, -1))
		point += len(twoDecPoint.FindAllStringIndex(ln.Text, -1))
	}
	switch {
	case comma > point:
		return styleComma
	case point > comma:
		return stylePoint
	}
	return styleUnknown
}

// currencySymbols maps symbols to ISO 4217 codes.
var currencySymbols = map[rune]string{'€': "EUR", '$': "USD", '£': "GBP", '¥': "JPY"}

// isoCurrencies are the codes recognised next to amounts and in labels.
var isoCurrencies = map[string]bool{
	"EUR": true, "USD": true, "GBP": true, "CHF": true, "SEK": true, "NOK": true, "DKK": true,
	"PLN": true, "CZK": true, "HUF": true, "RON": true, "BGN": true, "JPY": true, "CAD": true,
	"AUD": true, "CNY": true, "ISK": true, "TRY": true,
}

// scanAmounts finds every number in s. Thousands separators (. , ' and
// spaces between groups of three), decimal comma or point (decided by the
// document's style where a single separator is followed by three digits),
// a leading or trailing minus, a following % and an adjacent currency sign
// or code are understood.
func scanAmounts(s string, style numStyle) []amount {
	var out []amount
	for i := 0; i < len(s); {
		if !isDigit(s[i]) {
			i++
			continue
		}
		end := numberEnd(s, i)
		if a, ok := makeAmount(s, i, end, style); ok {
			out = append(out, a)
		}
		i = end
	}
	return out
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// numberEnd extends a number from its first digit over digits and
// separators; a space or apostrophe only joins groups of exactly three.
func numberEnd(s string, i int) int {
	j := i
	for j < len(s) {
		c := s[j]
		switch {
		case isDigit(c):
			j++
		case (c == '.' || c == ',') && j+1 < len(s) && isDigit(s[j+1]):
			j++
		case (c == ' ' || c == '\'') && groupOfThree(s, j+1):
			j++
		default:
			return j
		}
	}
	return j
}

// groupOfThree: three digits at s[i:] not followed by another digit.
func groupOfThree(s string, i int) bool {
	if i+3 > len(s) {
		return false
	}
	for k := i; k < i+3; k++ {
		if !isDigit(s[k]) {
			return false
		}
	}
	return i+3 == len(s) || !isDigit(s[i+3])
}

func makeAmount(s string, start, end int, style numStyle) (amount, bool) {
	core := strings.TrimRight(s[start:end], " '")
	end = start + len(core)
	v, ok := parseNumber(core, style)
	if !ok {
		return amount{}, false
	}
	a := amount{Start: start, End: end}
	neg := false
	before := strings.TrimRight(s[:start], " ")
	if strings.HasSuffix(before, "-") || strings.HasSuffix(before, "−") {
		pre := strings.TrimSuffix(strings.TrimSuffix(before, "-"), "−")
		if r, _ := utf8.DecodeLastRuneInString(pre); pre == "" || !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			neg, a.Start = true, len(pre)
		}
	}
	after := s[end:]
	if strings.HasPrefix(after, "-") && (len(after) == 1 || after[1] == ' ') && !neg {
		neg, a.End = true, end+1
	}
	a.Currency, a.Percent = around(before, strings.TrimLeft(after, " "))
	a.Embedded = glued(s[:start], after)
	if neg {
		v = v.Neg()
	}
	a.Value = v
	return a, true
}

// around reads a currency or percent sign next to the number.
func around(before, after string) (string, bool) {
	if strings.HasPrefix(after, "%") {
		return "", true
	}
	if r, _ := utf8.DecodeRuneInString(after); currencySymbols[r] != "" {
		return currencySymbols[r], false
	}
	if r, _ := utf8.DecodeLastRuneInString(strings.TrimSuffix(before, "-")); currencySymbols[r] != "" {
		return currencySymbols[r], false
	}
	if len(after) >= 3 && isoCurrencies[after[:3]] && (len(after) == 3 || !isLetterByte(after[3])) {
		return after[:3], false
	}
	if b := strings.TrimSuffix(before, "-"); len(b) >= 3 && isoCurrencies[b[len(b)-3:]] {
		return b[len(b)-3:], false
	}
	return "", false
}

func isLetterByte(c byte) bool { return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' }

// glued reports a number stuck to letters, slashes or dashes: "RE-2020",
// "31/12", "4012345001235(GTIN)" are not amounts.
func glued(before, after string) bool {
	if r, _ := utf8.DecodeLastRuneInString(before); unicode.IsLetter(r) || r == '/' || r == '_' || r == '#' {
		return true
	}
	if len(before) >= 2 && before[len(before)-1] == '-' && isAlnumByte(before[len(before)-2]) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(after)
	return unicode.IsLetter(r) && currencySymbols[r] == "" || r == '/' || r == '_' ||
		r == '-' && len(after) > 1 && isAlnumByte(after[1])
}

func isAlnumByte(c byte) bool { return isDigit(c) || isLetterByte(c) }

// parseNumber reads digits with separators; see scanAmounts.
func parseNumber(t string, style numStyle) (decimal.Decimal, bool) {
	t = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\'' {
			return '_' // a thousands separator in any style
		}
		return r
	}, t)
	dec := decimalSep(t, style)
	var intPart, frac string
	if dec != 0 {
		k := strings.LastIndexByte(t, dec)
		intPart, frac = t[:k], t[k+1:]
	} else {
		intPart = t
	}
	digits, ok := groups(intPart)
	if !ok || strings.ContainsAny(frac, ".,_") {
		return decimal.Decimal{}, false
	}
	text := digits
	if frac != "" {
		text += "." + frac
	}
	d, err := decimal.Parse(text)
	return d, err == nil
}

// decimalSep decides which separator, if any, is the decimal one.
func decimalSep(t string, style numStyle) byte {
	lastDot, lastComma := strings.LastIndexByte(t, '.'), strings.LastIndexByte(t, ',')
	switch {
	case lastDot >= 0 && lastComma >= 0:
		if lastDot > lastComma {
			return '.'
		}
		return ','
	case lastDot < 0 && lastComma < 0:
		return 0
	}
	sep, at := byte('.'), lastDot
	if lastComma >= 0 {
		sep, at = ',', lastComma
	}
	if strings.Count(t, string(sep)) > 1 {
		return 0 // 1.000.000
	}
	if len(t)-at-1 != 3 || strings.TrimLeft(t[:at], "0_") == "" || strings.Contains(t[:at], "_") {
		return sep // 12,50 / 0,025 / 1 234,567 has no other reading
	}
	if style == styleComma && sep == '.' || style == stylePoint && sep == ',' {
		return 0 // 1.234 in a decimal-comma document
	}
	return sep
}

// groups checks thousands grouping in the integer part and drops the
// separators: the first group 1–3 digits, the others exactly 3.
func groups(s string) (string, bool) {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '.' || r == ',' || r == '_' })
	if len(parts) == 0 || strings.Count(s, ".")+strings.Count(s, ",")+strings.Count(s, "_") != len(parts)-1 {
		return "", false
	}
	if len(parts) > 1 {
		if len(parts[0]) > 3 {
			return "", false
		}
		for _, p := range parts[1:] {
			if len(p) != 3 {
				return "", false
			}
		}
	}
	return strings.Join(parts, ""), true
}

// moneyIn returns the amounts of s that can be money: not percentages, not
// part of an identifier.
func moneyIn(s string, style numStyle) []amount {
	var out []amount
	for _, a := range scanAmounts(s, style) {
		if !a.Percent && !a.Embedded {
			out = append(out, a)
		}
	}
	return out
}
