package core

import (
	"strconv"
	"strings"

	"github.com/smartap/desktop/backend/apperr"
)

// maxFilterWords bounds the words of one list filter.
const maxFilterWords = 12

// listFilter is a parsed SearchQuery.Text: every word must match.
type listFilter struct {
	words []string    // matched as substrings of the row's text
	cmps  []amountCmp // ">1000", "<=50"
}

type amountCmp struct {
	op string // >, >=, <, <=, =
	v  float64
}

// parseFilter splits text into words. A word of digits with "," or "."
// is also tried as an amount written the European way ("1.190,00").
func parseFilter(text string) (listFilter, error) {
	var f listFilter
	words := strings.Fields(strings.ToLower(text))
	if len(words) > maxFilterWords {
		return f, apperr.New(apperr.InvalidInput, "a filter has at most %d words", maxFilterWords)
	}
	for _, w := range words {
		if op, rest := cmpPrefix(w); op != "" {
			v, ok := parseAmount(normAmount(rest))
			if !ok {
				return f, apperr.New(apperr.InvalidInput, "%q: after %s comes an amount, like %s1000", w, op, op)
			}
			f.cmps = append(f.cmps, amountCmp{op: op, v: v})
			continue
		}
		f.words = append(f.words, w)
	}
	return f, nil
}

func cmpPrefix(w string) (op, rest string) {
	for _, p := range []string{">=", "<=", ">", "<", "="} {
		if strings.HasPrefix(w, p) {
			return p, w[len(p):]
		}
	}
	return "", w
}

func (f listFilter) match(r *listRow) bool {
	for _, w := range f.words {
		if strings.Contains(r.hay, w) {
			continue
		}
		if n := normAmount(w); n != w && strings.Contains(r.hay, n) {
			continue
		}
		return false
	}
	for _, c := range f.cmps {
		if !r.hasAmt || !c.holds(r.amount) {
			return false
		}
	}
	return true
}

func (c amountCmp) holds(v float64) bool {
	switch c.op {
	case ">":
		return v > c.v
	case ">=":
		return v >= c.v
	case "<":
		return v < c.v
	case "<=":
		return v <= c.v
	}
	return v == c.v
}

// normAmount turns "1.190,00" and "1,190.00" and "1190,5" into
// "1190.00"/"1190.5"; other words come back as they are.
func normAmount(w string) string {
	if w == "" || strings.Trim(w, "0123456789.,-") != "" || !strings.ContainsAny(w, "0123456789") {
		return w
	}
	dot, comma := strings.LastIndex(w, "."), strings.LastIndex(w, ",")
	switch {
	case comma > dot: // the comma is the decimal mark
		return strings.ReplaceAll(strings.ReplaceAll(w, ".", ""), ",", ".")
	case comma >= 0: // commas group thousands
		return strings.ReplaceAll(w, ",", "")
	}
	return w
}

func parseAmount(s string) (float64, bool) {
	if s == "" {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil
}
