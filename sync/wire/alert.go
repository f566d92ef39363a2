package wire

// TypeAlert and TypeCheckpointWant complete the set of message types.
const (
	TypeAlert          = "alert"
	TypeCheckpointWant = "checkpoint_want"
)

// Alert is a security event pushed live to a team's connected admins
// (server → client): a new device, a burst of failed logins, a mass export,
// off-hours approvals, a refresh-token reuse. It names people and devices,
// never a credential.
type Alert struct {
	Kind   string `json:"kind"`
	User   string `json:"user,omitempty"`
	Device string `json:"device,omitempty"`
	Detail string `json:"detail"`
	// At is the server time in Unix milliseconds.
	At int64 `json:"at"`
}

// Type implements Body.
func (Alert) Type() string { return TypeAlert }

func (a Alert) check() error {
	err := first(
		checkName("kind", a.Kind),
		checkText("detail", a.Detail, MaxText, true),
		// A burst of failures from one address has no user or device.
		checkText("user", a.User, maxID, false),
		checkText("device", a.Device, maxID, false),
	)
	if err == nil && a.At <= 0 {
		return fieldErr("at", "must be a positive Unix time in milliseconds")
	}
	return err
}

// CheckpointWant asks for the team's latest signed audit checkpoint
// (client → server). With OldSize set (the size of a checkpoint the device
// verified before) the answer carries a consistency proof; with Op set (the
// id of one of the device's own audit operations) an inclusion proof for it.
type CheckpointWant struct {
	OldSize uint64 `json:"old_size,omitempty"`
	Op      string `json:"op,omitempty"`
}

// Type implements Body.
func (CheckpointWant) Type() string { return TypeCheckpointWant }

func (w CheckpointWant) check() error {
	if w.Op == "" {
		return nil
	}
	return checkUUID("op", w.Op)
}
