package server

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/sync/authority"
	"github.com/smartap/desktop/sync/merge"
	"github.com/smartap/desktop/sync/serverstore"
	"github.com/smartap/desktop/sync/wire"
)

func TestPushAckAndResend(t *testing.T) { testPushAckAndResend(t, sqliteStore(t)) }

func testPushAckAndResend(t *testing.T, ss serverstore.Store) {
	e := newEnv(t, ss)
	_, url := e.serve(Limits{})
	c, _ := e.connect(url, "carl", "dev-c")
	ops := []wire.Op{c.cmd("inv-1", invoice.StatusReceived, invoice.Extract),
		c.set("inv-1", invoice.StatusExtracted, map[string]string{"seller.name": "ACME"})}
	seqs := c.mustAck(ops...)
	if seqs[0] != 1 || seqs[1] != 2 {
		t.Fatalf("seqs %v", seqs)
	}
	// A resend after a lost ack, on a new connection, with one new op.
	c2, w := e.connect(url, "carl", "dev-c")
	if w.Head.Seq != 2 {
		t.Fatalf("welcome head %+v", w.Head)
	}
	more := c2.cmd("inv-1", invoice.StatusExtracted, invoice.Submit)
	again := c2.mustAck(ops[1], more, ops[0])
	if again[0] != 2 || again[1] != 3 || again[2] != 1 {
		t.Fatalf("resend seqs %v, want [2 3 1]", again)
	}
	if st := invoiceView(t, c2Server(e, url), "inv-1"); st.Status.Status != invoice.StatusReadyForApproval || len(st.AppliedOps) != 3 {
		t.Fatalf("state %s with %d ops", st.Status.Status, len(st.AppliedOps))
	}
}

// c2Server finds the server behind url (tests start one per env).
func c2Server(e *env, _ string) *Server { return e.lastServer }

func TestRejects(t *testing.T) { testRejects(t, sqliteStore(t)) }

func testRejects(t *testing.T, ss serverstore.Store) {
	e := newEnv(t, ss)
	_, url := e.serve(Limits{})
	carl, _ := e.connect(url, "carl", "dev-c")
	anna, _ := e.connect(url, "anna", "dev-a")
	olga, _ := e.connect(url, "olga", "dev-o")
	ctx := context.Background()
	if err := e.store.SetApprovalLimit(ctx, "anna", "1000.00"); err != nil {
		t.Fatal(err)
	}
	if err := e.store.SetCostCentres(ctx, "anna", []string{"CC1"}); err != nil {
		t.Fatal(err)
	}
	carl.ready("inv-big", map[string]string{"totals.payable": "5000.00", "cost_centre": "CC1"})
	carl.ready("inv-other", map[string]string{"totals.payable": "10.00", "cost_centre": "CC2"})
	carl.ready("inv-ok", map[string]string{"totals.payable": "10.00", "cost_centre": "CC1"})
	adam, _ := e.connect(url, "adam", "dev-m")
	adam.ready("inv-adam", map[string]string{"totals.payable": "10.00"})

	impersonated := anna.cmd("inv-ok", invoice.StatusReadyForApproval, invoice.Approve)
	impersonated.User = "bob"
	otherDevice := anna.cmd("inv-ok", invoice.StatusReadyForApproval, invoice.Approve)
	otherDevice.Device, otherDevice.Clock.Device = "dev-b", "dev-b"
	skewed := anna.cmd("inv-ok", invoice.StatusReadyForApproval, invoice.Approve)
	skewed.Clock.Wall = e.clock.wall(merge.MaxSkew + time.Minute)
	badDecode := anna.cmd("inv-ok", invoice.StatusReadyForApproval, invoice.Approve)
	badDecode.Cmd.Name = "teleport"
	vendor := anna.cmd("inv-ok", invoice.StatusReadyForApproval, invoice.Approve)
	vendor.Entity.Type = "vendor"
	tests := []struct {
		name string
		c    *client
		op   wire.Op
		code string
		rule string
		msg  string
	}{
		{"impersonation", anna, impersonated, authority.CodeForbidden, RuleIdentity, `signed by user "bob"`},
		{"another device", anna, otherDevice, authority.CodeForbidden, RuleIdentity, `device "dev-b"`},
		{"clock skew", anna, skewed, CodeClockSkew, RuleSkew, "set its clock correctly"},
		{"undecodable", anna, badDecode, authority.CodeInvalidInput, RuleDecode, "needs a status command"},
		{"unsynced entity", anna, vendor, authority.CodeInvalidInput, RuleEntity, "vendor"},
		{"role: auditor approves", olga, olga.cmd("inv-ok", invoice.StatusReadyForApproval, invoice.Approve), authority.CodeForbidden, authority.RuleRole, "auditor"},
		{"role: approver corrects", anna, anna.set("inv-ok", invoice.StatusReadyForApproval, map[string]string{"seller.name": "X"}), authority.CodeForbidden, authority.RuleRole, "approver may not correct"},
		{"amount above limit", anna, anna.cmd("inv-big", invoice.StatusReadyForApproval, invoice.Approve), authority.CodeForbidden, authority.RuleAmountLimit, "5000.00 is above your approval limit 1000.00"},
		{"cost centre", anna, anna.cmd("inv-other", invoice.StatusReadyForApproval, invoice.Approve), authority.CodeForbidden, authority.RuleScope, "inv-other not found"},
		{"separation of duties", adam, adam.cmd("inv-adam", invoice.StatusReadyForApproval, invoice.Approve), authority.CodeForbidden, authority.RuleSeparation, "someone else must approve"},
		{"clerk approves", carl, carl.cmd("inv-ok", invoice.StatusReadyForApproval, invoice.Approve), authority.CodeForbidden, authority.RuleRole, "clerk"},
		{"invalid transition", carl, carl.cmd("inv-ok", invoice.StatusReadyForApproval, invoice.Export), authority.CodeInvalidTransition, authority.RuleTransition, "cannot export"},
	}
	head := e.lastServer.teams[teamID].cursor().Seq
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := tc.c.push(tc.op)
			r, ok := a.rejects[tc.op.ID]
			if !ok {
				t.Fatalf("accepted: %+v", a.acks)
			}
			if r.Code != tc.code || r.Rule != tc.rule || !strings.Contains(r.Message, tc.msg) {
				t.Fatalf("reject %+v, want %s/%s with %q", r, tc.code, tc.rule, tc.msg)
			}
		})
	}
	if got := e.lastServer.teams[teamID].cursor().Seq; got != head {
		t.Fatalf("refused ops were stored: head %d → %d", head, got)
	}
	// A refusal in a batch refuses only that op.
	a := anna.push(anna.cmd("inv-big", invoice.StatusReadyForApproval, invoice.Approve),
		anna.cmd("inv-ok", invoice.StatusReadyForApproval, invoice.Approve))
	if len(a.rejects) != 1 || len(a.acks) != 1 {
		t.Fatalf("mixed batch: %d rejects, %d acks", len(a.rejects), len(a.acks))
	}
	if st := invoiceView(t, e.lastServer, "inv-ok"); st.Status.Status != invoice.StatusApproved {
		t.Fatalf("inv-ok is %s", st.Status.Status)
	}
}

