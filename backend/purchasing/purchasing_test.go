package purchasing

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/invoice"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json")

var dec = decimal.MustParse

// order is a PO for the goods of the CEN example invoice 1.
func order() PurchaseOrder {
	return PurchaseOrder{
		ID: "po_01J8Z6", Number: "4500012345", VendorID: "ven_koksmaat", Currency: "EUR",
		CostCentre: "KITCHEN-2", OrderDate: invoice.MustParseDate("2015-01-02"), Status: StatusOpen,
		Lines: []POLine{
			{LineNo: 10, ItemCode: "166022", Description: "PATAT FRITES 10MM 10KG", Quantity: dec("2"), Unit: "EA", UnitPrice: dec("9.95"), TaxRate: dec("6")},
			{LineNo: 20, ItemCode: "999996", Description: "KRAT BIER", Quantity: dec("1"), Unit: "EA", UnitPrice: dec("10.80"), TaxRate: dec("21")},
			{LineNo: 30, ItemCode: "999992", Description: "EM FRITUURVET", Quantity: dec("6.5"), Unit: "KGM", UnitPrice: dec("17.02"), TaxRate: dec("6.00")},
		},
	}
}

var t0 = time.Date(2015, 1, 8, 9, 30, 0, 0, time.UTC)

func receipt(po string, line int, qty string) GoodsReceipt {
	return GoodsReceipt{ID: "gr", PONumber: po, LineNo: line, Quantity: dec(qty), ReceivedAt: t0}
}

func TestGoldenJSON(t *testing.T) {
	doc := struct {
		Order    PurchaseOrder  `json:"order"`
		Receipts []GoodsReceipt `json:"receipts"`
	}{order(), []GoodsReceipt{{ID: "gr_1", PONumber: "4500012345", LineNo: 30, Quantity: dec("3.250"), ReceivedAt: t0, Note: "pallet 1 of 2"}}}
	got, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", "po.golden.json")
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
		t.Fatalf("differs from %s:\n%s", path, got)
	}
	var back struct {
		Order    PurchaseOrder  `json:"order"`
		Receipts []GoodsReceipt `json:"receipts"`
	}
	if err := json.Unmarshal(want, &back); err != nil {
		t.Fatal(err)
	}
	again, _ := json.MarshalIndent(back, "", "  ")
	if !bytes.Equal(append(again, '\n'), want) {
		t.Errorf("JSON round trip changed the document:\n%s", again)
	}
}

func TestReceivedQuantity(t *testing.T) {
	po := order()
	receipts := []GoodsReceipt{
		receipt("4500012345", 30, "3.250"),
		receipt("4500012345", 30, "2"),
		receipt("4500012345", 10, "1"),
		receipt("4500099999", 30, "100"), // another order
		receipt("4500012345", 40, "5"),   // no such line
	}
	tests := []struct {
		line           int
		received, open string
	}{
		{10, "1", "1"},
		{20, "0", "1"},
		{30, "5.250", "1.250"},
		{40, "5", "-5"}, // unknown line: ordered 0
	}
	for _, tt := range tests {
		if got := po.ReceivedQuantity(receipts, tt.line); got.String() != tt.received {
			t.Errorf("line %d received = %s, want %s", tt.line, got, tt.received)
		}
		if got := po.OpenQuantity(receipts, tt.line); got.String() != tt.open {
			t.Errorf("line %d open = %s, want %s", tt.line, got, tt.open)
		}
	}
}

