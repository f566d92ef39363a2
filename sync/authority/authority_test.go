package authority

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/sync/merge"
)

var inv = merge.Entity{Type: merge.EntityInvoice, ID: "inv-1"}

var clock = merge.HLC{Wall: 1767225600000, Device: "dev-1"}

func cmdOp(kind invoice.CommandKind, base invoice.Status) merge.Op {
	return merge.Op{ID: "op-" + string(kind), Device: "dev-1", User: "anna", Clock: clock, Entity: inv,
		Kind: merge.KindCommand, Command: invoice.Command{Kind: kind, Reason: "because"}, BaseStatus: base}
}

func setOp(base invoice.Status, fields map[string]string) merge.Op {
	op := merge.Op{ID: "op-set", Device: "dev-1", User: "anna", Clock: clock, Entity: inv,
		Kind: merge.KindSet, Fields: map[string]merge.FieldChange{}, BaseStatus: base}
	for k, v := range fields {
		op.Fields[k] = merge.FieldChange{Value: v}
	}
	return op
}

// view is an invoice entered by "carl" in status st with fields set.
func view(st invoice.State, fields map[string]string) View {
	v := NewView(inv)
	v.CreatedBy = "carl"
	v.State.Status = st
	v.State.LastChange = merge.StatusChange{Op: "op-earlier", Kind: invoice.Submit, Device: "dev-9"}
	for k, val := range fields {
		v.State.Fields[k] = merge.Field{Value: val, Clock: clock, Op: "op-earlier"}
	}
	return v
}

// from is, for every command, a status it is valid from.
var from = map[invoice.CommandKind]invoice.State{
	invoice.Extract:       {Status: invoice.StatusReceived},
	invoice.FlagForReview: {Status: invoice.StatusExtracted},
	invoice.Submit:        {Status: invoice.StatusExtracted},
	invoice.Approve:       {Status: invoice.StatusReadyForApproval},
	invoice.Reject:        {Status: invoice.StatusReadyForApproval},
	invoice.Hold:          {Status: invoice.StatusReadyForApproval},
	invoice.Release:       {Status: invoice.StatusOnHold, HeldFrom: invoice.StatusExtracted},
	invoice.Void:          {Status: invoice.StatusExtracted},
	invoice.Export:        {Status: invoice.StatusApproved},
	invoice.MarkPaid:      {Status: invoice.StatusExported},
	invoice.Correct:       {Status: invoice.StatusExtracted},
}

// TestRoleMatrix: every role × every command, in a state where the
// transition is valid and nothing else refuses: the verdict is exactly
// identity's matrix for the mapped action.
func TestRoleMatrix(t *testing.T) {
	want := map[identity.Role][]invoice.CommandKind{
		identity.Admin:    invoice.CommandKinds(),
		identity.Clerk:    {invoice.Extract, invoice.FlagForReview, invoice.Submit, invoice.Hold, invoice.Release, invoice.Void, invoice.Export, invoice.MarkPaid, invoice.Correct},
		identity.Approver: {invoice.Approve, invoice.Reject, invoice.Hold, invoice.Release},
		identity.Auditor:  nil,
	}
	for _, role := range identity.Roles {
		for _, kind := range invoice.CommandKinds() {
			t.Run(fmt.Sprintf("%s/%s", role, kind), func(t *testing.T) {
				st := from[kind]
				op := cmdOp(kind, st.Status)
				if kind == invoice.Correct {
					op = setOp(st.Status, map[string]string{"seller.name": "ACME"})
				}
				d := Decide(Principal{User: "anna", Role: role}, view(st, map[string]string{FieldPayable: "10.00"}), op)
				allowed := false
				for _, k := range want[role] {
					allowed = allowed || k == kind
				}
				if d.Allowed != allowed {
					t.Fatalf("allowed = %v (%+v), want %v", d.Allowed, d, allowed)
				}
				if !allowed && (d.Code != CodeForbidden || d.Rule != RuleRole || !strings.Contains(d.Message, string(role))) {
					t.Fatalf("refusal %+v, want forbidden by %s", d, RuleRole)
				}
			})
		}
	}
}

