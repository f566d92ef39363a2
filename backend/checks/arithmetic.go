package checks

import (
	"fmt"
	"strings"

	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/invoice"
)

// term is one operand of an expected total, as shown in the message.
type term struct {
	name string
	v    *decimal.Decimal
	neg  bool // subtracted rather than added
}

// sum adds the present terms. Absent optional amounts (allowances, charges,
// prepaid, rounding) count as zero: EN 16931 leaves them out when they are
// zero, so absence is not a contradiction.
func sum(terms []term) decimal.Decimal {
	var s decimal.Decimal
	for _, t := range terms {
		switch {
		case t.v == nil:
		case t.neg:
			s = s.Sub(*t.v)
		default:
			s = s.Add(*t.v)
		}
	}
	return s
}

// describe writes the terms as "line_net 100.00 - allowances 5.00", so the
// user sees where the expected amount comes from.
func describe(terms []term) string {
	var b strings.Builder
	for _, t := range terms {
		if t.v == nil {
			continue
		}
		switch {
		case b.Len() == 0 && t.neg:
			b.WriteString("- ")
		case b.Len() > 0 && t.neg:
			b.WriteString(" - ")
		case b.Len() > 0:
			b.WriteString(" + ")
		}
		fmt.Fprintf(&b, "%s %s", t.name, t.v)
	}
	return b.String()
}

// off reports whether found and expected differ by more than tol.
func off(found, expected, tol decimal.Decimal) bool {
	return found.Sub(expected).Abs().Cmp(tol) > 0
}

// mismatch is the arithmetic finding: what the document says, what it
// should say, and why.
func mismatch(label string, found, expected decimal.Decimal, why string, fields ...string) Finding {
	msg := fmt.Sprintf("%s is %s, expected %s = %s (difference %s)",
		label, found, expected, why, found.Sub(expected))
	return finding(CodeArithmetic, SeverityError, msg, fields...)
}

// checkArithmetic verifies the EN 16931 totals chain (BR-CO-10, -13, -14,
// -15, -16) and each VAT breakdown row. Each step runs only when the
// amounts it needs are present: a read page that shows no subtotal is
// incomplete, not inconsistent, and missing_field covers what is required.
func checkArithmetic(inv *invoice.Invoice, _ *Context, cfg *Config) []Finding {
	tol := cfg.ArithmeticTolerance.Abs()
	var out []Finding
	for _, step := range []func(*invoice.Invoice, decimal.Decimal) []Finding{
		checkLineSum, checkTaxExclusive, checkTaxInclusive, checkPayable, checkBreakdownTotal, checkBreakdownRows,
	} {
		out = append(out, step(inv, tol)...)
	}
	return out
}

// checkLineSum: BR-CO-10, the line net amounts add up to BT-106. Lines
// without an amount (a read line the reader could not place) skip it.
func checkLineSum(inv *invoice.Invoice, tol decimal.Decimal) []Finding {
	t := inv.Totals
	if t.LineNet == nil || len(inv.Lines) == 0 {
		return nil
	}
	var s decimal.Decimal
	for _, l := range inv.Lines {
		if l.NetAmount == nil {
			return nil
		}
		s = s.Add(*l.NetAmount)
	}
	if !off(*t.LineNet, s, tol) {
		return nil
	}
	why := fmt.Sprintf("the sum of %d line net amounts (BT-131)", len(inv.Lines))
	return []Finding{mismatch("line_net (BT-106)", *t.LineNet, s, why, "totals.line_net", "lines")}
}

// checkTaxExclusive: BR-CO-13, BT-109 = BT-106 - BT-107 + BT-108.
func checkTaxExclusive(inv *invoice.Invoice, tol decimal.Decimal) []Finding {
	t := inv.Totals
	if t.LineNet == nil || t.TaxExclusive == nil {
		return nil
	}
	terms := []term{{"line_net", t.LineNet, false}, {"allowances", t.Allowances, true}, {"charges", t.Charges, false}}
	want := sum(terms)
	if !off(*t.TaxExclusive, want, tol) {
		return nil
	}
	fields := append(presentPaths(terms, "totals."), "totals.tax_exclusive")
	return []Finding{mismatch("tax_exclusive (BT-109)", *t.TaxExclusive, want, describe(terms), fields...)}
}

