package einvoice

import (
	"fmt"
	"strings"

	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/invoice"
)

// defaultTypeCodes is BT-3 when a UBL document leaves its type code out:
// the root element says what it is. The assumption is reported as a warning.
var defaultTypeCodes = map[string]invoice.TypeCode{
	"Invoice":              invoice.TypeCommercialInvoice,
	"CreditNote":           invoice.TypeCreditNote,
	"SelfBilledInvoice":    invoice.TypeSelfBilledInvoice,
	"SelfBilledCreditNote": invoice.TypeSelfBilledCreditNote,
}

// readUBL decodes and maps a document sniff has classified as UBL.
func readUBL(b []byte, r root) (invoice.Invoice, error) {
	var doc ublDoc
	if err := decode(b, &doc); err != nil {
		return invoice.Invoice{}, err
	}
	return mapUBL(&doc, r.local)
}

func mapUBL(doc *ublDoc, rootName string) (invoice.Invoice, error) {
	inv := invoice.Invoice{
		InvoiceNumber:  doc.ID,
		TypeCode:       invoice.TypeCode(firstNonEmpty(doc.InvoiceTypeCode, doc.CreditNoteTypeCode)),
		Currency:       doc.DocumentCurrencyCode,
		TaxCurrency:    doc.TaxCurrencyCode,
		BuyerReference: doc.BuyerReference,
		PurchaseOrder:  doc.OrderReference,
		PaymentTerms:   ublPaymentTerms(doc.PaymentTerms),
		Notes:          doc.Notes,
		Seller:         doc.Supplier.party(true),
		Buyer:          doc.Customer.party(false),
	}
	if strings.TrimSpace(string(inv.TypeCode)) == "" {
		inv.TypeCode = defaultTypeCodes[rootName]
		inv.Warnings = append(inv.Warnings, fmt.Sprintf("the document has no type code; %s assumed from its root element %s", inv.TypeCode, rootName))
	}
	if strings.TrimSpace(inv.Currency) == "" && doc.Totals.Payable != nil && doc.Totals.Payable.Currency != "" {
		// UBL 2.0 made DocumentCurrencyCode optional; the amounts still carry it.
		inv.Currency = doc.Totals.Payable.Currency
		inv.Warnings = append(inv.Warnings, "the document has no currency code; "+inv.Currency+" taken from the payable amount")
	}
	if err := ublDates(doc, &inv); err != nil {
		return invoice.Invoice{}, err
	}
	var warn []string
	inv.Payment, warn = pickPayment(ublAccounts(doc.PaymentMeans))
	inv.Warnings = append(inv.Warnings, warn...)
	inv.Totals = doc.Totals.model()
	ublTax(doc, &inv)
	inv.Lines, warn = ublLines(doc)
	inv.Warnings = append(inv.Warnings, warn...)
	return inv, nil
}

func ublDates(doc *ublDoc, inv *invoice.Invoice) error {
	var err error
	if inv.IssueDate, err = parseISODate("issue date (BT-2)", doc.IssueDate); err != nil {
		return err
	}
	due := doc.DueDate
	for _, m := range doc.PaymentMeans {
		due = firstNonEmpty(due, m.DueDate)
	}
	inv.DueDate, err = parseISODate("due date (BT-9)", due)
	return err
}

func ublPaymentTerms(terms []ublTerms) string {
	var notes []string
	for _, t := range terms {
		notes = append(notes, t.Notes...)
	}
	return joinText(notes)
}

// party maps BG-4/BG-7. The legal name (BT-27/BT-44) is
// PartyLegalEntity/RegistrationName; files without one (UBL 2.0) name the
// party only in PartyName. The VAT id is the PartyTaxScheme whose scheme is
// VAT; for the seller, another scheme is the tax registration BT-32.
func (p *ublParty) party(seller bool) invoice.Party {
	out := invoice.Party{
		Address: invoice.Address{
			Line1: p.Address.Street, City: p.Address.City,
			Postcode: p.Address.Postcode, Country: p.Address.Country,
		},
	}
	for _, le := range p.LegalEntity {
		out.Name = firstNonEmpty(out.Name, le.RegistrationName)
	}
	out.Name = firstNonEmpty(append([]string{out.Name}, p.Names...)...)
	for _, ts := range p.TaxSchemes {
		switch {
		case sameCode(ts.SchemeID, "VAT") || sameCode(ts.TypeCode, "VAT"):
			out.VATID = firstNonEmpty(out.VATID, ts.CompanyID)
		case seller:
			out.TaxID = firstNonEmpty(out.TaxID, ts.CompanyID)
		}
	}
	return out
}

