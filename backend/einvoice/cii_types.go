package einvoice

import "github.com/smartap/desktop/backend/decimal"

// Types shared by CII D16B and ZUGFeRD 1.0. Both come from UN/CEFACT's
// library, so parties, payment means, taxes and totals have the same local
// names; they differ in the wrappers around them (see cii.go and
// zugferd1.go) and in a few renamed elements noted below. As in UBL,
// elements are matched by local name under a root whose namespace sniff
// has checked.

type ciiNote struct {
	Contents    []string `xml:"Content"`
	SubjectCode string   `xml:"SubjectCode"`
}

type ciiParty struct {
	Name          string        `xml:"Name"`
	Address       ciiAddress    `xml:"PostalTradeAddress"`
	Registrations []ciiSchemeID `xml:"SpecifiedTaxRegistration>ID"`
}

type ciiAddress struct {
	Postcode string `xml:"PostcodeCode"`
	Line1    string `xml:"LineOne"`
	City     string `xml:"CityName"`
	Country  string `xml:"CountryID"`
}

type ciiSchemeID struct {
	Value  string `xml:",chardata"`
	Scheme string `xml:"schemeID,attr"`
}

type ciiMeans struct {
	TypeCode string `xml:"TypeCode"`
	Account  *struct {
		IBAN        string `xml:"IBANID"`
		Proprietary string `xml:"ProprietaryID"` // BT-84 when the account is no IBAN
		Name        string `xml:"AccountName"`
	} `xml:"PayeePartyCreditorFinancialAccount"`
	BIC string `xml:"PayeeSpecifiedCreditorFinancialInstitution>BICID"`
}

// ciiTax is a trade tax row: a header breakdown row (BG-23) or a line's
// VAT (BT-151, BT-152). D16B calls the rate RateApplicablePercent,
// ZUGFeRD 1.0 ApplicablePercent.
type ciiTax struct {
	Calculated *amount          `xml:"CalculatedAmount"`
	Basis      *amount          `xml:"BasisAmount"`
	Category   string           `xml:"CategoryCode"`
	Rate       *decimal.Decimal `xml:"RateApplicablePercent"`
	Rate1      *decimal.Decimal `xml:"ApplicablePercent"`
}

func (t *ciiTax) rate() *decimal.Decimal { return firstDec(t.Rate, t.Rate1) }

type ciiTerms struct {
	Descriptions []string        `xml:"Description"`
	DueDate      *dateTimeString `xml:"DueDateDateTime>DateTimeString"`
}

// ciiSummation is the header monetary summation (BG-22). TaxTotalAmount
// repeats when a tax currency is used: once per currency.
type ciiSummation struct {
	LineNet    *amount  `xml:"LineTotalAmount"`
	Charges    *amount  `xml:"ChargeTotalAmount"`
	Allowances *amount  `xml:"AllowanceTotalAmount"`
	TaxBasis   *amount  `xml:"TaxBasisTotalAmount"`
	TaxTotals  []amount `xml:"TaxTotalAmount"`
	Rounding   *amount  `xml:"RoundingAmount"`
	Grand      *amount  `xml:"GrandTotalAmount"`
	Prepaid    *amount  `xml:"TotalPrepaidAmount"`
	Payable    *amount  `xml:"DuePayableAmount"`
}

// ciiPrice is the net price (BT-146) with its base quantity (BT-149),
// which is not divided out: the model keeps BT-146 as written.
type ciiPrice struct {
	Charge *amount `xml:"ChargeAmount"`
}
