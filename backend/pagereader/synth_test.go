package pagereader

import (
	"strings"
	"testing"
)

// cell is text at an x position; a synthetic page is lines of cells.
type cell struct {
	x    float64
	text string
}

type pline struct {
	y     float64
	cells []cell
}

// page lays out lines as words the way a PDF or OCR would deliver them,
// one word per cell, 10 pt type, width by character count.
func page(n int, lines ...pline) []Word {
	var out []Word
	for _, l := range lines {
		for _, c := range l.cells {
			out = append(out, Word{Page: n, Text: c.text, X: c.x, Y: l.y, W: float64(len([]rune(c.text))) * 5, H: 7, Size: 10})
		}
	}
	return out
}

func ln(y float64, pairs ...any) pline {
	l := pline{y: y}
	for i := 0; i+1 < len(pairs); i += 2 {
		l.cells = append(l.cells, cell{x: float64(pairs[i].(int)), text: pairs[i+1].(string)})
	}
	return l
}

// ocrSplit breaks every cell into single words, as Tesseract gives them.
func ocrSplit(ws []Word) []Word {
	var out []Word
	for _, w := range ws {
		x := w.X
		for _, f := range strings.Fields(w.Text) {
			wd := float64(len([]rune(f))) * 5
			out = append(out, Word{Page: w.Page, Text: f, X: x, Y: w.Y, W: wd, H: w.H})
			x += wd + 3
		}
	}
	return out
}

var germanInvoice = page(1,
	ln(40, 50, "Muster GmbH · Hauptstraße 1 · 80331 München"),
	ln(60, 50, "Kunde AG"),
	ln(72, 50, "Kundenweg 2"),
	ln(84, 50, "10115 Berlin"),
	ln(120, 50, "Rechnungsnummer:", 200, "RE-2018-17"),
	ln(135, 50, "Rechnungsdatum:", 200, "5. Juni 2018"),
	ln(150, 50, "Fällig am:", 200, "05.07.2018"),
	ln(165, 50, "Währung:", 200, "EUR"),
	ln(200, 50, "Pos.", 80, "Bezeichnung", 280, "Menge", 340, "Einzelpreis", 440, "Betrag"),
	ln(215, 50, "1", 80, "Beratung", 280, "10 Std", 340, "1.234,56", 440, "12.345,60"),
	ln(230, 50, "2", 80, "Reisekosten", 280, "1", 340, "345,50", 440, "345,50"),
	ln(260, 300, "Nettobetrag", 440, "12.691,10"),
	ln(275, 300, "MwSt. 19 %", 440, "2.411,31"),
	ln(290, 300, "Bruttobetrag", 440, "15.102,41"),
	ln(305, 300, "Zahlbetrag", 440, "15.102,41"),
	ln(340, 50, "USt-IdNr.: DE136695976", 250, "IBAN: DE89 3704 0044 0532 0130 00", 450, "BIC: COBADEFFXXX"),
)

var frenchInvoice = page(1,
	ln(40, 50, "Fournisseur", 300, "Client"),
	ln(55, 50, "ACME SARL", 300, "LE CLIENT SA"),
	ln(70, 50, "75018 PARIS", 300, "06000 NICE"),
	ln(85, 50, "N° TVA : FR 32 123 456 789", 300, "N° TVA : FR 05 987 654 321"),
	ln(120, 50, "Facture N° :", 200, "F-2023-001"),
	ln(135, 50, "Date de facture :", 200, "5 juin 2023"),
	ln(150, 50, "Date d'échéance :", 200, "05/07/2023"),
	ln(165, 50, "Devise : EURO (EUR)"),
	ln(200, 50, "Désignation", 280, "Quantité", 340, "Prix unitaire", 440, "Montant HT"),
	ln(215, 50, "Support", 280, "2", 340, "1 234,50", 440, "2 469,00"),
	ln(260, 300, "Total HT", 440, "2 469,00"),
	ln(275, 300, "TVA 20 %", 440, "493,80"),
	ln(290, 300, "Total TTC", 440, "2 962,80"),
	ln(305, 300, "Net à payer", 440, "2 962,80"),
	ln(340, 50, "IBAN : FR76 3000 6000 0112 3456 7890 189"),
)

var dutchInvoice = page(1,
	ln(40, 50, "Leverancier", 300, "Klant"),
	ln(55, 50, "Bakker B.V.", 300, "Jansen Retail"),
	ln(70, 50, "1011 AB Amsterdam", 300, "3011 CD Rotterdam"),
	ln(85, 50, "BTW-nummer: NL123456782B01"),
	ln(120, 50, "Factuurnummer:", 200, "2024-0099"),
	ln(135, 50, "Factuurdatum:", 200, "5 juni 2024"),
	ln(150, 50, "Vervaldatum:", 200, "5-7-2024"),
	ln(200, 50, "Omschrijving", 280, "Aantal", 340, "Prijs", 440, "Bedrag"),
	ln(215, 50, "Brood", 280, "100", 340, "2,50", 440, "250,00"),
	ln(230, 50, "Koek", 280, "10", 340, "5,00", 440, "50,00"),
	ln(260, 300, "Subtotaal", 440, "300,00"),
	ln(275, 300, "BTW 9%", 440, "27,00"),
	ln(290, 300, "Totaal incl. BTW", 440, "327,00"),
	ln(305, 300, "Te betalen", 440, "327,00"),
	ln(340, 50, "IBAN NL91 ABNA 0417 1643 00"),
)

