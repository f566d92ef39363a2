package invoice

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"
)

func TestNormalize(t *testing.T) {
	in := Invoice{
		InvoiceNumber:  "  INV-001 \n",
		TypeCode:       " 381 ",
		Currency:       " eur",
		TaxCurrency:    "huf ",
		BuyerReference: " 04011000-12345-03 ",
		PurchaseOrder:  "\tPO-77 ",
		PaymentTerms:   " 14 days net ",
		Notes:          []string{"  first\nsecond  ", "   ", ""},
		Seller: Party{
			Name:    "  De   Koksmaat\n B.V. ",
			VATID:   " nl8200.98.395.b.01 ",
			TaxID:   " 201/113/40209 ",
			Address: Address{Line1: " Postbus  7l ", City: " Velsen-Noord", Postcode: " 1950  ab ", Country: " nl "},
		},
		Buyer:   Party{Name: "ODIN 59 ", VATID: "DE 123 456-789"},
		Payment: Payment{MeansCode: " 58 ", IBAN: " nl57 rabo 0107 3075 10 ", AccountName: " De  Koksmaat ", BIC: " raboNL2u "},
		TaxBreakdown: []TaxSubtotal{
			{Category: " s ", Rate: d("21.00")},
			{Category: "ae", Rate: d("0")},
		},
		Lines:      []Line{{ID: " 1 ", Name: " KRAT BIER ", Unit: " c62 ", TaxCategory: "s", Quantity: d("1.000")}},
		Confidence: map[string]float64{"a": 1.5, "b": -0.2, "c": math.NaN(), "d": 0.75},
		Warnings:   []string{" check IBAN ", ""},
	}
	want := Invoice{
		InvoiceNumber:  "INV-001",
		TypeCode:       "381",
		Currency:       "EUR",
		TaxCurrency:    "HUF",
		BuyerReference: "04011000-12345-03",
		PurchaseOrder:  "PO-77",
		PaymentTerms:   "14 days net",
		Notes:          []string{"first\nsecond"},
		Seller: Party{
			Name:    "De Koksmaat B.V.",
			VATID:   "NL820098395B01",
			TaxID:   "201/113/40209",
			Address: Address{Line1: "Postbus 7l", City: "Velsen-Noord", Postcode: "1950 AB", Country: "NL"},
		},
		Buyer:   Party{Name: "ODIN 59", VATID: "DE123456789"},
		Payment: Payment{MeansCode: "58", IBAN: "NL57RABO0107307510", AccountName: "De Koksmaat", BIC: "RABONL2U"},
		TaxBreakdown: []TaxSubtotal{
			{Category: "S", Rate: d("21.00")},
			{Category: "AE", Rate: d("0")},
		},
		Lines:      []Line{{ID: "1", Name: "KRAT BIER", Unit: "C62", TaxCategory: "S", Quantity: d("1.000")}},
		Confidence: map[string]float64{"a": 1, "b": 0, "c": 0, "d": 0.75},
		Warnings:   []string{"check IBAN"},
	}
	in.Normalize()
	assertSameJSON(t, in, want)
	if in.Lines[0].Quantity.String() != "1.000" || in.TaxBreakdown[0].Rate.String() != "21.00" {
		t.Errorf("Normalize changed the scale of amounts")
	}

	again := in
	again.Normalize()
	assertSameJSON(t, again, want)
}

func TestNormalizeEmptyAndNil(t *testing.T) {
	var inv Invoice
	inv.Normalize()
	if !reflect.DeepEqual(inv, Invoice{}) {
		t.Errorf("normalizing an empty invoice changed it: %+v", inv)
	}
	var nilInv *Invoice
	nilInv.Normalize() // must not panic
}

func assertSameJSON(t *testing.T, got, want Invoice) {
	t.Helper()
	g, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	w, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	if string(g) != string(w) {
		t.Errorf("got  %s\nwant %s", g, w)
	}
}