func ublAccounts(means []ublMeans) []account {
	out := make([]account, 0, len(means))
	for _, m := range means {
		a := account{means: m.Code}
		if m.Account != nil {
			a.id, a.name = m.Account.ID, m.Account.Name
			a.bic = firstNonEmpty(m.Account.BranchID, m.Account.Institute)
		}
		out = append(out, a)
	}
	return out
}

func (t *ublTotals) model() invoice.Totals {
	return invoice.Totals{
		LineNet:      t.LineNet.dec(),
		Allowances:   t.Allowances.dec(),
		Charges:      t.Charges.dec(),
		TaxExclusive: t.TaxExclusive.dec(),
		TaxInclusive: t.TaxInclusive.dec(),
		Prepaid:      t.Prepaid.dec(),
		Rounding:     t.Rounding.dec(),
		Payable:      t.Payable.dec(),
	}
}

// ublTax sets BT-110, BT-111 and the breakdown (BG-23), which EN 16931
// puts in the TaxTotal in the invoice currency.
func ublTax(doc *ublDoc, inv *invoice.Invoice) {
	currencies := make([]string, len(doc.TaxTotals))
	for i, t := range doc.TaxTotals {
		if t.TaxAmount != nil {
			currencies[i] = t.TaxAmount.Currency
		}
	}
	di, ti, warn := taxTotalIndexes(currencies, inv.Currency, inv.TaxCurrency)
	inv.Warnings = append(inv.Warnings, warn...)
	if ti >= 0 {
		inv.TaxTotalTaxCurrency = doc.TaxTotals[ti].TaxAmount.dec()
	}
	if di < 0 {
		return
	}
	t := doc.TaxTotals[di]
	inv.Totals.Tax = t.TaxAmount.dec()
	for _, s := range t.Subtotals {
		inv.TaxBreakdown = append(inv.TaxBreakdown, invoice.TaxSubtotal{
			Category: s.Category.ID,
			Rate:     firstDec(s.Category.Percent, s.Percent),
			Taxable:  s.Taxable.dec(),
			Tax:      s.Tax.dec(),
		})
	}
}

// ublLines maps the top-level lines. XRechnung's SubInvoiceLine is a
// breakdown of its parent, whose amount already includes it: flattening
// would count it twice, so sub-lines are reported and not kept.
func ublLines(doc *ublDoc) ([]invoice.Line, []string) {
	src := doc.InvoiceLines
	if len(src) == 0 {
		src = doc.CreditNoteLines
	}
	var lines []invoice.Line
	var warnings []string
	for _, l := range src {
		q := l.InvoicedQuantity
		if q == nil {
			q = l.CreditedQuantity
		}
		cat := l.TaxCategory
		if cat == nil && l.TaxTotal != nil && len(l.TaxTotal.Subtotals) > 0 {
			cat = &l.TaxTotal.Subtotals[0].Category
		}
		line := invoice.Line{
			ID: l.ID, Name: l.Name, Quantity: q.dec(), Unit: q.unit(),
			UnitPrice: l.Price.dec(), NetAmount: l.NetAmount.dec(),
		}
		if cat != nil {
			line.TaxCategory, line.TaxRate = cat.ID, cat.Percent
		}
		lines = append(lines, line)
		if n := len(l.SubLines); n > 0 {
			warnings = append(warnings, fmt.Sprintf("line %s has %d sub-invoice lines; only the line itself is kept", strings.TrimSpace(l.ID), n))
		}
	}
	return lines, warnings
}

// firstDec returns the first present value.
func firstDec(ds ...*decimal.Decimal) *decimal.Decimal {
	for _, d := range ds {
		if d != nil {
			return d
		}
	}
	return nil
}
