package llm

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/invoice"
)

// merge returns partial with the candidate's values filled in where partial
// has no value, or a value with confidence below LowConfidence. A value
// partial already holds with more confidence is kept; when the model
// disagrees, a warning says so. Taken values get ModelConfidence, or
// ConfirmedConfidence when a checksum confirmed them; then the arithmetic
// (see arithmetic.go) raises or lowers them. partial is not modified: maps
// and slices are copied.
func merge(partial invoice.Invoice, c candidate) invoice.Invoice {
	out := partial
	out.Confidence = maps.Clone(partial.Confidence)
	if out.Confidence == nil {
		out.Confidence = map[string]float64{}
	}
	out.Warnings = slices.Clone(partial.Warnings)
	out.Lines = slices.Clone(partial.Lines)

	m := &merger{out: &out, taken: map[string]bool{}}
	m.text("invoice_number", &out.InvoiceNumber, c.inv.InvoiceNumber, sameID)
	m.date("issue_date", &out.IssueDate, c.inv.IssueDate)
	m.date("due_date", &out.DueDate, c.inv.DueDate)
	m.text("currency", &out.Currency, c.inv.Currency, sameID)
	m.text("seller.name", &out.Seller.Name, c.inv.Seller.Name, sameName)
	m.text("seller.vat_id", &out.Seller.VATID, c.inv.Seller.VATID, sameID)
	m.text("buyer.name", &out.Buyer.Name, c.inv.Buyer.Name, sameName)
	m.text("payment.iban", &out.Payment.IBAN, c.inv.Payment.IBAN, sameID)
	m.text("payment.bic", &out.Payment.BIC, c.inv.Payment.BIC, sameID)
	t, ct := &out.Totals, c.inv.Totals
	m.amount("totals.line_net", &t.LineNet, ct.LineNet)
	m.amount("totals.tax_exclusive", &t.TaxExclusive, ct.TaxExclusive)
	m.amount("totals.tax", &t.Tax, ct.Tax)
	m.amount("totals.tax_inclusive", &t.TaxInclusive, ct.TaxInclusive)
	m.amount("totals.payable", &t.Payable, ct.Payable)
	m.lines(c.inv.Lines)

	for path := range m.taken {
		if c.confirmed[path] {
			out.Confidence[path] = ConfirmedConfidence
		} else {
			out.Confidence[path] = ModelConfidence
		}
	}
	out.Warnings = append(out.Warnings, c.warnings...)
	out.Warnings = append(out.Warnings, m.warnings...)
	out.Warnings = append(out.Warnings, checkArithmetic(&out, m.taken)...)
	if len(out.Confidence) == 0 && partial.Confidence == nil {
		out.Confidence = nil // nothing taken: keep "no confidence map" as it was
	}
	return out
}

type merger struct {
	out      *invoice.Invoice
	taken    map[string]bool
	warnings []string
}

// replaceable: partial has no value, or one it is not sure of. A value
// without a confidence entry is exact (structured XML leaves the map empty).
func (m *merger) replaceable(path string, has bool) bool {
	if !has {
		return true
	}
	c, ok := m.out.Confidence[path]
	return ok && c < LowConfidence
}

func (m *merger) take(path string) { m.taken[path] = true }

func (m *merger) disagree(path string) {
	m.warnings = append(m.warnings, warningPrefix+path+" differs from the value already read; kept the value already read")
}

func (m *merger) text(path string, dst *string, v string, same func(a, b string) bool) {
	switch {
	case v == "":
	case m.replaceable(path, *dst != ""):
		*dst = v
		m.take(path)
	case !same(*dst, v):
		m.disagree(path)
	}
}

func (m *merger) date(path string, dst *invoice.Date, v invoice.Date) {
	switch {
	case v.IsZero():
	case m.replaceable(path, !dst.IsZero()):
		*dst = v
		m.take(path)
	case *dst != v:
		m.disagree(path)
	}
}

func (m *merger) amount(path string, dst **decimal.Decimal, v *decimal.Decimal) {
	switch {
	case v == nil:
	case m.replaceable(path, *dst != nil):
		*dst = v
		m.take(path)
	case !(*dst).Equal(*v):
		m.disagree(path)
	}
}

// lines: with no lines read yet the model's lines are taken whole; with
// the same number of lines they are merged field by field; otherwise the
// lines cannot be paired and none are taken.
func (m *merger) lines(in []invoice.Line) {
	switch {
	case len(in) == 0:
	case len(m.out.Lines) == 0:
		for i, l := range in {
			m.out.Lines = append(m.out.Lines, l)
			p := func(f string) string { return fmt.Sprintf("lines[%d].%s", i, f) }
			if l.Name != "" {
				m.take(p("name"))
			}
			for f, d := range map[string]*decimal.Decimal{
				"quantity": l.Quantity, "unit_price": l.UnitPrice, "net_amount": l.NetAmount, "tax_rate": l.TaxRate,
			} {
				if d != nil {
					m.take(p(f))
				}
			}
		}
	case len(m.out.Lines) == len(in):
		for i := range in {
			dst, src := &m.out.Lines[i], in[i]
			p := func(f string) string { return fmt.Sprintf("lines[%d].%s", i, f) }
			m.text(p("name"), &dst.Name, src.Name, sameName)
			m.amount(p("quantity"), &dst.Quantity, src.Quantity)
			m.amount(p("unit_price"), &dst.UnitPrice, src.UnitPrice)
			m.amount(p("net_amount"), &dst.NetAmount, src.NetAmount)
			m.amount(p("tax_rate"), &dst.TaxRate, src.TaxRate)
		}
	default:
		m.warnings = append(m.warnings, fmt.Sprintf(
			"%slines not taken: the answer has %d lines, the page reading %d", warningPrefix, len(in), len(m.out.Lines)))
	}
}

// sameID compares identifiers and codes ignoring case, spaces and punctuation.
func sameID(a, b string) bool { return alnumUpper(a) == alnumUpper(b) }

// sameName compares names ignoring case and spacing.
func sameName(a, b string) bool {
	return strings.EqualFold(strings.Join(strings.Fields(a), " "), strings.Join(strings.Fields(b), " "))
}
