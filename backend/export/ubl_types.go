package export

import "encoding/xml"

// The UBL 2.1 document as written. Element order follows the UBL 2.1
// schemas (Invoice-2, CreditNote-2): encoding/xml writes fields in
// declaration order, so the order of the fields below is the schema's.
// Names carry their prefix ("cbc:ID"); encoding/xml writes such names
// literally, and the prefixes are declared on the root.
//
// Optional elements are pointers or omitempty strings so that an absent
// value in the model is an absent element in the file, never an empty
// one: einvoice reads an absent amount as nil and a present one as a
// value, and the two must not be confused.

const (
	nsUBLInvoice    = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
	nsUBLCreditNote = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2" // #nosec G101 -- a namespace; "Credit" is not a credential
	nsCAC           = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
	nsCBC           = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
	en16931         = "urn:cen.eu:en16931:2017"
)

type ublDocument struct {
	XMLName         xml.Name // Invoice or CreditNote with its namespace, set by UBL
	CAC             string   `xml:"xmlns:cac,attr"`
	CBC             string   `xml:"xmlns:cbc,attr"`
	CustomizationID string   `xml:"cbc:CustomizationID"`
	ID              string   `xml:"cbc:ID"`
	IssueDate       string   `xml:"cbc:IssueDate,omitempty"`
	// DueDate exists on Invoice only; a CreditNote carries BT-9 in
	// PaymentMeans/PaymentDueDate.
	DueDate            string       `xml:"cbc:DueDate,omitempty"`
	InvoiceTypeCode    *string      `xml:"cbc:InvoiceTypeCode"`
	CreditNoteTypeCode *string      `xml:"cbc:CreditNoteTypeCode"`
	Notes              []string     `xml:"cbc:Note"`
	Currency           string       `xml:"cbc:DocumentCurrencyCode,omitempty"`
	TaxCurrency        string       `xml:"cbc:TaxCurrencyCode,omitempty"`
	BuyerReference     string       `xml:"cbc:BuyerReference,omitempty"`
	OrderReference     *ublRef      `xml:"cac:OrderReference"`
	Supplier           ublPartyWrap `xml:"cac:AccountingSupplierParty"`
	Customer           ublPartyWrap `xml:"cac:AccountingCustomerParty"`
	PaymentMeans       *ublMeans    `xml:"cac:PaymentMeans"`
	PaymentTerms       *ublTerms    `xml:"cac:PaymentTerms"`
	TaxTotals          []ublTaxTot  `xml:"cac:TaxTotal"`
	Totals             ublTotals    `xml:"cac:LegalMonetaryTotal"`
	InvoiceLines       []ublLine    `xml:"cac:InvoiceLine"`
	CreditNoteLines    []ublLine    `xml:"cac:CreditNoteLine"`
}

type ublRef struct {
	ID string `xml:"cbc:ID"`
}

type ublPartyWrap struct {
	Party ublParty `xml:"cac:Party"`
}

type ublParty struct {
	Address     *ublAddress     `xml:"cac:PostalAddress"`
	TaxSchemes  []ublPartyTax   `xml:"cac:PartyTaxScheme"`
	LegalEntity *ublLegalEntity `xml:"cac:PartyLegalEntity"`
}

type ublAddress struct {
	Street   string `xml:"cbc:StreetName,omitempty"`
	City     string `xml:"cbc:CityName,omitempty"`
	Postcode string `xml:"cbc:PostalZone,omitempty"`
	Country  *ublID `xml:"cac:Country"`
}

// ublID is an element holding only a cbc:ID or code. The parents of an
// optional child are pointers: encoding/xml writes the parent of an
// omitted "a>b" path anyway, as an empty element.
type ublID struct {
	ID string `xml:"cbc:ID,omitempty"`
	// Code is used instead of ID by cac:Country.
	Code string `xml:"cbc:IdentificationCode,omitempty"`
}

type ublPartyTax struct {
	CompanyID string `xml:"cbc:CompanyID"`
	Scheme    string `xml:"cac:TaxScheme>cbc:ID"`
}

type ublLegalEntity struct {
	RegistrationName string `xml:"cbc:RegistrationName"`
}

type ublMeans struct {
	Code    string      `xml:"cbc:PaymentMeansCode"`
	DueDate string      `xml:"cbc:PaymentDueDate,omitempty"`
	Account *ublAccount `xml:"cac:PayeeFinancialAccount"`
}

type ublAccount struct {
	ID     string `xml:"cbc:ID"`
	Name   string `xml:"cbc:Name,omitempty"`
	Branch *ublID `xml:"cac:FinancialInstitutionBranch"`
}

type ublTerms struct {
	Note string `xml:"cbc:Note"`
}

type ublTaxTot struct {
	TaxAmount *ublAmount       `xml:"cbc:TaxAmount"`
	Subtotals []ublTaxSubtotal `xml:"cac:TaxSubtotal"`
}

type ublTaxSubtotal struct {
	Taxable  *ublAmount     `xml:"cbc:TaxableAmount"`
	Tax      *ublAmount     `xml:"cbc:TaxAmount"`
	Category ublTaxCategory `xml:"cac:TaxCategory"`
}

type ublTaxCategory struct {
	ID      string  `xml:"cbc:ID,omitempty"`
	Percent *string `xml:"cbc:Percent"`
	Scheme  string  `xml:"cac:TaxScheme>cbc:ID"`
}

type ublTotals struct {
	LineNet      *ublAmount `xml:"cbc:LineExtensionAmount"`
	TaxExclusive *ublAmount `xml:"cbc:TaxExclusiveAmount"`
	TaxInclusive *ublAmount `xml:"cbc:TaxInclusiveAmount"`
	Allowances   *ublAmount `xml:"cbc:AllowanceTotalAmount"`
	Charges      *ublAmount `xml:"cbc:ChargeTotalAmount"`
	Prepaid      *ublAmount `xml:"cbc:PrepaidAmount"`
	Rounding     *ublAmount `xml:"cbc:PayableRoundingAmount"`
	Payable      *ublAmount `xml:"cbc:PayableAmount"`
}

type ublLine struct {
	ID               string          `xml:"cbc:ID"`
	InvoicedQuantity *ublQuantity    `xml:"cbc:InvoicedQuantity"`
	CreditedQuantity *ublQuantity    `xml:"cbc:CreditedQuantity"`
	NetAmount        *ublAmount      `xml:"cbc:LineExtensionAmount"`
	Item             ublItem         `xml:"cac:Item"`
	Price            *ublPriceAmount `xml:"cac:Price"`
}

type ublItem struct {
	Name        string          `xml:"cbc:Name"`
	TaxCategory *ublTaxCategory `xml:"cac:ClassifiedTaxCategory"`
}

type ublPriceAmount struct {
	Amount ublAmount `xml:"cbc:PriceAmount"`
}

type ublAmount struct {
	Value    string `xml:",chardata"`
	Currency string `xml:"currencyID,attr,omitempty"`
}

type ublQuantity struct {
	Value string `xml:",chardata"`
	Unit  string `xml:"unitCode,attr,omitempty"`
}
