package einvoice

import (
	"strings"

	"github.com/smartap/desktop/backend/invoice"
)

// ciiDoc is a CrossIndustryInvoice D16B: Factur-X / ZUGFeRD 2.x in every
// profile and XRechnung CII. Profiles only differ in which elements are
// present: MINIMUM and BASIC WL have no lines, which is a normal invoice.
type ciiDoc struct {
	Document struct {
		ID       string          `xml:"ID"`
		TypeCode string          `xml:"TypeCode"`
		Issue    *dateTimeString `xml:"IssueDateTime>DateTimeString"`
		Notes    []ciiNote       `xml:"IncludedNote"`
	} `xml:"ExchangedDocument"`
	Transaction struct {
		Lines     []ciiLine `xml:"IncludedSupplyChainTradeLineItem"`
		Agreement struct {
			BuyerReference string   `xml:"BuyerReference"`
			Seller         ciiParty `xml:"SellerTradeParty"`
			Buyer          ciiParty `xml:"BuyerTradeParty"`
			OrderReference string   `xml:"BuyerOrderReferencedDocument>IssuerAssignedID"`
		} `xml:"ApplicableHeaderTradeAgreement"`
		Settlement struct {
			TaxCurrency string       `xml:"TaxCurrencyCode"`
			Currency    string       `xml:"InvoiceCurrencyCode"`
			Means       []ciiMeans   `xml:"SpecifiedTradeSettlementPaymentMeans"`
			Taxes       []ciiTax     `xml:"ApplicableTradeTax"`
			Terms       []ciiTerms   `xml:"SpecifiedTradePaymentTerms"`
			Sum         ciiSummation `xml:"SpecifiedTradeSettlementHeaderMonetarySummation"`
		} `xml:"ApplicableHeaderTradeSettlement"`
	} `xml:"SupplyChainTradeTransaction"`
}

type ciiLine struct {
	LineID   string    `xml:"AssociatedDocumentLineDocument>LineID"`
	ParentID string    `xml:"AssociatedDocumentLineDocument>ParentLineID"`
	Name     string    `xml:"SpecifiedTradeProduct>Name"`
	NetPrice *ciiPrice `xml:"SpecifiedLineTradeAgreement>NetPriceProductTradePrice"`
	Quantity *quantity `xml:"SpecifiedLineTradeDelivery>BilledQuantity"`
	Tax      *ciiTax   `xml:"SpecifiedLineTradeSettlement>ApplicableTradeTax"`
	Net      *amount   `xml:"SpecifiedLineTradeSettlement>SpecifiedTradeSettlementLineMonetarySummation>LineTotalAmount"`
}

// readCII decodes and maps a document sniff has classified as CII.
func readCII(b []byte) (invoice.Invoice, error) {
	var doc ciiDoc
	if err := decode(b, &doc); err != nil {
		return invoice.Invoice{}, err
	}
	d, t := &doc.Document, &doc.Transaction
	p := ciiParts{
		ID: d.ID, TypeCode: d.TypeCode, Issue: d.Issue, Notes: d.Notes,
		BuyerReference: t.Agreement.BuyerReference,
		OrderReference: t.Agreement.OrderReference,
		Seller:         t.Agreement.Seller,
		Buyer:          t.Agreement.Buyer,
		Currency:       t.Settlement.Currency,
		TaxCurrency:    t.Settlement.TaxCurrency,
		Means:          t.Settlement.Means,
		Taxes:          t.Settlement.Taxes,
		Terms:          t.Settlement.Terms,
		Sum:            t.Settlement.Sum,
	}
	for _, l := range t.Lines {
		if strings.TrimSpace(l.ParentID) != "" {
			p.Warnings = append(p.Warnings, subLineWarning(l.LineID, l.ParentID))
			continue
		}
		p.Lines = append(p.Lines, l.model())
	}
	return mapCIIParts(&p)
}

func (l *ciiLine) model() invoice.Line {
	out := invoice.Line{
		ID: l.LineID, Name: l.Name, Quantity: l.Quantity.dec(), Unit: l.Quantity.unit(),
		NetAmount: l.Net.dec(),
	}
	if l.NetPrice != nil {
		out.UnitPrice = l.NetPrice.Charge.dec()
	}
	if l.Tax != nil {
		out.TaxCategory, out.TaxRate = l.Tax.Category, l.Tax.rate()
	}
	return out
}
