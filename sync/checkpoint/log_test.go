package checkpoint_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"

	"github.com/smartap/desktop/sync/checkpoint"
	"github.com/smartap/desktop/sync/serverstore"
	"github.com/smartap/desktop/sync/serverstore/sqlitestore"
	"github.com/smartap/desktop/sync/wire"
)

func TestAppendIndexAndDuplicates(t *testing.T) {
	ops := auditOps(t, "dev-1", 0, 3)
	l := checkpoint.NewLog(team)
	for i, op := range ops {
		idx, added, err := l.Append(op)
		if err != nil || !added || idx != uint64(i) {
			t.Fatalf("Append(%d) = %d, %v, %v", i, idx, added, err)
		}
	}
	root := mustCP(t, l, mustPriv(), 0, nil).Root
	idx, added, err := l.Append(ops[1])
	if err != nil || added || idx != 1 {
		t.Fatalf("re-Append = %d, %v, %v; want 1, false, nil", idx, added, err)
	}
	if l.Size() != 3 || mustCP(t, l, mustPriv(), 0, nil).Root != root {
		t.Errorf("a duplicate changed the log: size %d", l.Size())
	}
	if i, ok := l.Index(ops[2].ID); !ok || i != 2 {
		t.Errorf("Index = %d, %v", i, ok)
	}
	if _, ok := l.Index(opID(99)); ok {
		t.Error("Index found an op that was never appended")
	}
	if _, _, err := l.Append(invoiceOp(1)); !errors.Is(err, checkpoint.ErrNotAudit) {
		t.Errorf("Append(invoice op) err = %v, want ErrNotAudit", err)
	}
}

func TestCheckpointOutOfRange(t *testing.T) {
	l := logOf(t, auditOps(t, "dev-1", 0, 4))
	if _, err := l.Checkpoint(mustPriv(), 5, nil); !errors.Is(err, checkpoint.ErrOutOfRange) {
		t.Errorf("old size 5 of 4: err = %v", err)
	}
	if _, err := l.Checkpoint(mustPriv(), 0, ptr[uint64](4)); !errors.Is(err, checkpoint.ErrOutOfRange) {
		t.Errorf("leaf 4 of 4: err = %v", err)
	}
	if _, err := l.Checkpoint(mustPriv()[:10], 0, nil); !errors.Is(err, checkpoint.ErrKey) {
		t.Errorf("short key: err = %v", err)
	}
}

// The empty log signs the RFC 6962 empty root, and any later head is
// consistent with it.
func TestEmptyLog(t *testing.T) {
	pub, priv := testKey(1)
	l := checkpoint.NewLog(team)
	v, err := checkpoint.Verify(pub, team, mustCP(t, l, priv, 0, nil), nil, nil)
	if err != nil || v.Size != 0 || v.Root.String() != "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" {
		t.Fatalf("empty: %+v, %v", v, err)
	}
	ops := auditOps(t, "dev-1", 0, 2)
	l = logOf(t, ops)
	if _, err := checkpoint.Verify(pub, team, mustCP(t, l, priv, 0, ptr[uint64](1)), &ops[1], &v); err != nil {
		t.Fatal(err)
	}
}

func TestCheckpointFor(t *testing.T) {
	pub, priv := testKey(1)
	ops := auditOps(t, "dev-1", 0, 6)
	l := logOf(t, ops)
	cp, err := l.CheckpointFor(priv, wire.CheckpointWant{OldSize: 2, Op: ops[4].ID})
	if err != nil {
		t.Fatal(err)
	}
	old := checkpoint.Verified{Team: team, Size: 2, Root: mustCP(t, logOf(t, ops[:2]), priv, 0, nil).Root}
	if _, err := checkpoint.Verify(pub, team, cp, &ops[4], &old); err != nil {
		t.Fatal(err)
	}
	// An op the log does not hold gets no inclusion proof, which the
	// device reports instead of trusting.
	cp, err = l.CheckpointFor(priv, wire.CheckpointWant{Op: opID(77)})
	if err != nil || cp.Inclusion != nil {
		t.Fatalf("unknown op: %+v, %v", cp.Inclusion, err)
	}
	if _, err := checkpoint.Verify(pub, team, cp, &ops[0], nil); !errors.Is(err, checkpoint.ErrNotIncluded) {
		t.Errorf("err = %v, want ErrNotIncluded", err)
	}
}

