package merge

import (
	"errors"
	"strings"
	"testing"

	"github.com/smartap/desktop/backend/invoice"
)

var inv1 = Entity{Type: EntityInvoice, ID: "inv-1"}

func clk(wall int64, dev string) HLC { return HLC{Wall: wall, Device: dev} }

func cmdOp(id, dev string, wall int64, base invoice.Status, kind invoice.CommandKind, reason string) Op {
	return Op{ID: id, Device: dev, User: "u-" + dev, Clock: clk(wall, dev), Entity: inv1, Kind: KindCommand,
		Command: invoice.Command{Kind: kind, Reason: reason}, BaseStatus: base}
}

// setOp changes fields given as path, value, path, value...; every change
// has the given base clock.
func setOp(id, dev string, wall int64, base invoice.Status, seen HLC, kv ...string) Op {
	f := map[string]FieldChange{}
	for i := 0; i+1 < len(kv); i += 2 {
		f[kv[i]] = FieldChange{Value: kv[i+1], Base: seen}
	}
	return Op{ID: id, Device: dev, User: "u-" + dev, Clock: clk(wall, dev), Entity: inv1, Kind: KindSet,
		Fields: f, BaseStatus: base}
}

// ready is an invoice waiting for approval with seller.name set by op s0.
func ready(t *testing.T) State {
	t.Helper()
	return mustApply(t, NewState(inv1),
		cmdOp("x", "d0", 10, invoice.StatusReceived, invoice.Extract, ""),
		setOp("s0", "d0", 20, invoice.StatusExtracted, HLC{}, "seller.name", "ACME"),
		cmdOp("sub", "d0", 30, invoice.StatusExtracted, invoice.Submit, ""),
	)
}

func mustApply(t *testing.T, s State, ops ...Op) State {
	t.Helper()
	for _, op := range ops {
		var out Outcome
		s, out = Apply(s, op)
		if out.Result != Applied || len(out.Exceptions) != 0 {
			t.Fatalf("setup op %s: %+v", op.ID, out)
		}
	}
	return s
}

