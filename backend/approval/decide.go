package approval

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/backend/invoice"
)

// CanApprove decides whether u may add the next approval to inv now. The
// checks run in this order and the first failure decides:
//
//  1. the user can approve at all (approver or admin)
//  2. the invoice is ready_for_approval
//  3. separation of duties for the person acting: not its importer, not
//     anyone who changed it, not someone who already approved it
//  4. authority for this route: an approving role the rule allows, on the
//     rule's named list if it has one, and the cost centre in scope; when
//     u's own authority does not reach, an active delegation may lend the
//     delegator's, and then the delegator must pass step 3 too
//  5. a level is still open
//  6. blocking findings need an admin override with a reason, given by
//     someone other than the approver, not its importer or editor, and
//     with the invoice in the overriding admin's own scope
//
// Callers check CanSee first and answer not-found when it fails
// (checklist #20); the order here is what the audit trail records.
func (p Policy) CanApprove(u User, inv Invoice, delegations []Delegation, ov *Override) Decision {
	route := p.RouteFor(inv)
	d := p.canApprove(u, inv, route, delegations, ov)
	d.Route = route.Rule
	return d
}

func (p Policy) canApprove(u User, inv Invoice, route Route, delegations []Delegation, ov *Override) Decision {
	if d, ok := actorCheck(u, inv, ActionApprove); !ok {
		return d
	}
	if d, bad := sodCheck(inv, u.Name, "self"); bad {
		return d
	}
	via, d, ok := p.authorize(u, inv, route, delegations, true)
	if !ok {
		return d
	}
	level := len(inv.Approvals) + 1
	if level > route.Levels {
		return deny("levels:complete", fmt.Sprintf("all %d level(s) of %s already approved", route.Levels, route.Rule))
	}
	if d, ok := overrideCheck(u, inv, ov); !ok {
		return d
	}
	return allowApproval(u, via, route, level, inv, ov)
}

// actorCheck covers steps 1 and 2, shared by approve and reject.
func actorCheck(u User, inv Invoice, action identity.Action) (Decision, bool) {
	if strings.TrimSpace(u.Name) == "" {
		return deny("identity:anonymous", "no user name: decisions must be attributable"), false
	}
	if !canEverApprove(u.Role) {
		return deny("role:"+string(u.Role)+" lacks "+string(action),
			fmt.Sprintf("role %q cannot %s invoices", u.Role, verb(action))), false
	}
	if inv.Status != invoice.StatusReadyForApproval {
		return deny("status:"+string(inv.Status),
			fmt.Sprintf("invoice is %s, not %s", inv.Status, invoice.StatusReadyForApproval)), false
	}
	return Decision{}, true
}

func verb(a identity.Action) string {
	if a == ActionReject {
		return "reject"
	}
	return "approve"
}

// sodCheck reports a separation-of-duties violation by name; who is
// "self" or "delegator" so the audit trail says whose conflict it was.
// Nobody approves what they entered or changed (the four-eyes principle
// would be two eyes), nor approves twice, in person or through a delegate.
func sodCheck(inv Invoice, name, who string) (Decision, bool) {
	switch {
	case inv.ImportedBy == name:
		return deny("sod:imported-by-"+who, name+" imported this invoice"), true
	case changedBy(inv, name):
		return deny("sod:changed-by-"+who, name+" changed this invoice"), true
	case approvedBy(inv, name):
		return deny("sod:approved-already-by-"+who, name+" already approved this invoice"), true
	}
	return Decision{}, false
}

// authorize finds whose authority u acts under: their own, else the first
// active delegation that reaches. via is nil for u's own authority. When
// none reaches, the most telling failure is returned: a delegation that
// would have covered the invoice but for its window or a conflict says
// more than "out of scope".
func (p Policy) authorize(u User, inv Invoice, route Route, delegations []Delegation, sod bool) (*Delegation, Decision, bool) {
	own, ok := authority(u, inv, route)
	if ok {
		return nil, Decision{}, true
	}
	now := p.now()
	var telling *Decision
	for i := range delegations {
		d := &delegations[i]
		if d.To != u.Name || !d.valid() {
			continue
		}
		fail, fits := delegatorFits(d.From, inv, route, sod)
		switch {
		case fits && d.active(now):
			return d, Decision{}, true
		case fits:
			fail = deny(d.String()+" outside window", fmt.Sprintf("delegation from %s to %s is not active at %s",
				d.From.Name, d.To, now.UTC().Format(time.RFC3339)))
		case !strings.HasPrefix(fail.Rule, "sod:"):
			continue // the delegation does not cover this invoice anyway
		}
		if telling == nil {
			telling = &fail
		}
	}
	if telling != nil {
		return nil, *telling, false
	}
	return nil, own, false
}

