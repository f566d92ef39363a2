package core

import (
	"testing"
	"time"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/approval"
	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/identity"
)

// Scopes, a routing rule, delegation inside its window and escalation of
// an overdue invoice, driven by the injected clock.
func TestPolicyScopesDelegationAndEscalation(t *testing.T) {
	e := newEnv(t)
	ss := teamOn(t, openWithPDF(t, e))
	alice, carl, anna, bert := ss["alice"], ss["carl"], ss["anna"], ss["bert"]
	p := DefaultPolicy()
	p.Scopes = map[string][]string{"anna": {"CC-1"}, "bert": {"CC-2"}, "carl": {"CC-1"}}
	p.Rules = []approval.Rule{{ID: "cc1-two", Name: "CC-1 needs two", CostCentres: []string{"CC-1"}, Levels: 2,
		MinAmount: ptr(decimal.MustParse("0"))}}
	if err := carl.SetPolicy(ctx, p); apperr.CodeOf(err) != apperr.Forbidden {
		t.Fatalf("clerk setting policy: %v", err)
	}
	bad := p
	bad.Rules = []approval.Rule{{ID: "x", Levels: 0}}
	if err := alice.SetPolicy(ctx, bad); apperr.CodeOf(err) != apperr.InvalidInput {
		t.Fatalf("invalid policy: %v", err)
	}
	if err := alice.SetPolicy(ctx, p); err != nil {
		t.Fatal(err)
	}
	id := importOne(t, carl, "en16931-cen-examples/ubl/examples/ubl-tc434-example1.xml")
	if _, err := carl.Set(ctx, id, map[string]string{"cost_centre": "CC-1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := carl.Submit(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := bert.Invoice(ctx, id); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("bert (CC-2) sees a CC-1 invoice: %v", err)
	}
	q, err := anna.ApprovalQueue(ctx)
	if err != nil || len(q.Mine) != 1 {
		t.Fatalf("anna's queue: %+v %v", q, err)
	}
	// Anna delegates to Bert for a week: he may approve CC-1 on her behalf.
	if err := anna.Delegate(ctx, DelegationSetting{To: "bert", End: e.clock.Now().Add(7 * 24 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := bert.Delegate(ctx, DelegationSetting{From: "anna", To: "carl", End: e.clock.Now().Add(time.Hour)}); apperr.CodeOf(err) != apperr.Forbidden {
		t.Fatalf("delegating someone else's authority: %v", err)
	}
	q, _ = bert.ApprovalQueue(ctx)
	if len(q.Delegated) != 1 {
		t.Fatalf("bert's delegated queue: %+v", q)
	}
	// Four days later the invoice is overdue: admins are told.
	e.clock.Advance(96 * time.Hour)
	q, _ = alice.ApprovalQueue(ctx)
	if len(q.Overdue) != 1 || len(q.Overdue[0].Notify) == 0 {
		t.Fatalf("escalation: %+v", q.Overdue)
	}
	r, err := bert.Approve(ctx, id)
	if err != nil || r.State.Status != "ready_for_approval" || r.Workflow.Approvals[0].OnBehalfOf != "anna" {
		t.Fatalf("delegated approval: %v %+v", err, r.Workflow.Approvals)
	}
	// Anna's authority was used once: she cannot give the second level herself.
	if _, err := anna.Approve(ctx, id); apperr.CodeOf(err) != apperr.Forbidden {
		t.Fatalf("second level by the delegator: %v", err)
	}
	if r, err = alice.Approve(ctx, id); err != nil || r.State.Status != "approved" {
		t.Fatalf("second level by the admin: %v", err)
	}
	// After the window the delegation lends nothing.
	id2 := importOne(t, carl, "en16931-cen-examples/ubl/examples/ubl-tc434-example2.xml")
	_, _ = carl.Set(ctx, id2, map[string]string{"cost_centre": "CC-1"})
	_, _ = carl.Submit(ctx, id2)
	e.clock.Advance(8 * 24 * time.Hour)
	if _, err := bert.Approve(ctx, id2); err == nil {
		t.Fatal("expired delegation still works")
	}
}

func ptr[T any](v T) *T { return &v }

// teamOn is team() on an existing env and core.
func teamOn(t *testing.T, c *Core) map[string]*Session {
	t.Helper()
	admin, _, err := c.Init(ctx, "alice", secretPW(adminPW))
	if err != nil {
		t.Fatal(err)
	}
	ss := map[string]*Session{"alice": admin}
	for name, role := range map[string]identity.Role{"carl": identity.Clerk, "anna": identity.Approver, "bert": identity.Approver} {
		if _, err := admin.AddUser(ctx, name, role, secretPW("password of "+name)); err != nil {
			t.Fatal(err)
		}
		if ss[name], err = c.Unlock(ctx, name, secretPW("password of "+name)); err != nil {
			t.Fatal(err)
		}
	}
	return ss
}
