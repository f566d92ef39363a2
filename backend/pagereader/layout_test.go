package pagereader

import (
	"errors"
	"strings"
	"testing"

	"github.com/smartap/desktop/backend/apperr"
)

func TestBuildLayout(t *testing.T) {
	words := []Word{
		// one visual line, centres off by a point, out of order, pieces glued
		{Page: 1, Text: "Zahlbetrag ", X: 213, Y: 678.6, W: 35, H: 6.9, Size: 8},
		{Page: 1, Text: "529,87", X: 512, Y: 678.9, W: 22, H: 6.3, Size: 8},
		{Page: 1, Text: "Umsatzsteuer ", X: 70, Y: 600, W: 58, H: 6.4, Size: 10},
		{Page: 1, Text: "(", X: 131.6, Y: 600.5, W: 1.8, H: 8.6, Size: 10},
		{Page: 1, Text: "S", X: 134.4, Y: 600, W: 3.9, H: 6.5, Size: 10},
		{Page: 1, Text: ")", X: 139.6, Y: 599.5, W: 1.8, H: 8.6, Size: 10},
		// a page 2 line listed first: pages come in order
		{Page: 2, Text: "Seite 2", X: 50, Y: 20, W: 30, H: 6, Size: 8},
		// unusable words are dropped
		{Page: 1, Text: "   ", X: 1, Y: 1, W: 1, H: 1},
		{Page: 1, Text: "NaN", X: nan(), Y: 1, W: 1, H: 1},
	}
	lay := BuildLayout(words)
	var got []string
	for _, ln := range lay.Lines {
		var segs []string
		for _, s := range ln.Segs {
			segs = append(segs, s.Text)
		}
		got = append(got, strings.Join(segs, "|"))
	}
	want := []string{"Umsatzsteuer (S)", "Zahlbetrag|529,87", "Seite 2"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("lines\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func nan() float64 {
	zero := 0.0
	return zero / zero
}

// Tesseract gives one box per word and no font size: lines and
// segments must come out the same.
func TestBuildLayoutOCRWords(t *testing.T) {
	ws := ocrSplit(page(1, ln(100, 50, "Rechnungssumme netto", 400, "1.234,56")))
	lay := BuildLayout(ws)
	if len(lay.Lines) != 1 || len(lay.Lines[0].Segs) != 2 || lay.Lines[0].Segs[0].Text != "Rechnungssumme netto" {
		t.Fatalf("%+v", lay.Lines)
	}
}

func TestTableColumns(t *testing.T) {
	tests := []struct {
		header string
		want   colKind
	}{
		{"Pos.", colPos}, {"# Ligne FACT", colPos}, {"Bezeichnung", colDesc}, {"Désignation", colDesc},
		{"Omschrijving", colDesc}, {"Menge", colQty}, {"Qté", colQty}, {"Aantal", colQty},
		{"Einzelpreis", colPrice}, {"Prix unitaire", colPrice}, {"Unit Price Excl. VAT", colPrice}, {"Prijs", colPrice},
		{"Betrag", colAmount}, {"Montant HT", colAmount}, {"Bedrag", colAmount}, {"Line Amount Excl. VAT", colAmount},
		{"Gesamt €", colAmount}, {"Einheit", colUnit}, {"UNIT for P.U.", colUnit}, {"VAT %", colRate},
		{"Steuersatz", colRate}, {"Art-Nr-Kunde", colOther}, {"Remise (-) Charge (+)", colOther},
	}
	for _, tc := range tests {
		if got := classify(fold(tc.header)); got != tc.want {
			t.Errorf("classify(%q) = %v, want %v", tc.header, got, tc.want)
		}
	}
}

// Rows whose position comes under the description, amounts a line lower
// than the position, and description lines in between (the FeRD layout).
func TestTableRows(t *testing.T) {
	ws := page(1,
		ln(100, 50, "Pos", 100, "Beschreibung", 300, "Nettopreis", 380, "Menge", 450, "Nettobetrag"),
		ln(120, 100, "Montage", 300, "43,20", 380, "3 Std", 450, "129,60"),
		ln(130, 50, "01", 100, "Beamer an die Decke"),
		ln(140, 100, "Bruttopreis : 43,20"),
		ln(160, 50, "02", 100, "Halterung", 300, "122,50", 380, "1 Stk"),
		ln(168, 450, "122,50"),
		ln(190, 250, "Positionssumme", 450, "252,10"),
	)
	inv, err := Read(ws)
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Lines) != 2 {
		t.Fatalf("lines %+v", inv.Lines)
	}
	l0, l1 := inv.Lines[0], inv.Lines[1]
	if l0.ID != "01" || l0.Name != "Montage" || l0.Quantity.String() != "3" || l0.Unit != "STD" || l0.NetAmount.String() != "129.60" ||
		l1.ID != "02" || l1.UnitPrice.String() != "122.50" || l1.NetAmount.String() != "122.50" {
		t.Fatalf("lines %+v %+v", l0, l1)
	}
	if inv.Confidence["lines[0].net_amount"] < 0.9 || inv.Confidence["totals.line_net"] < 0.9 {
		t.Errorf("lines add up, confidence %v", inv.Confidence)
	}
}

func TestReadNoText(t *testing.T) {
	for _, ws := range [][]Word{nil, {{Page: 1, Text: " \u00a0 ", X: 1, Y: 1, W: 1, H: 1}}} {
		_, err := Read(ws)
		if !errors.Is(err, ErrNoText) || apperr.CodeOf(err) != apperr.UnsupportedFormat {
			t.Fatalf("err = %v", err)
		}
	}
}

// Arithmetic that does not add up lowers the confidence of the totals
// involved and says so; labels alone give a medium confidence.
func TestConfidenceRules(t *testing.T) {
	ws := page(1,
		ln(100, 50, "Rechnungsnummer: 4711"),
		ln(200, 300, "Nettobetrag", 440, "100,00"),
		ln(215, 300, "MwSt. 19 %", 440, "19,00"),
		ln(230, 300, "Bruttobetrag", 440, "129,00"),
		ln(300, 50, "IBAN DE89 3704 0044 0532 0130 01"),
	)
	inv, err := Read(ws)
	if err != nil {
		t.Fatal(err)
	}
	c := inv.Confidence
	if c["invoice_number"] < 0.6 || c["invoice_number"] >= 0.9 {
		t.Errorf("labelled number: %.2f", c["invoice_number"])
	}
	for _, f := range []string{"totals.tax_exclusive", "totals.tax", "totals.tax_inclusive"} {
		if c[f] > ConfContradicted+0.05 {
			t.Errorf("%s: confidence %.2f despite 100 + 19 ≠ 129", f, c[f])
		}
	}
	if c["payment.iban"] >= 0.5 || inv.Payment.IBAN != "DE89370400440532013001" {
		t.Errorf("IBAN with a wrong check digit: %q %.2f", inv.Payment.IBAN, c["payment.iban"])
	}
	joined := strings.Join(inv.Warnings, "\n")
	for _, w := range []string{"total without VAT + VAT = total with VAT", "IBAN", "amount due"} {
		if !strings.Contains(joined, w) {
			t.Errorf("no warning about %q in %q", w, inv.Warnings)
		}
	}
}
