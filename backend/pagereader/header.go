package pagereader

import (
	"strings"
	"unicode"

	"github.com/smartap/desktop/backend/invoice"
)

// readHeader finds the invoice number, dates, currency and references.
func (r *reader) readHeader() {
	if c, ok := best(collect(r, invoiceNumberLabels, parseInvoiceNumber)); ok {
		r.inv.InvoiceNumber, r.numLine = c.Val, c.Line
		r.set("invoice_number", c.Score-0.1+0.05*float64(boolInt(c.Where == inSegment)))
	} else if v, li, ok := r.prominentNumber(); ok {
		r.inv.InvoiceNumber, r.numLine = v, li
		r.set("invoice_number", ConfGuess)
		r.warnf("invoice number %q chosen by prominence on the first page; no label found", v)
	} else {
		r.warnf("no invoice number found")
	}
	r.readIssueDate()
	if c, ok := best(collect(r, dueDateLabels, parseLatestDate)); ok {
		r.inv.DueDate = c.Val
		r.set("due_date", c.Score-0.1)
	}
	r.readCurrency()
	if c, ok := best(collect(r, buyerRefLabels, parseReference)); ok {
		r.inv.BuyerReference = c.Val
		r.set("buyer_reference", c.Score-0.1)
	}
	if c, ok := best(collect(r, orderLabels, parseInvoiceNumber)); ok {
		r.inv.PurchaseOrder = c.Val
		r.set("purchase_order", c.Score-0.1)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// readIssueDate: a date label, else the date written after the invoice
// number ("Nr. 471102 vom 05.03.2018"), else the first date on the first
// page that no other label claims.
func (r *reader) readIssueDate() {
	c, ok := best(collect(r, issueDateLabels, parseFirstDate))
	if ok && c.Score >= 0.8 {
		r.inv.IssueDate = c.Val
		r.set("issue_date", c.Score-0.1)
		return
	}
	if r.numLine >= 0 {
		ln := r.lay.Lines[r.numLine]
		if i := strings.Index(ln.Text, r.inv.InvoiceNumber); i >= 0 && r.inv.InvoiceNumber != "" {
			if ds := findDates(ln.Text[i+len(r.inv.InvoiceNumber):]); len(ds) > 0 {
				r.inv.IssueDate = ds[0].Date
				r.set("issue_date", ConfLabel-0.05)
				return
			}
		}
	}
	if ok {
		r.inv.IssueDate = c.Val
		r.set("issue_date", c.Score-0.1)
		return
	}
	for _, ln := range r.lay.Lines {
		if ln.Page != r.lay.Lines[0].Page {
			break
		}
		if ds := findDates(ln.Text); len(ds) > 0 && !dateClaimed.MatchString(fold(ln.Text)) {
			r.inv.IssueDate = ds[0].Date
			r.set("issue_date", ConfGuess)
			r.warnf("issue date %s guessed: the first date on the page, without a label", ds[0].Date)
			return
		}
	}
}

var dateClaimed = dueDateLabels[0].re

func parseFirstDate(s string) (invoice.Date, bool) {
	ds := findDates(s)
	if len(ds) == 0 {
		return invoice.Date{}, false
	}
	return ds[0].Date, true
}

// parseLatestDate: payment terms name the discount date before the net
// due date or after it; the due date is the latest.
func parseLatestDate(s string) (invoice.Date, bool) {
	ds := findDates(s)
	if len(ds) == 0 {
		return invoice.Date{}, false
	}
	d := ds[0].Date
	for _, h := range ds[1:] {
		if h.Date.After(d) {
			d = h.Date
		}
	}
	return d, true
}

// parseInvoiceNumber takes the first word of s if it looks like a
// document number: letters, digits and / - _ . with at least one digit,
// and not a date or an amount.
func parseInvoiceNumber(s string) (string, bool) {
	fs := strings.Fields(s)
	if len(fs) == 0 {
		return "", false
	}
	t := strings.Trim(fs[0], ",;:()[]")
	if len(t) == 0 || len(t) > 40 || len(findDates(t)) > 0 {
		return "", false
	}
	digit := false
	for _, c := range t {
		switch {
		case c >= '0' && c <= '9':
			digit = true
		case c < 128 && (unicode.IsLetter(c) || strings.ContainsRune("/-_.", c)):
		default:
			return "", false
		}
	}
	if !digit || twoDecComma.MatchString(t) && strings.Count(t, ",") == 1 {
		return "", false
	}
	return t, true
}

// parseReference keeps a short free-text reference.
func parseReference(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 60 {
		return "", false
	}
	return s, true
}

// readCurrency: a currency label with a code or symbol, else the most
// frequent currency written next to amounts.
func (r *reader) readCurrency() {
	if c, ok := best(collect(r, currencyLabels, parseCurrency)); ok {
		r.inv.Currency = c.Val
		r.set("currency", c.Score)
		return
	}
	count := map[string]int{}
	bestCode, n := "", 0
	for _, ln := range r.lay.Lines {
		for _, a := range scanAmounts(ln.Text, r.style) {
			if a.Currency == "" {
				continue
			}
			count[a.Currency]++
			if count[a.Currency] > n {
				bestCode, n = a.Currency, count[a.Currency]
			}
		}
	}
	if bestCode != "" {
		r.inv.Currency = bestCode
		r.set("currency", ConfWeakLabel)
	}
}

func parseCurrency(s string) (string, bool) {
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !strings.ContainsRune("€$£¥", r) }) {
		if isoCurrencies[f] {
			return f, true
		}
		if f == "€" || strings.EqualFold(f, "euro") {
			return "EUR", true
		}
		for sym, code := range currencySymbols {
			if f == string(sym) {
				return code, true
			}
		}
	}
	return "", false
}

// prominentNumber is the fallback for a page that shows its number without
// a label: the identifier in the largest font in the top fifth of the
// first page.
func (r *reader) prominentNumber() (string, int, bool) {
	first := r.lay.Lines[0].Page
	var val string
	li, size := -1, 0.0
	for _, ln := range r.lay.Lines {
		if ln.Page != first || ln.Y > 170 {
			continue
		}
		for _, seg := range ln.Segs {
			v, ok := parseInvoiceNumber(seg.Text)
			if ok && len(strings.Fields(seg.Text)) == 1 && seg.Size > size && hasLetterAndDigit(v) {
				val, li, size = v, ln.Index, seg.Size
			}
		}
	}
	return val, li, li >= 0
}

func hasLetterAndDigit(s string) bool {
	return strings.IndexFunc(s, unicode.IsLetter) >= 0 && strings.IndexFunc(s, unicode.IsDigit) >= 0
}
