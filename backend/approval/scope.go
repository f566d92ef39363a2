package approval

import (
	"slices"
	"time"

	"github.com/smartap/desktop/backend/identity"
)

// CanSee reports whether u may see inv at all (checklist #20: the caller
// answers not-found otherwise, so existence does not leak).
//
//   - admin: everything when their scope is empty, else as an approver
//   - auditor: everything; an audit that cannot see all is no audit
//   - approver: invoices in their cost centres, those an active delegation
//     lends them, and those they already approved (their own record)
//   - clerk: invoices they imported, and their cost centres
//
// An invoice without a cost centre is therefore visible only to admins,
// auditors and its importer: it has to be assigned before anyone else can
// approve it, rather than being visible to everyone.
func (p Policy) CanSee(u User, inv Invoice, delegations []Delegation) bool {
	switch u.Role {
	case identity.Auditor:
		return true
	case identity.Admin, identity.Approver:
		return inScope(u, inv) || approvedBy(inv, u.Name) || p.delegatedScope(u, inv, delegations)
	case identity.Clerk:
		return inv.ImportedBy != "" && inv.ImportedBy == u.Name || inScope(u, inv)
	}
	return false // unknown role: deny rather than guess
}

// inScope is the cost-centre test alone. Admins with no list see all. A
// team that does not use cost centres at all (neither the user nor the
// invoice has one) is one scope: otherwise no approver could ever act.
func inScope(u User, inv Invoice) bool {
	if u.Role == identity.Admin && len(u.CostCentres) == 0 {
		return true
	}
	if inv.CostCentre == "" {
		return len(u.CostCentres) == 0
	}
	return slices.Contains(u.CostCentres, inv.CostCentre)
}

func (p Policy) delegatedScope(u User, inv Invoice, delegations []Delegation) bool {
	now := p.now()
	for _, d := range delegations {
		if d.To == u.Name && d.active(now) && canEverApprove(d.From.Role) && inScope(d.From, inv) {
			return true
		}
	}
	return false
}

// valid: a delegation needs a named delegator other than its delegate,
// and an end. An unbounded delegation is refused: forgotten delegations
// are how access lingers.
func (d Delegation) valid() bool {
	return d.From.Name != "" && d.To != "" && d.From.Name != d.To && !d.End.IsZero()
}

// active: valid and inside its half-open window, so a delegation ending
// at midnight is over at midnight.
func (d Delegation) active(now time.Time) bool {
	return d.valid() && !now.Before(d.Start) && now.Before(d.End)
}

func (d Delegation) String() string {
	return "delegation:" + d.From.Name + "→" + d.To + " until " + d.End.UTC().Format(time.RFC3339)
}

// approvedBy: name gave an approval, in person or through a delegate. The
// empty name never matches: OnBehalfOf is empty on most approvals.
func approvedBy(inv Invoice, name string) bool {
	if name == "" {
		return false
	}
	for _, a := range inv.Approvals {
		if a.By == name || a.OnBehalfOf == name {
			return true
		}
	}
	return false
}

func changedBy(inv Invoice, name string) bool { return slices.Contains(inv.ChangedBy, name) }
