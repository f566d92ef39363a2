package core

import (
	"testing"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/purchasing"
	"github.com/smartap/desktop/backend/vendor"
)

func TestVendorUpdateDeleteAndPOStatus(t *testing.T) {
	ss := teamOn(t, openWithPDF(t, newEnv(t)))
	carl, alice, anna := ss["carl"], ss["alice"], ss["anna"]
	v, err := carl.AddVendor(ctx, vendor.Input{Name: "Old Name", VATID: "DE123456789", Bank: vendor.BankDetails{IBAN: "DE89370400440532013000"}})
	if err != nil {
		t.Fatal(err)
	}
	u, err := carl.UpdateVendor(ctx, v.ID, vendor.Input{Name: "New Name GmbH", VATID: "DE123456789"})
	if err != nil || u.Name != "New Name GmbH" || u.Bank.IBAN != "DE89370400440532013000" {
		t.Fatalf("update: %+v %v", u, err)
	}
	if _, err := carl.UpdateVendor(ctx, v.ID, vendor.Input{Name: ""}); apperr.CodeOf(err) != apperr.InvalidInput {
		t.Fatalf("empty name: %v", err)
	}
	if _, err := anna.UpdateVendor(ctx, v.ID, vendor.Input{Name: "X"}); apperr.CodeOf(err) != apperr.Forbidden {
		t.Fatalf("approver updating vendors: %v", err)
	}
	d := decimal.MustParse
	if _, err := carl.AddPO(ctx, purchasing.PurchaseOrder{Number: "PO-9", VendorID: v.ID, Currency: "EUR",
		Lines: []purchasing.POLine{{LineNo: 1, Description: "x", Quantity: d("2"), UnitPrice: d("1.00")}}}); err != nil {
		t.Fatal(err)
	}
	if err := alice.DeleteVendor(ctx, v.ID); apperr.CodeOf(err) != apperr.Conflict {
		t.Fatalf("deleting a vendor with orders: %v", err)
	}
	if _, err := carl.SetPOStatus(ctx, "PO-9", purchasing.StatusClosed, ""); apperr.CodeOf(err) != apperr.InvalidInput {
		t.Fatalf("close without reason: %v", err)
	}
	po, err := carl.SetPOStatus(ctx, "PO-9", purchasing.StatusClosed, "delivered in full by another order")
	if err != nil || po.Status != purchasing.StatusClosed {
		t.Fatalf("close: %v %v", po.Status, err)
	}
	if po, err = carl.SetPOStatus(ctx, "PO-9", purchasing.StatusOpen, "more to come"); err != nil || po.Status != purchasing.StatusOpen {
		t.Fatalf("reopen: %v %v", po.Status, err)
	}
	if _, err = carl.SetPOStatus(ctx, "PO-9", purchasing.StatusCancelled, "vendor went bust"); err != nil {
		t.Fatal(err)
	}
	if _, err = carl.SetPOStatus(ctx, "PO-9", purchasing.StatusOpen, "oops"); apperr.CodeOf(err) != apperr.Conflict {
		t.Fatalf("reopening a cancelled order: %v", err)
	}
	other, err := carl.AddVendor(ctx, vendor.Input{Name: "Spare"})
	if err != nil {
		t.Fatal(err)
	}
	if err := carl.DeleteVendor(ctx, other.ID); apperr.CodeOf(err) != apperr.Forbidden {
		t.Fatalf("clerk deleting: %v", err)
	}
	if err := alice.DeleteVendor(ctx, other.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.Vendor(ctx, other.ID); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("deleted vendor still there: %v", err)
	}
}
