package checks

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/vendor"
)

// checkDuplicates compares the invoice with stored ones. Each prior gives
// at most one finding, the strongest that applies: the same bytes
// (critical: it is the same file again), the same seller and number (error:
// almost always the same invoice, re-sent or re-scanned), or the same
// seller with nearly the same amount and date under another number
// (warning: the pattern of an invoice re-issued to be paid twice).
func checkDuplicates(inv *invoice.Invoice, ctx *Context, cfg *Config) []Finding {
	var out []Finding
	exact := map[string]bool{}
	if id := ctx.ExactDuplicateOf; id != "" && id != ctx.Self {
		exact[id] = true
		out = append(out, exactDuplicate(id))
	}
	for _, p := range ctx.Priors {
		if (p.ID != "" && p.ID == ctx.Self) || exact[p.ID] {
			continue
		}
		if ctx.SHA256 != "" && strings.EqualFold(p.SHA256, ctx.SHA256) {
			exact[p.ID] = true
			out = append(out, exactDuplicate(p.ID))
			continue
		}
		if !sameSeller(&inv.Seller, &p.Invoice.Seller) {
			continue
		}
		if f, ok := numberDuplicate(inv, &p); ok {
			out = append(out, f)
		} else if f, ok := nearDuplicate(inv, &p, cfg); ok {
			out = append(out, f)
		}
	}
	return out
}

func exactDuplicate(id string) Finding {
	msg := fmt.Sprintf("the same file was already imported as invoice %s", id)
	return finding(CodeDuplicateExact, SeverityCritical, msg)
}

func numberDuplicate(inv *invoice.Invoice, p *Prior) (Finding, bool) {
	n := NormalizeNumber(inv.InvoiceNumber)
	if n == "" || n != NormalizeNumber(p.Invoice.InvoiceNumber) {
		return Finding{}, false
	}
	msg := fmt.Sprintf("invoice %s (number %q, issued %s) has the same seller and invoice number",
		p.ID, p.Invoice.InvoiceNumber, orUnknown(p.Invoice.IssueDate.String()))
	return finding(CodeDuplicateNumber, SeverityError, msg, "invoice_number", "seller.name"), true
}

// nearDuplicate needs both payable amounts in the same currency and both
// issue dates. An invoice and a credit note never pair up: a credit note
// for the full amount a few days later is a cancellation, not a duplicate.
func nearDuplicate(inv *invoice.Invoice, p *Prior, cfg *Config) (Finding, bool) {
	a, b := inv.Totals.Payable, p.Invoice.Totals.Payable
	if a == nil || b == nil || inv.IssueDate.IsZero() || p.Invoice.IssueDate.IsZero() ||
		!strings.EqualFold(inv.Currency, p.Invoice.Currency) || inv.IsCreditNote() != p.Invoice.IsCreditNote() {
		return Finding{}, false
	}
	if !withinPct(*a, *b, cfg.NearAmountPct) || dayDistance(inv.IssueDate, p.Invoice.IssueDate) > cfg.NearDays {
		return Finding{}, false
	}
	msg := fmt.Sprintf("invoice %s from the same seller (number %q, %s %s, issued %s) has nearly the same amount and date",
		p.ID, p.Invoice.InvoiceNumber, b, p.Invoice.Currency, p.Invoice.IssueDate)
	return finding(CodeDuplicateNear, SeverityWarning, msg, "totals.payable", "issue_date"), true
}

// withinPct reports |a - b| <= pct% of |a|, in exact arithmetic.
func withinPct(a, b, pct decimal.Decimal) bool {
	limit := a.Abs().Mul(pct).Mul(decimal.New(1, 2))
	return a.Sub(b).Abs().Cmp(limit) <= 0
}

// dayDistance is the number of days between two dates, either way round.
// Midnight UTC of each day makes it exact: UTC has no DST shifts.
func dayDistance(a, b invoice.Date) int {
	ta := time.Date(a.Year, a.Month, a.Day, 0, 0, 0, 0, time.UTC)
	tb := time.Date(b.Year, b.Month, b.Day, 0, 0, 0, 0, time.UTC)
	d := tb.Sub(ta)
	if d < 0 {
		d = -d
	}
	return int(d / (24 * time.Hour))
}

// sameSeller compares VAT ids when both invoices carry one, else the
// matching form of the names: a read page may miss the VAT id that the
// structured copy had.
func sameSeller(a, b *invoice.Party) bool {
	va, vb := vendor.NormalizeVATID(a.VATID), vendor.NormalizeVATID(b.VATID)
	if va != "" && vb != "" {
		return va == vb
	}
	na := vendor.MatchName(a.Name)
	return na != "" && na == vendor.MatchName(b.Name)
}

// NormalizeNumber is the form in which two invoice numbers are the same
// number: case, spaces and punctuation ("RE-2024/001" vs "re 2024 001")
// and leading zeros ("0042" vs "42") are presentation, and readers and
// people vary them.
func NormalizeNumber(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	n := b.String()
	if t := strings.TrimLeft(n, "0"); t != "" || n == "" {
		return t
	}
	return "0" // the number was all zeros; keep it a number
}

func orUnknown(s string) string {
	if s == "" {
		return "date unknown"
	}
	return s
}
