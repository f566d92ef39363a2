package matching

import (
	"testing"

	"github.com/smartap/desktop/backend/invoice"
)

// Credit notes give billed quantity back: their positive quantities count
// negative, and they may not give back more than was billed.
func TestMatchCredits(t *testing.T) {
	delivered := func(b ...string) []Candidate {
		c := fullyReceived(po4711())
		c.Billed = billed(b...)
		return []Candidate{c}
	}
	runMatchCases(t, []matchCase{
		{name: "credit note for returned goods", inv: credit(inv("4711", iline("1", "Ordner breit blau", "2", "4.50"))),
			cands: delivered("3=10"), status: StatusMatched, lines: []string{LineOK},
			explain: map[int]string{0: "Credit note line 1 (2 × 4.50) credits PO 4711 line 3 (10 × 4.50 ordered, 10 received, 10 billed before): price and quantity agree, 8 remain billed."}},
		{name: "credit note beyond what was billed", inv: credit(inv("4711", iline("1", "Ordner breit blau", "4", "4.50"))),
			cands: delivered("3=3"), status: StatusPartial, lines: []string{LineQuantityVariance},
			findings: []string{"po_quantity_variance:warning"},
			contains: []string{"Credit note line 1 credits 1 more than was billed on PO 4711 line 3 (10 ordered, 10 received, 3 billed before)."}},
		{name: "credit note at another price", inv: credit(inv("4711", iline("1", "Ordner breit blau", "2", "4.95"))),
			cands: delivered("3=10"), status: StatusPartial, lines: []string{LinePriceVariance},
			findings: []string{"po_price_variance:error"}},
		{name: "invoice with a return line", inv: inv("4711", iline("1", "Kopierpapier A4 80g", "50", "3.20"), iline("2", "Retoure Ordner breit blau", "-2", "4.50")),
			cands: delivered("3=10"), status: StatusMatched, lines: []string{LineOK, LineOK},
			explain: map[int]string{1: "Invoice line 2 (-2 × 4.50) credits PO 4711 line 3 (10 × 4.50 ordered, 10 received, 10 billed before): price and quantity agree, 8 remain billed."}},
		{name: "negative line on a credit note counts as a charge", inv: credit(inv("4711", iline("1", "Ordner breit blau", "-2", "4.50"))),
			cands: delivered("3=10"), status: StatusPartial, lines: []string{LineOverBilled}, findings: []string{"po_quantity_variance:error"}},
		{name: "corrected invoice (384) with negative quantities", inv: func() invoice.Invoice {
			i := inv("4711", iline("1", "Ordner breit blau", "-3", "4.50"))
			i.TypeCode = invoice.TypeCorrectedInvoice
			return i
		}(), cands: delivered("3=10"), status: StatusMatched, lines: []string{LineOK}},
	})
}

func TestCreditQuantitiesSigned(t *testing.T) {
	r := Match(credit(inv("4711", iline("1", "Ordner breit blau", "2", "4.50"))), []Candidate{fullyReceived(po4711())}, DefaultConfig())
	l := r.Lines[0]
	if l.InvoicedQty.String() != "-2" || l.PreviouslyBilled.String() != "0" || l.QtyVariance.String() != "-12" {
		t.Errorf("invoiced %s, previously billed %s, qty variance %s", l.InvoicedQty, l.PreviouslyBilled, l.QtyVariance)
	}
	if l.Status != LineQuantityVariance {
		t.Errorf("crediting what was never billed: status %q", l.Status)
	}
}

// Invoices without lines (MINIMUM, BASIC WL) are judged by their net.
func TestMatchHeaderLevel(t *testing.T) {
	noLines := func(net string) invoice.Invoice {
		i := inv("4711")
		i.Totals.LineNet, i.Totals.TaxExclusive = pdec(net), pdec(net)
		return i
	}
	// po4711 is worth 50×3.20 + 4×89.00 + 10×4.50 = 561.00.
	runMatchCases(t, []matchCase{
		{name: "whole order billed", inv: noLines("561.00"), cands: []Candidate{fullyReceived(po4711())}, status: StatusMatched,
			lines: []string{}, contains: []string{"Invoice has no lines; net 561.00 compared with PO 4711: 561.00 open, 561.00 of it received and not yet billed."}},
		{name: "partial invoice", inv: noLines("200.00"), cands: []Candidate{fullyReceived(po4711())}, status: StatusMatched},
		{name: "within AmountPct above", inv: noLines("572.22"), cands: []Candidate{fullyReceived(po4711())}, status: StatusMatched},
		{name: "beyond AmountPct above", inv: noLines("572.23"), cands: []Candidate{fullyReceived(po4711())}, status: StatusPartial,
			findings: []string{"po_price_variance:error"}, contains: []string{"Invoice net 572.23 is 11.23 (2%) above the value still open on PO 4711 (561.00)."}},
		{name: "more than received", inv: noLines("561.00"), cands: []Candidate{partly(nil)}, status: StatusPartial,
			findings: []string{"receipt_missing:warning"}, contains: []string{"18.00 above the value received and not yet billed"}},
		{name: "earlier billing reduces the open value", inv: noLines("45.00"),
			cands: []Candidate{{PO: po4711(), Receipts: fullyReceived(po4711()).Receipts, Billed: billed("1=50", "2=4")}}, status: StatusMatched},
		{name: "over two orders", inv: noLines("889.80"), cands: []Candidate{fullyReceived(po4711()), fullyReceived(po4712())}, status: StatusMatched,
			contains: []string{"compared with PO 4711 and PO 4712"}},
		{name: "credit note within billed", inv: credit(noLines("45.00")),
			cands: []Candidate{{PO: po4711(), Billed: billed("3=10")}}, status: StatusMatched},
		{name: "credit note beyond billed", inv: credit(noLines("100.00")),
			cands: []Candidate{{PO: po4711(), Billed: billed("3=10")}}, status: StatusPartial, findings: []string{"po_quantity_variance:warning"}},
		{name: "no amounts at all", inv: func() invoice.Invoice { i := inv("4711"); i.Totals = invoice.Totals{}; return i }(),
			cands: []Candidate{fullyReceived(po4711())}, status: StatusPartial, findings: []string{"po_price_variance:warning"}},
	})
}

// A text-only line on a credit note stays at zero, not minus one.
func TestCreditTextLine(t *testing.T) {
	c := fullyReceived(po4711())
	c.Billed = billed("3=10")
	i := credit(inv("4711", iline("1", "Ordner breit blau", "2", "4.50"), invoice.Line{ID: "2", Name: "Gutschrift wegen Beschädigung"}))
	r := Match(i, []Candidate{c}, DefaultConfig())
	if l := r.Lines[1]; l.Status != LineOK || !l.InvoicedQty.IsZero() || r.Status != StatusMatched {
		t.Errorf("%s: %s", r.Status, encode(t, l))
	}
}