func TestApply(t *testing.T) {
	s0 := clk(20, "d0") // the clock of seller.name in ready()
	type step struct {
		op      Op
		result  Result
		errIs   error
		exKinds []ExceptionKind
	}
	tests := []struct {
		name   string
		steps  []step
		status invoice.Status
		fields map[string]string // expected values; nil = not checked
		check  func(t *testing.T, s State)
	}{{
		name: "approve then concurrent reject: approve wins, reject is an exception",
		steps: []step{
			{op: cmdOp("a", "d1", 100, invoice.StatusReadyForApproval, invoice.Approve, "")},
			{op: cmdOp("r", "d2", 90, invoice.StatusReadyForApproval, invoice.Reject, "wrong VAT"),
				result: Rejected, errIs: ErrConflictingTransition, exKinds: []ExceptionKind{ConflictingTransition}},
		},
		status: invoice.StatusApproved,
		check: func(t *testing.T, s State) {
			e := s.Exceptions[0]
			if e.Winner != "a" || e.Loser != "r" || e.ID != ExceptionID(ConflictingTransition, "a", "r") ||
				!strings.Contains(e.Message, "reject") || !strings.Contains(e.Message, "approve") {
				t.Fatalf("exception %+v", e)
			}
		},
	}, {
		// Server order decides, not the clocks: the reject arrived first.
		name: "reject then concurrent approve: reject wins",
		steps: []step{
			{op: cmdOp("r", "d2", 90, invoice.StatusReadyForApproval, invoice.Reject, "wrong VAT")},
			{op: cmdOp("a", "d1", 100, invoice.StatusReadyForApproval, invoice.Approve, ""),
				result: Rejected, errIs: ErrConflictingTransition, exKinds: []ExceptionKind{ConflictingTransition}},
		},
		status: invoice.StatusRejected,
	}, {
		name: "refused with an up-to-date base status: plain rejection, no exception",
		steps: []step{
			{op: cmdOp("e", "d1", 100, invoice.StatusReadyForApproval, invoice.Export, ""),
				result: Rejected, errIs: invoice.ErrInvalidTransition},
			{op: cmdOp("r", "d1", 110, invoice.StatusReadyForApproval, invoice.Reject, " "),
				result: Rejected, errIs: invoice.ErrReasonRequired},
		},
		status: invoice.StatusReadyForApproval,
	}, {
		name: "stale base status but the command still fits: applied",
		steps: []step{
			{op: cmdOp("h", "d1", 100, invoice.StatusReadyForApproval, invoice.Hold, "ask vendor")},
			{op: cmdOp("v", "d2", 95, invoice.StatusReadyForApproval, invoice.Void, "duplicate")},
		},
		status: invoice.StatusVoid,
	}, {
		name: "concurrent corrections of one field: LWW by clock, exception keeps the loser",
		steps: []step{
			{op: setOp("c1", "d1", 200, invoice.StatusReadyForApproval, s0, "seller.name", "ACME Ltd")},
			{op: setOp("c2", "d2", 150, invoice.StatusReadyForApproval, s0, "seller.name", "ACME GmbH"),
				result: Applied, exKinds: []ExceptionKind{ConflictingCorrection}},
		},
		status: invoice.StatusNeedsReview, // a correction sends a checked invoice back
		fields: map[string]string{"seller.name": "ACME Ltd"},
		check: func(t *testing.T, s State) {
			e := s.Exceptions[0]
			if e.Winner != "c1" || e.Loser != "c2" || e.Lost["seller.name"] != "ACME GmbH" ||
				len(e.Fields) != 1 || e.Fields[0] != "seller.name" {
				t.Fatalf("exception %+v", e)
			}
		},
	}, {
		name: "concurrent corrections, later clock arrives second: it wins, exception names it winner",
		steps: []step{
			{op: setOp("c2", "d2", 150, invoice.StatusReadyForApproval, s0, "seller.name", "ACME GmbH")},
			{op: setOp("c1", "d1", 200, invoice.StatusReadyForApproval, s0, "seller.name", "ACME Ltd"),
				result: Applied, exKinds: []ExceptionKind{ConflictingCorrection}},
		},
		fields: map[string]string{"seller.name": "ACME Ltd"},
		check: func(t *testing.T, s State) {
			if e := s.Exceptions[0]; e.Winner != "c1" || e.Loser != "c2" || e.Lost["seller.name"] != "ACME GmbH" {
				t.Fatalf("exception %+v", e)
			}
		},
	}, {
		name: "concurrent corrections to the same value: no exception",
		steps: []step{
			{op: setOp("c1", "d1", 200, invoice.StatusReadyForApproval, s0, "seller.name", "ACME Ltd")},
			{op: setOp("c2", "d2", 150, invoice.StatusReadyForApproval, s0, "seller.name", "ACME Ltd")},
		},
		fields: map[string]string{"seller.name": "ACME Ltd"},
	}, {
		name: "corrections of different fields: both kept, no exception",
		steps: []step{
			{op: setOp("c1", "d1", 200, invoice.StatusReadyForApproval, HLC{}, "total", "119.00")},
			{op: setOp("c2", "d2", 150, invoice.StatusReadyForApproval, HLC{}, "due_date", "2026-08-01")},
		},
		fields: map[string]string{"seller.name": "ACME", "total": "119.00", "due_date": "2026-08-01"},
	}, {
		name: "a correction that saw the value replaces it even with a lagging clock",
		steps: []step{
			{op: setOp("c1", "d1", 200, invoice.StatusReadyForApproval, s0, "seller.name", "ACME Ltd")},
			{op: setOp("c2", "d2", 150, invoice.StatusNeedsReview, clk(200, "d1"), "seller.name", "ACME plc")},
		},
		fields: map[string]string{"seller.name": "ACME plc"},
	}, {
		name: "same device, out of order: the later own write wins, no exception",
		steps: []step{
			{op: setOp("c2", "d1", 300, invoice.StatusNeedsReview, clk(200, "d1"), "note", "second")},
			{op: setOp("c1", "d1", 200, invoice.StatusReadyForApproval, HLC{}, "note", "first")},
			{op: setOp("c0", "d1", 190, invoice.StatusReadyForApproval, HLC{}, "note", "zeroth")},
		},
		fields: map[string]string{"note": "second"},
	}, {
		name: "replayed op: duplicate, no change",
		steps: []step{
			{op: cmdOp("a", "d1", 100, invoice.StatusReadyForApproval, invoice.Approve, "")},
			{op: cmdOp("a", "d1", 100, invoice.StatusReadyForApproval, invoice.Approve, ""), result: Duplicate},
			{op: cmdOp("r", "d2", 90, invoice.StatusReadyForApproval, invoice.Reject, "no"),
				result: Rejected, errIs: ErrConflictingTransition, exKinds: []ExceptionKind{ConflictingTransition}},
			{op: cmdOp("r", "d2", 90, invoice.StatusReadyForApproval, invoice.Reject, "no"), result: Duplicate},
		},
		status: invoice.StatusApproved,
	}, {
		name: "correction after a concurrent approve: refused, exception, approval stands",
		steps: []step{
			{op: cmdOp("a", "d1", 100, invoice.StatusReadyForApproval, invoice.Approve, "")},
			{op: setOp("c", "d2", 120, invoice.StatusReadyForApproval, s0, "total", "1.00"),
				result: Rejected, errIs: ErrConflictingTransition, exKinds: []ExceptionKind{ConflictingTransition}},
		},
		status: invoice.StatusApproved,
		fields: map[string]string{"seller.name": "ACME"},
	}, {
		name: "malformed ops: rejected and not recorded",
		steps: []step{
			{op: Op{ID: "m1", Device: "d1", User: "u", Clock: clk(1, "d1"), Entity: inv1, Kind: "delete", BaseStatus: invoice.StatusReceived},
				result: Rejected, errIs: ErrInvalidOp},
			{op: func() Op {
				o := cmdOp("m2", "d1", 1, invoice.StatusReadyForApproval, invoice.Approve, "")
				o.Clock.Device = "d9"
				return o
			}(),
				result: Rejected, errIs: ErrInvalidOp},
			{op: cmdOp("m3", "d1", 1, invoice.StatusReadyForApproval, invoice.Correct, ""), result: Rejected, errIs: ErrInvalidOp},
			{op: setOp("m4", "d1", 1, invoice.StatusReadyForApproval, HLC{}, "a\nb", "x"), result: Rejected, errIs: ErrInvalidOp},
			{op: func() Op {
				o := cmdOp("m5", "d1", 1, invoice.StatusReadyForApproval, invoice.Approve, "")
				o.Entity.ID = "inv-2"
				return o
			}(),
				result: Rejected, errIs: ErrWrongEntity},
		},
		status: invoice.StatusReadyForApproval,
		check: func(t *testing.T, s State) {
			for _, id := range []string{"m1", "m2", "m3", "m4", "m5"} {
				if _, ok := s.AppliedOps[id]; ok {
					t.Fatalf("malformed op %s recorded", id)
				}
			}
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := ready(t)
			for i, st := range tt.steps {
				if st.result == "" {
					st.result = Applied
				}
				before := Digest(s)
				prev := s
				var out Outcome
				s, out = Apply(s, st.op)
				if out.Result != st.result || (st.errIs == nil) != (out.Reason == nil) ||
					(st.errIs != nil && !errors.Is(out.Reason, st.errIs)) {
					t.Fatalf("step %d (%s): outcome %+v, want %s / %v", i, st.op.ID, out, st.result, st.errIs)
				}
				if len(out.Exceptions) != len(st.exKinds) {
					t.Fatalf("step %d: exceptions %+v, want kinds %v", i, out.Exceptions, st.exKinds)
				}
				for j, k := range st.exKinds {
					if out.Exceptions[j].Kind != k {
						t.Fatalf("step %d: exception %d kind %s, want %s", i, j, out.Exceptions[j].Kind, k)
					}
				}
				if Digest(prev) != before {
					t.Fatalf("step %d: Apply modified its input state", i)
				}
				if (out.Result == Duplicate || errors.Is(out.Reason, ErrInvalidOp) || errors.Is(out.Reason, ErrWrongEntity)) &&
					Digest(s) != before {
					t.Fatalf("step %d: %s changed the state", i, out.Result)
				}
			}
			if tt.status != "" && s.Status.Status != tt.status {
				t.Fatalf("status %s, want %s", s.Status.Status, tt.status)
			}
			for p, v := range tt.fields {
				if s.Fields[p].Value != v {
					t.Fatalf("field %s = %q, want %q", p, s.Fields[p].Value, v)
				}
			}
			if tt.check != nil {
				tt.check(t, s)
			}
		})
	}
}

