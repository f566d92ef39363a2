package core

import (
	"encoding/json"
	"testing"

	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/matching"
	"github.com/smartap/desktop/backend/purchasing"
	"github.com/smartap/desktop/backend/vendor"
)

func TestThreeWayMatchOnImportAndAfterReceipts(t *testing.T) {
	_, ss := team(t)
	carl := ss["carl"]
	v, err := carl.AddVendor(ctx, vendor.Input{Name: "Au bon moulin", VATID: "FR11123456782"})
	if err != nil {
		t.Fatal(err)
	}
	d := decimal.MustParse
	po := purchasing.PurchaseOrder{Number: "PO201925478", VendorID: v.ID, Currency: "EUR", Lines: []purchasing.POLine{
		{LineNo: 1, Description: "PRESTATION SUPPORT", Quantity: d("1"), UnitPrice: d("60.00"), TaxRate: d("20")},
		{LineNo: 2, Description: "FOURNITURES PAPIER", Quantity: d("3"), UnitPrice: d("30.00"), TaxRate: d("20")},
		{LineNo: 3, Description: "APPEL", Quantity: d("1"), UnitPrice: d("7.00"), TaxRate: d("20")},
	}}
	if _, err := carl.AddPO(ctx, po); err != nil {
		t.Fatal(err)
	}
	for _, r := range []purchasing.GoodsReceipt{{PONumber: "PO201925478", LineNo: 1, Quantity: d("1")},
		{PONumber: "PO201925478", LineNo: 2, Quantity: d("2")}, {PONumber: "PO201925478", LineNo: 3, Quantity: d("1")}} {
		if _, err := carl.AddReceipt(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	id := importOne(t, carl, "factur-x-akretion/tests/fixtures/xml/factur-x-en16931.xml")
	det, err := carl.Invoice(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var m matching.Result
	if err := json.Unmarshal(det.Match.(json.RawMessage), &m); err != nil {
		t.Fatalf("match: %v %s", err, det.Match)
	}
	if len(m.POs) != 1 || m.POs[0] != "PO201925478" || len(m.Lines) != 3 {
		t.Fatalf("match result: %+v", m)
	}
	if !hasFinding(det.Findings, "receipt_missing") {
		t.Fatalf("2 of 3 received: findings %+v", det.Findings)
	}
	// The last unit arrives; matching again clears the finding.
	if _, err := carl.AddReceipt(ctx, purchasing.GoodsReceipt{PONumber: "PO201925478", LineNo: 2, Quantity: d("1")}); err != nil {
		t.Fatal(err)
	}
	if _, err := carl.Match(ctx, id); err != nil {
		t.Fatal(err)
	}
	det, _ = carl.Invoice(ctx, id)
	if hasFinding(det.Findings, "receipt_missing") {
		t.Fatalf("after the receipt: %+v", det.Findings)
	}
	if det.Invoice.InvoiceNumber == "" || det.Status != "extracted" {
		t.Fatalf("invoice: %+v", det.Status)
	}
}
