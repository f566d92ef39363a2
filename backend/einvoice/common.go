package einvoice

import (
	"fmt"
	"strings"

	"github.com/smartap/desktop/backend/invoice"
)

// sameCode compares code-list values the way Normalize will write them.
func sameCode(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

// taxTotalIndexes picks, among the document's VAT totals given by their
// currencyID, the one in the invoice currency (BT-110) and the one in the
// tax currency (BT-111); -1 where there is none. Both syntaxes allow two
// totals only when BT-6 is set, and a total without currencyID can only be
// meant in the invoice currency. When BT-6 equals BT-5 one total is both.
// Totals in a third currency are reported, not silently dropped.
func taxTotalIndexes(currencies []string, cur, taxCur string) (doc, inTax int, warnings []string) {
	doc, inTax = -1, -1
	for i, c := range currencies {
		switch {
		case c == "" || sameCode(c, cur):
			if doc < 0 {
				doc = i
			} else if !sameCode(cur, taxCur) {
				warnings = append(warnings, "a second VAT total in the invoice currency was ignored")
			}
		case taxCur != "" && sameCode(c, taxCur):
			if inTax < 0 {
				inTax = i
			}
		default:
			warnings = append(warnings, fmt.Sprintf(
				"a VAT total in %s was ignored: it is neither the invoice currency nor the tax currency", c))
		}
	}
	if taxCur != "" && sameCode(cur, taxCur) {
		inTax = doc
	}
	return doc, inTax, warnings
}

// account is one payment means as both syntaxes describe it.
type account struct {
	means, id, name, bic string
}

// pickPayment keeps one payment means, as the model holds one: the first
// that names a payee account (that is where money goes, and what a fraud
// check compares), else the first with a means code. Further payee
// accounts become a warning that lists them, so a reviewer sees them.
func pickPayment(all []account) (invoice.Payment, []string) {
	chosen := -1
	var others []string
	for i, a := range all {
		switch {
		case strings.TrimSpace(a.id) == "":
		case chosen < 0:
			chosen = i
		default:
			others = append(others, strings.TrimSpace(a.id))
		}
	}
	if chosen < 0 {
		for i, a := range all {
			if strings.TrimSpace(a.means) != "" {
				chosen = i
				break
			}
		}
	}
	if chosen < 0 {
		return invoice.Payment{}, nil
	}
	a := all[chosen]
	p := invoice.Payment{MeansCode: a.means, IBAN: a.id, AccountName: a.name, BIC: a.bic}
	var warnings []string
	if len(others) > 0 {
		warnings = append(warnings, fmt.Sprintf(
			"the invoice names %d payee accounts; only the first is kept, not: %s",
			len(others)+1, strings.Join(others, ", ")))
	}
	return p, warnings
}

// firstNonEmpty returns the first of ss that is not blank.
func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}
