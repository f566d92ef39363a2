package storetest

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"sync"
	"testing"

	"github.com/smartap/desktop/sync/serverstore"
	"github.com/smartap/desktop/sync/wire"
)

func testAppendAfter(t *testing.T, s serverstore.Store) {
	team(t, s, "team-a")
	ops := newOps(3)
	res, err := s.AppendAfter(ctx, "team-a", 0, ops[:2])
	must(t, err)
	if len(res) != 2 || res[0].Seq != 1 || res[1].Seq != 2 {
		t.Fatalf("results %+v", res)
	}
	// A writer that decided against head 0 is refused and stores nothing.
	_, err = s.AppendAfter(ctx, "team-a", 0, ops[2:])
	wantErr(t, err, serverstore.ErrHeadMoved)
	_, err = s.AppendAfter(ctx, "team-a", 7, ops[2:])
	wantErr(t, err, serverstore.ErrHeadMoved)
	if h := head(t, s, "team-a"); h != 2 {
		t.Fatalf("head %d after refused appends, want 2", h)
	}
	// Against the right head it appends; duplicates keep their sequence.
	res, err = s.AppendAfter(ctx, "team-a", 2, []wire.Op{ops[0], ops[2]})
	must(t, err)
	if res[0] != (serverstore.Appended{Seq: 1, Duplicate: true}) || res[1] != (serverstore.Appended{Seq: 3}) {
		t.Fatalf("results %+v", res)
	}
	_, err = s.AppendAfter(ctx, "nope", 0, newOps(1))
	wantErr(t, err, serverstore.ErrNotFound)
	bad := NewOp(1)
	bad.ID = "x"
	_, err = s.AppendAfter(ctx, "team-a", 3, []wire.Op{bad})
	wantErr(t, err, serverstore.ErrInvalid)
}

