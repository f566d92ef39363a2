// Package approval decides who must approve an invoice and whether a given
// user may approve or reject it now (docs/ARCHITECTURE.md §5, security
// checklist #19, #20, #32).
//
// It is pure domain code: no storage, UI or network, and time comes from
// Policy.Now. Callers load the policy, the invoice projection, the user and
// the delegations, ask here, write the audit entry with the returned Rule,
// and only then apply the invoice status command. Every answer carries the
// rule that decided it, as a stable string, because an authorization check
// that cannot be explained afterwards cannot be audited.
package approval

import (
	"time"

	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/backend/invoice"
)

// Actions this package decides on. identity has no approve/reject actions
// yet because the role alone cannot decide them: scope, separation of
// duties and levels do too, and those live here.
const (
	ActionApprove identity.Action = "invoice.approve"
	ActionReject  identity.Action = "invoice.reject"
)

// Policy is a team's approval configuration. The zero value routes every
// invoice to one level and never escalates; call Validate after loading.
type Policy struct {
	Rules []Rule
	// DefaultLevels applies when no rule matches.
	DefaultLevels int
	// SecondApproverAbove: an invoice whose absolute amount is above this
	// needs at least two levels whatever the rules say, so no single
	// person can release a large payment. Zero turns the floor off.
	SecondApproverAbove decimal.Decimal
	// Currency is the currency rule amounts are written in. When set, an
	// invoice in another currency cannot be placed in a band (there is no
	// exchange rate here), so only band-free rules match it and the
	// second-approver floor applies. Empty compares amounts as they are.
	Currency string
	// EscalateAfter is how long an invoice may wait for approval before
	// it is overdue; zero or less never escalates.
	EscalateAfter time.Duration
	// Now is the clock; nil means time.Now. Tests inject a fixed clock.
	Now func() time.Time
}

func (p Policy) now() time.Time {
	if p.Now == nil {
		return time.Now()
	}
	return p.Now()
}

// Invoice is what approval needs to know about one invoice; the caller
// projects it from the stored invoice, its history and its findings.
type Invoice struct {
	ID string
	// Amount is the payable amount (BT-115). Credit notes are negative;
	// routing uses the absolute value because a 50,000 credit note moves
	// as much money as a 50,000 invoice.
	Amount     decimal.Decimal
	Currency   string
	VendorID   string
	CostCentre string
	Risk       Risk
	Status     invoice.Status
	ImportedBy string
	// ChangedBy lists everyone who corrected a field, in any order.
	ChangedBy   []string
	SubmittedAt time.Time
	// Approvals already given for the current submission, oldest first.
	// A correction sends the invoice back to review; the caller must then
	// start a fresh list, or old approvals would cover new content.
	Approvals []Approval
	// HasBlockingFindings: a critical finding (active content, bank
	// details differ from the vendor master, XML vs page mismatch...).
	HasBlockingFindings bool
}

// Approval is one approval already given.
type Approval struct {
	By         string
	OnBehalfOf string // the delegator, when By acted under a delegation
	At         time.Time
	Level      int
}

// User is the acting person as the caller knows them right now (the role
// is read fresh, checklist #21).
type User struct {
	Name string
	Role identity.Role
	// CostCentres is the user's scope. Empty means all for an admin and,
	// for anyone else, only invoices without a cost centre (a team that
	// does not use cost centres): a missing scope never widens access to
	// invoices that have one.
	CostCentres []string
}

// Delegation lends From's approval authority to To during [Start, End).
// From is the delegator's current record, so the delegation can never
// grant more than the delegator holds at the moment of use.
type Delegation struct {
	From       User
	To         string
	Start, End time.Time
}

// Override lets an admin release an invoice with blocking findings for
// approval. It does not approve anything by itself; Reason is required
// because it goes into the audit trail.
type Override struct {
	By     User
	Reason string
}

// Decision is the answer to "may this user do this now?".
type Decision struct {
	Allowed bool
	// Rule names the check that decided, stable for the audit trail,
	// e.g. "sod:imported-by-self" or "level 1 of 2".
	Rule string
	// Reason is the human explanation, for logs and messages.
	Reason string
	// Route is the routing rule the invoice follows (Route.Rule).
	Route string
	// OnBehalfOf is the delegator when the user acts under a delegation;
	// it must be stored in the Approval.
	OnBehalfOf string
	// Level is the level this approval takes, and Levels how many the
	// route needs; set when allowed.
	Level, Levels int
	// Complete: this approval reaches the last level, so the caller may
	// apply invoice.Approve. Before that the status stays ready_for_approval.
	Complete bool
	// OverrideBy names the admin whose override let blocking findings pass.
	OverrideBy string
}

func deny(rule, reason string) Decision { return Decision{Rule: rule, Reason: reason} }
