package matching

import (
	"fmt"
	"testing"

	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/purchasing"
)

// benchCase is an invoice of 50 lines spread over three orders of 50
// lines each; a third of the lines carry an item code, the rest must be
// found by description, some with a changed price or quantity.
func benchCase() (invoice.Invoice, []Candidate) {
	var cands []Candidate
	for p := 0; p < 3; p++ {
		number := fmt.Sprintf("47%02d", p)
		po := order(number)
		for l := 1; l <= 50; l++ {
			code := ""
			if l%3 == 0 {
				code = fmt.Sprintf("ART-%d%02d", p, l)
			}
			po.Lines = append(po.Lines, pol(l, code, fmt.Sprintf("Schraube M%d Länge %d verzinkt Los %d", l, 10+p, p), "100", fmt.Sprintf("0.%02d", l)))
		}
		c := fullyReceived(po)
		c.Receipts = append(c.Receipts, purchasing.GoodsReceipt{ID: "gr_extra", PONumber: number, LineNo: 7, Quantity: dec("5")})
		cands = append(cands, c)
	}
	var lines []invoice.Line
	for i := 0; i < 50; i++ {
		p, l := i%3, 1+(i*7)%50
		name := fmt.Sprintf("Schraube M%d, Länge %d, verzinkt (Los %d)", l, 10+p, p)
		if l%3 == 0 {
			name = fmt.Sprintf("ART-%d%02d %s", p, l, name)
		}
		qty, price := "100", fmt.Sprintf("0.%02d", l)
		if i%10 == 0 {
			price = fmt.Sprintf("0.%02d", l+5)
		}
		if i%7 == 0 {
			qty = "120"
		}
		lines = append(lines, iline(fmt.Sprint(i+1), name, qty, price))
	}
	return inv("4700, 4701, 4702", lines...), cands
}

func BenchmarkMatch(b *testing.B) {
	i, cands := benchCase()
	cfg := DefaultConfig()
	b.ReportAllocs()
	for b.Loop() {
		Match(i, cands, cfg)
	}
}

// The benchmark's invoice is matched sensibly, so the figure means
// something: every line finds its own PO line.
func TestBenchCaseMatches(t *testing.T) {
	i, cands := benchCase()
	r := Match(i, cands, DefaultConfig())
	for n, l := range r.Lines {
		p, want := n%3, 1+(n*7)%50
		if l.PONumber != fmt.Sprintf("47%02d", p) || l.POLine != want {
			t.Fatalf("line %d: PO %s line %d by %s, want 47%02d line %d", n+1, l.PONumber, l.POLine, l.How, p, want)
		}
	}
}