// delegatorFits: would the delegator's own authority reach the invoice?
// A delegation never lends more than the delegator holds, conflicts included.
func delegatorFits(from User, inv Invoice, route Route, sod bool) (Decision, bool) {
	if d, ok := authority(from, inv, route); !ok {
		return d, false
	}
	if !sod {
		return Decision{}, true
	}
	if d, bad := sodCheck(inv, from.Name, "delegator"); bad {
		return d, false
	}
	return Decision{}, true
}

// authority: may principal approve invoices on this route, in this scope?
func authority(principal User, inv Invoice, route Route) (Decision, bool) {
	roles := route.roles()
	if !canEverApprove(principal.Role) || !slices.Contains(roles, principal.Role) {
		return deny("route:role", fmt.Sprintf("rule %s lets %v approve, not %q", route.Rule, roles, principal.Role)), false
	}
	if named := route.named(); len(named) > 0 && !slices.Contains(named, principal.Name) {
		return deny("route:named-approvers", fmt.Sprintf("rule %s names its approvers: %s", route.Rule, strings.Join(named, ", "))), false
	}
	if !inScope(principal, inv) {
		return deny("scope:cost-centre", fmt.Sprintf("cost centre %q is outside %s's scope", inv.CostCentre, principal.Name)), false
	}
	return Decision{}, true
}

// overrideCheck is step 6. The override is a second person's judgement
// that the findings are understood; the approver granting it to
// themselves would make it no check at all.
func overrideCheck(u User, inv Invoice, ov *Override) (Decision, bool) {
	if !inv.HasBlockingFindings {
		return Decision{}, true
	}
	switch {
	case ov == nil:
		return deny("blocking-findings", "critical findings block approval until an admin overrides them"), false
	case ov.By.Role != identity.Admin || ov.By.Name == "":
		return deny("override:not-admin", fmt.Sprintf("%q (%s) cannot override findings; only an admin can", ov.By.Name, ov.By.Role)), false
	case strings.TrimSpace(ov.Reason) == "":
		return deny("override:reason-required", "an override must say why the findings are acceptable"), false
	case ov.By.Name == u.Name:
		return deny("override:same-person", "the approver cannot override findings on their own approval"), false
	case !inScope(ov.By, inv):
		return deny("override:scope", fmt.Sprintf("cost centre %q is outside %s's scope", inv.CostCentre, ov.By.Name)), false
	}
	if d, bad := sodCheck(inv, ov.By.Name, "overrider"); bad && !strings.HasPrefix(d.Rule, "sod:approved-already") {
		d.Rule = strings.Replace(d.Rule, "sod:", "override:sod:", 1)
		return d, false
	}
	return Decision{}, true
}

func allowApproval(u User, via *Delegation, route Route, level int, inv Invoice, ov *Override) Decision {
	d := Decision{
		Allowed: true,
		Rule:    fmt.Sprintf("level %d of %d", level, route.Levels),
		Level:   level, Levels: route.Levels, Complete: level == route.Levels,
	}
	d.Reason = fmt.Sprintf("%s approves level %d of %d (%s)", u.Name, level, route.Levels, route.Why)
	if via != nil {
		d.OnBehalfOf = via.From.Name
		d.Rule += "; " + via.String()
		d.Reason += " on behalf of " + via.From.Name
	}
	if inv.HasBlockingFindings && ov != nil {
		d.OverrideBy = ov.By.Name
		d.Rule += "; override:" + ov.By.Name
		d.Reason += "; findings overridden by " + ov.By.Name + ": " + ov.Reason
	}
	return d
}

// CanReject decides whether u may reject inv. Rejecting stops a payment,
// the safe direction, so separation of duties and blocking findings do
// not apply (findings are a reason to reject); role, status, a reason and
// authority over the route and cost centre do, delegation included.
func (p Policy) CanReject(u User, inv Invoice, reason string, delegations []Delegation) Decision {
	route := p.RouteFor(inv)
	d := p.canReject(u, inv, route, reason, delegations)
	d.Route = route.Rule
	return d
}

func (p Policy) canReject(u User, inv Invoice, route Route, reason string, delegations []Delegation) Decision {
	if d, ok := actorCheck(u, inv, ActionReject); !ok {
		return d
	}
	if strings.TrimSpace(reason) == "" {
		return deny("reason-required", "a rejection must say why, for the vendor and the audit trail")
	}
	via, d, ok := p.authorize(u, inv, route, delegations, false)
	if !ok {
		return d
	}
	d = Decision{Allowed: true, Rule: "reject:authorized", Levels: route.Levels,
		Reason: fmt.Sprintf("%s rejects: %s", u.Name, reason)}
	if via != nil {
		d.OnBehalfOf = via.From.Name
		d.Rule += "; " + via.String()
		d.Reason += " (on behalf of " + via.From.Name + ")"
	}
	return d
}
