package checkpoint

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"sync"

	"github.com/smartap/desktop/sync/wire"
	"golang.org/x/mod/sumdb/tlog"
)

// Errors of the server side.
var (
	// ErrNotAudit: Append was given an op that is not an audit op.
	ErrNotAudit = errors.New("checkpoint: not an audit op")
	// ErrOutOfRange: a requested old size or leaf index is past the log.
	ErrOutOfRange = errors.New("checkpoint: past the end of the log")
	// ErrGap: Observe was given store entries that do not follow the last
	// one it saw (another replica appended in between): CatchUp instead.
	ErrGap = errors.New("checkpoint: store entries do not follow the last one seen")
)

// Log is one team's audit Merkle log, held in memory: the tlog stored
// hashes (about two per leaf, 64 bytes) and an op id → leaf index map. It
// is safe for concurrent use.
//
// A server feeds it from its store, never from what it ingests, because the
// store's order is the team's order also when several replicas share one
// database: at start and before answering a checkpoint request it calls
// CatchUp, which pulls the entries after the last store sequence it saw.
// Append is the direct path, for logs that are not fed from a store.
type Log struct {
	team string

	mu     sync.RWMutex
	hashes []tlog.Hash       // stored hashes in tlog order (StoredHashIndex)
	ids    map[string]uint64 // audit op id → leaf index
	seq    uint64            // last store sequence consumed (Observe, CatchUp)
	pullMu sync.Mutex        // one CatchUp at a time
}

// NewLog returns an empty log of team.
func NewLog(team string) *Log {
	return &Log{team: team, ids: map[string]uint64{}}
}

// Team returns the team id the log signs for.
func (l *Log) Team() string { return l.team }

// Size returns the number of leaves.
func (l *Log) Size() uint64 {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return uint64(len(l.ids))
}

// Seq returns the last store sequence Observe or CatchUp consumed.
func (l *Log) Seq() uint64 {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.seq
}

// Index returns the leaf index of the audit op with id opID.
func (l *Log) Index(opID string) (uint64, bool) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	i, ok := l.ids[opID]
	return i, ok
}

// Append adds an audit op as the next leaf and returns its index. An op id
// already in the log is not added again: its index comes back with added
// false. ErrNotAudit for any other op.
func (l *Log) Append(op wire.Op) (index uint64, added bool, err error) {
	if !IsLeaf(op) {
		return 0, false, fmt.Errorf("%w: op %s is of entity type %q", ErrNotAudit, op.ID, op.Entity.Type)
	}
	h, err := LeafHash(op)
	if err != nil {
		return 0, false, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.appendLocked(op.ID, h)
}

func (l *Log) appendLocked(id string, h wire.Hash) (uint64, bool, error) {
	if i, ok := l.ids[id]; ok {
		return i, false, nil
	}
	n := int64(len(l.ids))
	stored, err := tlog.StoredHashesForRecordHash(n, tlog.Hash(h), l.reader())
	if err != nil {
		return 0, false, fmt.Errorf("checkpoint: append leaf %d: %w", n, err)
	}
	l.hashes = append(l.hashes, stored...)
	l.ids[id] = uint64(n)       // #nosec G115 -- a length, never negative
	return uint64(n), true, nil // #nosec G115 -- a length, never negative
}

// Entry is one operation of a team's log at its server sequence. It
// mirrors serverstore.Entry without importing the server's store, so the
// desktop, which links this package to verify checkpoints, never links
// server code (internal/archtest).
type Entry struct {
	Seq uint64
	Op  wire.Op
}

// Observe consumes store entries in sequence order, adding the audit ops
// among them as leaves. Entries at or before the last sequence seen are
// skipped (already consumed); an entry that skips a sequence is ErrGap and
// nothing after it is consumed.
func (l *Log) Observe(entries []Entry) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, e := range entries {
		if e.Seq <= l.seq {
			continue
		}
		if e.Seq != l.seq+1 {
			return fmt.Errorf("%w: entry %d after %d", ErrGap, e.Seq, l.seq)
		}
		if IsLeaf(e.Op) {
			h, err := LeafHash(e.Op)
			if err != nil {
				return err
			}
			if _, _, err := l.appendLocked(e.Op.ID, h); err != nil {
				return err
			}
		}
		l.seq = e.Seq
	}
	return nil
}

