package matching

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smartap/desktop/backend/einvoice"
	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/purchasing"
)

// corpusDir is the shared sample set (docs: ../shared/corpus from the
// project root).
const corpusDir = "../../../shared/corpus"

// readCorpus reads one corpus invoice; the test is skipped only when the
// corpus is not there, never when a file fails to read.
func readCorpus(t *testing.T, rel string) invoice.Invoice {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(corpusDir, rel))
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("corpus file %s absent", rel)
	}
	if err != nil {
		t.Fatal(err)
	}
	inv, _, err := einvoice.Read(b)
	if err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	return inv
}

// orderFor builds the order an invoice's lines were placed from, with
// positive quantities, lines numbered 10, 20, … as ERPs do.
func orderFor(number string, inv invoice.Invoice) purchasing.PurchaseOrder {
	po := order(number)
	po.Currency = inv.Currency
	for i, l := range inv.Lines {
		po.Lines = append(po.Lines, purchasing.POLine{
			LineNo: 10 * (i + 1), Description: l.Name, Quantity: l.Quantity.Abs(), Unit: l.Unit, UnitPrice: *l.UnitPrice,
		})
	}
	return po
}

// The Factur-X EN 16931 sample against the order it quotes, found by BT-13.
func TestCorpusFacturX(t *testing.T) {
	inv := readCorpus(t, "factur-x-akretion/tests/fixtures/xml/factur-x-en16931.xml")
	po := orderFor("PO201925478", inv)
	other := order("PO201925479", pol(1, "", "PRESTATION SUPPORT", "1", "60"))
	found := FindCandidates(inv, "ven_muster", []purchasing.PurchaseOrder{other, po}, DefaultConfig())
	if len(found) != 1 || found[0].Number != inv.PurchaseOrder {
		t.Fatalf("FindCandidates = %v, want the order %s", found, inv.PurchaseOrder)
	}
	r := Match(inv, []Candidate{fullyReceived(found[0])}, DefaultConfig())
	if r.Status != StatusMatched || len(r.Findings) != 0 {
		t.Fatalf("%s: %s\n%s", r.Status, r.Summary, encode(t, r))
	}
	want := "Invoice line 2 (3 × 30.00) matches PO PO201925478 line 20 (3 × 30.00 ordered, 3 received): price and quantity agree."
	if got := r.Lines[1].Explanation; got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

// The same invoice in the BASIC WL profile has no lines: header level.
func TestCorpusBasicWLHeaderLevel(t *testing.T) {
	full := readCorpus(t, "factur-x-akretion/tests/fixtures/xml/factur-x-en16931.xml")
	wl := readCorpus(t, "factur-x-akretion/tests/fixtures/xml/factur-x-basicwl.xml")
	if len(wl.Lines) != 0 {
		t.Fatalf("BASIC WL sample has %d lines", len(wl.Lines))
	}
	po := orderFor("PO201925478", full) // worth 157.00; the invoice nets 95.00
	r := Match(wl, []Candidate{fullyReceived(po)}, DefaultConfig())
	if r.Status != StatusMatched || len(r.Lines) != 0 {
		t.Fatalf("%s: %s", r.Status, encode(t, r))
	}
	if !strings.Contains(r.Summary, "net 95.00 compared with PO PO201925478: 157.00 open") {
		t.Errorf("summary %q", r.Summary)
	}
	// Billed in full before, the same net is now far above what is open.
	c := fullyReceived(po)
	c.Billed = billed("10=1", "20=3", "30=1")
	r = Match(wl, []Candidate{c}, DefaultConfig())
	if got := codes(r.Findings); r.Status != StatusPartial || len(got) != 1 || got[0] != "po_price_variance:error" {
		t.Errorf("already billed: %s %v", r.Status, got)
	}
}

// XRechnung 02.01a bills consulting on two lines with the same name: the
// quantities tell which PO line each is, whatever order the PO lists them.
func TestCorpusXRechnungSameDescription(t *testing.T) {
	inv := readCorpus(t, "xrechnung-testsuite/src/test/business-cases/standard/02.01a-INVOICE_ubl.xml")
	po := order(inv.PurchaseOrder,
		pol(1, "", "Beratung", "42", "143.75"),
		pol(2, "", "Beratung", "33", "143.75"))
	c := Candidate{PO: po, Receipts: []purchasing.GoodsReceipt{gr(po.Number, 1, "40"), gr(po.Number, 2, "33")}}
	r := Match(inv, []Candidate{c}, DefaultConfig())
	if got := []int{r.Lines[0].POLine, r.Lines[1].POLine}; got[0] != 2 || got[1] != 1 {
		t.Fatalf("PO lines %v, want [2 1]\n%s", got, encode(t, r))
	}
	if got := lineStatuses(r.Lines); got[0] != LineOK || got[1] != LineNotReceived {
		t.Errorf("statuses %v", got)
	}
	want := "Invoice line 2 (42 × 143.75) matches PO 65002278 line 1 (42 × 143.75 ordered, 40 received): 2 not yet received."
	if got := r.Lines[1].Explanation; got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

// The ZUGFeRD correction (type 384, negative quantities) gives back
// quantity billed before.
func TestCorpusCorrection(t *testing.T) {
	inv := readCorpus(t, "zugferd-corpus/XML-Rechnung/CII/EN16931_Rechnungskorrektur.cii.xml")
	po := orderFor(inv.PurchaseOrder, inv)
	c := fullyReceived(po)
	c.Billed = billed("10=5", "20=2")
	r := Match(inv, []Candidate{c}, DefaultConfig())
	if r.Status != StatusMatched {
		t.Fatalf("%s\n%s", r.Status, encode(t, r))
	}
	want := "Invoice line 1 (-5 × 1.00) credits PO B123456789 line 10 (5 × 1.00 ordered, 5 received, 5 billed before): price and quantity agree, 0 remain billed."
	if got := r.Lines[0].Explanation; got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	// Nothing billed yet: the correction gives back what was never billed.
	r = Match(inv, []Candidate{fullyReceived(po)}, DefaultConfig())
	if got := lineStatuses(r.Lines); got[0] != LineQuantityVariance || got[1] != LineQuantityVariance {
		t.Errorf("statuses %v", got)
	}
}
