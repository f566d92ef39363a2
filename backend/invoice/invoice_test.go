package invoice

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smartap/desktop/backend/decimal"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json")

// d is a present amount; nil is an absent one.
func d(s string) *decimal.Decimal {
	v := decimal.MustParse(s)
	return &v
}

func line(id, name, qty, price, net, rate string) Line {
	return Line{
		ID: id, Name: name, Quantity: d(qty), Unit: "EA", UnitPrice: d(price),
		NetAmount: d(net), TaxCategory: "S", TaxRate: d(rate),
	}
}

// example1 is ubl-tc434-example1.xml of the CEN examples
// (shared/corpus/en16931-cen-examples/ubl/examples), copied by hand as a
// parser would read it: raw spellings, trailing spaces included.
func example1() Invoice {
	return Invoice{
		InvoiceNumber: "12115118",
		IssueDate:     MustParseDate("2015-01-09"),
		TypeCode:      TypeCommercialInvoice,
		Currency:      "EUR",
		DueDate:       MustParseDate("2015-01-09"),
		Notes: []string{"Alle leveringen zijn franco. Alle prijzen zijn incl. BTW. Betalingstermijn: 14 dagen netto. " +
			"Prijswijzigingen voorbehouden. Op al onze aanbiedingen, leveringen en overeenkomsten zijn van toepassing " +
			"in de algemene verkoop en leveringsvoorwaarden. Gedeponeerd bij de K.v.K. te Amsterdam 25-04-'85##Delivery terms"},
		Seller: Party{
			Name:    "De Koksmaat",
			VATID:   "NL8200.98.395.B.01",
			Address: Address{Line1: "Postbus 7l", City: "Velsen-Noord", Postcode: "1950 AB", Country: "NL"},
		},
		Buyer: Party{
			Name:    "ODIN 59",
			Address: Address{Line1: "POSTBUS 367", City: "HEEMSKERK", Postcode: "1960 AJ", Country: "NL"},
		},
		// The file has a second account (NL03 INGB 0004489902); the model
		// keeps the first payment means.
		Payment: Payment{MeansCode: "30", IBAN: "NL57 RABO 0107307510"},
		Totals: Totals{
			LineNet: d("229.60"), TaxExclusive: d("229.60"), Tax: d("20.73"),
			TaxInclusive: d("250.33"), Payable: d("250.33"),
		},
		TaxBreakdown: []TaxSubtotal{
			{Category: "S", Rate: d("6"), Taxable: d("183.23"), Tax: d("10.99")},
			{Category: "S", Rate: d("21"), Taxable: d("46.37"), Tax: d("9.74")},
		},
		Lines: []Line{
			line("1", "PATAT FRITES 10MM 10KG", "2", "9.95", "19.90", "6"),
			line("2", "PKAAS 50PL. JONG BEL. 1KG", "1", "9.85", "9.85", "6"),
			line("3", "POT KETCHUP 3 LT", "1", "8.29", "8.29", "6"),
			line("4", "FRITESSAUS 3 LRR", "2", "7.23", "14.46", "6"),
			line("5", "KOFFIE BLIK 3,5KG SNELF ", "1", "35.00", "35.00", "6"),
			line("6", "KOFFIE 3.5 KG BLIK STAND ", "1", "35.00", "35.00", "6"),
			line("7", "SUIKERKLONT", "1", "10.65", "10.65", "6"),
			line("8", "1 KG UL BLOKJES ", "1", "1.55", "1.55", "6"),
			line("9", "BLOCKNOTE A5 ", "3", "4.79", "14.37", "6"),
			line("10", "CHIPS NAT KLEIN ZAKJES", "1", "8.29", "8.29", "6"),
			line("11", "CHIPS PAP KLEINE ZAKJES", "2", "8.29", "16.58", "6"),
			line("12", "TR KL PAKJES APPELSAP ", "1", "9.95", "9.95", "6"),
			line("13", "PK CHOCOLADEMEL", "2", "1.65", "3.30", "6"),
			line("14", "KRAT BIER ", "1", "10.80", "10.80", "21"),
			line("15", "STATIEGELD", "1", "3.90", "3.90", "6"),
			line("16", "BLEEK 3 X 750 ML ", "2", "3.80", "7.60", "21"),
			line("17", "WC PAPIER ", "2", "4.67", "9.34", "21"),
			line("18", "BALPENNEN 50 ST BLAUW ", "1", "18.63", "18.63", "21"),
			line("19", "EM FRITUURVET ", "6", "17.02", "102.12", "6"),
			line("20", "FRITUUR VET 10 KG RETOUR ", "6", "18.33", "-109.98", "6"),
		},
	}
}

func marshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file:\n%s", path, got)
	}
}

// The golden file is the invoice as stored: read, then normalized.
func TestGoldenExample1(t *testing.T) {
	inv := example1()
	inv.Normalize()
	golden(t, "example1.golden.json", marshal(t, inv))
}