func TestObserveSkipsAndRefusesGaps(t *testing.T) {
	ops := auditOps(t, "dev-1", 0, 3)
	entries := []checkpoint.Entry{{Seq: 1, Op: ops[0]}, {Seq: 2, Op: invoiceOp(1)}, {Seq: 3, Op: ops[1]}}
	l := checkpoint.NewLog(team)
	if err := l.Observe(entries); err != nil {
		t.Fatal(err)
	}
	// Seen entries again (a second pull of an overlapping range) are skipped.
	if err := l.Observe(entries[1:]); err != nil || l.Size() != 2 || l.Seq() != 3 {
		t.Fatalf("re-observe: size %d seq %d err %v", l.Size(), l.Seq(), err)
	}
	err := l.Observe([]checkpoint.Entry{{Seq: 5, Op: ops[2]}})
	if !errors.Is(err, checkpoint.ErrGap) || l.Size() != 2 || l.Seq() != 3 {
		t.Errorf("gap: size %d seq %d err %v", l.Size(), l.Seq(), err)
	}
	if i, ok := l.Index(ops[1].ID); !ok || i != 1 {
		t.Errorf("Index(ops[1]) = %d, %v; leaf indexes count audit ops only", i, ok)
	}
}

// A log rebuilt from the real store (audit ops mixed with invoice ops,
// pulled in pages) has the same root as one built by appending the audit
// ops in the same order, and catching up again adds only the new ones.
func TestCatchUpFromStore(t *testing.T) {
	ctx := context.Background()
	s, err := sqlitestore.Open(ctx, filepath.Join(t.TempDir(), "server.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if _, err := s.CreateTeam(ctx, team); err != nil {
		t.Fatal(err)
	}
	audits := auditOps(t, "dev-1", 0, wire.MaxPage+30)
	var mixed []wire.Op
	for i, op := range audits {
		mixed = append(mixed, op)
		if i%3 == 0 {
			mixed = append(mixed, invoiceOp(i))
		}
	}
	for len(mixed) > 0 {
		n := min(len(mixed), wire.MaxBatch)
		if _, err := s.Append(ctx, team, mixed[:n]); err != nil {
			t.Fatal(err)
		}
		mixed = mixed[n:]
	}
	l := checkpoint.NewLog(team)
	if err := l.CatchUp(ctx, storePuller{s}); err != nil {
		t.Fatal(err)
	}
	_, priv := testKey(1)
	want := mustCP(t, logOf(t, audits), priv, 0, nil)
	if got := mustCP(t, l, priv, 0, nil); got.Root != want.Root || got.Size != want.Size {
		t.Fatalf("rebuilt %d/%s, appended %d/%s", got.Size, got.Root, want.Size, want.Root)
	}
	more := auditOps(t, "dev-2", 10_000, 2)
	if _, err := s.Append(ctx, team, more); err != nil {
		t.Fatal(err)
	}
	if err := l.CatchUp(ctx, storePuller{s}); err != nil {
		t.Fatal(err)
	}
	if l.Size() != uint64(len(audits)+2) {
		t.Errorf("size after second catch-up %d", l.Size())
	}
	if err := l.CatchUp(ctx, failingPuller{}); !errors.Is(err, serverstore.ErrNotFound) {
		t.Error("CatchUp ignored a store error")
	}
}

type failingPuller struct{}

func (failingPuller) Pull(context.Context, string, uint64) (checkpoint.Page, error) {
	return checkpoint.Page{}, serverstore.ErrNotFound
}

// Concurrent appends and checkpoints: every checkpoint taken is consistent
// with every earlier one (run under -race).
func TestConcurrentUse(t *testing.T) {
	pub, priv := testKey(1)
	ops := auditOps(t, "dev-1", 0, 200)
	l := checkpoint.NewLog(team)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := w; i < len(ops); i += 4 {
				if _, _, err := l.Append(ops[i]); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	var last *checkpoint.Verified
	for range 50 {
		var old uint64
		if last != nil {
			old = last.Size
		}
		cp := mustCP(t, l, priv, old, nil)
		v, err := checkpoint.Verify(pub, team, cp, nil, last)
		if err != nil {
			t.Fatal(err)
		}
		last = &v
	}
	wg.Wait()
	if l.Size() != uint64(len(ops)) {
		t.Errorf("size %d, want %d", l.Size(), len(ops))
	}
}

func mustPriv() []byte { _, p := testKey(1); return p }

// storePuller adapts a serverstore to Puller, as the server does.
type storePuller struct{ st serverstore.Store }

func (p storePuller) Pull(ctx context.Context, team string, after uint64) (checkpoint.Page, error) {
	pg, err := p.st.Pull(ctx, team, after, 0)
	if err != nil {
		return checkpoint.Page{}, err
	}
	out := checkpoint.Page{More: pg.More, Entries: make([]checkpoint.Entry, len(pg.Entries))}
	for i, e := range pg.Entries {
		out.Entries[i] = checkpoint.Entry{Seq: e.Seq, Op: e.Op}
	}
	return out, nil
}
