package wire

// Type names of the messages only the server sends.
const (
	TypeReject     = "reject"
	TypeException  = "exception"
	TypeCheckpoint = "checkpoint"
)

// Reject refuses one pushed op (server → client), under the push's message
// id: Code is stable for programs, Message is for people, Rule names the
// business rule that refused it (empty for protocol-level refusals).
type Reject struct {
	Op      string `json:"op"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Rule    string `json:"rule,omitempty"`
}

// Type implements Body.
func (Reject) Type() string { return TypeReject }

func (r Reject) check() error {
	return first(
		checkUUID("op", r.Op),
		checkName("code", r.Code),
		checkText("message", r.Message, MaxText, true),
		checkRule(r.Rule),
	)
}

// checkRule accepts an empty rule or an id such as "approval.amount_limit".
func checkRule(rule string) error {
	if rule == "" {
		return nil
	}
	return checkID("rule", rule)
}

// Exception records a business conflict the server resolved (§7 Merge),
// e.g. one approver approved while another rejected: Winner was applied,
// Loser was not. It is synced to every device and shown to people, so a
// losing transition is never dropped silently.
type Exception struct {
	ID      string `json:"id"`
	Seq     uint64 `json:"seq"`
	Entity  Entity `json:"entity"`
	Kind    string `json:"kind"`
	Winner  string `json:"winner"`
	Loser   string `json:"loser"`
	Message string `json:"message"`
}

// Type implements Body.
func (Exception) Type() string { return TypeException }

func (e Exception) check() error {
	err := first(
		checkUUID("id", e.ID),
		checkSeq("seq", e.Seq),
		in("entity", e.Entity.check()),
		checkName("kind", e.Kind),
		checkUUID("winner", e.Winner),
		checkUUID("loser", e.Loser),
		checkText("message", e.Message, MaxText, true),
	)
	if err == nil && e.Winner == e.Loser {
		return fieldErr("loser", "is the winner")
	}
	return err
}

// Checkpoint is a signed head of the server's audit Merkle log (§6): tree
// size, root hash and signature, optionally with proofs that one leaf is
// included and that an older head is a prefix of this one.
type Checkpoint struct {
	Size        uint64       `json:"size"`
	Root        Hash         `json:"root"`
	Signature   []byte       `json:"sig"`
	Inclusion   *Inclusion   `json:"inclusion,omitempty"`
	Consistency *Consistency `json:"consistency,omitempty"`
}

// Inclusion proves leaf Index is in the tree.
type Inclusion struct {
	Index  uint64 `json:"index"`
	Hashes []Hash `json:"hashes"`
}

// Consistency proves the tree of OldSize leaves is a prefix of this one.
type Consistency struct {
	OldSize uint64 `json:"old_size"`
	Hashes  []Hash `json:"hashes"`
}

// Type implements Body.
func (Checkpoint) Type() string { return TypeCheckpoint }

func (c Checkpoint) check() error {
	if len(c.Signature) != SignatureSize {
		return fieldErr("sig", "has %d bytes, want %d", len(c.Signature), SignatureSize)
	}
	if c.Inclusion != nil {
		if err := in("inclusion", c.Inclusion.check(c.Size)); err != nil {
			return err
		}
	}
	if c.Consistency != nil {
		return in("consistency", c.Consistency.check(c.Size))
	}
	return nil
}

func (p Inclusion) check(size uint64) error {
	if p.Index >= size {
		return fieldErr("index", "%d is not below the tree size %d", p.Index, size)
	}
	return checkCount("hashes", len(p.Hashes), 0, MaxProof)
}

func (p Consistency) check(size uint64) error {
	if p.OldSize == 0 || p.OldSize > size {
		return fieldErr("old_size", "%d is outside 1..%d", p.OldSize, size)
	}
	return checkCount("hashes", len(p.Hashes), 0, MaxProof)
}