func TestDeriveStatus(t *testing.T) {
	const n = "4500012345"
	all := []GoodsReceipt{receipt(n, 10, "2"), receipt(n, 20, "1"), receipt(n, 30, "6.50")}
	tests := []struct {
		name     string
		status   Status
		receipts []GoodsReceipt
		want     Status
	}{
		{"nothing received", StatusOpen, nil, StatusOpen},
		{"only other orders", StatusOpen, []GoodsReceipt{receipt("X", 10, "2")}, StatusOpen},
		{"one line partly", StatusOpen, []GoodsReceipt{receipt(n, 30, "1")}, StatusPartiallyReceived},
		{"one line fully", StatusOpen, []GoodsReceipt{receipt(n, 10, "2")}, StatusPartiallyReceived},
		{"all lines in pieces", StatusOpen, append(all[:2:2], receipt(n, 30, "3.25"), receipt(n, 30, "3.25")), StatusReceived},
		{"all lines", StatusPartiallyReceived, all, StatusReceived},
		{"over-receipt counts as received", StatusOpen, append(all[:2:2], receipt(n, 30, "7")), StatusReceived},
		{"stale received goes back", StatusReceived, []GoodsReceipt{receipt(n, 10, "2")}, StatusPartiallyReceived},
		{"closed is sticky", StatusClosed, nil, StatusClosed},
		{"closed stays closed when all arrive", StatusClosed, all, StatusClosed},
		{"cancelled is sticky", StatusCancelled, all, StatusCancelled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			po := order()
			po.Status = tt.status
			if got := DeriveStatus(&po, tt.receipts); got != tt.want {
				t.Errorf("DeriveStatus = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestDeriveStatusNoLines(t *testing.T) {
	po := PurchaseOrder{Number: "1", Status: StatusOpen}
	if got := DeriveStatus(&po, nil); got != StatusOpen {
		t.Errorf("order without lines = %s, want open", got)
	}
}

func TestOverReceipts(t *testing.T) {
	const n = "4500012345"
	po := order()
	got := po.OverReceipts([]GoodsReceipt{
		receipt(n, 10, "2"), receipt(n, 10, "1"), // 3 of 2
		receipt(n, 20, "1"), // exact
		receipt(n, 30, "6.500"), receipt(n, 30, "0.25"),
	})
	want := []struct {
		line                      int
		ordered, received, excess string
	}{
		{10, "2", "3", "1"},
		{30, "6.5", "6.750", "0.250"},
	}
	if len(got) != len(want) {
		t.Fatalf("OverReceipts = %+v", got)
	}
	for i, w := range want {
		g := got[i]
		if g.LineNo != w.line || g.Ordered.String() != w.ordered || g.Received.String() != w.received || g.Excess.String() != w.excess {
			t.Errorf("[%d] = line %d %s/%s/%s, want %+v", i, g.LineNo, g.Ordered, g.Received, g.Excess, w)
		}
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*PurchaseOrder)
		want   []error
		msg    string
	}{
		{"valid", func(*PurchaseOrder) {}, nil, ""},
		{"free item", func(p *PurchaseOrder) { p.Lines[0].UnitPrice = dec("0.00") }, nil, ""},
		{"number required", func(p *PurchaseOrder) { p.Number = "  " }, []error{ErrNumberRequired}, "number required"},
		{"no lines", func(p *PurchaseOrder) { p.Lines = nil }, []error{ErrNoLines}, "no lines"},
		{"unknown status", func(p *PurchaseOrder) { p.Status = "shipped" }, []error{ErrUnknownStatus}, `"shipped"`},
		{"empty status", func(p *PurchaseOrder) { p.Status = "" }, []error{ErrUnknownStatus}, "status"},
		{"zero quantity", func(p *PurchaseOrder) { p.Lines[1].Quantity = dec("0.000") }, []error{ErrQuantity}, "line 20: quantity must be positive (got 0.000)"},
		{"negative quantity", func(p *PurchaseOrder) { p.Lines[1].Quantity = dec("-1") }, []error{ErrQuantity}, "line 20"},
		{"negative price", func(p *PurchaseOrder) { p.Lines[2].UnitPrice = dec("-0.01") }, []error{ErrUnitPrice}, "line 30: unit price must not be negative (got -0.01)"},
		{"negative tax rate", func(p *PurchaseOrder) { p.Lines[2].TaxRate = dec("-6") }, []error{ErrTaxRate}, "line 30"},
		{"duplicate line", func(p *PurchaseOrder) { p.Lines[2].LineNo = 10 }, []error{ErrDuplicateLine}, "line 10: duplicate line number"},
		{"line zero", func(p *PurchaseOrder) { p.Lines[0].LineNo = 0 }, []error{ErrLineNo}, "line at position 1"},
		{"several at once", func(p *PurchaseOrder) {
			p.Number = ""
			p.Lines[0].Quantity = decimal.Decimal{}
			p.Lines[1].LineNo = 10
		}, []error{ErrNumberRequired, ErrQuantity, ErrDuplicateLine}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			po := order()
			tt.change(&po)
			err := po.Validate()
			if tt.want == nil {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("want an error")
			}
			for _, w := range tt.want {
				if !errors.Is(err, w) {
					t.Errorf("error %q is not %v", err, w)
				}
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q does not contain %q", err, tt.msg)
			}
		})
	}
}

func TestValidateReceipt(t *testing.T) {
	po := order()
	tests := []struct {
		name string
		r    GoodsReceipt
		want []error
	}{
		{"valid", receipt("4500012345", 30, "3.250"), nil},
		{"over-receipt is allowed", receipt("4500012345", 20, "50"), nil},
		{"other order", receipt("4500099999", 30, "1"), []error{ErrWrongOrder}},
		{"unknown line", receipt("4500012345", 40, "1"), []error{ErrUnknownLine}},
		{"zero quantity", receipt("4500012345", 10, "0"), []error{ErrQuantity}},
		{"negative quantity", receipt("4500012345", 10, "-1"), []error{ErrQuantity}},
		{"everything wrong", receipt("", 0, "0"), []error{ErrWrongOrder, ErrUnknownLine, ErrQuantity}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := po.ValidateReceipt(tt.r)
			if tt.want == nil && err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			for _, w := range tt.want {
				if !errors.Is(err, w) {
					t.Errorf("error %v is not %v", err, w)
				}
			}
		})
	}
}

func TestStatuses(t *testing.T) {
	for _, s := range Statuses() {
		if !s.Valid() {
			t.Errorf("%s not valid", s)
		}
	}
	if Status("shipped").Valid() {
		t.Error("unknown status reported valid")
	}
}
