package matching

import (
	"strings"
	"unicode"
)

// words normalises a description into its lower-case words of letters and
// digits, so "Schrauben M8, verzinkt" and "SCHRAUBEN M8 VERZINKT" are the
// same set. It is vendor.MatchName without dropping legal forms: there a
// trailing "KG" is a company form, here it is kilograms.
// Duplicates are dropped: a set.
func words(s string) []string {
	f := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	out := f[:0]
	seen := make(map[string]bool, len(f))
	for _, w := range f {
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

// similarity is the Dice coefficient of two word sets in per mille:
// 1000 for the same words, 0 for none in common. Integer so that sorting
// by it is exact and portable.
func similarity(a, b []string) int {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	common := 0
	for _, x := range a {
		for _, y := range b {
			if x == y {
				common++
				break
			}
		}
	}
	return 2000 * common / (len(a) + len(b))
}

// minSimilarity is the Dice score from which two descriptions are taken to
// name the same item. Half is generous on purpose: invoices abbreviate or
// add words ("Beratung" against "Beratung Projekt Nord" is 0.5). When
// several PO lines qualify, the higher score wins and then price and
// quantity decide (see pairKey), so "Kabel rot" still finds "Kabel rot"
// before "Kabel blau".
const minSimilarity = 500

// compact is an identifier without case and punctuation: "ART-1234",
// "art 1234" and "ART1234" are one item code.
func compact(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, s)
}

// codeIn reports whether the compacted item code occurs in the line name
// as whole words (one to three adjacent words, so "ART-1234" and
// "ART 1234" are found), or is the invoice line id. Codes of fewer than
// three characters are ignored: "1" or "A" would be found everywhere.
func codeIn(code string, nameWords []string, lineID string) bool {
	if len(code) < 3 {
		return false
	}
	if compact(lineID) == code {
		return true
	}
	for i := range nameWords {
		if spansCode(code, nameWords[i:min(i+3, len(nameWords))]) {
			return true
		}
	}
	return false
}

// spansCode reports whether code is the concatenation of a prefix of ws;
// it walks the code instead of joining words so the search allocates
// nothing (it runs for every pair of lines).
func spansCode(code string, ws []string) bool {
	rest := code
	for _, w := range ws {
		if !strings.HasPrefix(rest, w) {
			return false
		}
		if rest = rest[len(w):]; rest == "" {
			return true
		}
	}
	return false
}