// TestCorrectionExceptionGroupsFields: one op losing on several fields to
// the same op gives one exception (its id is per pair of ops) listing all.
func TestCorrectionExceptionGroupsFields(t *testing.T) {
	s := ready(t)
	s = mustApply(t, s, setOp("c1", "d1", 200, invoice.StatusReadyForApproval, HLC{}, "a", "1", "b", "1"))
	s, out := Apply(s, setOp("c2", "d2", 150, invoice.StatusNeedsReview, HLC{}, "a", "2", "b", "2", "c", "2"))
	if out.Result != Applied || len(out.Exceptions) != 1 {
		t.Fatalf("outcome %+v", out)
	}
	e := out.Exceptions[0]
	if strings.Join(e.Fields, ",") != "a,b" || e.Lost["a"] != "2" || e.Lost["b"] != "2" || s.Fields["c"].Value != "2" {
		t.Fatalf("exception %+v, fields %+v", e, s.Fields)
	}
}

func TestDigestDeterministic(t *testing.T) {
	a := ready(t)
	b := NewState(inv1)
	// Same content built independently, maps filled in another order.
	for _, op := range []Op{
		cmdOp("x", "d0", 10, invoice.StatusReceived, invoice.Extract, ""),
		setOp("s0", "d0", 20, invoice.StatusExtracted, HLC{}, "seller.name", "ACME"),
		cmdOp("sub", "d0", 30, invoice.StatusExtracted, invoice.Submit, ""),
	} {
		b, _ = Apply(b, op)
	}
	if Digest(a) != Digest(b) {
		t.Fatal("equal states, different digests")
	}
	c, _ := Apply(a, setOp("c", "d1", 40, invoice.StatusReadyForApproval, clk(20, "d0"), "seller.name", "ACME"))
	if Digest(c) == Digest(a) {
		t.Fatal("a rewrite with a new clock must change the digest")
	}
}
