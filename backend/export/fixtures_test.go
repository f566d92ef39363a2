package export

import (
	"time"

	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/vendor"
)

// fixedNow is the injected clock of every golden test.
var fixedNow = time.Date(2024, 3, 15, 9, 30, 0, 0, time.UTC)

// Valid IBANs of the published examples (mod-97 correct).
const (
	ibanDE = "DE89370400440532013000"
	ibanAT = "AT611904300234573201"
	ibanCH = "CH9300762011623852957"
	ibanNL = "NL91ABNA0417164300"
)

func dec(s string) *decimal.Decimal {
	d := decimal.MustParse(s)
	return &d
}

func testVendor(name, iban, bic string) *vendor.Vendor {
	return &vendor.Vendor{
		ID: "v-" + name, Name: name, Country: iban[:2],
		Bank:      vendor.BankDetails{IBAN: iban, BIC: bic},
		CreatedAt: fixedNow.AddDate(-1, 0, 0), UpdatedAt: fixedNow.AddDate(-1, 0, 0),
	}
}

// fullInvoice sets every field of the model that UBL carries.
func fullInvoice() invoice.Invoice {
	return invoice.Invoice{
		InvoiceNumber: "RE-2024/0042", IssueDate: invoice.MustParseDate("2024-03-01"),
		TypeCode: invoice.TypeCommercialInvoice, Currency: "EUR",
		TaxCurrency: "GBP", TaxTotalTaxCurrency: dec("16.50"),
		DueDate: invoice.MustParseDate("2024-03-31"), BuyerReference: "04011000-12345-34",
		PurchaseOrder: "PO-7781", PaymentTerms: "30 days net\n2 % discount within 10 days",
		Notes: []string{"#AAI#Thank you for your order & <prompt> payment", "Second note"},
		Seller: invoice.Party{
			Name: "Müller & Söhne GmbH", VATID: "DE123456789", TaxID: "201/113/40209",
			Address: invoice.Address{Line1: "Hauptstraße 1", City: "München", Postcode: "80331", Country: "DE"},
		},
		Buyer: invoice.Party{
			Name: "Buyer B.V.", VATID: "NL123456789B01",
			Address: invoice.Address{Line1: "Kerkstraat 2", City: "Amsterdam", Postcode: "1012 AB", Country: "NL"},
		},
		Payment: invoice.Payment{MeansCode: "58", IBAN: ibanDE, AccountName: "Müller & Söhne", BIC: "COBADEFFXXX"},
		Totals: invoice.Totals{
			LineNet: dec("100.00"), Allowances: dec("5.00"), Charges: dec("5.00"), TaxExclusive: dec("100.00"),
			Tax: dec("19.00"), TaxInclusive: dec("119.00"), Prepaid: dec("10.00"), Rounding: dec("0.00"),
			Payable: dec("109.00"),
		},
		TaxBreakdown: []invoice.TaxSubtotal{
			{Category: "S", Rate: dec("19"), Taxable: dec("100.00"), Tax: dec("19.00")},
			{Category: "O", Taxable: dec("0.00"), Tax: dec("0.00")},
		},
		Lines: []invoice.Line{
			{ID: "1", Name: "Widget", Quantity: dec("4"), Unit: "C62", UnitPrice: dec("20.000"),
				NetAmount: dec("80.00"), TaxCategory: "S", TaxRate: dec("19.00")},
			{ID: "2", Name: "Service hour", Quantity: dec("-0.5"), Unit: "HUR", UnitPrice: dec("40"),
				NetAmount: dec("-20.00"), TaxCategory: "S", TaxRate: dec("19")},
			{ID: "3", Name: "Text line only"},
		},
	}
}

// creditNote is a 381 with a due date, which UBL 2.1 CreditNote carries
// in PaymentMeans.
func creditNote() invoice.Invoice {
	return invoice.Invoice{
		InvoiceNumber: "GS-17", IssueDate: invoice.MustParseDate("2024-03-05"),
		TypeCode: invoice.TypeCreditNote, Currency: "EUR", DueDate: invoice.MustParseDate("2024-03-20"),
		Seller: invoice.Party{Name: "ACME GmbH", VATID: "DE987654321"},
		Buyer:  invoice.Party{Name: "Buyer B.V."},
		Totals: invoice.Totals{
			LineNet: dec("50.00"), TaxExclusive: dec("50.00"), Tax: dec("9.50"),
			TaxInclusive: dec("59.50"), Payable: dec("59.50"),
		},
		TaxBreakdown: []invoice.TaxSubtotal{{Category: "S", Rate: dec("19"), Taxable: dec("50.00"), Tax: dec("9.50")}},
		Lines: []invoice.Line{{ID: "1", Name: "Returned widget", Quantity: dec("2.5"), Unit: "C62",
			UnitPrice: dec("20"), NetAmount: dec("50.00"), TaxCategory: "S", TaxRate: dec("19")}},
	}
}

// payableInvoice is a minimal approved-for-payment invoice.
func payableInvoice(number, issue, payable string) invoice.Invoice {
	return invoice.Invoice{
		InvoiceNumber: number, IssueDate: invoice.MustParseDate(issue),
		TypeCode: invoice.TypeCommercialInvoice, Currency: "EUR",
		Seller: invoice.Party{Name: "Seller " + number},
		Totals: invoice.Totals{Payable: dec(payable)},
		// A different account on the invoice: SEPA must ignore it.
		Payment: invoice.Payment{MeansCode: "58", IBAN: ibanNL},
	}
}

// sepaItems is the fixed batch of the SEPA golden test: three payable
// invoices (DE, AT with umlauts and no BIC, CH with BIC) and one refused.
func sepaItems() []Item {
	at := testVendor("Müller & Söhne Ges.m.b.H. — Wien", ibanAT, "")
	at.Bank.AccountName = "Jürgen Müller-Lüdenscheidt"
	return []Item{
		{ID: "0190b5a0-7c4e-7d3a-9f00-000000000001", Status: "approved",
			Invoice: payableInvoice("RE-2024/0042", "2024-03-01", "1190.00"),
			Vendor:  testVendor("ACME GmbH", ibanDE, "COBADEFFXXX")},
		{ID: "0190b5a0-7c4e-7d3a-9f00-000000000002", Status: "approved",
			Invoice: payableInvoice("Ä-77 «special»", "2024-03-02", "0.5"), Vendor: at},
		{ID: "0190b5a0-7c4e-7d3a-9f00-000000000003", Status: "approved",
			Invoice: payableInvoice("CH-1", "2024-03-03", "10"),
			Vendor:  testVendor("Zürcher Käserei AG", ibanCH, "UBSWCHZH80A")},
		{ID: "0190b5a0-7c4e-7d3a-9f00-000000000004", Status: "approved",
			Invoice: payableInvoice("NOVENDOR-1", "2024-03-04", "99.99")},
	}
}

func testDebtor() Debtor {
	return Debtor{
		Name: "SmartAP Käufer GmbH", IBAN: "DE02120300000000202051", BIC: "BYLADEM1001",
		ExecutionDate: invoice.MustParseDate("2024-03-18"), MessageID: "MSG-2024-03-15-001",
	}
}
