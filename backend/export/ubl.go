package export

import (
	"encoding/xml"
	"strings"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/invoice"
)

// Scheme identifiers of the EN 16931 UBL binding: BT-31/BT-48 are the
// PartyTaxScheme whose scheme is VAT, BT-32 another scheme ("FC", as the
// XRechnung examples write it; einvoice reads any non-VAT scheme as BT-32).
const (
	schemeVAT   = "VAT"
	schemeOther = "FC"
)

// UBL returns inv as a UBL 2.1 document conforming to the EN 16931 syntax
// binding (CustomizationID urn:cen.eu:en16931:2017): an Invoice, or a
// CreditNote when the type code is a credit note type (381, 261, …, see
// invoice.TypeCode.IsCreditNote). Every model field is written, exactly as
// held: amounts keep their scale and sign, nothing is computed.
//
// UBL writes what the model holds and does not check business rules: an
// invoice without, say, a buyer name gives a file without one, and a
// mandatory element whose value the model lacks (a line id from ZUGFeRD
// 1.0, the means code of a credit note that only has a due date) is
// written empty rather than invented; the checks step reports such gaps. The only error (code invalid_input) is text that
// XML cannot carry (invalid UTF-8, control characters), which would
// otherwise be silently replaced.
//
// Round trip: einvoice.ReadUBL(UBL(x)) equals x after x.Normalize(), except
// for what UBL has no place for:
//   - Confidence and Warnings: notes about how x was read, not invoice
//     content.
//   - Buyer.TaxID: EN 16931 has no tax registration other than VAT for the
//     buyer (BT-32 is the seller's only); it is not written.
//   - A line unit (BT-130) without a quantity (BT-129): the unit is an
//     attribute of the quantity element.
//   - A payment account name or BIC (BT-85, BT-86) with neither an account
//     id (BT-84) nor a means code (BT-81): einvoice keeps a payment means
//     only when it has one of the two.
//   - BT-111 when the tax currency is the invoice currency or absent: UBL
//     then has one VAT total, read back as both BT-110 and BT-111.
//   - An empty type code: read back as the root element's default (380).
func UBL(inv invoice.Invoice) ([]byte, error) {
	if err := checkXMLText(&inv); err != nil {
		return nil, err
	}
	doc := ublDoc(&inv)
	body, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil { // only for unsupported types, which ublDocument has none of
		return nil, apperr.Wrap(err, apperr.Internal, "the UBL document could not be written")
	}
	out := make([]byte, 0, len(xml.Header)+len(body)+1)
	out = append(out, xml.Header...)
	out = append(out, body...)
	return append(out, '\n'), nil
}

// ublDoc maps the model onto the document structure.
func ublDoc(inv *invoice.Invoice) *ublDocument {
	credit := inv.IsCreditNote()
	cur := inv.Currency
	doc := &ublDocument{
		XMLName:         xml.Name{Space: nsUBLInvoice, Local: "Invoice"},
		CAC:             nsCAC,
		CBC:             nsCBC,
		CustomizationID: en16931,
		ID:              inv.InvoiceNumber,
		IssueDate:       inv.IssueDate.String(),
		Notes:           inv.Notes,
		Currency:        cur,
		TaxCurrency:     inv.TaxCurrency,
		BuyerReference:  inv.BuyerReference,
		Supplier:        ublPartyWrap{Party: ublPartyOf(&inv.Seller, true)},
		Customer:        ublPartyWrap{Party: ublPartyOf(&inv.Buyer, false)},
		PaymentMeans:    ublMeansOf(inv, credit),
		TaxTotals:       ublTaxTotals(inv),
		Totals:          ublTotalsOf(&inv.Totals, cur),
	}
	if code := string(inv.TypeCode); code != "" {
		doc.InvoiceTypeCode = &code
	}
	if inv.PurchaseOrder != "" {
		doc.OrderReference = &ublRef{ID: inv.PurchaseOrder}
	}
	if inv.PaymentTerms != "" {
		doc.PaymentTerms = &ublTerms{Note: inv.PaymentTerms}
	}
	lines := ublLines(inv.Lines, cur, credit)
	if credit {
		doc.XMLName = xml.Name{Space: nsUBLCreditNote, Local: "CreditNote"}
		doc.CreditNoteTypeCode, doc.InvoiceTypeCode = doc.InvoiceTypeCode, nil
		doc.CreditNoteLines = lines
	} else {
		doc.DueDate = inv.DueDate.String()
		doc.InvoiceLines = lines
	}
	return doc
}

// ublPartyOf writes BG-4/BG-7. The name goes to PartyLegalEntity/
// RegistrationName, the binding's place for BT-27/BT-44.
func ublPartyOf(p *invoice.Party, seller bool) ublParty {
	var out ublParty
	if a := p.Address; a != (invoice.Address{}) {
		out.Address = &ublAddress{Street: a.Line1, City: a.City, Postcode: a.Postcode}
		if a.Country != "" {
			out.Address.Country = &ublID{Code: a.Country}
		}
	}
	if p.VATID != "" {
		out.TaxSchemes = append(out.TaxSchemes, ublPartyTax{CompanyID: p.VATID, Scheme: schemeVAT})
	}
	if seller && p.TaxID != "" {
		out.TaxSchemes = append(out.TaxSchemes, ublPartyTax{CompanyID: p.TaxID, Scheme: schemeOther})
	}
	if p.Name != "" {
		out.LegalEntity = &ublLegalEntity{RegistrationName: p.Name}
	}
	return out
}

