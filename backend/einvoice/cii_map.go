package einvoice

import (
	"fmt"
	"strings"

	"github.com/smartap/desktop/backend/invoice"
)

// ciiParts is a CII or ZUGFeRD 1.0 document once its syntax-specific
// wrappers are peeled off; mapCIIParts turns it into the model.
type ciiParts struct {
	ID, TypeCode          string
	Issue                 *dateTimeString
	Notes                 []ciiNote
	BuyerReference        string
	OrderReference        string
	Seller, Buyer         ciiParty
	Currency, TaxCurrency string
	Means                 []ciiMeans
	Taxes                 []ciiTax
	Terms                 []ciiTerms
	Sum                   ciiSummation
	Lines                 []invoice.Line
	Warnings              []string
}

func mapCIIParts(p *ciiParts) (invoice.Invoice, error) {
	inv := invoice.Invoice{
		InvoiceNumber:  p.ID,
		TypeCode:       invoice.TypeCode(p.TypeCode),
		Currency:       p.Currency,
		TaxCurrency:    p.TaxCurrency,
		BuyerReference: p.BuyerReference,
		PurchaseOrder:  p.OrderReference,
		Notes:          ciiNotes(p.Notes),
		Seller:         p.Seller.party(true),
		Buyer:          p.Buyer.party(false),
		Lines:          p.Lines,
		Warnings:       p.Warnings,
	}
	var err error
	if inv.IssueDate, err = parseCIIDate("issue date (BT-2)", p.Issue); err != nil {
		return invoice.Invoice{}, err
	}
	if err = mapCIITerms(p.Terms, &inv); err != nil {
		return invoice.Invoice{}, err
	}
	var warn []string
	inv.Payment, warn = pickPayment(ciiAccounts(p.Means))
	inv.Warnings = append(inv.Warnings, warn...)
	inv.Totals = p.Sum.model()
	ciiTaxTotals(p, &inv)
	for _, t := range p.Taxes {
		inv.TaxBreakdown = append(inv.TaxBreakdown, invoice.TaxSubtotal{
			Category: t.Category, Rate: t.rate(), Taxable: t.Basis.dec(), Tax: t.Calculated.dec(),
		})
	}
	return inv, nil
}

// ciiNotes writes a note with a subject code (BT-21) the way the UBL
// binding of EN 16931 does, "#ADU#text", so that the two syntaxes give the
// same text and the code is not lost.
func ciiNotes(notes []ciiNote) []string {
	var out []string
	for _, n := range notes {
		text := joinText(n.Contents)
		if code := strings.TrimSpace(n.SubjectCode); code != "" && !strings.HasPrefix(text, "#") {
			text = "#" + code + "#" + text
		}
		out = append(out, text)
	}
	return out
}

// mapCIITerms sets BT-20 from every terms description and BT-9 from the
// first due date given.
func mapCIITerms(terms []ciiTerms, inv *invoice.Invoice) error {
	var texts []string
	for _, t := range terms {
		texts = append(texts, t.Descriptions...)
		if inv.DueDate.IsZero() && t.DueDate != nil {
			d, err := parseCIIDate("due date (BT-9)", t.DueDate)
			if err != nil {
				return err
			}
			inv.DueDate = d
		}
	}
	inv.PaymentTerms = joinText(texts)
	return nil
}

func ciiTaxTotals(p *ciiParts, inv *invoice.Invoice) {
	currencies := make([]string, len(p.Sum.TaxTotals))
	for i, t := range p.Sum.TaxTotals {
		currencies[i] = t.Currency
	}
	di, ti, warn := taxTotalIndexes(currencies, p.Currency, p.TaxCurrency)
	inv.Warnings = append(inv.Warnings, warn...)
	if di >= 0 {
		inv.Totals.Tax = p.Sum.TaxTotals[di].dec()
	}
	if ti >= 0 {
		inv.TaxTotalTaxCurrency = p.Sum.TaxTotals[ti].dec()
	}
}

// party maps BG-4/BG-7. Tax registrations carry their kind in schemeID:
// VA is the VAT id, FC the seller's other tax number (BT-32).
func (p *ciiParty) party(seller bool) invoice.Party {
	out := invoice.Party{
		Name: p.Name,
		Address: invoice.Address{
			Line1: p.Address.Line1, City: p.Address.City,
			Postcode: p.Address.Postcode, Country: p.Address.Country,
		},
	}
	for _, r := range p.Registrations {
		switch {
		case sameCode(r.Scheme, "VA"):
			out.VATID = firstNonEmpty(out.VATID, r.Value)
		case sameCode(r.Scheme, "FC") && seller:
			out.TaxID = firstNonEmpty(out.TaxID, r.Value)
		}
	}
	return out
}

func ciiAccounts(means []ciiMeans) []account {
	out := make([]account, 0, len(means))
	for _, m := range means {
		a := account{means: m.TypeCode, bic: m.BIC}
		if m.Account != nil {
			a.id = firstNonEmpty(m.Account.IBAN, m.Account.Proprietary)
			a.name = m.Account.Name
		}
		out = append(out, a)
	}
	return out
}

func (s *ciiSummation) model() invoice.Totals {
	return invoice.Totals{
		LineNet:      s.LineNet.dec(),
		Allowances:   s.Allowances.dec(),
		Charges:      s.Charges.dec(),
		TaxExclusive: s.TaxBasis.dec(),
		TaxInclusive: s.Grand.dec(),
		Prepaid:      s.Prepaid.dec(),
		Rounding:     s.Rounding.dec(),
		Payable:      s.Payable.dec(),
	}
}

// subLineWarning reports a sub-line (ParentLineID) that is not kept, for the
// same reason as UBL's SubInvoiceLine: its parent already counts it.
func subLineWarning(id, parent string) string {
	return fmt.Sprintf("line %s is a sub-line of line %s and is not kept", strings.TrimSpace(id), strings.TrimSpace(parent))
}
