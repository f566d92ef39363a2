package invoice

// CommandKind names a status command. The values are stored in audit
// entries and sync operations; never rename one.
type CommandKind string

// The commands of the AP status machine.
const (
	Extract       CommandKind = "extract"         // received → extracted
	FlagForReview CommandKind = "flag_for_review" // extracted, ready_for_approval → needs_review
	Submit        CommandKind = "submit"          // extracted, needs_review → ready_for_approval
	Approve       CommandKind = "approve"         // ready_for_approval → approved
	Reject        CommandKind = "reject"          // ready_for_approval → rejected; reason required
	Hold          CommandKind = "hold"            // holdable status → on_hold; reason required
	Release       CommandKind = "release"         // on_hold → the status it was held from
	Void          CommandKind = "void"            // anything before export → void; reason required
	Export        CommandKind = "export"          // approved → exported
	MarkPaid      CommandKind = "mark_paid"       // exported → paid
	Correct       CommandKind = "correct"         // a field correction; see correct()
)

// CommandKinds returns every command kind, in a stable order.
func CommandKinds() []CommandKind {
	return []CommandKind{
		Extract, FlagForReview, Submit, Approve, Reject, Hold, Release, Void, Export, MarkPaid, Correct,
	}
}

// NeedsReason reports whether the command must carry a reason: these
// decisions stop or end payment and must be explainable in the audit trail.
func (k CommandKind) NeedsReason() bool {
	return k == Reject || k == Hold || k == Void
}

func (k CommandKind) verb() string {
	switch k {
	case FlagForReview:
		return "flag for review"
	case MarkPaid:
		return "mark as paid"
	}
	return string(k)
}

// Command is one requested status change. Reason is free text for the
// audit trail; Reject, Hold and Void require it.
type Command struct {
	Kind   CommandKind `json:"kind"`
	Reason string      `json:"reason,omitempty"`
}

// rule is one command: where it may start and where it leads.
type rule struct {
	from func(State) bool
	to   func(State) State
}

var rules = map[CommandKind]rule{
	Extract:       {in(StatusReceived), goTo(StatusExtracted)},
	FlagForReview: {in(StatusExtracted, StatusReadyForApproval), goTo(StatusNeedsReview)},
	Submit:        {in(StatusExtracted, StatusNeedsReview), goTo(StatusReadyForApproval)},
	Approve:       {in(StatusReadyForApproval), goTo(StatusApproved)},
	Reject:        {in(StatusReadyForApproval), goTo(StatusRejected)},
	Hold:          {func(s State) bool { return s.Status.Holdable() }, hold},
	Release:       {in(StatusOnHold), release},
	Void:          {voidable, goTo(StatusVoid)},
	Export:        {in(StatusApproved), goTo(StatusExported)},
	MarkPaid:      {in(StatusExported), goTo(StatusPaid)},
	Correct:       {in(StatusExtracted, StatusNeedsReview, StatusReadyForApproval, StatusOnHold), correct},
}

func in(statuses ...Status) func(State) bool {
	return func(s State) bool {
		for _, v := range statuses {
			if s.Status == v {
				return true
			}
		}
		return false
	}
}

// goTo also clears HeldFrom, which only means something while on hold.
func goTo(to Status) func(State) State {
	return func(State) State { return State{Status: to} }
}

// voidable: once exported, the invoice lives on in the ERP and voiding it
// here would make the two disagree; paid and void are final.
func voidable(s State) bool {
	switch s.Status {
	case StatusExported, StatusPaid, StatusVoid:
		return false
	}
	return true
}

func hold(s State) State { return State{Status: StatusOnHold, HeldFrom: s.Status} }

func release(s State) State { return State{Status: s.HeldFrom} }

// correct keeps the status, except that a change to an invoice that was
// already checked sends it back to review: otherwise someone could edit an
// invoice that is ready for approval (or hold an approved one, edit it and
// release it) and have the edit ride on the earlier checks and approval.
func correct(s State) State {
	switch {
	case s.Status == StatusReadyForApproval:
		return State{Status: StatusNeedsReview}
	case s.Status == StatusOnHold && (s.HeldFrom == StatusReadyForApproval || s.HeldFrom == StatusApproved):
		return State{Status: StatusOnHold, HeldFrom: StatusNeedsReview}
	}
	return s
}
