// Package invoice is the canonical EN 16931 invoice and its AP status machine.
//
// Every source — UBL, CII, ZUGFeRD, a read PDF page, a model's answer — is
// turned into this one type, so checks, matching, approval and export are
// written once. JSON names are the snake_case of the EN 16931 business terms
// (BT-n in the comments); see docs/ARCHITECTURE.md §2.
//
// Amount convention: every money or quantity field is a *decimal.Decimal.
// nil means "not on the document / not found"; a non-nil zero means the
// document states 0. The two must not be confused: a missing prepaid amount
// is not a prepayment of 0.00, and a read page may simply not show a total.
//
// The package is pure domain code: standard library and the decimal type only.
package invoice

import "github.com/smartap/desktop/backend/decimal"

// Invoice is one invoice or credit note, whatever its source.
type Invoice struct {
	InvoiceNumber string   `json:"invoice_number"`         // BT-1
	IssueDate     Date     `json:"issue_date,omitzero"`    // BT-2
	TypeCode      TypeCode `json:"type_code"`              // BT-3, UNTDID 1001
	Currency      string   `json:"currency"`               // BT-5, ISO 4217
	TaxCurrency   string   `json:"tax_currency,omitempty"` // BT-6, when VAT is also accounted in a second currency
	// TaxTotalTaxCurrency is BT-111, the VAT total in TaxCurrency.
	TaxTotalTaxCurrency *decimal.Decimal `json:"tax_total_tax_currency,omitempty"`
	DueDate             Date             `json:"due_date,omitzero"`         // BT-9
	BuyerReference      string           `json:"buyer_reference,omitempty"` // BT-10
	PurchaseOrder       string           `json:"purchase_order,omitempty"`  // BT-13
	PaymentTerms        string           `json:"payment_terms,omitempty"`   // BT-20
	Notes               []string         `json:"notes,omitempty"`           // BT-22

	Seller  Party   `json:"seller"`           // BG-4
	Buyer   Party   `json:"buyer"`            // BG-7
	Payment Payment `json:"payment,omitzero"` // BG-16, first payment means
	Totals  Totals  `json:"totals"`           // BG-22

	TaxBreakdown []TaxSubtotal `json:"tax_breakdown,omitempty"` // BG-23
	// Lines is empty for profiles without lines (MINIMUM, BASIC WL); that is
	// a normal invoice, not a broken one.
	Lines []Line `json:"lines,omitempty"` // BG-25

	// Confidence maps a field path ("totals.payable", "seller.iban",
	// "lines[2].net_amount") to 0..1 for read sources. Structured XML is
	// exact and leaves it empty.
	Confidence map[string]float64 `json:"confidence,omitempty"`
	// Warnings are human-readable notes from reading the source, e.g. a
	// second payment account that the model has no place for.
	Warnings []string `json:"warnings,omitempty"`
}

// Party is the seller (BG-4) or the buyer (BG-7).
type Party struct {
	Name    string  `json:"name"`             // BT-27 seller, BT-44 buyer
	VATID   string  `json:"vat_id,omitempty"` // BT-31 seller, BT-48 buyer
	TaxID   string  `json:"tax_id,omitempty"` // BT-32, seller only: tax registration other than VAT
	Address Address `json:"address,omitzero"` // BG-5 seller, BG-8 buyer
}

// Address is a postal address (BG-5, BG-8).
type Address struct {
	Line1    string `json:"line1,omitempty"`    // BT-35 / BT-50
	City     string `json:"city,omitempty"`     // BT-37 / BT-52
	Postcode string `json:"postcode,omitempty"` // BT-38 / BT-53
	Country  string `json:"country,omitempty"`  // BT-40 / BT-55, ISO 3166-1 alpha-2
}

// Payment is how the buyer is asked to pay (BG-16, BG-17).
type Payment struct {
	MeansCode   string `json:"means_code,omitempty"`   // BT-81, UNTDID 4461 (30 credit transfer, 58 SEPA, …)
	IBAN        string `json:"iban,omitempty"`         // BT-84, usually an IBAN but may be another account id
	AccountName string `json:"account_name,omitempty"` // BT-85
	BIC         string `json:"bic,omitempty"`          // BT-86
}

// Totals are the document totals (BG-22). See the package comment for nil.
type Totals struct {
	LineNet      *decimal.Decimal `json:"line_net,omitempty"`      // BT-106
	Allowances   *decimal.Decimal `json:"allowances,omitempty"`    // BT-107
	Charges      *decimal.Decimal `json:"charges,omitempty"`       // BT-108
	TaxExclusive *decimal.Decimal `json:"tax_exclusive,omitempty"` // BT-109
	Tax          *decimal.Decimal `json:"tax,omitempty"`           // BT-110, in the invoice currency
	TaxInclusive *decimal.Decimal `json:"tax_inclusive,omitempty"` // BT-112
	Prepaid      *decimal.Decimal `json:"prepaid,omitempty"`       // BT-113
	Rounding     *decimal.Decimal `json:"rounding,omitempty"`      // BT-114
	Payable      *decimal.Decimal `json:"payable,omitempty"`       // BT-115
}

// TaxSubtotal is one VAT breakdown row (BG-23).
type TaxSubtotal struct {
	Category string           `json:"category"`          // BT-118, UNCL 5305 (S, Z, E, AE, K, G, O, L, M)
	Rate     *decimal.Decimal `json:"rate,omitempty"`    // BT-119, percent; absent for category O
	Taxable  *decimal.Decimal `json:"taxable,omitempty"` // BT-116
	Tax      *decimal.Decimal `json:"tax,omitempty"`     // BT-117
}

// Line is one invoice line (BG-25).
type Line struct {
	ID          string           `json:"id"`                     // BT-126
	Name        string           `json:"name"`                   // BT-153
	Quantity    *decimal.Decimal `json:"quantity,omitempty"`     // BT-129
	Unit        string           `json:"unit,omitempty"`         // BT-130, UN/ECE Rec 20 (C62, EA, KGM, …)
	UnitPrice   *decimal.Decimal `json:"unit_price,omitempty"`   // BT-146, net
	NetAmount   *decimal.Decimal `json:"net_amount,omitempty"`   // BT-131
	TaxCategory string           `json:"tax_category,omitempty"` // BT-151
	TaxRate     *decimal.Decimal `json:"tax_rate,omitempty"`     // BT-152
}

// IsCreditNote reports whether the document is a credit note by its type
// code. A corrected invoice (384) is not: its amounts carry the sign.
func (inv *Invoice) IsCreditNote() bool { return inv.TypeCode.IsCreditNote() }
