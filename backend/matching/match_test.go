package matching

import (
	"reflect"
	"strings"
	"testing"

	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/purchasing"
)

// po4711 is an office-supplies order; po4712 a second one of the vendor.
func po4711() purchasing.PurchaseOrder {
	return order("4711",
		pol(1, "ART-100", "Kopierpapier A4 80g", "50", "3.20"),
		pol(2, "ART-200", "Toner schwarz HP 410X", "4", "89.00"),
		pol(3, "ART-300", "Ordner breit blau", "10", "4.50"))
}

func po4712() purchasing.PurchaseOrder {
	return order("4712",
		pol(1, "", "Schreibtischlampe LED", "2", "39.90"),
		pol(2, "", "Bürostuhl ergonomisch", "1", "249.00"))
}

// partly is po4711 with line 3 received 6 of 10.
func partly(b map[int]string) Candidate {
	c := Candidate{PO: po4711(), Receipts: []purchasing.GoodsReceipt{gr("4711", 1, "50"), gr("4711", 2, "4"), gr("4711", 3, "6")}}
	if b != nil {
		c.Billed = map[int]decimal.Decimal{}
		for k, v := range b {
			c.Billed[k] = dec(v)
		}
	}
	return c
}

type matchCase struct {
	name     string
	inv      invoice.Invoice
	cands    []Candidate
	cfg      func(*Config)
	status   string
	lines    []string
	findings []string
	explain  map[int]string // line index → exact explanation
	contains []string       // substrings of finding messages or the summary
}

func runMatchCases(t *testing.T, cases []matchCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := DefaultConfig()
			if tc.cfg != nil {
				tc.cfg(&cfg)
			}
			r := Match(tc.inv, tc.cands, cfg)
			if r.Status != tc.status {
				t.Errorf("status %q, want %q (%s)", r.Status, tc.status, r.Summary)
			}
			if got := lineStatuses(r.Lines); tc.lines != nil && !reflect.DeepEqual(got, tc.lines) {
				t.Errorf("lines %v, want %v\n%s", got, tc.lines, encode(t, r.Lines))
			}
			if got := codes(r.Findings); !reflect.DeepEqual(got, orEmpty(tc.findings)) {
				t.Errorf("findings %v, want %v\n%s", got, tc.findings, encode(t, r.Findings))
			}
			for i, want := range tc.explain {
				if got := r.Lines[i].Explanation; got != want {
					t.Errorf("line %d explanation\n got %q\nwant %q", i, got, want)
				}
			}
			all := r.Summary
			for _, f := range r.Findings {
				all += "\n" + f.Message
			}
			for _, s := range tc.contains {
				if !strings.Contains(all, s) {
					t.Errorf("missing %q in\n%s", s, all)
				}
			}
		})
	}
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func TestMatchPOReference(t *testing.T) {
	one := iline("1", "Ordner breit blau", "10", "4.50")
	cancelled := po4711()
	cancelled.Status = purchasing.StatusCancelled
	runMatchCases(t, []matchCase{
		{name: "no BT-13, no candidate", inv: inv("", one), status: StatusNoPO, lines: []string{},
			findings: []string{"po_missing:warning"}, contains: []string{"names no purchase order (BT-13)"}},
		{name: "BT-13 without a number", inv: inv("siehe Anlage", one), status: StatusNoPO,
			findings: []string{"po_missing:warning"}, contains: []string{`order reference (BT-13) "siehe Anlage" holds no order number`}},
		{name: "BT-13 not among candidates, none at all", inv: inv("4799", one), status: StatusNoPO,
			findings: []string{"po_not_found:error"}, contains: []string{"names PO 4799, which was not found"}},
		{name: "BT-13 not found, guessed order matches", inv: inv("4799", one), cands: []Candidate{fullyReceived(po4711())},
			status: StatusPartial, lines: []string{LineOK}, findings: []string{"po_not_found:error"},
			contains: []string{"1 of 1 lines agree", "names PO 4799"}},
		{name: "no BT-13, guessed order matches", inv: inv("", one), cands: []Candidate{fullyReceived(po4711())},
			status: StatusMatched, lines: []string{LineOK}, findings: []string{"po_missing:info"},
			contains: []string{"found by amount and date"}},
		{name: "named order cancelled", inv: inv("4711", one), cands: []Candidate{fullyReceived(cancelled)},
			status: StatusNoPO, findings: []string{"po_not_found:error"}, contains: []string{"which is cancelled"}},
		{name: "two numbers in BT-13, one unknown", inv: inv("4711, 4713", one), cands: []Candidate{fullyReceived(po4711())},
			status: StatusPartial, lines: []string{LineOK}, findings: []string{"po_not_found:error"}, contains: []string{"PO 4713"}},
		{name: "BT-13 with words around the number", inv: inv("Bestellung 4711", one), cands: []Candidate{fullyReceived(po4711())},
			status: StatusMatched, lines: []string{LineOK}},
		{name: "currency differs", inv: func() invoice.Invoice { i := inv("4711", one); i.Currency = "USD"; return i }(),
			cands: []Candidate{fullyReceived(po4711())}, status: StatusPartial, lines: []string{LineOK},
			findings: []string{"po_price_variance:error"}, contains: []string{"in USD, PO 4711 in EUR"}},
		{name: "same order passed twice counts once", inv: inv("4711", one),
			cands: []Candidate{fullyReceived(po4711()), fullyReceived(po4711())}, status: StatusMatched, lines: []string{LineOK}},
	})
}

