// Package authority decides, at the sync server's ingest, whether one
// pushed invoice operation may enter the team's log (ARCHITECTURE §7: the
// server is the authority for business transitions). It is a pure
// function of the principal, the invoice as the log has built it so far
// (in server order) and the operation, so every decision can be replayed
// and table-tested.
//
// The checks, in order (the first that fails decides):
//
//  1. role × command: identity's matrix, with the command mapped to an
//     action as backend/core does (rule role.matrix);
//  2. cost-centre scope: an invoice outside the user's cost centres is
//     refused with a not-found message, so its existence does not leak
//     (rule scope.cost_centre); a user who has cost centres may not move
//     an invoice to one outside them either (scope.cost_centre_target);
//  3. separation of duties: nobody approves an invoice they entered,
//     submitted or corrected (approval.separation_of_duties);
//  4. amount band: an approval of an invoice whose payable total is above
//     the approver's limit (approval.amount_limit);
//  5. invoice state: the operation is run through merge.Apply on a copy.
//     A refusal that merge turns into an exception (the device saw another
//     status: approve after a concurrent reject) is allowed in, because the
//     exception must exist on every replica; a refusal with no race behind
//     it (the device saw the current status and still asked for an invalid
//     transition) is refused here (invoice.transition), so it never
//     reaches the log.
//
// Everything here is evaluated against the server's state at the op's
// place in server order, which is exactly what merge.Apply will see when
// the op is applied, so ingest and replay agree.
package authority

import (
	"errors"
	"fmt"
	"slices"

	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/sync/merge"
)

// Field paths the checks read.
const (
	FieldCostCentre = "cost_centre"
	FieldPayable    = "totals.payable"
)

// Rejection codes (wire.Reject.Code).
const (
	CodeForbidden         = "forbidden"
	CodeInvalidTransition = "invalid_transition"
	CodeInvalidInput      = "invalid_input"
)

// Rule names (wire.Reject.Rule).
const (
	RuleRole         = "role.matrix"
	RuleScope        = "scope.cost_centre"
	RuleScopeTarget  = "scope.cost_centre_target"
	RuleSeparation   = "approval.separation_of_duties"
	RuleAmountLimit  = "approval.amount_limit"
	RuleTransition   = "invoice.transition"
	RuleInvalidInput = "invoice.invalid_op"
)

// Principal is the pushing user as the server's store describes them now
// (not as their token claimed when it was issued).
type Principal struct {
	User        string
	Role        identity.Role
	CostCentres []string
	// ApprovalLimit is the highest payable total the user may approve, a
	// decimal in the invoice's currency; "" means no limit.
	ApprovalLimit string
}

// Decision is the verdict on one op. Code, Rule and Message are empty when
// Allowed.
type Decision struct {
	Allowed bool
	Code    string
	Rule    string
	Message string
}

var allow = Decision{Allowed: true}

func deny(code, rule, format string, a ...any) Decision {
	return Decision{Code: code, Rule: rule, Message: fmt.Sprintf(format, a...)}
}

// ActionFor maps an op to the identity action that authorizes it, as
// backend/core authorizes the same command locally. Corrections (set ops)
// and flag_for_review are invoice.set; extract is part of import; release
// is the other half of hold; mark_paid follows export.
func ActionFor(op merge.Op) (identity.Action, bool) {
	if op.Kind == merge.KindSet {
		return identity.InvoiceSet, true
	}
	a, ok := actions[op.Command.Kind]
	return a, ok
}

var actions = map[invoice.CommandKind]identity.Action{
	invoice.Extract:       identity.InvoiceImport,
	invoice.FlagForReview: identity.InvoiceSet,
	invoice.Submit:        identity.InvoiceSubmit,
	invoice.Approve:       identity.InvoiceApprove,
	invoice.Reject:        identity.InvoiceReject,
	invoice.Hold:          identity.InvoiceHold,
	invoice.Release:       identity.InvoiceHold,
	invoice.Void:          identity.InvoiceVoid,
	invoice.Export:        identity.InvoiceExport,
	invoice.MarkPaid:      identity.InvoiceExport,
}

// Decide decides op for p against v, the op's invoice as the log has built
// it up to the op's place in server order.
func Decide(p Principal, v View, op merge.Op) Decision {
	if d := decideBefore(p, v, op); !d.Allowed {
		return d
	}
	return checkTransition(v, op)
}

// DecideApply is Decide followed, when the op is allowed, by v.Apply(op):
// it returns the decision and the view after the op (v itself when
// denied). It runs merge.Apply once where Decide and then Apply run it
// twice; a server judging a batch needs both.
func DecideApply(p Principal, v View, op merge.Op) (Decision, View) {
	if d := decideBefore(p, v, op); !d.Allowed {
		return d, v
	}
	next, out := v.Apply(op)
	if d := transition(out); !d.Allowed {
		return d, v
	}
	return allow, next
}

