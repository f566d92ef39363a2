package einvoice

import "github.com/smartap/desktop/backend/decimal"

// The UBL types name elements by local name only. The root namespace was
// checked by sniff; below it cbc/cac never share a local name in the
// places read here, and matching by local name keeps the tags readable.
// Only the elements the model needs are declared; encoding/xml skips the
// rest (attachments, extensions, delivery, ...).

// ublDoc covers Invoice, CreditNote, SelfBilledInvoice and
// SelfBilledCreditNote: they share the header and differ in the type code
// element, the line element and the line quantity.
type ublDoc struct {
	ID                   string        `xml:"ID"`
	IssueDate            string        `xml:"IssueDate"`
	DueDate              string        `xml:"DueDate"`
	InvoiceTypeCode      string        `xml:"InvoiceTypeCode"`
	CreditNoteTypeCode   string        `xml:"CreditNoteTypeCode"`
	Notes                []string      `xml:"Note"`
	DocumentCurrencyCode string        `xml:"DocumentCurrencyCode"`
	TaxCurrencyCode      string        `xml:"TaxCurrencyCode"`
	BuyerReference       string        `xml:"BuyerReference"`
	OrderReference       string        `xml:"OrderReference>ID"`
	Supplier             ublParty      `xml:"AccountingSupplierParty>Party"`
	Customer             ublParty      `xml:"AccountingCustomerParty>Party"`
	PaymentMeans         []ublMeans    `xml:"PaymentMeans"`
	PaymentTerms         []ublTerms    `xml:"PaymentTerms"`
	TaxTotals            []ublTaxTotal `xml:"TaxTotal"`
	Totals               ublTotals     `xml:"LegalMonetaryTotal"`
	InvoiceLines         []ublLine     `xml:"InvoiceLine"`
	CreditNoteLines      []ublLine     `xml:"CreditNoteLine"`
}

type ublParty struct {
	Names       []string         `xml:"PartyName>Name"`
	Address     ublAddress       `xml:"PostalAddress"`
	TaxSchemes  []ublPartyTax    `xml:"PartyTaxScheme"`
	LegalEntity []ublLegalEntity `xml:"PartyLegalEntity"`
}

type ublAddress struct {
	Street   string `xml:"StreetName"`
	City     string `xml:"CityName"`
	Postcode string `xml:"PostalZone"`
	Country  string `xml:"Country>IdentificationCode"`
}

type ublPartyTax struct {
	CompanyID string `xml:"CompanyID"`
	SchemeID  string `xml:"TaxScheme>ID"`
	TypeCode  string `xml:"TaxScheme>TaxTypeCode"` // UBL 2.0 files name the scheme ("UK VAT") and type it here
}

type ublLegalEntity struct {
	RegistrationName string `xml:"RegistrationName"`
}

type ublMeans struct {
	Code    string      `xml:"PaymentMeansCode"`
	DueDate string      `xml:"PaymentDueDate"` // BT-9 of a CreditNote, which has no DueDate
	Account *ublAccount `xml:"PayeeFinancialAccount"`
}

type ublAccount struct {
	ID        string `xml:"ID"`
	Name      string `xml:"Name"`
	BranchID  string `xml:"FinancialInstitutionBranch>ID"`
	Institute string `xml:"FinancialInstitutionBranch>FinancialInstitution>ID"` // UBL 2.0 place of the BIC
}

type ublTerms struct {
	Notes []string `xml:"Note"`
}

type ublTaxTotal struct {
	TaxAmount *amount          `xml:"TaxAmount"`
	Subtotals []ublTaxSubtotal `xml:"TaxSubtotal"`
}

type ublTaxSubtotal struct {
	Taxable  *amount          `xml:"TaxableAmount"`
	Tax      *amount          `xml:"TaxAmount"`
	Percent  *decimal.Decimal `xml:"Percent"` // UBL 2.0 may put the rate here
	Category ublTaxCategory   `xml:"TaxCategory"`
}

type ublTaxCategory struct {
	ID      string           `xml:"ID"`
	Percent *decimal.Decimal `xml:"Percent"`
}

type ublTotals struct {
	LineNet      *amount `xml:"LineExtensionAmount"`
	TaxExclusive *amount `xml:"TaxExclusiveAmount"`
	TaxInclusive *amount `xml:"TaxInclusiveAmount"`
	Allowances   *amount `xml:"AllowanceTotalAmount"`
	Charges      *amount `xml:"ChargeTotalAmount"`
	Prepaid      *amount `xml:"PrepaidAmount"`
	Rounding     *amount `xml:"PayableRoundingAmount"`
	Payable      *amount `xml:"PayableAmount"`
}

type ublLine struct {
	ID               string          `xml:"ID"`
	InvoicedQuantity *quantity       `xml:"InvoicedQuantity"`
	CreditedQuantity *quantity       `xml:"CreditedQuantity"`
	NetAmount        *amount         `xml:"LineExtensionAmount"`
	Name             string          `xml:"Item>Name"`
	TaxCategory      *ublTaxCategory `xml:"Item>ClassifiedTaxCategory"`
	TaxTotal         *ublTaxTotal    `xml:"TaxTotal"` // UBL 2.0: the line's category sits here
	Price            *amount         `xml:"Price>PriceAmount"`
	SubLines         []struct{}      `xml:"SubInvoiceLine"`
}