// ublMeansOf writes BG-16/BG-17. A CreditNote has no DueDate element in
// UBL 2.1, so there BT-9 goes to PaymentMeans/PaymentDueDate, which can
// make a payment means necessary even when the model has none; its code
// then stays empty rather than invented.
func ublMeansOf(inv *invoice.Invoice, credit bool) *ublMeans {
	p := inv.Payment
	due := ""
	if credit {
		due = inv.DueDate.String()
	}
	if p == (invoice.Payment{}) && due == "" {
		return nil
	}
	m := &ublMeans{Code: p.MeansCode, DueDate: due}
	if p.IBAN != "" || p.AccountName != "" || p.BIC != "" {
		m.Account = &ublAccount{ID: p.IBAN, Name: p.AccountName}
		if p.BIC != "" {
			m.Account.Branch = &ublID{ID: p.BIC}
		}
	}
	return m
}

// ublTaxTotals writes the VAT total in the invoice currency with the
// breakdown (BT-110, BG-23) and, when VAT is also accounted in another
// currency, a second total in that currency (BT-111), as the binding asks.
func ublTaxTotals(inv *invoice.Invoice) []ublTaxTot {
	var out []ublTaxTot
	if inv.Totals.Tax != nil || len(inv.TaxBreakdown) > 0 {
		t := ublTaxTot{TaxAmount: ublAmountOf(inv.Totals.Tax, inv.Currency)}
		for _, s := range inv.TaxBreakdown {
			t.Subtotals = append(t.Subtotals, ublTaxSubtotal{
				Taxable:  ublAmountOf(s.Taxable, inv.Currency),
				Tax:      ublAmountOf(s.Tax, inv.Currency),
				Category: ublTaxCategory{ID: s.Category, Percent: decPtr(s.Rate), Scheme: schemeVAT},
			})
		}
		out = append(out, t)
	}
	if inv.TaxTotalTaxCurrency != nil && inv.TaxCurrency != "" && !strings.EqualFold(inv.TaxCurrency, inv.Currency) {
		out = append(out, ublTaxTot{TaxAmount: ublAmountOf(inv.TaxTotalTaxCurrency, inv.TaxCurrency)})
	}
	return out
}

func ublTotalsOf(t *invoice.Totals, cur string) ublTotals {
	return ublTotals{
		LineNet:      ublAmountOf(t.LineNet, cur),
		TaxExclusive: ublAmountOf(t.TaxExclusive, cur),
		TaxInclusive: ublAmountOf(t.TaxInclusive, cur),
		Allowances:   ublAmountOf(t.Allowances, cur),
		Charges:      ublAmountOf(t.Charges, cur),
		Prepaid:      ublAmountOf(t.Prepaid, cur),
		Rounding:     ublAmountOf(t.Rounding, cur),
		Payable:      ublAmountOf(t.Payable, cur),
	}
}

// ublLines writes BG-25. Invoice and CreditNote differ only in the names
// of the line and quantity elements.
func ublLines(lines []invoice.Line, cur string, credit bool) []ublLine {
	out := make([]ublLine, 0, len(lines))
	for _, l := range lines {
		u := ublLine{
			ID:        l.ID,
			NetAmount: ublAmountOf(l.NetAmount, cur),
			Item:      ublItem{Name: l.Name},
		}
		if l.Quantity != nil {
			q := &ublQuantity{Value: l.Quantity.String(), Unit: l.Unit}
			if credit {
				u.CreditedQuantity = q
			} else {
				u.InvoicedQuantity = q
			}
		}
		if l.TaxCategory != "" || l.TaxRate != nil {
			u.Item.TaxCategory = &ublTaxCategory{ID: l.TaxCategory, Percent: decPtr(l.TaxRate), Scheme: schemeVAT}
		}
		if l.UnitPrice != nil {
			u.Price = &ublPriceAmount{Amount: ublAmount{Value: l.UnitPrice.String(), Currency: cur}}
		}
		out = append(out, u)
	}
	return out
}

// ublAmountOf is an amount element, or nil (no element) for an absent amount.
func ublAmountOf(d *decimal.Decimal, cur string) *ublAmount {
	if d == nil {
		return nil
	}
	return &ublAmount{Value: d.String(), Currency: cur}
}

func decPtr(d *decimal.Decimal) *string {
	if d == nil {
		return nil
	}
	s := d.String()
	return &s
}

// ublError reports text UBL cannot carry, naming the field.
func ublError(field, problem string) error {
	return apperr.New(apperr.InvalidInput, "the invoice's %s %s and cannot be written to UBL", field, problem)
}