// Page is one read of a team's log: entries after a sequence, in order,
// and whether more exist.
type Page struct {
	Entries []Entry
	More    bool
}

// Puller reads a team's log by sequence (the server adapts its store).
type Puller interface {
	Pull(ctx context.Context, team string, after uint64) (Page, error)
}

// CatchUp pulls every entry after the last sequence seen and observes it.
// At start it rebuilds the whole log from the store.
func (l *Log) CatchUp(ctx context.Context, src Puller) error {
	l.pullMu.Lock()
	defer l.pullMu.Unlock()
	for {
		after := l.Seq()
		page, err := src.Pull(ctx, l.team, after)
		if err != nil {
			return fmt.Errorf("checkpoint: catch up team %s after %d: %w", l.team, after, err)
		}
		if err := l.Observe(page.Entries); err != nil {
			return fmt.Errorf("checkpoint: catch up team %s: %w", l.team, err)
		}
		if !page.More || len(page.Entries) == 0 {
			return nil
		}
	}
}

// Checkpoint signs the current head. With oldSize > 0 it adds the proof
// that the tree of oldSize leaves is a prefix; with leafIndex set, the
// proof that leaf is included. ErrOutOfRange when either is past the log.
func (l *Log) Checkpoint(signer ed25519.PrivateKey, oldSize uint64, leafIndex *uint64) (wire.Checkpoint, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	n := int64(len(l.ids))
	size := uint64(n) // #nosec G115 -- a length, never negative
	r := l.reader()
	root, err := tlog.TreeHash(n, r)
	if err != nil {
		return wire.Checkpoint{}, fmt.Errorf("checkpoint: tree hash of %d leaves: %w", n, err)
	}
	cp := wire.Checkpoint{Size: size, Root: wire.Hash(root)}
	if oldSize > size {
		return wire.Checkpoint{}, fmt.Errorf("%w: old size %d, the log has %d leaves", ErrOutOfRange, oldSize, size)
	}
	if oldSize > 0 {
		p, err := tlog.ProveTree(n, int64(oldSize), r) // #nosec G115 -- oldSize ≤ size, a length
		if err != nil {
			return wire.Checkpoint{}, fmt.Errorf("checkpoint: consistency %d→%d: %w", oldSize, size, err)
		}
		cp.Consistency = &wire.Consistency{OldSize: oldSize, Hashes: fromTlog(p)}
	}
	if leafIndex != nil {
		if *leafIndex >= size {
			return wire.Checkpoint{}, fmt.Errorf("%w: leaf %d, the log has %d leaves", ErrOutOfRange, *leafIndex, size)
		}
		p, err := tlog.ProveRecord(n, int64(*leafIndex), r) // #nosec G115 -- below size, a length
		if err != nil {
			return wire.Checkpoint{}, fmt.Errorf("checkpoint: inclusion of leaf %d: %w", *leafIndex, err)
		}
		cp.Inclusion = &wire.Inclusion{Index: *leafIndex, Hashes: fromTlog(p)}
	}
	if cp.Signature, err = Sign(signer, l.team, size, cp.Root); err != nil {
		return wire.Checkpoint{}, err
	}
	return cp, nil
}

// CheckpointFor answers a wire.CheckpointWant: the inclusion proof is for
// the op with id opID when the log holds it (none otherwise, which the
// device reports as ErrNotIncluded), the consistency proof from oldSize.
func (l *Log) CheckpointFor(signer ed25519.PrivateKey, w wire.CheckpointWant) (wire.Checkpoint, error) {
	var leaf *uint64
	if w.Op != "" {
		if i, ok := l.Index(w.Op); ok {
			leaf = &i
		}
	}
	return l.Checkpoint(signer, w.OldSize, leaf)
}

// reader reads stored hashes; the caller holds l.mu.
func (l *Log) reader() tlog.HashReader {
	return tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for i, x := range idx {
			if x < 0 || x >= int64(len(l.hashes)) {
				return nil, fmt.Errorf("checkpoint: stored hash %d of %d", x, len(l.hashes))
			}
			out[i] = l.hashes[x]
		}
		return out, nil
	})
}
