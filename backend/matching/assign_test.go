package matching

import (
	"testing"

	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/purchasing"
)

// Which PO line each invoice line is paired with, and by what evidence.
func TestPairing(t *testing.T) {
	type pairing struct {
		po   string
		line int
		how  string
	}
	tests := []struct {
		name  string
		lines []invoice.Line
		pos   []purchasing.PurchaseOrder
		want  []pairing
	}{
		{"item code in the name beats a better description",
			[]invoice.Line{iline("1", "ART 300 Aktenordner", "10", "4.50")},
			[]purchasing.PurchaseOrder{order("4711", pol(1, "ART-100", "Aktenordner", "10", "4.50"), pol(2, "ART-300", "Ordner breit", "10", "4.50"))},
			[]pairing{{"4711", 2, HowItemCode}}},
		{"item code as the line id",
			[]invoice.Line{iline("A-300", "Ordner", "10", "4.50")},
			[]purchasing.PurchaseOrder{order("4711", pol(1, "a300", "Aktenordner", "10", "9.99"), pol(2, "A-301", "Ordner", "10", "4.50"))},
			[]pairing{{"4711", 1, HowItemCode}}},
		{"short item codes are not searched",
			[]invoice.Line{iline("1", "Ordner 12 breit", "10", "4.50")},
			[]purchasing.PurchaseOrder{order("4711", pol(1, "12", "Papier", "5", "1.00"), pol(2, "", "Ordner breit", "10", "4.50"))},
			[]pairing{{"4711", 2, HowDescription}}},
		{"description, words in another order and case",
			[]invoice.Line{iline("1", "Toner HP 410X schwarz", "4", "89.00"), iline("2", "PAPIER A4", "50", "3.20")},
			[]purchasing.PurchaseOrder{order("4711", pol(1, "", "Kopierpapier A4", "50", "3.20"), pol(2, "", "hp toner 410x, schwarz", "4", "89.00"))},
			[]pairing{{"4711", 2, HowDescription}, {"4711", 1, HowDescription}}},
		{"same description: quantity decides",
			[]invoice.Line{iline("1", "Beratung", "42", "143.75"), iline("2", "Beratung", "33", "143.75")},
			[]purchasing.PurchaseOrder{order("65002278", pol(1, "", "Beratung", "33", "143.75"), pol(2, "", "Beratung", "42", "143.75"))},
			[]pairing{{"65002278", 2, HowDescription}, {"65002278", 1, HowDescription}}},
		{"amount when names differ",
			[]invoice.Line{iline("1", "Pos. 1", "7", "12.34")},
			[]purchasing.PurchaseOrder{order("4711", pol(1, "", "Ordner", "10", "4.50"), pol(2, "", "Heftklammern", "7", "12.34"))},
			[]pairing{{"4711", 2, HowAmount}}},
		{"position when only the price agrees",
			[]invoice.Line{iline("1", "Pos. 1", "3", "4.50"), iline("2", "Pos. 2", "1", "12.34")},
			[]purchasing.PurchaseOrder{order("4711", pol(1, "", "Ordner", "10", "4.50"), pol(2, "", "Heftklammern", "7", "12.34"))},
			[]pairing{{"4711", 1, HowPosition}, {"4711", 2, HowPosition}}},
		{"no position match when nothing agrees",
			[]invoice.Line{iline("1", "Pos. 1", "3", "5.00")},
			[]purchasing.PurchaseOrder{order("4711", pol(1, "", "Ordner", "10", "4.50"))},
			[]pairing{{"", 0, ""}}},
		{"second line of one item shares the PO line",
			[]invoice.Line{iline("1", "Ordner breit", "6", "4.50"), iline("2", "Ordner breit", "4", "4.50")},
			[]purchasing.PurchaseOrder{order("4711", pol(1, "", "Ordner breit", "10", "4.50"))},
			[]pairing{{"4711", 1, HowDescription}, {"4711", 1, HowDescription}}},
		{"lines spread over two orders",
			[]invoice.Line{iline("1", "Bürostuhl", "1", "249.00"), iline("2", "Ordner breit", "10", "4.50")},
			[]purchasing.PurchaseOrder{po4711(), po4712()},
			[]pairing{{"4712", 2, HowDescription}, {"4711", 3, HowDescription}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var cands []Candidate
			for _, po := range tc.pos {
				cands = append(cands, fullyReceived(po))
			}
			r := Match(inv("", tc.lines...), cands, DefaultConfig())
			for i, w := range tc.want {
				l := r.Lines[i]
				if l.PONumber != w.po || l.POLine != w.line || l.How != w.how {
					t.Errorf("line %d: PO %q line %d by %q, want PO %q line %d by %q", i, l.PONumber, l.POLine, l.How, w.po, w.line, w.how)
				}
			}
		})
	}
}

func TestPositionExplained(t *testing.T) {
	r := Match(inv("4711", iline("1", "Pos. 1", "3", "4.50")), []Candidate{fullyReceived(order("4711", pol(10, "", "Ordner", "10", "4.50")))}, DefaultConfig())
	want := "Invoice line 1 (3 × 4.50) matches PO 4711 line 10 by position only (10 × 4.50 ordered, 10 received): price and quantity agree."
	if got := r.Lines[0].Explanation; got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestWordsAndSimilarity(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"Ordner breit blau", "ORDNER, breit – blau", 1000},
		{"Beratung", "Beratung Projekt Nord", 500},
		{"Kabel rot", "Kabel blau", 500},
		{"Zucker 1 kg", "Zucker 1", 800},
		{"Schrauben", "Muttern", 0},
		{"", "Muttern", 0},
		{"Grün Grün grün", "grün", 1000},
	}
	for _, tc := range tests {
		if got := similarity(words(tc.a), words(tc.b)); got != tc.want {
			t.Errorf("similarity(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestCodeIn(t *testing.T) {
	tests := []struct {
		code, name, id string
		want           bool
	}{
		{"ART-1234", "ART-1234 Widget", "1", true},
		{"ART1234", "Widget art 1234", "1", true},
		{"art 1234", "Widget ART1234", "1", true},
		{"ART-1234", "Widget ART-12345", "1", false},
		{"4711", "Widget", "4711", true},
		{"12", "Ordner 12", "12", false},
		{"", "Widget", "", false},
	}
	for _, tc := range tests {
		if got := codeIn(compact(tc.code), words(tc.name), tc.id); got != tc.want {
			t.Errorf("codeIn(%q, %q, %q) = %v", tc.code, tc.name, tc.id, got)
		}
	}
}