// testAppendAfterRace: writers all decide against the head they read and
// retry on ErrHeadMoved; exactly one wins each round and nothing is lost.
func testAppendAfterRace(t *testing.T, s serverstore.Store) {
	team(t, s, "team-a")
	const writers, rounds = 6, 5
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for range writers {
		wg.Go(func() {
			for range rounds {
				op := NewOp(1)
				for {
					h, err := s.Head(ctx, "team-a")
					if err != nil {
						errs <- err
						return
					}
					res, err := s.AppendAfter(ctx, "team-a", h, []wire.Op{op})
					if err == nil {
						if res[0].Seq != h+1 {
							t.Errorf("appended at %d after head %d", res[0].Seq, h)
						}
						break
					}
					if !isHeadMoved(err) {
						errs <- err
						return
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if all := pullAll(t, s, "team-a", 0); len(all) != writers*rounds {
		t.Fatalf("%d ops in the log, want %d", len(all), writers*rounds)
	}
}

func isHeadMoved(err error) bool {
	return errors.Is(err, serverstore.ErrHeadMoved)
}

func content(n int) ([]byte, wire.Hash) {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i/251)
	}
	return b, wire.Hash(sha256.Sum256(b))
}

func put(t *testing.T, s serverstore.Store, tm string, h wire.Hash, size int, off int, data []byte) serverstore.Upload {
	t.Helper()
	up, err := s.PutChunk(ctx, tm, h, uint64(size), uint64(off), data) // #nosec G115 -- test sizes and offsets, small and non-negative
	must(t, err)
	return up
}

func testAttachmentUpload(t *testing.T, s serverstore.Store) {
	team(t, s, "team-a")
	data, h := content(2*wire.MaxChunk + 100)
	_, err := s.Attachment(ctx, "team-a", h)
	wantErr(t, err, serverstore.ErrNotFound)
	for off := 0; off < len(data); off += wire.MaxChunk {
		end := min(off+wire.MaxChunk, len(data))
		up := put(t, s, "team-a", h, len(data), off, data[off:end])
		if up.Held != uint64(end) || up.Complete != (end == len(data)) { // #nosec G115 -- a small non-negative test offset
			t.Fatalf("after chunk at %d: %+v", off, up)
		}
	}
	for _, r := range []struct{ off, max int }{{0, len(data)}, {5, 10}, {wire.MaxChunk - 3, 7}, {len(data) - 4, 100}, {0, 3 * wire.MaxChunk}} {
		got, err := s.ReadAttachment(ctx, "team-a", h, uint64(r.off), r.max) // #nosec G115 -- small non-negative test offsets
		must(t, err)
		want := data[r.off:min(r.off+r.max, len(data))]
		if !bytes.Equal(got, want) {
			t.Fatalf("read %d+%d: %d bytes, want %d", r.off, r.max, len(got), len(want))
		}
	}
	if got, err := s.ReadAttachment(ctx, "team-a", h, uint64(len(data)), 10); err != nil || len(got) != 0 {
		t.Fatalf("read at the end: %d bytes, %v", len(got), err)
	}
	// Chunks for a complete attachment change nothing.
	up := put(t, s, "team-a", h, len(data), 0, []byte("zzz"))
	if !up.Complete || up.Held != uint64(len(data)) {
		t.Fatalf("after a late chunk: %+v", up)
	}
	// The empty attachment completes on its one empty chunk.
	empty := wire.Hash(sha256.Sum256(nil))
	if up := put(t, s, "team-a", empty, 0, 0, nil); !up.Complete {
		t.Fatalf("empty attachment: %+v", up)
	}
	_, err = s.PutChunk(ctx, "team-a", h, uint64(len(data)+1), 0, data[:10])
	wantErr(t, err, serverstore.ErrInvalid)
	_, err = s.PutChunk(ctx, "team-a", h, wire.MaxAttachment+1, 0, data[:10])
	wantErr(t, err, serverstore.ErrInvalid)
	_, err = s.PutChunk(ctx, "team-a", h, 5, 0, data[:10])
	wantErr(t, err, serverstore.ErrInvalid)
	_, err = s.PutChunk(ctx, "nope", h, 10, 0, data[:10])
	wantErr(t, err, serverstore.ErrNotFound)
}

func testAttachmentResume(t *testing.T, s serverstore.Store) {
	team(t, s, "team-a")
	data, h := content(1000)
	put(t, s, "team-a", h, 1000, 0, data[:300])
	// A resend of held bytes and a gap are both ignored; Held says where to go on.
	for _, off := range []int{0, 100, 600} {
		if up := put(t, s, "team-a", h, 1000, off, data[off:off+50]); up.Held != 300 || up.Complete {
			t.Fatalf("chunk at %d: %+v", off, up)
		}
	}
	_, err := s.ReadAttachment(ctx, "team-a", h, 0, 10)
	wantErr(t, err, serverstore.ErrNotFound)
	if up, err := s.Attachment(ctx, "team-a", h); err != nil || up.Held != 300 || up.Size != 1000 {
		t.Fatalf("progress %+v, %v", up, err)
	}
	if up := put(t, s, "team-a", h, 1000, 300, data[300:]); !up.Complete {
		t.Fatalf("resumed upload: %+v", up)
	}
	// Content that does not match its hash is refused and dropped.
	other, oh := content(500)
	other[499] ^= 1
	put(t, s, "team-a", oh, 500, 0, other[:200])
	_, err = s.PutChunk(ctx, "team-a", oh, 500, 200, other[200:])
	wantErr(t, err, serverstore.ErrHashMismatch)
	_, err = s.Attachment(ctx, "team-a", oh)
	wantErr(t, err, serverstore.ErrNotFound)
}

func testAttachmentIsolation(t *testing.T, s serverstore.Store) {
	team(t, s, "team-a")
	team(t, s, "team-b")
	data, h := content(100)
	put(t, s, "team-a", h, 100, 0, data)
	_, err := s.ReadAttachment(ctx, "team-b", h, 0, 100)
	wantErr(t, err, serverstore.ErrNotFound)
}
