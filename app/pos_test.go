package app

import (
	"strings"
	"testing"
)

func init() {
	moreSecretChecks["pos"] = func(t *testing.T, a *App) (map[string]any, []string) {
		out := map[string]any{}
		d, err := a.AddPO(samplePO("PO-SECRET-1", ""))
		out["AddPO"] = orError(d, err)
		r, err := a.AddReceipt(ReceiptInput{PONumber: "PO-SECRET-1", LineNo: 10, Quantity: "1"})
		out["AddReceipt"] = orError(r, err)
		g, err := a.GetPO("PO-SECRET-1")
		out["GetPO"] = orError(g, err)
		l, err := a.ListPOs("")
		out["ListPOs"] = orError(l, err)
		st, err := a.SetPOStatus("PO-SECRET-1", "close", "done")
		out["SetPOStatus"] = orError(st, err)
		return out, nil
	}
}

// orError is the result, or the error as JavaScript sees it.
func orError(v any, err error) any {
	if err != nil {
		return FormatError(err)
	}
	return v
}

func samplePO(number, vendorID string) POInput {
	return POInput{Number: number, VendorID: vendorID, Currency: "eur", CostCentre: "CC-1", OrderDate: "2026-11-02",
		Lines: []POLineInput{
			{LineNo: 10, Description: "Widget", Quantity: "10", Unit: "C62", UnitPrice: "12.50", TaxRate: "19"},
			{LineNo: 20, Description: "Bolt", Quantity: "100", Unit: "C62", UnitPrice: "0.35", TaxRate: "19"},
		}}
}

func TestPurchaseOrderBindings(t *testing.T) {
	a, _ := team(t)
	v, err := a.AddVendor(VendorInput{Name: "Acme Tools", Country: "DE"})
	if err != nil {
		t.Fatal(err)
	}
	d, err := a.AddPO(samplePO("PO-100", v.ID))
	if err != nil {
		t.Fatal(err)
	}
	if d.Number != "PO-100" || d.Currency != "EUR" || d.Status != "open" || d.Total != "160.00" || d.VendorName != "Acme Tools" ||
		len(d.Lines) != 2 || d.Lines[0].Received != "0" || len(d.Receipts) != 0 || strings.Join(d.Allowed, ",") != "close,cancel" {
		t.Fatalf("added: %+v", d)
	}
	list, err := a.ListPOs("")
	if err != nil || len(list) != 1 || list[0].LineCount != 2 || list[0].VendorName != "Acme Tools" || list[0].Total != "160.00" {
		t.Fatalf("list: %+v %v", list, err)
	}
	if other, err := a.ListPOs("no-such-vendor"); err != nil || len(other) != 0 {
		t.Fatalf("other vendor's list: %+v %v", other, err)
	}
	d, err = a.AddReceipt(ReceiptInput{PONumber: "PO-100", LineNo: 10, Quantity: "4", ReceivedAt: "2026-11-20", Note: "pallet 1"})
	if err != nil || d.Status != "partially_received" || d.Lines[0].Received != "4" || len(d.Receipts) != 1 ||
		d.Receipts[0].ReceivedAt != "2026-11-20T12:00:00Z" || d.Receipts[0].Note != "pallet 1" {
		t.Fatalf("receipt: %+v %v", d, err)
	}
	if d, err = a.SetPOStatus("PO-100", "close", "short shipped, rest cancelled"); err != nil || d.Status != "closed" ||
		strings.Join(d.Allowed, ",") != "reopen,cancel" {
		t.Fatalf("close: %+v %v", d, err)
	}
	if d, err = a.SetPOStatus("PO-100", "reopen", "rest will come after all"); err != nil || d.Status != "partially_received" {
		t.Fatalf("reopen: %+v %v", d, err)
	}
	if d, err = a.SetPOStatus("PO-100", "cancel", "vendor went bust"); err != nil || d.Status != "cancelled" || len(d.Allowed) != 0 {
		t.Fatalf("cancel: %+v %v", d, err)
	}
	if _, err := a.SetPOStatus("PO-100", "reopen", "oops"); code(err) != "conflict" {
		t.Fatalf("reopen cancelled: %v", err)
	}
	if g, err := a.GetPO("PO-100"); err != nil || g.Status != "cancelled" || len(g.Receipts) != 1 {
		t.Fatalf("get: %+v %v", g, err)
	}
}