// A batch is judged op by op in order: a submit and its approval by
// someone else cannot ride in one batch, but extract, fields and submit do.
func TestBatchIsJudgedInOrder(t *testing.T) {
	e := newEnv(t, sqliteStore(t))
	_, url := e.serve(Limits{})
	carl, _ := e.connect(url, "carl", "dev-c")
	a := carl.push(carl.cmd("inv-1", invoice.StatusReceived, invoice.Extract),
		carl.cmd("inv-1", invoice.StatusExtracted, invoice.Submit),
		carl.cmd("inv-1", invoice.StatusReadyForApproval, invoice.Export))
	if len(a.acks) != 2 || len(a.rejects) != 1 {
		t.Fatalf("%d acks, %d rejects", len(a.acks), len(a.rejects))
	}
}

func TestApproveVersusReject(t *testing.T) { testApproveVersusReject(t, sqliteStore(t)) }

func testApproveVersusReject(t *testing.T, ss serverstore.Store) {
	e := newEnv(t, ss)
	_, url := e.serve(Limits{})
	carl, _ := e.connect(url, "carl", "dev-c")
	carl.ready("inv-1", map[string]string{"totals.payable": "100.00"})
	anna, _ := e.connect(url, "anna", "dev-a")
	bob, _ := e.connect(url, "bob", "dev-b")
	// Both saw ready_for_approval, offline; anna's approve reaches the
	// server first.
	approve := anna.cmd("inv-1", invoice.StatusReadyForApproval, invoice.Approve)
	reject := bob.cmd("inv-1", invoice.StatusReadyForApproval, invoice.Reject)
	anna.mustAck(approve)
	bob.mustAck(reject) // acknowledged: it is in the log, and lost there
	for _, c := range []*client{anna, bob, carl} {
		ex := recvType[wire.Exception](c)
		if ex.Kind != string(merge.ConflictingTransition) || ex.Winner != approve.ID || ex.Loser != reject.ID ||
			ex.Entity.ID != "inv-1" || !strings.Contains(ex.Message, "reject") {
			t.Fatalf("%s got exception %+v", c.user, ex)
		}
	}
	st := invoiceView(t, e.lastServer, "inv-1")
	if st.Status.Status != invoice.StatusApproved || len(st.Exceptions) != 1 {
		t.Fatalf("state %s with %d exceptions", st.Status.Status, len(st.Exceptions))
	}
}

func TestFieldMergeLWW(t *testing.T) { testFieldMergeLWW(t, sqliteStore(t)) }

func testFieldMergeLWW(t *testing.T, ss serverstore.Store) {
	e := newEnv(t, ss)
	_, url := e.serve(Limits{})
	carl, _ := e.connect(url, "carl", "dev-c")
	carl.mustAck(carl.cmd("inv-1", invoice.StatusReceived, invoice.Extract))
	cleo, _ := e.connect(url, "cleo", "dev-d")
	// Two offline corrections of one field; cleo's clock is later but her
	// op reaches the server first.
	early := carl.set("inv-1", invoice.StatusExtracted, map[string]string{"seller.name": "Early GmbH", "note": "carl"})
	e.clock.add(time.Second)
	late := cleo.set("inv-1", invoice.StatusExtracted, map[string]string{"seller.name": "Late GmbH"})
	cleo.mustAck(late)
	carl.mustAck(early)
	st := invoiceView(t, e.lastServer, "inv-1")
	if got := st.Fields["seller.name"].Value; got != "Late GmbH" {
		t.Fatalf("seller.name = %q, want the later clock's value", got)
	}
	if got := st.Fields["note"].Value; got != "carl" {
		t.Fatalf("note = %q: an uncontested field must merge in", got)
	}
	ex := recvType[wire.Exception](carl)
	if ex.Kind != string(merge.ConflictingCorrection) || ex.Winner != late.ID || ex.Loser != early.ID {
		t.Fatalf("exception %+v", ex)
	}
}