var englishInvoice = page(1,
	ln(40, 50, "Seller", 300, "Bill to"),
	ln(55, 50, "Acme Supplies Ltd", 300, "Widget Buyer Inc"),
	ln(70, 50, "London EC1A 1BB", 300, "Leeds LS1 4AP"),
	ln(85, 50, "VAT Reg. No: GB 980 7806 84"),
	ln(120, 50, "Invoice No:", 200, "INV-2024-0042"),
	ln(135, 50, "Invoice date:", 200, "June 5, 2024"),
	ln(150, 50, "Due date:", 200, "July 5, 2024"),
	ln(165, 50, "Currency:", 200, "GBP"),
	ln(200, 50, "Item", 80, "Description", 280, "Qty", 340, "Unit price", 440, "Amount"),
	ln(215, 50, "1", 80, "Consulting", 280, "10", 340, "1,250.00", 440, "12,500.00"),
	ln(230, 50, "2", 80, "Travel", 280, "1", 340, "345.50", 440, "345.50"),
	ln(260, 300, "Subtotal", 440, "12,845.50"),
	ln(275, 300, "VAT 20%", 440, "2,569.10"),
	ln(290, 300, "Total", 440, "15,414.60"),
	ln(305, 300, "Prepaid", 440, "414.60"),
	ln(320, 300, "Amount due", 440, "15,000.00"),
	ln(340, 50, "IBAN: GB29 NWBK 6016 1331 9268 19", 300, "SWIFT: NWBKGB2L"),
)

type want struct {
	number, issue, due, cur, seller, sellerVAT, buyer, iban, net, tax, gross, payable string
	lines                                                                             int
}

func TestReadLanguages(t *testing.T) {
	tests := []struct {
		name  string
		words []Word
		want  want
	}{
		{"de", germanInvoice, want{"RE-2018-17", "2018-06-05", "2018-07-05", "EUR", "Muster GmbH", "DE136695976", "Kunde AG",
			"DE89370400440532013000", "12691.10", "2411.31", "15102.41", "15102.41", 2}},
		{"de-ocr", ocrSplit(germanInvoice), want{"RE-2018-17", "2018-06-05", "2018-07-05", "EUR", "Muster GmbH", "DE136695976", "Kunde AG",
			"DE89370400440532013000", "12691.10", "2411.31", "15102.41", "15102.41", 2}},
		{"fr", frenchInvoice, want{"F-2023-001", "2023-06-05", "2023-07-05", "EUR", "ACME SARL", "FR32123456789", "LE CLIENT SA",
			"FR7630006000011234567890189", "2469.00", "493.80", "2962.80", "2962.80", 1}},
		{"nl", dutchInvoice, want{"2024-0099", "2024-06-05", "2024-07-05", "" /* no currency shown */, "Bakker B.V.", "NL123456782B01", "Jansen Retail",
			"NL91ABNA0417164300", "300.00", "27.00", "327.00", "327.00", 2}},
		{"en", englishInvoice, want{"INV-2024-0042", "2024-06-05", "2024-07-05", "GBP", "Acme Supplies Ltd", "GB980780684", "Widget Buyer Inc",
			"GB29NWBK60161331926819", "12845.50", "2569.10", "15414.60", "15000.00", 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inv, err := Read(tc.words)
			if err != nil {
				t.Fatal(err)
			}
			w := tc.want
			got := want{inv.InvoiceNumber, inv.IssueDate.String(), inv.DueDate.String(), inv.Currency, inv.Seller.Name,
				inv.Seller.VATID, inv.Buyer.Name, inv.Payment.IBAN, str(inv.Totals.TaxExclusive), str(inv.Totals.Tax),
				str(inv.Totals.TaxInclusive), str(inv.Totals.Payable), len(inv.Lines)}
			if got != w {
				t.Errorf("got  %+v\nwant %+v\nwarnings %q", got, w, inv.Warnings)
			}
			for _, f := range []string{"totals.tax_exclusive", "totals.tax", "totals.tax_inclusive", "totals.payable", "payment.iban", "seller.vat_id"} {
				if c := inv.Confidence[f]; c < 0.9 {
					t.Errorf("%s confidence %.2f, want ≥ 0.9 (confirmed)", f, c)
				}
			}
		})
	}
}

func str(d interface{ String() string }) string {
	if d == nil || isNilDecimal(d) {
		return ""
	}
	return d.String()
}
