package checkpoint

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"math"

	"github.com/smartap/desktop/sync/wire"
	"golang.org/x/mod/sumdb/tlog"
)

// Sentinel errors; Verify's errors match exactly one of them (errors.Is).
var (
	// ErrSignature: the checkpoint is not signed by the pinned key for
	// this team, size and root.
	ErrSignature = errors.New("checkpoint: signature does not verify")
	// ErrNotIncluded: the device's op is not proven to be in the log (no
	// inclusion proof, or one that does not lead to the signed root).
	ErrNotIncluded = errors.New("checkpoint: op is not included in the log")
	// ErrNotConsistent: the log did not only grow since the last verified
	// checkpoint (smaller, forked, or no valid consistency proof).
	ErrNotConsistent = errors.New("checkpoint: log is not consistent with the last verified checkpoint")
	// ErrMalformed: an input cannot be a checkpoint of this log at all
	// (team id unusable in a note, sizes past 2^63-1, another team's
	// verified head).
	ErrMalformed = errors.New("checkpoint: malformed input")
	// ErrKey: a key has the wrong size or text form.
	ErrKey = errors.New("checkpoint: bad key")
)

// Verified is a checkpoint head a device has verified. The device stores
// it (JSON) and passes it to the next Verify as old.
type Verified struct {
	Team string    `json:"team"`
	Size uint64    `json:"size"`
	Root wire.Hash `json:"root"`
}

// Verify checks a checkpoint received for team: the signature with the
// pinned key pub; when leaf is not nil, that the checkpoint's inclusion
// proof puts exactly that op in the tree; when old is not nil, that the
// tree of old.Size leaves with old.Root is a prefix of this one. It
// returns the new head to store in place of old.
func Verify(pub ed25519.PublicKey, team string, cp wire.Checkpoint, leaf *wire.Op, old *Verified) (Verified, error) {
	v := Verified{Team: team, Size: cp.Size, Root: cp.Root}
	if err := checkShape(pub, cp, old, team); err != nil {
		return Verified{}, err
	}
	msg, err := NoteText(team, cp.Size, cp.Root)
	if err != nil {
		return Verified{}, err
	}
	if len(cp.Signature) != ed25519.SignatureSize || !ed25519.Verify(pub, msg, cp.Signature) {
		return Verified{}, fmt.Errorf("%w: team %s, size %d", ErrSignature, team, cp.Size)
	}
	if leaf != nil {
		if err := verifyInclusion(cp, *leaf); err != nil {
			return Verified{}, err
		}
	}
	if old != nil {
		if err := verifyConsistency(cp, *old); err != nil {
			return Verified{}, err
		}
	}
	return v, nil
}

func checkShape(pub ed25519.PublicKey, cp wire.Checkpoint, old *Verified, team string) error {
	if len(pub) != ed25519.PublicKeySize {
		return fmt.Errorf("%w: public key has %d bytes, want %d", ErrKey, len(pub), ed25519.PublicKeySize)
	}
	// tlog counts in int64; a larger size cannot come from a real log.
	if cp.Size > math.MaxInt64 {
		return fmt.Errorf("%w: tree size %d", ErrMalformed, cp.Size)
	}
	if old != nil && old.Team != team {
		return fmt.Errorf("%w: last verified checkpoint is of team %q, not %q", ErrMalformed, old.Team, team)
	}
	return nil
}

func verifyInclusion(cp wire.Checkpoint, leaf wire.Op) error {
	p := cp.Inclusion
	if p == nil {
		return fmt.Errorf("%w: op %s: the checkpoint has no inclusion proof", ErrNotIncluded, leaf.ID)
	}
	if p.Index >= cp.Size {
		return fmt.Errorf("%w: op %s: leaf index %d is not below the tree size %d", ErrNotIncluded, leaf.ID, p.Index, cp.Size)
	}
	h, err := LeafHash(leaf)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrNotIncluded, err)
	}
	// Sizes are below 2^63 (checkShape) and the index below the size.
	err = tlog.CheckRecord(toTlog(p.Hashes), int64(cp.Size), tlog.Hash(cp.Root), int64(p.Index), tlog.Hash(h)) // #nosec G115 -- bounded above
	if err != nil {
		return fmt.Errorf("%w: op %s at leaf %d of %d: %v", ErrNotIncluded, leaf.ID, p.Index, cp.Size, err)
	}
	return nil
}

func verifyConsistency(cp wire.Checkpoint, old Verified) error {
	switch {
	case cp.Size < old.Size:
		return fmt.Errorf("%w: the log shrank from %d to %d leaves", ErrNotConsistent, old.Size, cp.Size)
	case old.Size == 0:
		return nil // the empty tree is a prefix of every tree
	case cp.Size == old.Size:
		if cp.Root != old.Root {
			return fmt.Errorf("%w: two different roots for %d leaves (a forked log)", ErrNotConsistent, cp.Size)
		}
		return nil
	}
	p := cp.Consistency
	if p == nil || p.OldSize != old.Size {
		return fmt.Errorf("%w: no consistency proof from %d to %d leaves", ErrNotConsistent, old.Size, cp.Size)
	}
	// Both sizes are below 2^63 (checkShape, and old.Size < cp.Size).
	err := tlog.CheckTree(toTlog(p.Hashes), int64(cp.Size), tlog.Hash(cp.Root), int64(old.Size), tlog.Hash(old.Root)) // #nosec G115 -- bounded above
	if err != nil {
		return fmt.Errorf("%w: from %d to %d leaves: %v", ErrNotConsistent, old.Size, cp.Size, err)
	}
	return nil
}

func toTlog(hs []wire.Hash) []tlog.Hash {
	out := make([]tlog.Hash, len(hs))
	for i, h := range hs {
		out[i] = tlog.Hash(h)
	}
	return out
}

func fromTlog(hs []tlog.Hash) []wire.Hash {
	out := make([]wire.Hash, len(hs))
	for i, h := range hs {
		out[i] = wire.Hash(h)
	}
	return out
}
