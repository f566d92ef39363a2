package matching

import (
	"fmt"

	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/invoice"
)

// Invoices of the MINIMUM and BASIC WL profiles have no lines: all there
// is to compare is the net amount with what the candidate orders still
// have open. A shortfall is normal (a partial invoice); what needs a look
// is an invoice above the open order value, or above what has been
// received and not yet billed. Both use Config.AmountPct as tolerance.

// headerValues are the candidate orders' values still open for billing.
type headerValues struct {
	open     decimal.Decimal // Σ (ordered − billed) × price, lines not below 0
	received decimal.Decimal // Σ (received − billed) × price, lines not below 0
	billed   decimal.Decimal // Σ billed × price
}

func valuesOf(cands []Candidate) headerValues {
	var h headerValues
	for _, s := range prepareSlots(cands) {
		p := s.line.UnitPrice
		h.open = h.open.Add(maxDec(s.line.Quantity.Sub(s.billed), decimal.Decimal{}).Mul(p))
		h.received = h.received.Add(maxDec(s.received.Sub(s.billed), decimal.Decimal{}).Mul(p))
		h.billed = h.billed.Add(s.billed.Mul(p))
	}
	return h
}

// matchHeader judges an invoice without lines. It returns the findings
// and a one-line summary.
func matchHeader(inv invoice.Invoice, cands []Candidate, pos []string, cfg Config) ([]Finding, string) {
	subject := subjectOf(inv.IsCreditNote())
	net, ok := invoiceNet(inv)
	if !ok {
		return []Finding{{Code: CodePOPriceVariance, Severity: SeverityWarning, Fields: []string{"totals"},
				Message: fmt.Sprintf("The %s has neither lines nor a net amount; compare it with %s by hand.", lower(subject), joinPOs(pos))}},
			fmt.Sprintf("Not compared: the %s has no lines and no net amount.", lower(subject))
	}
	h := valuesOf(cands)
	if inv.IsCreditNote() || net.Sign() < 0 {
		return headerCredit(net.Abs(), h, pos, subject, cfg)
	}
	summary := fmt.Sprintf("%s has no lines; net %s compared with %s: %s open, %s of it received and not yet billed.",
		subject, fmtMoney(net), joinPOs(pos), fmtMoney(h.open.Round(2)), fmtMoney(h.received.Round(2)))
	field := []string{"totals.line_net"}
	if inv.Totals.LineNet == nil {
		field = []string{"totals.tax_exclusive"}
	}
	if over := net.Sub(h.open); over.Sign() > 0 && !cfg.amountOK(over, h.open) {
		return []Finding{{Code: CodePOPriceVariance, Severity: SeverityError, Fields: field,
			Message: fmt.Sprintf("%s net %s is %s%s above the value still open on %s (%s).",
				subject, fmtMoney(net), fmtMoney(over.Round(2)), pctText(over, h.open), joinPOs(pos), fmtMoney(h.open.Round(2)))}}, summary
	}
	if over := net.Sub(h.received); over.Sign() > 0 && !cfg.amountOK(over, h.received) {
		return []Finding{{Code: CodeReceiptMissing, Severity: SeverityWarning, Fields: field,
			Message: fmt.Sprintf("%s net %s is %s above the value received and not yet billed on %s (%s).",
				subject, fmtMoney(net), fmtMoney(over.Round(2)), joinPOs(pos), fmtMoney(h.received.Round(2)))}}, summary
	}
	return nil, summary
}

// headerCredit: a credit note without lines may give back at most what
// was billed on the orders.
func headerCredit(amount decimal.Decimal, h headerValues, pos []string, subject string, cfg Config) ([]Finding, string) {
	summary := fmt.Sprintf("%s has no lines; credit %s compared with %s billed on %s.", subject, fmtMoney(amount), fmtMoney(h.billed.Round(2)), joinPOs(pos))
	if over := amount.Sub(h.billed); over.Sign() > 0 && !cfg.amountOK(over, h.billed) {
		return []Finding{{Code: CodePOQuantityVariance, Severity: SeverityWarning, Fields: []string{"totals"},
			Message: fmt.Sprintf("%s credits %s, %s more than was billed on %s (%s).",
				subject, fmtMoney(amount), fmtMoney(over.Round(2)), joinPOs(pos), fmtMoney(h.billed.Round(2)))}}, summary
	}
	return nil, summary
}

// pctText is " (20%)", or "" when base is zero.
func pctText(v, base decimal.Decimal) string {
	if p, ok := percentOf(v, base); ok {
		return " (" + fmtPct(p) + ")"
	}
	return ""
}

func lower(subject string) string {
	if subject == "Invoice" {
		return "invoice"
	}
	return "credit note"
}