func TestGoldenRoundTrip(t *testing.T) {
	want, err := os.ReadFile(filepath.Join("testdata", "example1.golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	var inv Invoice
	if err := json.Unmarshal(want, &inv); err != nil {
		t.Fatal(err)
	}
	if got := marshal(t, inv); !bytes.Equal(got, want) {
		t.Errorf("JSON -> struct -> JSON changed the document:\n%s", got)
	}
}

// Copying by hand is error-prone; the example's own arithmetic catches slips.
func TestExample1Arithmetic(t *testing.T) {
	inv := example1()
	var lines, taxable, tax decimal.Decimal
	for _, l := range inv.Lines {
		lines = lines.Add(*l.NetAmount)
		if !l.Quantity.Mul(*l.UnitPrice).Abs().Equal(l.NetAmount.Abs()) {
			t.Errorf("line %s: %s × %s ≠ %s", l.ID, l.Quantity, l.UnitPrice, l.NetAmount)
		}
	}
	for _, s := range inv.TaxBreakdown {
		taxable, tax = taxable.Add(*s.Taxable), tax.Add(*s.Tax)
	}
	tot := inv.Totals
	checks := []struct {
		name      string
		got, want decimal.Decimal
	}{
		{"sum of lines = BT-106", lines, *tot.LineNet},
		{"sum of taxable = BT-109", taxable, *tot.TaxExclusive},
		{"sum of tax = BT-110", tax, *tot.Tax},
		{"BT-109 + BT-110 = BT-112", tot.TaxExclusive.Add(*tot.Tax), *tot.TaxInclusive},
	}
	for _, c := range checks {
		if !c.got.Equal(c.want) {
			t.Errorf("%s: %s ≠ %s", c.name, c.got, c.want)
		}
	}
}

// Documents that must survive JSON -> struct -> JSON byte for byte,
// covering absent vs zero, negative amounts, a tax currency and read sources.
func TestJSONRoundTrip(t *testing.T) {
	docs := map[string]string{
		"empty": `{"invoice_number":"","type_code":"","currency":"","seller":{"name":""},"buyer":{"name":""},"totals":{}}`,
		"zero is not absent": `{"invoice_number":"1","type_code":"380","currency":"EUR","seller":{"name":"S"},"buyer":{"name":"B"},` +
			`"totals":{"allowances":"0.00","prepaid":"0"}}`,
		"credit note negative": `{"invoice_number":"CN-7","issue_date":"2024-02-29","type_code":"381","currency":"EUR",` +
			`"seller":{"name":"S"},"buyer":{"name":"B"},"totals":{"rounding":"-0.01","payable":"-1250.50"}}`,
		"tax currency": `{"invoice_number":"HU-1","type_code":"380","currency":"EUR","tax_currency":"HUF",` +
			`"tax_total_tax_currency":"18679.00","seller":{"name":"S"},"buyer":{"name":"B"},"totals":{"tax":"49.87"}}`,
		"no lines, read source": `{"invoice_number":"A1","type_code":"380","currency":"CHF","seller":{"name":"S","tax_id":"201/113/40209"},` +
			`"buyer":{"name":"B"},"payment":{"means_code":"58","iban":"CH9300762011623852957"},"totals":{"payable":"10.00"},` +
			`"confidence":{"invoice_number":0.62,"totals.payable":1},"warnings":["total read from the page footer"]}`,
		"tax category O without rate": `{"invoice_number":"1","type_code":"380","currency":"EUR","seller":{"name":"S"},` +
			`"buyer":{"name":"B"},"totals":{},"tax_breakdown":[{"category":"O","taxable":"100","tax":"0"}]}`,
	}
	for name, doc := range docs {
		t.Run(name, func(t *testing.T) {
			var inv Invoice
			if err := json.Unmarshal([]byte(doc), &inv); err != nil {
				t.Fatal(err)
			}
			b, err := json.Marshal(inv)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != doc {
				t.Errorf("round trip:\n got %s\nwant %s", b, doc)
			}
		})
	}
}

// Money must never reach JSON as a number: only confidence scores may.
func TestNoJSONNumbersOutsideConfidence(t *testing.T) {
	inv := example1()
	inv.Confidence = map[string]float64{"totals.payable": 0.9}
	var v any
	dec := json.NewDecoder(bytes.NewReader(marshal(t, inv)))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	walk(t, "", v)
}

func walk(t *testing.T, path string, v any) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			walk(t, path+"."+k, e)
		}
	case []any:
		for _, e := range x {
			walk(t, path+"[]", e)
		}
	case json.Number:
		if !strings.HasPrefix(path, ".confidence.") {
			t.Errorf("%s is a JSON number (%s)", path, x)
		}
	}
}

func TestIsCreditNote(t *testing.T) {
	tests := []struct {
		code TypeCode
		want bool
	}{
		{TypeCommercialInvoice, false},
		{TypeCreditNote, true},
		{TypeSelfBilledCreditNote, true},
		{"396", true},
		{TypeCorrectedInvoice, false},
		{TypeSelfBilledInvoice, false},
		{TypeDebitNote, false},
		{"", false},
		{" 381", false}, // Normalize first
	}
	for _, tt := range tests {
		inv := Invoice{TypeCode: tt.code}
		if got := inv.IsCreditNote(); got != tt.want {
			t.Errorf("IsCreditNote(%q) = %v, want %v", tt.code, got, tt.want)
		}
	}
}
