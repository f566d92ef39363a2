// Package audit is the tamper-evident audit trail of ARCHITECTURE.md §6. It
// is pure logic: a store persists entries and heads and calls Next, SignHead
// and Verify.
//
// Each device keeps one hash chain: entry i carries the hash of entry i-1 and
// its own hash H(Prev || Encode(entry)), so editing, deleting or reordering an
// entry breaks a link. Truncating the tail keeps the chain intact, so the
// device also signs its head (last seq and hash) with its Ed25519 key; a
// missing tail then shows as a head that names an entry the log lacks
// (security checklist #30). The server later anchors heads (#31).
package audit

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"time"
)

// Decision is the outcome of an authorization check recorded in an entry.
type Decision string

const (
	// NoDecision marks a plain event that was not an authorization check.
	NoDecision Decision = ""
	// Allowed records a permitted action.
	Allowed Decision = "allowed"
	// Denied records a refused action.
	Denied Decision = "denied"
)

// Valid reports whether d is one of the known decisions. Decode rejects
// anything else so a forged encoding cannot smuggle in a third outcome.
func (d Decision) Valid() bool {
	return d == NoDecision || d == Allowed || d == Denied
}

// Entry is one audit record. Only Hash is outside the encoding; everything
// else is covered by it.
type Entry struct {
	Seq      uint64    // 1, 2, 3… per device
	Device   string    // device id
	Actor    string    // user id or name; "system" for automatic actions
	Time     time.Time // kept as UTC milliseconds (Encode truncates)
	Action   string    // e.g. "vendor.add", "session.unlock"
	Target   string    // object id, or ""
	Decision Decision  // outcome of an authorization check, or NoDecision
	Reason   string    // why allowed/denied, or a note; never a secret
	Rule     string    // the rule that decided, e.g. "role:clerk lacks user.add"
	Before   string    // hex digest of the object before, or ""
	After    string    // hex digest of the object after, or ""
	Prev     [32]byte  // Hash of the previous entry; zero for Seq 1
	Hash     [32]byte  // H(Prev || Encode(entry))
}

// ErrTampered is what every VerifyError unwraps to, so callers can branch
// with errors.Is without parsing the reason.
var ErrTampered = errors.New("audit trail tampered")

// VerifyError names the first entry that fails verification.
type VerifyError struct {
	// Index is the Seq (1-based) of the first bad entry. For a deleted
	// entry it is the first missing seq; for a truncated tail it is one past
	// the last entry kept; 0 means the problem is not tied to an entry
	// (the signed head is missing).
	Index  uint64
	Reason string
}

func (e *VerifyError) Error() string {
	if e.Index == 0 {
		return "audit head: " + e.Reason
	}
	return fmt.Sprintf("audit entry %d: %s", e.Index, e.Reason)
}

// Unwrap makes errors.Is(err, ErrTampered) true.
func (e *VerifyError) Unwrap() error { return ErrTampered }

func tampered(index uint64, format string, args ...any) error {
	return &VerifyError{Index: index, Reason: fmt.Sprintf(format, args...)}
}

// ComputeHash is SHA-256(Prev || Encode(e)). Prev is also inside the
// encoding; hashing it first keeps the textbook chain shape h_i = H(h_{i-1} || entry_i)
// of ARCHITECTURE.md §6. e.Hash is ignored.
func ComputeHash(e Entry) [32]byte {
	h := sha256.New()
	h.Write(e.Prev[:])
	h.Write(e.Encode())
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// Next links e after prev (nil for the first entry of a device): it sets
// Seq, Prev and Hash and normalizes Time to UTC milliseconds, so the entry a
// store keeps equals what Decode returns and what was hashed. Other fields,
// including Device, are the caller's; Verify rejects a chain that mixes
// devices.
func Next(prev *Entry, e Entry) Entry {
	e.Seq, e.Prev = 1, [32]byte{}
	if prev != nil {
		e.Seq, e.Prev = prev.Seq+1, prev.Hash
	}
	e.Time = normalizeTime(e.Time)
	e.Hash = ComputeHash(e)
	return e
}

// normalizeTime maps t to the value Decode returns for it: Encode keeps
// only UnixMilli (floored, also before 1970) and Decode reads it back as UTC.
func normalizeTime(t time.Time) time.Time {
	return time.UnixMilli(t.UnixMilli()).UTC()
}
