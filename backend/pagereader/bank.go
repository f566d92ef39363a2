package pagereader

import (
	"regexp"
	"strings"

	"github.com/smartap/desktop/backend/bankid"
)

var (
	ibanStart = regexp.MustCompile(`\b[A-Z]{2}\d{2}[ ]?[A-Z0-9]{2}`)
	ibanLabel = regexp.MustCompile(`iban|konto|account|compte|rekening|bankverbindung`)
	bicLabels = []label{lbl(0.8, `\bbic\b|swift|bank\s*identifier`)}
	// debitNote: the account is the buyer's, to be debited.
	debitNote = regexp.MustCompile(`abgebucht|lastschrift|einzug|debit|prelevement|incasso|mandat`)
)

// ibanCand is an IBAN found on the page.
type ibanCand struct {
	IBAN     string
	Valid    bool
	Labelled bool
	Line     int
	Seg      int
}

// readBank finds the payee's IBAN (mod-97 checked, also when wrapped onto
// the next line) and BIC.
func (r *reader) readBank() {
	var pick *ibanCand
	for _, c := range r.ibanCandidates() {
		if !c.Valid && !c.Labelled || r.kindOf(c.Line, c.Seg) == buyerParty || r.nearDebitNote(c.Line) {
			continue
		}
		if pick == nil || c.Valid && !pick.Valid || c.Valid == pick.Valid && c.Labelled && !pick.Labelled {
			pick = &c
		}
	}
	if pick != nil {
		r.inv.Payment.IBAN = pick.IBAN
		switch {
		case pick.Valid:
			r.set("payment.iban", ConfConfirmed)
		default:
			r.set("payment.iban", ConfContradicted+0.2*float64(boolInt(pick.Labelled)))
			r.warnf("IBAN %s: check digits do not match (misread or invalid)", bankid.MaskIBAN(pick.IBAN))
		}
	}
	if c, ok := best(collect(r, bicLabels, parseBIC)); ok {
		r.inv.Payment.BIC = c.Val
		conf := c.Score - 0.05
		if iban := r.inv.Payment.IBAN; len(iban) > 2 && len(c.Val) > 6 && c.Val[4:6] == iban[:2] {
			conf = ConfChecksum
		}
		r.set("payment.bic", conf)
	}
}

func (r *reader) nearDebitNote(li int) bool {
	for j := max(0, li-2); j <= li; j++ {
		if r.lay.Lines[j].Page == r.lay.Lines[li].Page && debitNote.MatchString(fold(r.lay.Lines[j].Text)) {
			return true
		}
	}
	return false
}

func (r *reader) ibanCandidates() []ibanCand {
	var out []ibanCand
	for li, ln := range r.lay.Lines {
		for si, seg := range ln.Segs {
			up := strings.ToUpper(seg.Text)
			for _, loc := range ibanStart.FindAllStringIndex(up, -1) {
				c, ok := r.ibanAt(up[loc[0]:], li, si)
				if !ok {
					continue
				}
				lab := r.folded(li, si)
				if si > 0 {
					lab += " " + r.folded(li, si-1)
				}
				c.Labelled = ibanLabel.MatchString(lab)
				out = append(out, c)
			}
		}
	}
	return out
}

// ibanAt reads an IBAN at the start of s: the longest prefix that passes
// mod-97, trying the continuation on the line below when the text breaks
// off; without a valid one, the registered length for the country.
func (r *reader) ibanAt(s string, li, si int) (ibanCand, bool) {
	compact := compactPrefix(s, 34)
	if v, ok := validPrefix(compact); ok {
		return ibanCand{IBAN: v, Valid: true, Line: li, Seg: si}, true
	}
	if bl, bs, ok := r.below(li, si); ok && len(compact) < 34 {
		more := compactPrefix(strings.ToUpper(r.lay.Lines[bl].Segs[bs].Text), 34-len(compact))
		if v, ok := validPrefix(compact + more); ok && len(v) > len(compact) {
			return ibanCand{IBAN: v, Valid: true, Line: li, Seg: si}, true
		}
	}
	if n, ok := ibanLength[compact[:2]]; ok && len(compact) >= n && isDigits(compact[2:4]) {
		return ibanCand{IBAN: compact[:n], Line: li, Seg: si}, true
	}
	return ibanCand{}, false
}

func validPrefix(s string) (string, bool) {
	for n := min(len(s), 34); n >= 15; n-- {
		if v, err := bankid.NormalizeIBAN(s[:n]); err == nil {
			return v, true
		}
	}
	return "", false
}

// ibanLength is the registered IBAN length of the countries a misread
// IBAN is still reported for.
var ibanLength = map[string]int{"DE": 22, "AT": 20, "CH": 21, "BE": 16, "LU": 20, "FR": 27, "NL": 18, "IT": 27, "ES": 24, "GB": 22}

func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// parseBIC takes the first word that has the shape of a BIC.
func parseBIC(s string) (string, bool) {
	for _, f := range strings.Fields(strings.ToUpper(s)) {
		f = strings.Trim(f, ",;:()")
		if v, err := bankid.NormalizeBIC(f); err == nil {
			return v, true
		}
	}
	return "", false
}
