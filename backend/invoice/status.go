package invoice

import (
	"errors"
	"fmt"
	"strings"
)

// Status is where an invoice is in AP work (docs/ARCHITECTURE.md §5).
// The values are stored and synced; never rename one.
type Status string

// The statuses, in the order of the happy path, then the side states.
const (
	StatusReceived         Status = "received"
	StatusExtracted        Status = "extracted"
	StatusNeedsReview      Status = "needs_review"
	StatusReadyForApproval Status = "ready_for_approval"
	StatusApproved         Status = "approved"
	StatusRejected         Status = "rejected"
	StatusExported         Status = "exported"
	StatusPaid             Status = "paid"
	StatusOnHold           Status = "on_hold"
	StatusVoid             Status = "void"
)

// Statuses returns every status, in a stable order.
func Statuses() []Status {
	return []Status{
		StatusReceived, StatusExtracted, StatusNeedsReview, StatusReadyForApproval, StatusApproved,
		StatusRejected, StatusExported, StatusPaid, StatusOnHold, StatusVoid,
	}
}

// Valid reports whether s is one of the defined statuses.
func (s Status) Valid() bool {
	for _, v := range Statuses() {
		if s == v {
			return true
		}
	}
	return false
}

// Terminal reports whether no command can move the invoice any more.
func (s Status) Terminal() bool { return s == StatusPaid || s == StatusVoid }

// Holdable reports whether an invoice in s can be put on hold. Holding
// stops before export: once exported, the ERP owns the payment.
func (s Status) Holdable() bool {
	switch s {
	case StatusReceived, StatusExtracted, StatusNeedsReview, StatusReadyForApproval, StatusApproved:
		return true
	}
	return false
}

// State is an invoice's status plus what Release needs to go back to.
type State struct {
	Status Status `json:"status"`
	// HeldFrom is set only while Status is on_hold.
	HeldFrom Status `json:"held_from,omitempty"`
}

// NewState is the state of a freshly received document.
func NewState() State { return State{Status: StatusReceived} }

// Validate reports a state that no sequence of commands can produce, such
// as a stored row that was tampered with or written by a buggy version.
func (s State) Validate() error {
	switch {
	case !s.Status.Valid():
		return fmt.Errorf("%w: unknown status %q", ErrInvalidState, s.Status)
	case s.Status == StatusOnHold && !s.HeldFrom.Holdable():
		return fmt.Errorf("%w: on_hold with held-from status %q", ErrInvalidState, s.HeldFrom)
	case s.Status != StatusOnHold && s.HeldFrom != "":
		return fmt.Errorf("%w: held-from status %q while %s", ErrInvalidState, s.HeldFrom, s.Status)
	}
	return nil
}

func (s State) describe() string {
	if s.Status == StatusOnHold {
		return fmt.Sprintf("%s (held from %s)", s.Status, s.HeldFrom)
	}
	return string(s.Status)
}

// Sentinel errors of Transition; callers branch on them with errors.Is.
var (
	// ErrInvalidTransition: the command is not allowed in the current state
	// (or is unknown). The message says which and why.
	ErrInvalidTransition = errors.New("invoice: invalid transition")
	// ErrReasonRequired: Reject, Hold and Void must say why, for the audit trail.
	ErrReasonRequired = errors.New("invoice: reason required")
	// ErrInvalidState: the current state itself is impossible; see State.Validate.
	ErrInvalidState = errors.New("invoice: invalid state")
)

// Transition applies cmd to cur and returns the new state. On error it
// returns cur unchanged. It is a pure function: permissions (who may
// approve), separation of duties and the audit entry are the caller's job.
func Transition(cur State, cmd Command) (State, error) {
	if err := cur.Validate(); err != nil {
		return cur, err
	}
	r, ok := rules[cmd.Kind]
	if !ok {
		return cur, fmt.Errorf("%w: unknown command %q", ErrInvalidTransition, cmd.Kind)
	}
	if !r.from(cur) {
		return cur, fmt.Errorf("%w: cannot %s an invoice that is %s", ErrInvalidTransition, cmd.Kind.verb(), cur.describe())
	}
	if cmd.Kind.NeedsReason() && strings.TrimSpace(cmd.Reason) == "" {
		return cur, fmt.Errorf("%w: give a reason to %s an invoice", ErrReasonRequired, cmd.Kind.verb())
	}
	return r.to(cur), nil
}

// Allowed lists the commands Transition would accept in cur, given a
// reason where one is needed; the UI shows exactly these actions.
func Allowed(cur State) []CommandKind {
	var out []CommandKind
	for _, k := range CommandKinds() {
		if _, err := Transition(cur, Command{Kind: k, Reason: "-"}); err == nil {
			out = append(out, k)
		}
	}
	return out
}
