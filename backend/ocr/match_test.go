package ocr

import (
	"strings"
	"testing"
	"unicode"

	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/pdfdoc"
)

// Helpers that tell whether an invoice number or an amount appears among a
// page's words, the way a reader of the page would find it: the number as
// one word or split over up to four adjacent ones (spaces dropped), the
// amount in German, French or English notation, with or without currency.

func hasNumber(runs []pdfdoc.TextRun, num string) bool {
	want := strings.Join(strings.Fields(num), "")
	if want == "" {
		return false
	}
	for i := range runs {
		joined := ""
		for j := i; j < len(runs) && j < i+4; j++ {
			joined += trimPunct(runs[j].Text)
			if joined == want || trimPunct(joined) == want {
				return true
			}
			if !strings.HasPrefix(want, joined) {
				break
			}
		}
		// "Nr.471102" or "RE-2018-1:": the number inside one word, bounded
		// by non-alphanumerics.
		if w := runs[i].Text; len(want) >= 4 && containsToken(w, want) {
			return true
		}
	}
	return false
}

func containsToken(s, tok string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], tok)
		if j < 0 {
			return false
		}
		j += i
		end := j + len(tok)
		before := j == 0 || !isAlnum(rune(s[j-1]))
		after := end == len(s) || !isAlnum(rune(s[end]))
		if before && after {
			return true
		}
		i = j + 1
	}
}

func isAlnum(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func trimPunct(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return !isAlnum(r) && r != '/' && r != '-' })
}

func hasAmount(runs []pdfdoc.TextRun, want decimal.Decimal) bool {
	want = want.Abs()
	for i := range runs {
		s := ""
		for j := i; j < len(runs) && j < i+2; j++ { // "1 234,56" is two words
			s += runs[j].Text
			for _, d := range amounts(s) {
				if d.Equal(want) {
					return true
				}
			}
		}
	}
	return false
}

// amounts reads s as an amount in the notations invoices use, ignoring
// currency signs and codes: "1.234,56", "1,234.56", "529,87", "-529,87 €",
// "529.87-". Ambiguous forms give every reading.
func amounts(s string) []decimal.Decimal {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9', r == '.', r == ',':
			b.WriteRune(r)
		case r == '\'' || r == '’' || unicode.IsSpace(r): // thousands
		}
	}
	t := strings.Trim(b.String(), ".,")
	if t == "" {
		return nil
	}
	var out []decimal.Decimal
	for _, dec := range []rune{',', '.'} {
		thou := map[rune]string{',': ".", '.': ","}[dec]
		u := strings.ReplaceAll(t, thou, "")
		u = strings.Replace(u, string(dec), ".", 1)
		if strings.Count(u, ".") > 1 || strings.ContainsAny(u, ",") {
			continue
		}
		if d, err := decimal.Parse(u); err == nil {
			out = append(out, d)
		}
	}
	return out
}

func TestMatchHelpers(t *testing.T) {
	runs := func(ws ...string) []pdfdoc.TextRun {
		var out []pdfdoc.TextRun
		for _, w := range ws {
			out = append(out, pdfdoc.TextRun{Text: w})
		}
		return out
	}
	d := decimal.MustParse
	for _, tc := range []struct {
		words []string
		num   string
		ok    bool
	}{
		{[]string{"Nr.", "471102", "vom"}, "471102", true},
		{[]string{"Nr.471102"}, "471102", true},
		{[]string{"4711022"}, "471102", false},
		{[]string{"RE", "2018/12", "1"}, "RE 2018/12 1", true},
		{[]string{"Rechnung:", "F20180027,"}, "F20180027", true},
	} {
		if got := hasNumber(runs(tc.words...), tc.num); got != tc.ok {
			t.Errorf("hasNumber(%q, %q) = %v", tc.words, tc.num, got)
		}
	}
	for _, tc := range []struct {
		words []string
		amt   string
		ok    bool
	}{
		{[]string{"529,87"}, "529.87", true},
		{[]string{"1.234,56", "EUR"}, "1234.56", true},
		{[]string{"1,234.56"}, "1234.56", true},
		{[]string{"1", "234,56"}, "1234.56", true},
		{[]string{"-529,87€"}, "-529.87", true},
		{[]string{"529,88"}, "529.87", false},
		{[]string{"473,00"}, "473", true},
	} {
		if got := hasAmount(runs(tc.words...), d(tc.amt)); got != tc.ok {
			t.Errorf("hasAmount(%q, %s) = %v", tc.words, tc.amt, got)
		}
	}
}
