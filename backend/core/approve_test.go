package core

import (
	"testing"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/audit"
	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/backend/secret"
	"github.com/smartap/desktop/backend/store"
	"github.com/smartap/desktop/backend/vendor"
)

func team(t *testing.T) (*Core, map[string]*Session) {
	t.Helper()
	e := newEnv(t)
	c := openWithPDF(t, e)
	admin, _, err := c.Init(ctx, "alice", secret.NewPassword(adminPW))
	if err != nil {
		t.Fatal(err)
	}
	ss := map[string]*Session{"alice": admin}
	for name, role := range map[string]identity.Role{"carl": identity.Clerk, "anna": identity.Approver, "bert": identity.Approver} {
		if _, err := admin.AddUser(ctx, name, role, secret.NewPassword("password of "+name)); err != nil {
			t.Fatal(err)
		}
		if ss[name], err = c.Unlock(ctx, name, secret.NewPassword("password of "+name)); err != nil {
			t.Fatal(err)
		}
	}
	return c, ss
}

func lastAudit(t *testing.T, admin *Session) audit.Entry {
	t.Helper()
	es, err := admin.AuditLog(ctx)
	if err != nil || len(es) == 0 {
		t.Fatal(err)
	}
	return es[len(es)-1]
}

func TestApprovalSeparationOfDutiesAndLevels(t *testing.T) {
	_, ss := team(t)
	carl, anna, bert, alice := ss["carl"], ss["anna"], ss["bert"], ss["alice"]
	id := importOne(t, carl, "en16931-cen-examples/ubl/examples/ubl-tc434-example1.xml") // 250.33 EUR
	if _, err := anna.Approve(ctx, id); apperr.CodeOf(err) != apperr.Forbidden {
		t.Fatalf("approve before submit: %v", err)
	}
	if _, err := carl.Submit(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := carl.Approve(ctx, id); apperr.CodeOf(err) != apperr.Forbidden {
		t.Fatalf("clerk approving: %v", err)
	}
	// Alice (an admin) corrects a field: she may no longer approve it.
	if _, err := alice.Set(ctx, id, map[string]string{"buyer_reference": "R-1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := carl.Submit(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.Approve(ctx, id); apperr.CodeOf(err) != apperr.Forbidden {
		t.Fatalf("admin approving what she corrected: %v", err)
	}
	if e := lastAudit(t, alice); e.Decision != audit.Denied || e.Rule != "sod:changed-by-self" {
		t.Fatalf("denial audited as %+v", e)
	}
	r, err := anna.Approve(ctx, id)
	if err != nil || r.State.Status != "approved" || len(r.Workflow.Approvals) != 1 {
		t.Fatalf("anna approves: %v %+v", err, r.State)
	}
	if e := lastAudit(t, alice); e.Decision != audit.Allowed || e.Action != "invoice.approve" {
		t.Fatalf("approval audited as %+v", e)
	}

	// Above 10,000 two different approvers are needed.
	big := importOne(t, carl, "en16931-cen-examples/ubl/examples/ubl-tc434-example8.xml")
	if _, err := carl.Set(ctx, big, map[string]string{"totals.payable": "25000.00"}); err != nil {
		t.Fatal(err)
	}
	if _, err := carl.Submit(ctx, big); err != nil {
		t.Fatal(err)
	}
	if r, err = anna.Approve(ctx, big); err != nil || r.State.Status != "ready_for_approval" {
		t.Fatalf("first of two: %v %v", err, r.State)
	}
	if _, err := anna.Approve(ctx, big); apperr.CodeOf(err) != apperr.Forbidden {
		t.Fatalf("same approver twice: %v", err)
	}
	if r, err = bert.Approve(ctx, big); err != nil || r.State.Status != "approved" || len(r.Workflow.Approvals) != 2 {
		t.Fatalf("second approver: %v %v", err, r.State)
	}
}

func TestRejectNeedsReason(t *testing.T) {
	_, ss := team(t)
	id := importOne(t, ss["carl"], "en16931-cen-examples/ubl/examples/ubl-tc434-example2.xml")
	if _, err := ss["carl"].Submit(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := ss["anna"].Reject(ctx, id, " "); apperr.CodeOf(err) != apperr.Forbidden {
		t.Fatalf("reject without reason: %v", err)
	}
	r, err := ss["anna"].Reject(ctx, id, "prices not agreed")
	if err != nil || r.State.Status != "rejected" {
		t.Fatalf("reject: %v", err)
	}
}

// security checklist #20: an invoice outside the user's scope looks exactly
// like one that does not exist.
func TestOutOfScopeLooksNotFound(t *testing.T) {
	_, ss := team(t)
	id := importOne(t, ss["carl"], "en16931-cen-examples/ubl/examples/ubl-tc434-example2.xml")
	if _, err := ss["carl"].Set(ctx, id, map[string]string{"cost_centre": "CC-9"}); err != nil {
		t.Fatal(err)
	}
	_, errHidden := ss["anna"].Invoice(ctx, id)
	_, errMissing := ss["anna"].Invoice(ctx, "01a2235d-0000-7000-8000-000000000000")
	ch, mh, _ := apperr.Public(errHidden)
	cm, mm, _ := apperr.Public(errMissing)
	if ch != apperr.NotFound || ch != cm || mh != mm {
		t.Fatalf("hidden %s %q vs missing %s %q", ch, mh, cm, mm)
	}
	list, err := ss["anna"].Invoices(ctx, "")
	if err != nil || len(list) != 0 {
		t.Fatalf("anna lists %v", list)
	}
	if d, err := ss["carl"].Invoice(ctx, id); err != nil || d.ID != id {
		t.Fatalf("the importer still sees it: %v", err)
	}
}

// A changed IBAN on the invoice (vs the vendor master) is a critical
// finding: it blocks approval until another admin overrides with a reason.
func TestCriticalFindingBlocksApproval(t *testing.T) {
	_, ss := team(t)
	alice, carl, anna := ss["alice"], ss["carl"], ss["anna"]
	// XRECHNUNG_Einfach.cii.xml's seller, with other bank details in the master.
	if _, err := alice.AddVendor(ctx, vendor.Input{Name: "Lieferant GmbH", VATID: "DE123456789",
		Bank: vendor.BankDetails{IBAN: "FR1420041010050500013M02606"}}); err != nil {
		t.Fatal(err)
	}
	id := importOne(t, carl, "zugferd-corpus/XML-Rechnung/CII/XRECHNUNG_Einfach.cii.xml")
	d, err := carl.Invoice(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if !hasFinding(d.Findings, "bank_details_mismatch") {
		t.Fatalf("findings: %+v", d.Findings)
	}
	if _, err := carl.Submit(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := anna.Approve(ctx, id); apperr.CodeOf(err) != apperr.Forbidden {
		t.Fatalf("approved over a critical finding: %v", err)
	}
	if _, err := anna.Override(ctx, id, "I know"); apperr.CodeOf(err) != apperr.Forbidden {
		t.Fatalf("a non-admin override was accepted: %v", err)
	}
	if _, err := alice.Override(ctx, id, " "); apperr.CodeOf(err) != apperr.InvalidInput {
		t.Fatalf("override without reason: %v", err)
	}
	if _, err := alice.Override(ctx, id, "IBAN change confirmed by phone with the vendor"); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.Approve(ctx, id); apperr.CodeOf(err) != apperr.Forbidden {
		t.Fatalf("the overriding admin approved alone: %v", err)
	}
	r, err := anna.Approve(ctx, id)
	if err != nil || r.State.Status != "approved" || r.Workflow.Approvals[0].Override == "" {
		t.Fatalf("approval after override: %v %+v", err, r.Workflow.Approvals)
	}
}

func hasFinding(fs []store.Finding, code string) bool {
	for _, f := range fs {
		if f.Code == code {
			return true
		}
	}
	return false
}