func TestMatchQuantities(t *testing.T) {
	runMatchCases(t, []matchCase{
		{name: "received 6 of 10, invoicing 6", inv: inv("4711", iline("2", "Ordner breit blau", "6", "4.50")),
			cands: []Candidate{partly(nil)}, status: StatusMatched, lines: []string{LineOK},
			explain: map[int]string{0: "Invoice line 2 (6 × 4.50) matches PO 4711 line 3 (10 × 4.50 ordered, 6 received): price and quantity agree."}},
		{name: "received 6 of 10, invoicing 10", inv: inv("4711", iline("2", "Ordner breit blau", "10", "4.50")),
			cands: []Candidate{partly(nil)}, status: StatusPartial, lines: []string{LineNotReceived},
			findings: []string{"receipt_missing:warning"},
			explain:  map[int]string{0: "Invoice line 2 (10 × 4.50) matches PO 4711 line 3 (10 × 4.50 ordered, 6 received): 4 not yet received."},
			contains: []string{"line 2 not yet received", "4 billed on PO 4711 line 3 not yet received"}},
		{name: "second invoice, rest received", inv: inv("4711", iline("1", "Ordner breit blau", "4", "4.50")),
			cands:  []Candidate{{PO: po4711(), Receipts: []purchasing.GoodsReceipt{gr("4711", 3, "6"), gr("4711", 3, "4")}, Billed: billed("3=6")}},
			status: StatusMatched, lines: []string{LineOK},
			explain: map[int]string{0: "Invoice line 1 (4 × 4.50) matches PO 4711 line 3 (10 × 4.50 ordered, 10 received, 6 billed before): price and quantity agree."}},
		{name: "second invoice, rest not yet received", inv: inv("4711", iline("1", "Ordner breit blau", "4", "4.50")),
			cands: []Candidate{partly(map[int]string{3: "6"})}, status: StatusPartial, lines: []string{LineNotReceived},
			findings: []string{"receipt_missing:warning"}},
		{name: "second invoice bills the received 6 again", inv: inv("4711", iline("1", "Ordner breit blau", "6", "4.50")),
			cands: []Candidate{partly(map[int]string{3: "6"})}, status: StatusPartial, lines: []string{LineOverBilled},
			findings: []string{"po_quantity_variance:error"},
			explain:  map[int]string{0: "Invoice line 1 (6 × 4.50) matches PO 4711 line 3 (10 × 4.50 ordered, 6 received, 6 billed before): over-billed, 2 more than ordered and 6 more than received."},
			contains: []string{"Invoice line 1 over-bills PO 4711 line 3: 12 billed in all (10 ordered, 6 received, 6 billed before)."}},
		{name: "billing more than ordered and received", inv: inv("4711", iline("1", "Ordner breit blau", "12", "4.50")),
			cands: []Candidate{fullyReceived(po4711())}, status: StatusPartial, lines: []string{LineOverBilled},
			findings: []string{"po_quantity_variance:error"}},
		{name: "over-delivery kept and billed", inv: inv("4711", iline("1", "Ordner breit blau", "12", "4.50")),
			cands: []Candidate{{PO: po4711(), Receipts: []purchasing.GoodsReceipt{gr("4711", 3, "12")}}}, status: StatusPartial,
			lines: []string{LineQuantityVariance}, findings: []string{"po_quantity_variance:warning"},
			contains: []string{"bills 2 more than PO 4711 line 3 ordered (10 ordered, 12 received)"}},
		{name: "nothing received yet", inv: inv("4711", iline("1", "Ordner breit blau", "10", "4.50")),
			cands: []Candidate{{PO: po4711()}}, status: StatusPartial, lines: []string{LineNotReceived},
			findings: []string{"receipt_missing:warning"}},
		{name: "two invoice lines share one PO line and together over-bill", inv: inv("4711",
			iline("1", "Ordner breit blau", "6", "4.50"), iline("2", "Ordner breit blau (Nachlieferung)", "6", "4.50")),
			cands: []Candidate{fullyReceived(po4711())}, status: StatusPartial, lines: []string{LineOK, LineOverBilled},
			findings: []string{"po_quantity_variance:error"},
			explain:  map[int]string{1: "Invoice line 2 (6 × 4.50) matches PO 4711 line 3 (10 × 4.50 ordered, 10 received, 6 billed before): over-billed, 2 more than ordered and 2 more than received."}},
	})
}