// checkTaxInclusive: BR-CO-15, BT-112 = BT-109 + BT-110. Without BT-110
// the breakdown's VAT stands in, since read pages often show only that.
func checkTaxInclusive(inv *invoice.Invoice, tol decimal.Decimal) []Finding {
	t := inv.Totals
	if t.TaxExclusive == nil || t.TaxInclusive == nil {
		return nil
	}
	tax, taxName, taxPath := t.Tax, "tax", "totals.tax"
	if tax == nil {
		s, ok := breakdownTax(inv.TaxBreakdown)
		if !ok {
			return nil
		}
		tax, taxName, taxPath = &s, "breakdown tax", "tax_breakdown"
	}
	terms := []term{{"tax_exclusive", t.TaxExclusive, false}, {taxName, tax, false}}
	want := sum(terms)
	if !off(*t.TaxInclusive, want, tol) {
		return nil
	}
	return []Finding{mismatch("tax_inclusive (BT-112)", *t.TaxInclusive, want, describe(terms),
		"totals.tax_exclusive", taxPath, "totals.tax_inclusive")}
}

// checkPayable: BR-CO-16, BT-115 = BT-112 - BT-113 + BT-114.
func checkPayable(inv *invoice.Invoice, tol decimal.Decimal) []Finding {
	t := inv.Totals
	if t.TaxInclusive == nil || t.Payable == nil {
		return nil
	}
	terms := []term{{"tax_inclusive", t.TaxInclusive, false}, {"prepaid", t.Prepaid, true}, {"rounding", t.Rounding, false}}
	want := sum(terms)
	if !off(*t.Payable, want, tol) {
		return nil
	}
	fields := append(presentPaths(terms, "totals."), "totals.payable")
	return []Finding{mismatch("payable (BT-115)", *t.Payable, want, describe(terms), fields...)}
}

// checkBreakdownTotal: BR-CO-14, BT-110 is the sum of the breakdown's
// BT-117. Both are in the invoice currency (BT-111 is the other one).
func checkBreakdownTotal(inv *invoice.Invoice, tol decimal.Decimal) []Finding {
	if inv.Totals.Tax == nil {
		return nil
	}
	s, ok := breakdownTax(inv.TaxBreakdown)
	if !ok || !off(*inv.Totals.Tax, s, tol) {
		return nil
	}
	why := fmt.Sprintf("the sum of %d VAT breakdown amounts (BT-117)", len(inv.TaxBreakdown))
	return []Finding{mismatch("tax (BT-110)", *inv.Totals.Tax, s, why, "totals.tax", "tax_breakdown")}
}

// breakdownTax adds the breakdown's VAT; ok is false when there is no
// breakdown or a row has no amount, since a partial sum proves nothing.
func breakdownTax(rows []invoice.TaxSubtotal) (decimal.Decimal, bool) {
	var s decimal.Decimal
	for _, r := range rows {
		if r.Tax == nil {
			return decimal.Decimal{}, false
		}
		s = s.Add(*r.Tax)
	}
	return s, len(rows) > 0
}

// checkBreakdownRows: each row's VAT is its rate applied to its taxable
// amount (BR-S-09 and its siblings). Rows without a rate (category O) or
// amounts are skipped.
func checkBreakdownRows(inv *invoice.Invoice, tol decimal.Decimal) []Finding {
	var out []Finding
	hundredth := decimal.New(1, 2)
	for i, r := range inv.TaxBreakdown {
		if r.Rate == nil || r.Taxable == nil || r.Tax == nil {
			continue
		}
		exact := r.Taxable.Mul(*r.Rate).Mul(hundredth)
		if !off(*r.Tax, exact, rowTolerance(tol, *r.Tax)) {
			continue
		}
		// Show the expectation at the scale the document writes VAT in,
		// not the 6 decimals of the exact product.
		want := exact.Round(max(r.Tax.Scale(), 2))
		why := fmt.Sprintf("%s%% of taxable %s (category %s)", r.Rate, r.Taxable, r.Category)
		p := fmt.Sprintf("tax_breakdown[%d].", i)
		out = append(out, mismatch(p+"tax (BT-117)", *r.Tax, want, why, p+"taxable", p+"rate", p+"tax"))
	}
	return out
}

// rowTolerance is the configured tolerance, widened to half a unit in the
// last place the VAT amount is written with: an amount in whole forints
// (HUF, JPY) is legitimately up to 0.5 away from the exact product.
func rowTolerance(tol, tax decimal.Decimal) decimal.Decimal {
	half := decimal.New(5, tax.Scale()+1)
	if half.Cmp(tol) > 0 {
		return half
	}
	return tol
}

// presentPaths lists the JSON paths of the terms the document states.
func presentPaths(terms []term, prefix string) []string {
	var out []string
	for _, t := range terms {
		if t.v != nil {
			out = append(out, prefix+t.name)
		}
	}
	return out
}
