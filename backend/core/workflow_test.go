package core

import (
	"bytes"
	"testing"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/backend/secret"
)

func importOne(t *testing.T, s *Session, rel string) string {
	t.Helper()
	r, err := s.Import(ctx, "f", bytes.NewReader(corpusBytes(t, rel)))
	if err != nil {
		t.Fatal(err)
	}
	return r.ID
}

func TestWorkflowCommands(t *testing.T) {
	e := newEnv(t)
	c := openWithPDF(t, e)
	admin, _, err := c.Init(ctx, "alice", secret.NewPassword(adminPW))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.AddUser(ctx, "anna", identity.Approver, secret.NewPassword("approver password")); err != nil {
		t.Fatal(err)
	}
	id := importOne(t, admin, "en16931-cen-examples/ubl/examples/ubl-tc434-example2.xml")

	r, err := admin.Set(ctx, id, map[string]string{"totals.payable": "999.99", "buyer_reference": "REF-1"})
	if err != nil || r.State.Status != "extracted" || r.Invoice.Totals.Payable.String() != "999.99" || len(r.Workflow.Corrections) != 2 {
		t.Fatalf("set: %+v %v", r.Workflow, err)
	}
	if _, err := admin.Set(ctx, id, map[string]string{"totals.payable": "1.2.3"}); apperr.CodeOf(err) != apperr.InvalidInput {
		t.Fatalf("bad value: %v", err)
	}
	d, _ := admin.Invoice(ctx, id)
	if d.Invoice.Totals.Payable.String() != "999.99" {
		t.Fatal("a refused correction changed the invoice")
	}
	if r, err = admin.Submit(ctx, id); err != nil || r.State.Status != "ready_for_approval" {
		t.Fatalf("submit: %v %v", r.State, err)
	}
	if _, err := admin.Submit(ctx, id); apperr.CodeOf(err) != apperr.Conflict {
		t.Fatalf("submit twice: %v", err)
	}
	if _, err := admin.Hold(ctx, id, "  "); err == nil {
		t.Fatal("hold without a reason")
	}
	if r, err = admin.Hold(ctx, id, "waiting for delivery note"); err != nil || r.State.Status != "on_hold" {
		t.Fatalf("hold: %v", err)
	}
	if r, err = admin.Release(ctx, id); err != nil || r.State.Status != "ready_for_approval" {
		t.Fatalf("release: %v %v", r.State, err)
	}
	anna, err := c.Unlock(ctx, "anna", secret.NewPassword("approver password"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := anna.Set(ctx, id, map[string]string{"totals.payable": "1.00"}); apperr.CodeOf(err) != apperr.Forbidden {
		t.Fatalf("approver correcting: %v", err)
	}
	if r, err = admin.Void(ctx, id, "sent twice by the vendor"); err != nil || r.State.Status != "void" {
		t.Fatalf("void: %v", err)
	}
	if _, err := admin.Set(ctx, id, map[string]string{"totals.payable": "1.00"}); apperr.CodeOf(err) != apperr.Conflict {
		t.Fatalf("correcting a void invoice: %v", err)
	}
	d, err = admin.Invoice(ctx, id)
	if err != nil || len(d.Decisions) != 3 || d.Decisions[2].Reason != "sent twice by the vendor" {
		t.Fatalf("decisions: %+v %v", d.Decisions, err)
	}
}
