package merge

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/smartap/desktop/backend/invoice"
)

// EntityInvoice is the only entity type this package merges so far.
const EntityInvoice = "invoice"

// Entity names what an operation changes.
type Entity struct {
	Type string `json:"type"`
	ID   string `json:"id"`
}

func (e Entity) String() string { return e.Type + "/" + e.ID }

// OpKind says whether an operation corrects fields or runs a status command.
// The values are stored and synced; never rename one.
type OpKind string

const (
	// KindSet changes fields. It is the invoice.Correct command: it has the
	// same preconditions and sends a checked invoice back to review, so an
	// edit can never ride on an earlier approval, however it syncs.
	KindSet OpKind = "set"
	// KindCommand runs one status command (approve, reject, hold, ...).
	KindCommand OpKind = "command"
)

// FieldChange is one new field value. Base is the clock of the value the
// device saw when it made the change (zero if the field was empty): it is
// what lets Apply tell an edit of a seen value from a concurrent one.
type FieldChange struct {
	Value string `json:"value"`
	Base  HLC    `json:"base"`
}

// Op is one change made on a device (docs/ARCHITECTURE.md §7).
type Op struct {
	ID     string `json:"id"` // random, unique; the idempotency key
	Device string `json:"device"`
	User   string `json:"user"`
	Clock  HLC    `json:"clock"`
	Entity Entity `json:"entity"`
	Kind   OpKind `json:"kind"`
	// Fields is set for KindSet only: path → new value.
	Fields map[string]FieldChange `json:"fields,omitempty"`
	// Command is set for KindCommand only. Correct is not accepted here:
	// corrections are KindSet, so there is one way to write a field.
	Command invoice.Command `json:"command,omitzero"`
	// BaseStatus is the status the device saw when it made the change. A
	// refused transition whose BaseStatus is stale lost a race, and becomes
	// an exception instead of a plain error.
	BaseStatus invoice.Status `json:"base_status"`
}

// ErrInvalidOp: the operation is malformed. The server refuses it at ingest;
// Apply refuses it too and does not record it, so it changes nothing.
var ErrInvalidOp = errors.New("merge: invalid operation")

// maxPathLen keeps field paths to something a person can read in an
// exception message and a database can index.
const maxPathLen = 200

// Validate reports a malformed operation.
func (o Op) Validate() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w %q: %s", ErrInvalidOp, o.ID, fmt.Sprintf(format, a...))
	}
	switch {
	case o.ID == "":
		return bad("no id")
	case o.Device == "" || o.User == "":
		return bad("no device or user")
	case o.Clock.Device != o.Device:
		// The device is the clock's tie-break; a clock claiming another
		// device could make two ops' clocks equal.
		return bad("clock device %q is not the op device %q", o.Clock.Device, o.Device)
	case o.Clock.Wall <= 0:
		return bad("no clock")
	case o.Entity.Type != EntityInvoice || o.Entity.ID == "":
		return bad("unknown entity %s", o.Entity)
	case !o.BaseStatus.Valid():
		return bad("unknown base status %q", o.BaseStatus)
	}
	switch o.Kind {
	case KindSet:
		if len(o.Fields) == 0 || o.Command != (invoice.Command{}) {
			return bad("a set op needs fields and no command")
		}
		for p := range o.Fields {
			if p == "" || len(p) > maxPathLen || strings.ContainsFunc(p, isControl) {
				return bad("bad field path %q", p)
			}
		}
	case KindCommand:
		if !slices.Contains(invoice.CommandKinds(), o.Command.Kind) || o.Command.Kind == invoice.Correct || len(o.Fields) != 0 {
			return bad("a command op needs a status command and no fields (corrections are set ops)")
		}
	default:
		return bad("unknown kind %q", o.Kind)
	}
	return nil
}

// command is the status command the op runs.
func (o Op) command() invoice.Command {
	if o.Kind == KindSet {
		return invoice.Command{Kind: invoice.Correct}
	}
	return o.Command
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }
