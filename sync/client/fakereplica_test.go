package client

import (
	"context"
	"crypto/sha256"
	"fmt"
	"slices"
	"sync"

	"github.com/smartap/desktop/sync/wire"
)

// fakeReplica is an in-memory Replica for the client's own tests; the real
// one (backend/core) is exercised by the end-to-end tests.
type fakeReplica struct {
	mu         sync.Mutex
	device     string
	bound      string
	outbox     []wire.Op
	acked      map[string]uint64
	rejects    []wire.Reject
	cursor     wire.Cursor
	applied    []wire.Sequenced
	snapshots  []wire.Snapshot
	exceptions map[string]wire.Exception
	files      map[wire.Hash][]byte // held originals
	uploaded   map[wire.Hash]bool
	partial    map[wire.Hash][]byte
	missing    []wire.Hash
}

func newFakeReplica(device string) *fakeReplica {
	return &fakeReplica{device: device, acked: map[string]uint64{}, exceptions: map[string]wire.Exception{},
		files: map[wire.Hash][]byte{}, uploaded: map[wire.Hash]bool{}, partial: map[wire.Hash][]byte{}}
}

func (f *fakeReplica) Device() string { return f.device }

func (f *fakeReplica) Bind(_ context.Context, u string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.bound = u
	return nil
}

func (f *fakeReplica) queue(ops ...wire.Op) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.outbox = append(f.outbox, ops...)
}

func (f *fakeReplica) Pending(_ context.Context, n int) ([]wire.Op, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.outbox[:min(n, len(f.outbox))]), nil
}

func (f *fakeReplica) PendingCount(context.Context) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.outbox), nil
}

func (f *fakeReplica) drop(id string) {
	f.outbox = slices.DeleteFunc(f.outbox, func(o wire.Op) bool { return o.ID == id })
}

func (f *fakeReplica) Acked(_ context.Context, _ string, acks []wire.Acked) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, a := range acks {
		f.acked[a.Op] = a.Seq
		f.drop(a.Op)
	}
	return nil
}

func (f *fakeReplica) Rejected(_ context.Context, r wire.Reject) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rejects = append(f.rejects, r)
	f.drop(r.Op)
	return nil
}

func (f *fakeReplica) Cursor(context.Context) (wire.Cursor, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.cursor, nil
}

func (f *fakeReplica) ApplyPage(_ context.Context, ops []wire.Sequenced, next wire.Cursor) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if next.Index != f.cursor.Index {
		return fmt.Errorf("fake: index changed")
	}
	for _, o := range ops {
		if o.Seq != f.cursor.Seq+1 {
			return fmt.Errorf("fake: op %d does not follow cursor %d", o.Seq, f.cursor.Seq)
		}
		f.applied = append(f.applied, o)
		f.cursor.Seq = o.Seq
	}
	f.cursor = next
	return nil
}

func (f *fakeReplica) ApplySnapshot(_ context.Context, s wire.Snapshot) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if s.Page != uint32(len(f.snapshots)) && s.Page != 0 {
		return fmt.Errorf("fake: snapshot page %d out of order", s.Page)
	}
	if s.Page == 0 {
		f.snapshots = nil
	}
	f.snapshots = append(f.snapshots, s)
	if s.Last {
		f.cursor = s.At
		f.applied = nil
	}
	return nil
}

func (f *fakeReplica) Exception(_ context.Context, e wire.Exception) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.exceptions[e.ID] = e
	return nil
}

func (f *fakeReplica) Uploads(context.Context) ([]Attachment, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Attachment
	for h, b := range f.files {
		if !f.uploaded[h] {
			out = append(out, Attachment{Hash: h, Size: uint64(len(b))})
		}
	}
	return out, nil
}

func (f *fakeReplica) Uploaded(_ context.Context, h wire.Hash) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.uploaded[h] = true
	return nil
}

func (f *fakeReplica) ReadAttachment(_ context.Context, h wire.Hash, off uint64, n int) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	b := f.files[h]
	return slices.Clone(b[off : off+uint64(n)]), nil
}

func (f *fakeReplica) Missing(context.Context) ([]wire.Hash, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.missing), nil
}

func (f *fakeReplica) WriteAttachment(_ context.Context, h wire.Hash, off uint64, data []byte, final bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if uint64(len(f.partial[h])) != off {
		return fmt.Errorf("fake: write at %d, have %d", off, len(f.partial[h]))
	}
	f.partial[h] = append(f.partial[h], data...)
	if final {
		if sha256.Sum256(f.partial[h]) != h {
			delete(f.partial, h)
			return fmt.Errorf("fake: hash mismatch")
		}
		f.files[h] = f.partial[h]
		delete(f.partial, h)
		f.missing = slices.DeleteFunc(f.missing, func(x wire.Hash) bool { return x == h })
	}
	return nil
}

func (f *fakeReplica) Exceptions(context.Context) ([]ExceptionView, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []ExceptionView
	for _, e := range f.exceptions {
		out = append(out, ExceptionView{ID: e.ID, Invoice: e.Entity.ID, Kind: e.Kind, Seq: e.Seq})
	}
	return out, nil
}

func (f *fakeReplica) Rejections(context.Context) ([]RejectionView, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []RejectionView
	for _, r := range f.rejects {
		out = append(out, RejectionView{Op: r.Op, Code: r.Code, Message: r.Message, Rule: r.Rule})
	}
	return out, nil
}