// decideBefore is every rule of Decide but the transition, in order.
func decideBefore(p Principal, v View, op merge.Op) Decision {
	if op.Entity != v.State.Entity {
		return deny(CodeInvalidInput, RuleInvalidInput, "operation %s is for %s, not %s", op.ID, op.Entity, v.State.Entity)
	}
	action, ok := ActionFor(op)
	if !ok {
		return deny(CodeInvalidInput, RuleInvalidInput, "operation %s: unknown command %q", op.ID, op.Command.Kind)
	}
	if ok, _ := identity.Can(p.Role, action); !ok {
		return deny(CodeForbidden, RuleRole, "role %s may not %s invoices (%s)", p.Role, verb(op), action)
	}
	if d := checkScope(p, v, op); !d.Allowed {
		return d
	}
	if op.Kind == merge.KindCommand && op.Command.Kind == invoice.Approve {
		if d := checkSeparation(p, v); !d.Allowed {
			return d
		}
		if d := checkAmount(p, v); !d.Allowed {
			return d
		}
	}
	return allow
}

func verb(op merge.Op) string {
	if op.Kind == merge.KindSet {
		return "correct"
	}
	return string(op.Command.Kind)
}

// checkScope follows approval.CanSee: auditors see everything (and change
// nothing, by role); admins without cost centres see everything; others
// see their cost centres, an invoice without a cost centre only if they
// have none, and clerks also what they entered. An invoice no op has
// touched yet is being created by this op and is in scope.
func checkScope(p Principal, v View, op merge.Op) Decision {
	if !inScope(p, v, v.CostCentre()) {
		return deny(CodeForbidden, RuleScope, "invoice %s not found", v.State.Entity.ID)
	}
	// A user with cost centres may not move an invoice out of them; one
	// without (a clerk entering invoices for everyone) may assign any.
	if op.Kind != merge.KindSet || unrestricted(p) || len(p.CostCentres) == 0 {
		return allow
	}
	if ch, ok := op.Fields[FieldCostCentre]; ok && !slices.Contains(p.CostCentres, ch.Value) {
		return deny(CodeForbidden, RuleScopeTarget, "cost centre %q is not one of yours (%v)", ch.Value, p.CostCentres)
	}
	return allow
}

func unrestricted(p Principal) bool {
	return p.Role == identity.Auditor || p.Role == identity.Admin && len(p.CostCentres) == 0
}

func inScope(p Principal, v View, centre string) bool {
	switch {
	case unrestricted(p), v.New():
		return true
	case p.Role == identity.Clerk && v.CreatedBy == p.User:
		return true
	case centre == "":
		return len(p.CostCentres) == 0
	}
	return slices.Contains(p.CostCentres, centre)
}

func checkSeparation(p Principal, v View) Decision {
	switch {
	case v.SubmittedBy == p.User:
		return deny(CodeForbidden, RuleSeparation, "%s submitted invoice %s; someone else must approve it", p.User, v.State.Entity.ID)
	case v.CreatedBy == p.User:
		return deny(CodeForbidden, RuleSeparation, "%s entered invoice %s; someone else must approve it", p.User, v.State.Entity.ID)
	case slices.Contains(v.ChangedBy, p.User):
		return deny(CodeForbidden, RuleSeparation, "%s corrected invoice %s; someone else must approve it", p.User, v.State.Entity.ID)
	}
	return allow
}

func checkAmount(p Principal, v View) Decision {
	if p.ApprovalLimit == "" {
		return allow
	}
	limit, err := decimal.Parse(p.ApprovalLimit)
	if err != nil {
		return deny(CodeForbidden, RuleAmountLimit, "your approval limit %q is not a number; ask an admin to fix it", p.ApprovalLimit)
	}
	raw := v.State.Fields[FieldPayable].Value
	payable, err := decimal.Parse(raw)
	if err != nil {
		return deny(CodeForbidden, RuleAmountLimit, "invoice %s has no readable payable total (%q) to compare with your approval limit %s",
			v.State.Entity.ID, raw, limit)
	}
	if payable.Cmp(limit) > 0 {
		return deny(CodeForbidden, RuleAmountLimit, "invoice %s: payable %s is above your approval limit %s",
			v.State.Entity.ID, payable, limit)
	}
	return allow
}

// checkTransition dry-runs merge.Apply (see the package comment, step 5).
func checkTransition(v View, op merge.Op) Decision {
	_, out := merge.Apply(v.State, op)
	return transition(out)
}

// transition judges merge's outcome of the op.
func transition(out merge.Outcome) Decision {
	switch {
	case out.Result != merge.Rejected || len(out.Exceptions) > 0:
		return allow
	case errors.Is(out.Reason, merge.ErrInvalidOp), errors.Is(out.Reason, merge.ErrWrongEntity):
		return deny(CodeInvalidInput, RuleInvalidInput, "%v", out.Reason)
	}
	return deny(CodeInvalidTransition, RuleTransition, "%v", out.Reason)
}
