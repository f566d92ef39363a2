package invoice

import (
	"math"
	"strings"
	"unicode"
)

// Normalize puts the invoice into its canonical written form, in place:
// surrounding whitespace trimmed, codes upper-cased, identifiers without
// separators. Sources differ only in presentation ("nl57 rabo 0107 3075 10",
// "NL8200.98.395.B.01"), and duplicate detection, vendor master comparison
// and the blind indexes need one spelling. Amounts are left untouched: their
// scale is part of what the document says. Normalize is idempotent.
func (inv *Invoice) Normalize() {
	if inv == nil {
		return
	}
	inv.InvoiceNumber = strings.TrimSpace(inv.InvoiceNumber)
	inv.TypeCode = TypeCode(strings.TrimSpace(string(inv.TypeCode)))
	inv.Currency = code(inv.Currency)
	inv.TaxCurrency = code(inv.TaxCurrency)
	inv.BuyerReference = strings.TrimSpace(inv.BuyerReference)
	inv.PurchaseOrder = strings.TrimSpace(inv.PurchaseOrder)
	inv.PaymentTerms = strings.TrimSpace(inv.PaymentTerms)
	inv.Notes = nonEmpty(inv.Notes)
	inv.Seller.normalize()
	inv.Buyer.normalize()
	inv.Payment.normalize()
	for i := range inv.TaxBreakdown {
		inv.TaxBreakdown[i].Category = code(inv.TaxBreakdown[i].Category)
	}
	for i := range inv.Lines {
		inv.Lines[i].normalize()
	}
	clampConfidence(inv.Confidence)
	inv.Warnings = nonEmpty(inv.Warnings)
}

func (p *Party) normalize() {
	p.Name = collapse(p.Name)
	p.VATID = compactID(p.VATID, " .-")
	p.TaxID = strings.TrimSpace(p.TaxID) // national formats keep their slashes and dots
	p.Address.Line1 = collapse(p.Address.Line1)
	p.Address.City = collapse(p.Address.City)
	p.Address.Postcode = strings.ToUpper(collapse(p.Address.Postcode))
	p.Address.Country = code(p.Address.Country)
}

func (p *Payment) normalize() {
	p.MeansCode = strings.TrimSpace(p.MeansCode)
	p.IBAN = compactID(p.IBAN, "")
	p.AccountName = collapse(p.AccountName)
	p.BIC = compactID(p.BIC, "")
}

func (l *Line) normalize() {
	l.ID = strings.TrimSpace(l.ID)
	l.Name = collapse(l.Name)
	l.Unit = code(l.Unit)
	l.TaxCategory = code(l.TaxCategory)
}

// code is for code-list values (currency, country, tax category, unit):
// they are defined in upper case.
func code(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// compactID upper-cases an identifier and drops whitespace plus the given
// separators, which are presentation only: VAT numbers are written
// "NL8200.98.395.B.01" or "DE 123 456 789", IBANs in groups of four.
func compactID(s, separators string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || strings.ContainsRune(separators, r) {
			return -1
		}
		return unicode.ToUpper(r)
	}, s)
}

// collapse trims and turns inner runs of whitespace (line breaks from a
// read page, double spaces) into one space, so the same name compares equal.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// nonEmpty trims every entry and drops the empty ones. Inner line breaks of
// notes are kept: they can matter to the reader.
func nonEmpty(in []string) []string {
	var out []string
	for _, s := range in {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// clampConfidence keeps scores in 0..1; NaN becomes 0 because JSON cannot
// encode it and an unknown score is no confidence at all.
func clampConfidence(m map[string]float64) {
	for k, v := range m {
		switch {
		case math.IsNaN(v) || v < 0:
			m[k] = 0
		case v > 1:
			m[k] = 1
		}
	}
}