func TestPurchaseOrderBadInput(t *testing.T) {
	a, _ := team(t)
	if _, err := a.AddPO(samplePO("PO-1", "")); err != nil {
		t.Fatal(err)
	}
	bad := func(mut func(*POInput)) POInput { in := samplePO("PO-2", ""); mut(&in); return in }
	cases := []struct {
		name string
		in   POInput
		code string
		msg  string
	}{
		{"quantity not a number", bad(func(p *POInput) { p.Lines[1].Quantity = "ten" }), "invalid_input", "line 2 quantity"},
		{"price missing", bad(func(p *POInput) { p.Lines[0].UnitPrice = " " }), "invalid_input", "line 1 unit price"},
		{"no lines", bad(func(p *POInput) { p.Lines = nil }), "invalid_input", "no lines"},
		{"negative quantity", bad(func(p *POInput) { p.Lines[0].Quantity = "-1" }), "invalid_input", "quantity must be positive"},
		{"bad date", bad(func(p *POInput) { p.OrderDate = "02.11.2026" }), "invalid_input", "order date"},
		{"bad currency", bad(func(p *POInput) { p.Currency = "euro" }), "invalid_input", "ISO 4217"},
		{"unknown vendor", bad(func(p *POInput) { p.VendorID = "ven_nope" }), "not_found", ""},
		{"same number twice", samplePO("PO-1", ""), "duplicate", ""},
	}
	for _, c := range cases {
		_, err := a.AddPO(c.in)
		if code(err) != c.code || !strings.Contains(PublicError(err).Message, c.msg) {
			t.Errorf("%s: %v (code %q)", c.name, err, code(err))
		}
	}
	receipts := []struct {
		in   ReceiptInput
		code string
	}{
		{ReceiptInput{PONumber: "PO-1", LineNo: 99, Quantity: "1"}, "invalid_input"},
		{ReceiptInput{PONumber: "PO-1", LineNo: 10, Quantity: "0"}, "invalid_input"},
		{ReceiptInput{PONumber: "PO-1", LineNo: 10, Quantity: "x"}, "invalid_input"},
		{ReceiptInput{PONumber: "PO-1", LineNo: 10, Quantity: "1", ReceivedAt: "yesterday"}, "invalid_input"},
		{ReceiptInput{PONumber: "PO-404", LineNo: 10, Quantity: "1"}, "not_found"},
	}
	for _, r := range receipts {
		if _, err := a.AddReceipt(r.in); code(err) != r.code {
			t.Errorf("receipt %+v: %v, want %s", r.in, err, r.code)
		}
	}
	if _, err := a.SetPOStatus("PO-1", "delete", "x"); code(err) != "invalid_input" {
		t.Errorf("unknown action: %v", err)
	}
	if _, err := a.SetPOStatus("PO-1", "close", "  "); code(err) != "invalid_input" {
		t.Errorf("close without reason: %v", err)
	}
	if _, err := a.GetPO("PO-404"); code(err) != "not_found" {
		t.Errorf("unknown PO: %v", err)
	}
}

// An approver reads purchase orders but may not change them; core refuses.
func TestPurchaseOrderRoles(t *testing.T) {
	a, _ := team(t)
	if _, err := a.AddPO(samplePO("PO-7", "")); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Unlock("anna", "approver password"); err != nil {
		t.Fatal(err)
	}
	if l, err := a.ListPOs(""); err != nil || len(l) != 1 {
		t.Fatalf("approver list: %+v %v", l, err)
	}
	if _, err := a.GetPO("PO-7"); err != nil {
		t.Fatalf("approver get: %v", err)
	}
	if _, err := a.AddPO(samplePO("PO-8", "")); code(err) != "forbidden" {
		t.Errorf("approver AddPO: %v", err)
	}
	if _, err := a.AddReceipt(ReceiptInput{PONumber: "PO-7", LineNo: 10, Quantity: "1"}); code(err) != "forbidden" {
		t.Errorf("approver AddReceipt: %v", err)
	}
	if _, err := a.SetPOStatus("PO-7", "close", "done"); code(err) != "forbidden" {
		t.Errorf("approver SetPOStatus: %v", err)
	}
}