func TestMatchPrices(t *testing.T) {
	runMatchCases(t, []matchCase{
		{name: "price above", inv: inv("4711", iline("2", "Ordner breit blau", "10", "4.95")),
			cands: []Candidate{fullyReceived(po4711())}, status: StatusPartial, lines: []string{LinePriceVariance},
			findings: []string{"po_price_variance:error"},
			explain:  map[int]string{0: "Invoice line 2 (10 × 4.95) matches PO 4711 line 3 (10 × 4.50 ordered, 10 received): unit price 4.95 is 0.45 (10%) above the PO price."},
			contains: []string{"Invoice line 2: unit price 4.95 is 0.45 (10%) above the price of PO 4711 line 3 (4.50); 4.50 in total."}},
		{name: "price below is a warning", inv: inv("4711", iline("2", "Ordner breit blau", "10", "4.00")),
			cands: []Candidate{fullyReceived(po4711())}, status: StatusPartial, lines: []string{LinePriceVariance},
			findings: []string{"po_price_variance:warning"}, contains: []string{"0.50 (11.11%) below"}},
		{name: "price within tolerance", inv: inv("4711", iline("2", "Ordner breit blau", "10", "4.55")),
			cands: []Candidate{fullyReceived(po4711())}, status: StatusMatched, lines: []string{LineOK},
			explain: map[int]string{0: "Invoice line 2 (10 × 4.55) matches PO 4711 line 3 (10 × 4.50 ordered, 10 received): unit price within tolerance of 4.50, quantity agrees."}},
		{name: "price and quantity both off", inv: inv("4711", iline("2", "Ordner breit blau", "10", "4.95")),
			cands: []Candidate{partly(nil)}, status: StatusPartial, lines: []string{LinePriceVariance},
			findings: []string{"po_price_variance:error", "receipt_missing:warning"},
			explain:  map[int]string{0: "Invoice line 2 (10 × 4.95) matches PO 4711 line 3 (10 × 4.50 ordered, 6 received): unit price 4.95 is 0.45 (10%) above the PO price; 4 not yet received."}},
	})
}

func TestMatchSeveralOrders(t *testing.T) {
	i := inv("4711 4712",
		iline("1", "Kopierpapier A4 80 g/m²", "50", "3.20"),
		iline("2", "LED Schreibtischlampe", "2", "39.90"),
		iline("3", "Ordner breit, blau", "10", "4.50"),
		iline("4", "Bürostuhl ergonomisch", "1", "249.00"))
	runMatchCases(t, []matchCase{
		{name: "one invoice, two orders", inv: i, cands: []Candidate{fullyReceived(po4711()), fullyReceived(po4712())},
			status: StatusMatched, lines: []string{LineOK, LineOK, LineOK, LineOK},
			contains: []string{"Matched: all 4 lines agree with PO 4711 and PO 4712."}},
		{name: "second order unknown", inv: i, cands: []Candidate{fullyReceived(po4711())}, status: StatusPartial,
			lines:    []string{LineOK, LineUnmatched, LineOK, LineUnmatched},
			findings: []string{"po_not_found:error", "po_quantity_variance:warning", "po_quantity_variance:warning"},
			contains: []string{`Invoice line 2 "LED Schreibtischlampe" (2 × 39.90) is on none of the orders (PO 4711).`}},
	})
}

func TestMatchUnmatched(t *testing.T) {
	runMatchCases(t, []matchCase{
		{name: "freight line not on the order", inv: inv("4711", iline("1", "Ordner breit blau", "10", "4.50"), iline("2", "Versandkosten", "1", "5.90")),
			cands: []Candidate{fullyReceived(order("4711", pol(1, "", "Ordner breit blau", "10", "4.50")))}, status: StatusPartial,
			lines: []string{LineOK, LineUnmatched}, findings: []string{"po_quantity_variance:warning"},
			explain:  map[int]string{1: `Invoice line 2 "Versandkosten" (1 × 5.90) is on none of the orders.`},
			contains: []string{"1 of 2 lines agree; line 2 on no order."}},
		{name: "text-only line bills nothing", inv: inv("4711", iline("1", "Ordner breit blau", "10", "4.50"),
			invoice.Line{ID: "2", Name: "Lieferung frei Haus"}),
			cands:  []Candidate{fullyReceived(order("4711", pol(1, "", "Ordner breit blau", "10", "4.50"), pol(2, "", "Lieferung", "1", "0")))},
			status: StatusMatched, lines: []string{LineOK, LineOK},
			explain: map[int]string{1: `Invoice line 2 "Lieferung frei Haus" bills nothing and is not compared.`}},
		{name: "nothing on the order", inv: inv("4711", iline("1", "Beratung", "3", "120.00"), iline("2", "Reisekosten", "1", "80.00")),
			cands: []Candidate{fullyReceived(order("4711", pol(1, "", "Ordner breit blau", "10", "4.50")))}, status: StatusUnmatched,
			lines:    []string{LineUnmatched, LineUnmatched},
			findings: []string{"po_quantity_variance:warning", "po_quantity_variance:warning"},
			contains: []string{"Not matched: none of the 2 lines is on PO 4711."}},
	})
}
