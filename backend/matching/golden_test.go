package matching

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/purchasing"
)

// realistic is an office-supplies invoice over two orders: one line fine,
// a toner price raised, binders billed before the last delivery, a chair
// billed twice, and freight that was never ordered.
func realistic() (invoice.Invoice, []Candidate) {
	i := inv("4711, 4712",
		iline("1", "Kopierpapier A4 80 g/m², ART-100", "50", "3.20"),
		iline("2", "Toner schwarz HP 410X", "2", "92.50"),
		iline("3", "Ordner breit, blau", "10", "4.50"),
		iline("4", "LED Schreibtischlampe", "2", "39.90"),
		iline("5", "Bürostuhl ergonomisch", "2", "249.00"),
		iline("6", "Versandkosten", "1", "12.90"))
	i.InvoiceNumber = "R-2026-0315"
	cands := []Candidate{
		{PO: po4711(), Receipts: []purchasing.GoodsReceipt{gr("4711", 1, "50"), gr("4711", 2, "4"), gr("4711", 3, "6")}, Billed: billed("2=2")},
		fullyReceived(po4712()),
	}
	return i, cands
}

func TestGoldenResult(t *testing.T) {
	i, cands := realistic()
	got := []byte(encode(t, Match(i, cands, DefaultConfig())))
	path := filepath.Join("testdata", "realistic.golden.json")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("Result differs from %s (go test -update rewrites it):\n%s", path, got)
	}
}

// The same input gives the same bytes, however often it is matched.
func TestDeterministic(t *testing.T) {
	i, cands := realistic()
	first := encode(t, Match(i, cands, DefaultConfig()))
	for n := 0; n < 50; n++ {
		if got := encode(t, Match(i, cands, DefaultConfig())); got != first {
			t.Fatalf("run %d differs:\n%s", n, got)
		}
	}
}

// Match must not change what it is given: callers keep their orders.
func TestMatchLeavesInputAlone(t *testing.T) {
	i, cands := realistic()
	before := encode(t, []any{i, cands})
	Match(i, cands, DefaultConfig())
	if after := encode(t, []any{i, cands}); after != before {
		t.Error("Match modified its input")
	}
}

// An empty result still encodes arrays, never null.
func TestEmptySlicesEncodeAsArrays(t *testing.T) {
	got := encode(t, Match(invoice.Invoice{}, nil, DefaultConfig()))
	want := `{
  "status": "no_po",
  "pos": [],
  "lines": [],
  "findings": [
    {
      "code": "po_missing",
      "severity": "warning",
      "message": "The invoice names no purchase order (BT-13), and no open order of the vendor fits its amount and date.",
      "fields": [
        "purchase_order"
      ]
    }
  ],
  "summary": "No purchase order to match against. The invoice names no purchase order (BT-13), and no open order of the vendor fits its amount and date."
}
`
	if got != want {
		t.Errorf("got\n%s", got)
	}
}
