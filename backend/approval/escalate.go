package approval

import (
	"fmt"
	"slices"
	"time"

	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/backend/invoice"
)

// Overdue reports whether inv has waited for approval longer than
// EscalateAfter, and how long it has waited since SubmittedAt. Only
// invoices that are ready_for_approval can be overdue: one on hold or in
// review is waiting for someone else, not for an approver.
func (p Policy) Overdue(inv Invoice) (bool, time.Duration) {
	if p.EscalateAfter <= 0 || inv.Status != invoice.StatusReadyForApproval || inv.SubmittedAt.IsZero() {
		return false, 0
	}
	waited := p.now().Sub(inv.SubmittedAt)
	return waited > p.EscalateAfter, max(waited, 0)
}

// Escalation says who to notify about an overdue invoice, and why.
type Escalation struct {
	Notify []string // user names, sorted
	Rule   string
	Waited time.Duration
}

// Escalate picks who to notify when inv is overdue: the next role up from
// the approvers, that is the admins who can see the invoice (an admin
// limited to other cost centres is not told it exists, checklist #20).
// Admins in conflict with the invoice are told only when no other admin
// can act, since they can still reassign or void it. An empty Notify with
// rule "escalate:no-admin" means nobody can act: the caller should raise
// it as a security event rather than let the invoice sit.
func (p Policy) Escalate(inv Invoice, users []User) Escalation {
	overdue, waited := p.Overdue(inv)
	if !overdue {
		return Escalation{Rule: "escalate:not-overdue", Waited: waited}
	}
	var free, conflicted []string
	for _, u := range users {
		if u.Role != identity.Admin || u.Name == "" || !p.CanSee(u, inv, nil) {
			continue
		}
		if _, bad := sodCheck(inv, u.Name, "self"); bad {
			conflicted = append(conflicted, u.Name)
		} else {
			free = append(free, u.Name)
		}
	}
	rule := fmt.Sprintf("escalate:admins after %s", p.EscalateAfter)
	notify := free
	switch {
	case len(free) == 0 && len(conflicted) > 0:
		notify, rule = conflicted, rule+" (all in conflict)"
	case len(free) == 0:
		rule = "escalate:no-admin"
	}
	slices.Sort(notify)
	return Escalation{Notify: slices.Compact(notify), Rule: rule, Waited: waited}
}

// Queue is what a user has to act on, as invoice ids in input order.
type Queue struct {
	Mine      []string // approvable on the user's own authority
	Delegated []string // approvable only through a delegation
	Overdue   []string // overdue ones among the above; for admins, every overdue one they can see
}

// QueueFor builds u's work list. An invoice held back only by blocking
// findings still belongs in it: its approver is the one to reject it or
// ask an admin for an override.
func (p Policy) QueueFor(u User, invs []Invoice, delegations []Delegation) Queue {
	var q Queue
	for _, inv := range invs {
		if !p.CanSee(u, inv, delegations) {
			continue
		}
		unblocked := inv
		unblocked.HasBlockingFindings = false
		d := p.CanApprove(u, unblocked, delegations, nil)
		switch {
		case d.Allowed && d.OnBehalfOf == "":
			q.Mine = append(q.Mine, inv.ID)
		case d.Allowed:
			q.Delegated = append(q.Delegated, inv.ID)
		case u.Role != identity.Admin:
			continue
		}
		if overdue, _ := p.Overdue(inv); overdue {
			q.Overdue = append(q.Overdue, inv.ID)
		}
	}
	return q
}
