package matching

import (
	"fmt"
	"strings"

	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/purchasing"
)

// Match compares the invoice with the candidate orders (usually from
// FindCandidates, with their receipts and earlier billing) and explains
// the outcome line by line. It is deterministic: the same input gives the
// same Result, byte for byte once encoded.
//
// Cancelled candidates are ignored, as is a second candidate with the
// number of an earlier one (its lines would be counted twice).
func Match(inv invoice.Invoice, cands []Candidate, cfg Config) Result {
	usable, findings := screen(inv, cands)
	res := Result{POs: make([]string, len(usable)), Lines: []LineMatch{}, Findings: findings}
	for i, c := range usable {
		res.POs[i] = c.PO.Number
	}
	switch {
	case len(usable) == 0:
		res.Status, res.Summary = StatusNoPO, noPOSummary(findings)
	case len(inv.Lines) == 0:
		f, summary := matchHeader(inv, usable, res.POs, cfg)
		res.Findings = append(res.Findings, f...)
		res.Status, res.Summary = headerStatus(res.Findings), summary+headerNotes(findings)
	default:
		matchLines(inv, usable, cfg, &res)
	}
	if res.Findings == nil {
		res.Findings = []Finding{}
	}
	return res
}

// matchLines pairs and judges the lines and fills res.
func matchLines(inv invoice.Invoice, cands []Candidate, cfg Config, res *Result) {
	subject := subjectOf(inv.IsCreditNote())
	lines, slots := prepareLines(inv), prepareSlots(cands)
	verdicts := judgeAll(lines, slots, assign(lines, slots, cfg.Tolerance), cfg.Tolerance)
	headerFindings := res.Findings
	res.Lines = make([]LineMatch, len(verdicts))
	for i := range verdicts {
		res.Lines[i] = verdicts[i].lineMatch(subject)
		res.Findings = append(res.Findings, verdicts[i].findings(subject, res.POs)...)
	}
	res.Status = linesStatus(res.Lines, res.Findings)
	res.Summary = linesSummary(res.Status, res.Lines, res.POs) + headerNotes(headerFindings)
}

// screen drops cancelled and repeated candidates and reports the order
// numbers the invoice quotes that are not among the rest (po_not_found),
// a missing quote (po_missing) and currencies that differ from the
// invoice's.
func screen(inv invoice.Invoice, cands []Candidate) ([]Candidate, []Finding) {
	var usable []Candidate
	var cancelled []string
	known := func(n string) bool {
		for _, c := range usable {
			if samePONumber(c.PO.Number, n) {
				return true
			}
		}
		return false
	}
	for _, c := range cands {
		switch {
		case c.PO.Status == purchasing.StatusCancelled:
			cancelled = append(cancelled, c.PO.Number)
		case !known(c.PO.Number):
			usable = append(usable, c)
		}
	}
	var out []Finding
	refs := poRefs(inv.PurchaseOrder, known)
	for _, ref := range refs {
		if !known(ref) {
			out = append(out, notFound(ref, cancelled))
		}
	}
	if len(refs) == 0 { // also BT-13 text without a number, e.g. "siehe Anlage"
		out = append(out, missing(inv.PurchaseOrder, usable))
	}
	return usable, append(out, currencyFindings(inv, usable)...)
}

// notFound words po_not_found, saying so when the order was cancelled.
func notFound(ref string, cancelled []string) Finding {
	msg := fmt.Sprintf("The invoice names PO %s, which was not found among this vendor's orders.", ref)
	for _, n := range cancelled {
		if samePONumber(n, ref) {
			msg = fmt.Sprintf("The invoice names PO %s, which is cancelled.", ref)
		}
	}
	return Finding{Code: CodePONotFound, Severity: SeverityError, Message: msg, Fields: []string{"purchase_order"}}
}

// missing words po_missing: a warning when nothing could be found, only
// information when an order was found by amount and date, so the clerk
// knows the match rests on a guess.
func missing(bt13 string, usable []Candidate) Finding {
	what := "The invoice names no purchase order (BT-13)"
	if bt13 = strings.TrimSpace(bt13); bt13 != "" {
		what = fmt.Sprintf("The invoice's order reference (BT-13) %q holds no order number", bt13)
	}
	f := Finding{Code: CodePOMissing, Severity: SeverityWarning, Fields: []string{"purchase_order"},
		Message: what + ", and no open order of the vendor fits its amount and date."}
	if len(usable) > 0 {
		pos := make([]string, len(usable))
		for i, c := range usable {
			pos[i] = c.PO.Number
		}
		f.Severity = SeverityInfo
		f.Message = fmt.Sprintf("%s; compared with %s, found by amount and date.", what, joinPOs(pos))
	}
	return f
}

// currencyFindings: prices in different currencies cannot be compared, so
// every price on such an order is suspect.
func currencyFindings(inv invoice.Invoice, usable []Candidate) []Finding {
	var out []Finding
	for _, c := range usable {
		if c.PO.Currency != "" && inv.Currency != "" && !strings.EqualFold(c.PO.Currency, inv.Currency) {
			out = append(out, Finding{Code: CodePOPriceVariance, Severity: SeverityError, Fields: []string{"currency"},
				Message: fmt.Sprintf("The invoice is in %s, PO %s in %s: its prices cannot be compared.", inv.Currency, c.PO.Number, c.PO.Currency)})
		}
	}
	return out
}
