package einvoice

import (
	"strings"

	"github.com/smartap/desktop/backend/invoice"
)

// zf1Doc is a ZUGFeRD 1.0 CrossIndustryDocument (BASIC, COMFORT,
// EXTENDED). It predates EN 16931 and CII D16B: the header is
// HeaderExchangedDocument, the trade parts are "SupplyChain" rather than
// "HeaderTrade"/"LineTrade", the order reference is an ID, and the lines
// come after the settlement.
type zf1Doc struct {
	Document struct {
		ID       string          `xml:"ID"`
		TypeCode string          `xml:"TypeCode"`
		Issue    *dateTimeString `xml:"IssueDateTime>DateTimeString"`
		Notes    []ciiNote       `xml:"IncludedNote"`
	} `xml:"HeaderExchangedDocument"`
	Transaction struct {
		Agreement struct {
			BuyerReference string   `xml:"BuyerReference"`
			Seller         ciiParty `xml:"SellerTradeParty"`
			Buyer          ciiParty `xml:"BuyerTradeParty"`
			OrderReference string   `xml:"BuyerOrderReferencedDocument>ID"`
		} `xml:"ApplicableSupplyChainTradeAgreement"`
		Settlement struct {
			Currency string       `xml:"InvoiceCurrencyCode"`
			Means    []ciiMeans   `xml:"SpecifiedTradeSettlementPaymentMeans"`
			Taxes    []ciiTax     `xml:"ApplicableTradeTax"`
			Terms    []ciiTerms   `xml:"SpecifiedTradePaymentTerms"`
			Sum      ciiSummation `xml:"SpecifiedTradeSettlementMonetarySummation"`
		} `xml:"ApplicableSupplyChainTradeSettlement"`
		Lines []zf1Line `xml:"IncludedSupplyChainTradeLineItem"`
	} `xml:"SpecifiedSupplyChainTradeTransaction"`
}

type zf1Line struct {
	LineID   string    `xml:"AssociatedDocumentLineDocument>LineID"`
	Name     string    `xml:"SpecifiedTradeProduct>Name"`
	NetPrice *ciiPrice `xml:"SpecifiedSupplyChainTradeAgreement>NetPriceProductTradePrice"`
	Quantity *quantity `xml:"SpecifiedSupplyChainTradeDelivery>BilledQuantity"`
	Tax      *ciiTax   `xml:"SpecifiedSupplyChainTradeSettlement>ApplicableTradeTax"`
	Net      *amount   `xml:"SpecifiedSupplyChainTradeSettlement>SpecifiedTradeSettlementMonetarySummation>LineTotalAmount"`
}

// readZUGFeRD1 decodes and maps a document sniff has classified as
// ZUGFeRD 1.0. ZUGFeRD 1.0 has no tax currency (BT-6).
func readZUGFeRD1(b []byte) (invoice.Invoice, error) {
	var doc zf1Doc
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
		Means:          t.Settlement.Means,
		Taxes:          t.Settlement.Taxes,
		Terms:          t.Settlement.Terms,
		Sum:            t.Settlement.Sum,
	}
	for _, l := range t.Lines {
		p.Lines = append(p.Lines, l.model())
	}
	return mapCIIParts(&p)
}

// model maps one line. EXTENDED allows a text-only line (a note, no
// number, no amount); it is kept as written so that nothing on the
// document disappears, and it adds nothing to any sum.
func (l *zf1Line) model() invoice.Line {
	out := invoice.Line{
		ID: strings.TrimSpace(l.LineID), Name: l.Name, Quantity: l.Quantity.dec(), Unit: l.Quantity.unit(),
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
