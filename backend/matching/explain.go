package matching

import (
	"fmt"
	"strconv"
	"strings"
)

// The texts here are read by clerks, in the app and in `show --json`. They
// name lines and orders the way the documents do ("line 2", "PO 4711")
// and print numbers without the trailing zeros of the XML. Every text is
// built from the input alone, so the output is the same on every run.

// subjectOf is how the document is called in texts.
func subjectOf(credit bool) string {
	if credit {
		return "Credit note"
	}
	return "Invoice"
}

// label names an invoice line by its id (BT-126), else by its position.
func (il invLine) label() string {
	if id := strings.TrimSpace(il.line.ID); id != "" {
		return id
	}
	return strconv.Itoa(il.idx + 1)
}

// head is "Invoice line 2 (10 × 4.50)".
func (il invLine) head(subject string) string {
	return fmt.Sprintf("%s line %s (%s × %s)", subject, il.label(), fmtQty(il.shown), fmtMoney(il.price))
}

// unmatchedText is `Invoice line 4 "Versandkosten" (1 × 5.90) is on none
// of the orders`: the name, because there is no PO line to recognise it by.
func (il invLine) unmatchedText(subject string) string {
	return fmt.Sprintf("%s line %s %q (%s × %s) is on none of the orders", subject, il.label(), il.line.Name, fmtQty(il.shown), fmtMoney(il.price))
}

// ref is "PO 4711 line 3".
func (s *poSlot) ref() string { return fmt.Sprintf("PO %s line %d", s.poNumber, s.line.LineNo) }

// explain is the one-sentence explanation of a verdict, e.g.
// "Invoice line 2 (10 × 4.50) matches PO 4711 line 3 (10 × 4.50 ordered,
// 6 received): 4 not yet received."
func explain(v *verdict, subject string) string {
	switch {
	case v.il.empty:
		return fmt.Sprintf("%s line %s %q bills nothing and is not compared.", subject, v.il.label(), v.il.line.Name)
	case v.slot == nil:
		return v.il.unmatchedText(subject) + "."
	}
	verb := "matches"
	if v.il.qty.Sign() < 0 {
		verb = "credits"
	}
	by := ""
	if v.how == HowPosition {
		by = " by position only"
	}
	return fmt.Sprintf("%s %s %s%s (%s): %s.", v.il.head(subject), verb, v.slot.ref(), by, v.poFacts(), strings.Join(v.issues(), "; "))
}

// poFacts is "10 × 4.50 ordered, 6 received, 4 billed before".
func (v *verdict) poFacts() string {
	s := v.slot
	out := fmt.Sprintf("%s × %s ordered, %s received", fmtQty(s.line.Quantity), fmtMoney(s.line.UnitPrice), fmtQty(s.received))
	if !v.before.IsZero() {
		out += fmt.Sprintf(", %s billed before", fmtQty(v.before))
	}
	return out
}

// qtyFacts is "10 ordered, 6 received, 2 billed before"; the last part
// only when something was.
func (v *verdict) qtyFacts() string {
	out := fmt.Sprintf("%s ordered, %s received", fmtQty(v.slot.line.Quantity), fmtQty(v.slot.received))
	if !v.before.IsZero() {
		out += fmt.Sprintf(", %s billed before", fmtQty(v.before))
	}
	return out
}

// issues lists what is wrong, worst first, or says what agrees.
func (v *verdict) issues() []string {
	var out []string
	if v.overBilled {
		out = append(out, fmt.Sprintf("over-billed, %s more than ordered and %s more than received", fmtQty(v.overOrdered), fmtQty(v.notReceived)))
	}
	if v.priceOff {
		out = append(out, v.priceText()+" the PO price")
	}
	if v.overOrdered.Sign() > 0 && !v.overBilled {
		out = append(out, fmt.Sprintf("%s more than ordered, though received", fmtQty(v.overOrdered)))
	}
	if v.overCredit.Sign() > 0 {
		out = append(out, fmt.Sprintf("credits %s more than was billed", fmtQty(v.overCredit)))
	}
	if v.notReceived.Sign() > 0 && !v.overBilled {
		out = append(out, fmt.Sprintf("%s not yet received", fmtQty(v.notReceived)))
	}
	if len(out) > 0 {
		return out
	}
	return v.agreement()
}

