package authority

import (
	"slices"

	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/sync/merge"
)

// View is one invoice as the server's log has built it: the merged state
// plus who entered, submitted and corrected it, which merge.State does not
// keep but separation of duties needs. It is derived from the log alone
// (Apply), so every server replica builds the same View.
type View struct {
	State merge.State
	// CreatedBy is the user of the first applied op on the invoice.
	CreatedBy string
	// SubmittedBy is the user of the last applied submit.
	SubmittedBy string
	// ChangedBy lists, sorted, the users whose corrections were applied.
	ChangedBy []string
}

// NewView is an invoice no op has touched.
func NewView(e merge.Entity) View { return View{State: merge.NewState(e)} }

// New reports that no op has been applied to the invoice yet.
func (v View) New() bool { return v.CreatedBy == "" }

// CostCentre is the invoice's current cost centre ("" if none).
func (v View) CostCentre() string { return v.State.Fields[FieldCostCentre].Value }

// Apply applies op with merge.Apply and keeps the who-did-what record. v
// is not modified.
func (v View) Apply(op merge.Op) (View, merge.Outcome) {
	next, out := merge.Apply(v.State, op)
	v.State = next
	if out.Result != merge.Applied {
		return v, out
	}
	if v.CreatedBy == "" {
		v.CreatedBy = op.User
	}
	switch {
	case op.Kind == merge.KindSet && !slices.Contains(v.ChangedBy, op.User):
		v.ChangedBy = append(slices.Clone(v.ChangedBy), op.User)
		slices.Sort(v.ChangedBy)
	case op.Kind == merge.KindCommand && op.Command.Kind == invoice.Submit:
		v.SubmittedBy = op.User
	}
	return v, out
}