func TestRules(t *testing.T) {
	ready := invoice.State{Status: invoice.StatusReadyForApproval}
	rejected := invoice.State{Status: invoice.StatusRejected}
	extracted := invoice.State{Status: invoice.StatusExtracted}
	approve := cmdOp(invoice.Approve, invoice.StatusReadyForApproval)
	fields := func(cc, payable string) map[string]string {
		m := map[string]string{FieldPayable: payable}
		if cc != "" {
			m[FieldCostCentre] = cc
		}
		return m
	}
	approver := func(limit string, ccs ...string) Principal {
		return Principal{User: "anna", Role: identity.Approver, CostCentres: ccs, ApprovalLimit: limit}
	}
	submitted := view(ready, fields("CC1", "100.00"))
	submitted.SubmittedBy = "anna"
	corrected := view(ready, fields("CC1", "100.00"))
	corrected.ChangedBy = []string{"anna", "zed"}
	entered := view(ready, fields("CC1", "100.00"))
	entered.CreatedBy = "anna"
	clerkOwn := view(extracted, fields("CC9", "1.00"))
	clerkOwn.CreatedBy = "anna"
	tests := []struct {
		name string
		p    Principal
		v    View
		op   merge.Op
		code string
		rule string
		msg  string
	}{
		{"within limit", approver("1000.00", "CC1"), view(ready, fields("CC1", "999.99")), approve, "", "", ""},
		{"at the limit", approver("1000", "CC1"), view(ready, fields("CC1", "1000.00")), approve, "", "", ""},
		{"above the limit", approver("1000.00", "CC1"), view(ready, fields("CC1", "1000.01")), approve, CodeForbidden, RuleAmountLimit, "above your approval limit 1000.00"},
		{"no payable with a limit", approver("1000.00", "CC1"), view(ready, fields("CC1", "")), approve, CodeForbidden, RuleAmountLimit, "no readable payable"},
		{"no limit", approver("", "CC1"), view(ready, fields("CC1", "99999999.00")), approve, "", "", ""},
		{"limit does not bind reject", approver("1.00", "CC1"), view(ready, fields("CC1", "500.00")), cmdOp(invoice.Reject, invoice.StatusReadyForApproval), "", "", ""},
		{"other cost centre", approver("", "CC2"), view(ready, fields("CC1", "1.00")), approve, CodeForbidden, RuleScope, "invoice inv-1 not found"},
		{"no cost centre, user has some", approver("", "CC2"), view(ready, fields("", "1.00")), approve, CodeForbidden, RuleScope, "not found"},
		{"no cost centres anywhere", approver(""), view(ready, fields("", "1.00")), approve, "", "", ""},
		{"admin without list sees all", Principal{User: "anna", Role: identity.Admin}, view(ready, fields("CC7", "1.00")), approve, "", "", ""},
		{"admin with list is scoped", Principal{User: "anna", Role: identity.Admin, CostCentres: []string{"CC2"}}, view(ready, fields("CC7", "1.00")), approve, CodeForbidden, RuleScope, "not found"},
		{"clerk sees what they entered", Principal{User: "anna", Role: identity.Clerk, CostCentres: []string{"CC1"}}, clerkOwn, cmdOp(invoice.Submit, invoice.StatusExtracted), "", "", ""},
		{"clerk outside scope", Principal{User: "anna", Role: identity.Clerk, CostCentres: []string{"CC1"}}, view(extracted, fields("CC9", "1.00")), cmdOp(invoice.Submit, invoice.StatusExtracted), CodeForbidden, RuleScope, "not found"},
		{"correction into a foreign cost centre", Principal{User: "anna", Role: identity.Clerk, CostCentres: []string{"CC1"}}, view(extracted, fields("CC1", "1.00")), setOp(invoice.StatusExtracted, map[string]string{FieldCostCentre: "CC9"}), CodeForbidden, RuleScopeTarget, "not one of yours"},
		{"correction within own cost centres", Principal{User: "anna", Role: identity.Clerk, CostCentres: []string{"CC1", "CC2"}}, view(extracted, fields("CC1", "1.00")), setOp(invoice.StatusExtracted, map[string]string{FieldCostCentre: "CC2"}), "", "", ""},
		{"no list: may assign any cost centre", Principal{User: "anna", Role: identity.Clerk}, view(extracted, nil), setOp(invoice.StatusExtracted, map[string]string{FieldCostCentre: "CC9"}), "", "", ""},
		{"new invoice is in scope", Principal{User: "anna", Role: identity.Clerk, CostCentres: []string{"CC1"}}, NewView(inv), cmdOp(invoice.Extract, invoice.StatusReceived), "", "", ""},
		{"submitter may not approve", approver("", "CC1"), submitted, approve, CodeForbidden, RuleSeparation, "submitted"},
		{"corrector may not approve", approver("", "CC1"), corrected, approve, CodeForbidden, RuleSeparation, "corrected"},
		{"enterer may not approve", approver("", "CC1"), entered, approve, CodeForbidden, RuleSeparation, "entered"},
		{"submitter may reject", approver("", "CC1"), submitted, cmdOp(invoice.Reject, invoice.StatusReadyForApproval), "", "", ""},
		{"stale approve after reject is a race: allowed in", approver("", "CC1"), view(rejected, fields("CC1", "1.00")), approve, "", "", ""},
		{"approve of an invoice seen as extracted", approver("", "CC1"), view(extracted, fields("CC1", "1.00")), cmdOp(invoice.Approve, invoice.StatusExtracted), CodeInvalidTransition, RuleTransition, "cannot approve"},
		{"reject without a reason", approver("", "CC1"), view(ready, fields("CC1", "1.00")), func() merge.Op {
			o := cmdOp(invoice.Reject, invoice.StatusReadyForApproval)
			o.Command.Reason = ""
			return o
		}(), CodeInvalidTransition, RuleTransition, "reason"},
		{"op for another invoice", approver("", "CC1"), view(ready, nil), func() merge.Op { o := approve; o.Entity.ID = "inv-2"; return o }(), CodeInvalidInput, RuleInvalidInput, "inv-2"},
		{"bad limit in the store", approver("lots", "CC1"), view(ready, fields("CC1", "1.00")), approve, CodeForbidden, RuleAmountLimit, "not a number"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := Decide(tc.p, tc.v, tc.op)
			if d.Allowed != (tc.code == "") || d.Code != tc.code || d.Rule != tc.rule || !strings.Contains(d.Message, tc.msg) {
				t.Fatalf("decision %+v, want code %q rule %q message containing %q", d, tc.code, tc.rule, tc.msg)
			}
			// DecideApply decides the same and returns the applied view
			// when allowed, the view unchanged when denied.
			d2, next := DecideApply(tc.p, tc.v, tc.op)
			want := tc.v
			if d.Allowed {
				want, _ = tc.v.Apply(tc.op)
			}
			if !reflect.DeepEqual(d2, d) || !reflect.DeepEqual(next, want) {
				t.Fatalf("DecideApply = %+v, %+v; want %+v, %+v", d2, next, d, want)
			}
		})
	}
}

// TestViewTracksWho: Apply records the enterer, submitter and correctors
// only for ops that took effect.
func TestViewTracksWho(t *testing.T) {
	v := NewView(inv)
	step := func(user string, op merge.Op) merge.Outcome {
		op.User, op.ID = user, fmt.Sprintf("op-%d", len(v.State.AppliedOps))
		op.Clock.Wall++
		var out merge.Outcome
		v, out = v.Apply(op)
		return out
	}
	step("carl", cmdOp(invoice.Extract, invoice.StatusReceived))
	step("dora", setOp(invoice.StatusExtracted, map[string]string{"seller.name": "ACME"}))
	if out := step("erin", cmdOp(invoice.Approve, invoice.StatusExtracted)); out.Result != merge.Rejected {
		t.Fatalf("approve of an extracted invoice: %v", out.Result)
	}
	step("fay", cmdOp(invoice.Submit, invoice.StatusExtracted))
	if v.CreatedBy != "carl" || v.SubmittedBy != "fay" || len(v.ChangedBy) != 1 || v.ChangedBy[0] != "dora" {
		t.Fatalf("view %+v", v)
	}
	if v.State.Status.Status != invoice.StatusReadyForApproval {
		t.Fatalf("status %s", v.State.Status.Status)
	}
}