// agreement is the text of a line without issues.
func (v *verdict) agreement() []string {
	text := "price and quantity agree"
	if !v.priceDiff.IsZero() {
		text = fmt.Sprintf("unit price within tolerance of %s, quantity agrees", fmtMoney(v.slot.line.UnitPrice))
	}
	if v.il.qty.Sign() < 0 {
		text += fmt.Sprintf(", %s remain billed", fmtQty(v.after))
	}
	return []string{text}
}

// priceText is "unit price 4.95 is 0.45 (10%) above".
func (v *verdict) priceText() string {
	dir := "above"
	if v.priceDiff.Sign() < 0 {
		dir = "below"
	}
	return fmt.Sprintf("unit price %s is %s%s %s", fmtMoney(v.il.price), fmtMoney(v.priceDiff.Abs()), pctText(v.priceDiff, v.slot.line.UnitPrice), dir)
}

// findings turns a verdict into check results; fields are paths into the
// invoice JSON (zero-based line index).
func (v *verdict) findings(subject string, pos []string) []Finding {
	who := fmt.Sprintf("%s line %s", subject, v.il.label())
	qtyField := []string{fmt.Sprintf("lines[%d].quantity", v.il.idx)}
	if v.il.empty {
		return nil
	}
	if v.slot == nil {
		return []Finding{{Code: CodePOQuantityVariance, Severity: SeverityWarning, Fields: []string{fmt.Sprintf("lines[%d]", v.il.idx)},
			Message: fmt.Sprintf("%s (%s).", v.il.unmatchedText(subject), joinPOs(pos))}}
	}
	var out []Finding
	if v.priceOff {
		out = append(out, v.priceFinding(who))
	}
	s := v.slot
	switch {
	case v.overBilled:
		out = append(out, Finding{Code: CodePOQuantityVariance, Severity: SeverityError, Fields: qtyField,
			Message: fmt.Sprintf("%s over-bills %s: %s billed in all (%s).", who, s.ref(), fmtQty(v.after), v.qtyFacts())})
	case v.overOrdered.Sign() > 0:
		out = append(out, Finding{Code: CodePOQuantityVariance, Severity: SeverityWarning, Fields: qtyField,
			Message: fmt.Sprintf("%s bills %s more than %s ordered (%s).", who, fmtQty(v.overOrdered), s.ref(), v.qtyFacts())})
	case v.notReceived.Sign() > 0:
		out = append(out, Finding{Code: CodeReceiptMissing, Severity: SeverityWarning, Fields: qtyField,
			Message: fmt.Sprintf("%s: %s billed on %s not yet received (%s).", who, fmtQty(v.notReceived), s.ref(), v.qtyFacts())})
	case v.overCredit.Sign() > 0:
		out = append(out, Finding{Code: CodePOQuantityVariance, Severity: SeverityWarning, Fields: qtyField,
			Message: fmt.Sprintf("%s credits %s more than was billed on %s (%s).", who, fmtQty(v.overCredit), s.ref(), v.qtyFacts())})
	}
	return out
}

// priceFinding: a price above the order is an error (we would overpay),
// one below a warning (cheaper, but maybe another article).
func (v *verdict) priceFinding(who string) Finding {
	sev := SeverityError
	if v.priceDiff.Sign() < 0 {
		sev = SeverityWarning
	}
	total := v.priceDiff.Abs().Mul(v.il.qty.Abs()).Round(2)
	return Finding{Code: CodePOPriceVariance, Severity: sev, Fields: []string{fmt.Sprintf("lines[%d].unit_price", v.il.idx)},
		Message: fmt.Sprintf("%s: %s the price of %s (%s); %s in total.", who, v.priceText(), v.slot.ref(), fmtMoney(v.slot.line.UnitPrice), fmtMoney(total))}
}

// joinPOs is "PO 4711", "PO 4711 and PO 4712" or "PO 1, PO 2 and PO 3".
func joinPOs(numbers []string) string {
	refs := make([]string, len(numbers))
	for i, n := range numbers {
		refs[i] = "PO " + n
	}
	switch len(refs) {
	case 0:
		return "no order"
	case 1:
		return refs[0]
	}
	return strings.Join(refs[:len(refs)-1], ", ") + " and " + refs[len(refs)-1]
}
