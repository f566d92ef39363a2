package einvoice

import (
	"bytes"
	"strings"
	"testing"
)

// ciiTemplate is a small CII D16B credit note written for the edge tests.
// {{...}} markers are replaced by synth; unreplaced markers get defaults.
const ciiTemplate = `<?xml version="1.0" encoding="{{ENC}}"?>{{DOCTYPE}}
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
  xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
  xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
 <rsm:ExchangedDocument>
  <ram:ID>{{ID}}</ram:ID>
  <ram:TypeCode>381</ram:TypeCode>
  <ram:IssueDateTime><udt:DateTimeString format="{{FORMAT}}">{{DATE}}</udt:DateTimeString></ram:IssueDateTime>
  <ram:IncludedNote><ram:Content>{{NOTE}}</ram:Content></ram:IncludedNote>
 </rsm:ExchangedDocument>
 <rsm:SupplyChainTradeTransaction>{{LINES}}
  <ram:ApplicableHeaderTradeAgreement>
   <ram:SellerTradeParty><ram:Name>{{SELLER}}</ram:Name>
    <ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">DE 123.456.789</ram:ID></ram:SpecifiedTaxRegistration>
   </ram:SellerTradeParty>
   <ram:BuyerTradeParty><ram:Name>Buyer AG</ram:Name></ram:BuyerTradeParty>
  </ram:ApplicableHeaderTradeAgreement>
  <ram:ApplicableHeaderTradeSettlement>
   <ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
   <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    <ram:LineTotalAmount>-100.00</ram:LineTotalAmount>
    <ram:TaxBasisTotalAmount>-100.00</ram:TaxBasisTotalAmount>
    <ram:TaxTotalAmount currencyID="EUR">-19.00</ram:TaxTotalAmount>
    <ram:GrandTotalAmount>-119.00</ram:GrandTotalAmount>
    <ram:DuePayableAmount>{{PAYABLE}}</ram:DuePayableAmount>
   </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
  </ram:ApplicableHeaderTradeSettlement>
 </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>
`

const ciiLineTemplate = `
  <ram:IncludedSupplyChainTradeLineItem>
   <ram:AssociatedDocumentLineDocument><ram:LineID>{{LINEID}}</ram:LineID>{{PARENT}}</ram:AssociatedDocumentLineDocument>
   <ram:SpecifiedTradeProduct><ram:Name>Widget</ram:Name></ram:SpecifiedTradeProduct>
   <ram:SpecifiedLineTradeAgreement><ram:NetPriceProductTradePrice><ram:ChargeAmount>50.00</ram:ChargeAmount><ram:BasisQuantity>1</ram:BasisQuantity></ram:NetPriceProductTradePrice></ram:SpecifiedLineTradeAgreement>
   <ram:SpecifiedLineTradeDelivery><ram:BilledQuantity unitCode="C62">-2.000</ram:BilledQuantity></ram:SpecifiedLineTradeDelivery>
   <ram:SpecifiedLineTradeSettlement>
    <ram:ApplicableTradeTax><ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>S</ram:CategoryCode><ram:RateApplicablePercent>19</ram:RateApplicablePercent></ram:ApplicableTradeTax>
    <ram:SpecifiedTradeSettlementLineMonetarySummation><ram:LineTotalAmount>-100.00</ram:LineTotalAmount></ram:SpecifiedTradeSettlementLineMonetarySummation>
   </ram:SpecifiedLineTradeSettlement>
  </ram:IncludedSupplyChainTradeLineItem>`

var ciiDefaults = map[string]string{
	"{{ENC}}": "UTF-8", "{{DOCTYPE}}": "", "{{ID}}": "CN-1", "{{FORMAT}}": "102", "{{DATE}}": "20240131",
	"{{NOTE}}": "Gutschrift", "{{SELLER}}": "Seller GmbH", "{{PAYABLE}}": "-119.00",
	"{{LINES}}": strings.ReplaceAll(strings.ReplaceAll(ciiLineTemplate, "{{LINEID}}", "1"), "{{PARENT}}", ""),
}

// synth fills the template; values in set win over the defaults.
func synth(tmpl string, set map[string]string) string {
	out := tmpl
	for k, v := range set {
		out = strings.ReplaceAll(out, k, v)
	}
	for k, v := range ciiDefaults {
		out = strings.ReplaceAll(out, k, v)
	}
	return out
}

func synthCII(set map[string]string) []byte { return []byte(synth(ciiTemplate, set)) }

// latin1 encodes s (Latin-1 runes only) one byte per rune.
func latin1(tb testing.TB, s string) []byte {
	tb.Helper()
	var b bytes.Buffer
	for _, r := range s {
		if r > 0xFF {
			tb.Fatalf("%q is not Latin-1", r)
		}
		b.WriteByte(byte(r))
	}
	return b.Bytes()
}

// pdfXMLStream returns the first uncompressed stream of a PDF that starts
// with an XML declaration. The one PDF it is used on stores its invoice
// XML unfiltered, so no PDF parser is needed in this package's tests.
func pdfXMLStream(tb testing.TB, pdf []byte) []byte {
	tb.Helper()
	i := bytes.Index(pdf, []byte("stream\n<?xml"))
	if i < 0 {
		i = bytes.Index(pdf, []byte("stream\r\n<?xml"))
	}
	if i < 0 {
		tb.Fatal("no uncompressed XML stream in the PDF")
	}
	rest := pdf[i+len("stream"):]
	rest = bytes.TrimLeft(rest, "\r\n")
	end := bytes.Index(rest, []byte("endstream"))
	if end < 0 {
		tb.Fatal("unterminated stream")
	}
	return bytes.TrimRight(rest[:end], "\r\n")
}
