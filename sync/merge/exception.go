package merge

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"maps"
	"slices"
	"strings"
)

// ExceptionKind says what kind of conflict an exception records. The values
// are stored and synced; never rename one.
type ExceptionKind string

const (
	// ConflictingTransition: a status command lost to a concurrent one.
	ConflictingTransition ExceptionKind = "conflicting_transition"
	// ConflictingCorrection: two devices changed a field to different
	// values without seeing each other's change.
	ConflictingCorrection ExceptionKind = "conflicting_correction"
)

// Exception is a conflict shown to people: it syncs with the entity and is
// how "nothing is dropped silently" is kept (docs/ARCHITECTURE.md §7).
type Exception struct {
	// ID is derived from the kind and the two op ids, so every replica that
	// applies the same log creates the same record.
	ID     string        `json:"id"`
	Entity Entity        `json:"entity"`
	Kind   ExceptionKind `json:"kind"`
	Winner string        `json:"winner"` // op id that took effect
	Loser  string        `json:"loser"`  // op id that was refused or overwritten
	// Fields and Lost are set for corrections: the paths in conflict and
	// the losing values, so a person can restore one.
	Fields  []string          `json:"fields,omitempty"`
	Lost    map[string]string `json:"lost,omitempty"`
	Message string            `json:"message"`
}

// ExceptionID is the id of the exception of kind between two ops.
func ExceptionID(kind ExceptionKind, winner, loser string) string {
	h := sha256.New()
	writeStrings(h, "smartap/merge/exception/v1", string(kind), winner, loser)
	return hex.EncodeToString(h.Sum(nil)[:16])
}

func transitionException(s State, op Op, err error) Exception {
	w := s.LastChange
	return Exception{
		ID:     ExceptionID(ConflictingTransition, w.Op, op.ID),
		Entity: s.Entity,
		Kind:   ConflictingTransition,
		Winner: w.Op,
		Loser:  op.ID,
		Message: fmt.Sprintf("%s by %s on device %s was refused: when it was made the invoice was %s, "+
			"but %s on device %s (op %s) had already made it %s (%v)",
			describeOp(op), op.User, op.Device, op.BaseStatus, w.Kind, w.Device, w.Op, s.Status.Status, err),
	}
}

func correctionException(e Entity, winner, loser side, paths []string, kept, lost map[string]string) Exception {
	var parts []string
	for _, p := range paths {
		parts = append(parts, fmt.Sprintf("%s: kept %q, set aside %q", p, kept[p], lost[p]))
	}
	return Exception{
		ID:     ExceptionID(ConflictingCorrection, winner.ID, loser.ID),
		Entity: e,
		Kind:   ConflictingCorrection,
		Winner: winner.ID,
		Loser:  loser.ID,
		Fields: slices.Clone(paths),
		Lost:   maps.Clone(lost),
		Message: fmt.Sprintf("devices %s (op %s) and %s (op %s) corrected the same fields without seeing "+
			"each other's change; the later one was kept, check it: %s",
			winner.Device, winner.ID, loser.Device, loser.ID, strings.Join(parts, "; ")),
	}
}

func describeOp(op Op) string {
	if op.Kind == KindSet {
		return "a correction"
	}
	return string(op.Command.Kind)
}

// Digest is a hash of everything in s that must converge: replicas that
// applied the same log have equal digests. Maps are hashed in sorted key
// order and exceptions by id, so storage order does not matter.
func Digest(s State) string {
	h := sha256.New()
	writeStrings(h, "smartap/merge/state/v1", s.Entity.Type, s.Entity.ID,
		string(s.Status.Status), string(s.Status.HeldFrom),
		s.LastChange.Op, string(s.LastChange.Kind), s.LastChange.Device)

	writeInt(h, int64(len(s.Fields)))
	for _, p := range slices.Sorted(maps.Keys(s.Fields)) {
		f := s.Fields[p]
		writeStrings(h, p, f.Value, f.Op)
		writeClock(h, f.Clock)
		writeClock(h, f.Base)
	}

	writeInt(h, int64(len(s.AppliedOps)))
	writeStrings(h, slices.Sorted(maps.Keys(s.AppliedOps))...)

	exs := slices.SortedFunc(slices.Values(s.Exceptions), func(a, b Exception) int { return strings.Compare(a.ID, b.ID) })
	writeInt(h, int64(len(exs)))
	for _, e := range exs {
		writeStrings(h, e.ID, e.Entity.Type, e.Entity.ID, string(e.Kind), e.Winner, e.Loser, e.Message)
		writeInt(h, int64(len(e.Fields)))
		writeStrings(h, e.Fields...)
		writeInt(h, int64(len(e.Lost)))
		for _, p := range slices.Sorted(maps.Keys(e.Lost)) {
			writeStrings(h, p, e.Lost[p])
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// writeStrings length-prefixes each string, so ("ab","c") and ("a","bc")
// hash differently.
func writeStrings(h hash.Hash, ss ...string) {
	for _, s := range ss {
		writeInt(h, int64(len(s)))
		h.Write([]byte(s))
	}
}

func writeInt(h hash.Hash, n int64) {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(n)) // #nosec G115 -- two's complement bits are what the digest hashes
	h.Write(b[:])
}

func writeClock(h hash.Hash, c HLC) {
	writeInt(h, c.Wall)
	writeInt(h, int64(c.Logical))
	writeStrings(h, c.Device)
}
