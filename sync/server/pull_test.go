package server

import (
	"crypto/sha256"
	"fmt"
	"strings"
	"testing"

	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/sync/merge"
	"github.com/smartap/desktop/sync/opcodec"
	"github.com/smartap/desktop/sync/serverstore"
	"github.com/smartap/desktop/sync/wire"
)

func TestPullPaging(t *testing.T) { testPullPaging(t, sqliteStore(t)) }

func testPullPaging(t *testing.T, ss serverstore.Store) {
	e := newEnv(t, ss)
	_, url := e.serve(Limits{})
	carl, w := e.connect(url, "carl", "dev-c")
	var want []string
	for i := range 25 {
		op := carl.cmd(fmt.Sprintf("inv-%02d", i), invoice.StatusReceived, invoice.Extract)
		want = append(want, op.ID)
		carl.mustAck(op)
	}
	reader, _ := e.connect(url, "anna", "dev-a")
	var got []string
	after := wire.Cursor{Index: w.Head.Index}
	for pages := 0; ; pages++ {
		id := reader.send(wire.Pull{After: after, Limit: 10})
		var p wire.Page
		for {
			m := reader.recv()
			if m.ID == id {
				p = m.Body.(wire.Page)
				break
			}
		}
		for _, s := range p.Ops {
			got = append(got, s.Op.ID)
		}
		after = p.Next
		if !p.More {
			if pages != 2 || len(got) != 25 {
				t.Fatalf("%d pages, %d ops", pages+1, len(got))
			}
			break
		}
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatal("pulled ops are not the log in order")
	}
	// A cursor of another index: an empty page pointing at the current
	// index from 0, so the client bootstraps.
	id := reader.send(wire.Pull{After: wire.Cursor{Index: "old-index", Seq: 7}, Limit: 10})
	for {
		m := reader.recv()
		if m.ID != id {
			continue
		}
		p := m.Body.(wire.Page)
		if len(p.Ops) != 0 || p.Next != (wire.Cursor{Index: w.Head.Index}) || p.More {
			t.Fatalf("page for another index: %+v", p)
		}
		break
	}
}

func TestLivePage(t *testing.T) { testLivePage(t, sqliteStore(t)) }

func testLivePage(t *testing.T, ss serverstore.Store) {
	e := newEnv(t, ss)
	_, url := e.serve(Limits{})
	carl, _ := e.connect(url, "carl", "dev-c")
	watcher, w := e.connect(url, "anna", "dev-a")
	op := carl.cmd("inv-1", invoice.StatusReceived, invoice.Extract)
	seq := carl.mustAck(op)[0]
	p := recvType[wire.Page](watcher)
	if len(p.Ops) != 1 || p.Ops[0].Op.ID != op.ID || p.Ops[0].Seq != seq || p.Next.Seq != seq || p.Next.Index != w.Head.Index {
		t.Fatalf("live page %+v", p)
	}
	// The next commit continues right after.
	op2 := carl.set("inv-1", invoice.StatusExtracted, map[string]string{"seller.name": "ACME"})
	carl.mustAck(op2)
	p = recvType[wire.Page](watcher)
	if len(p.Ops) != 1 || p.Ops[0].Seq != seq+1 {
		t.Fatalf("second live page %+v", p)
	}
}

func TestBootstrap(t *testing.T) { testBootstrap(t, sqliteStore(t)) }

func testBootstrap(t *testing.T, ss serverstore.Store) {
	e := newEnv(t, ss)
	s, url := e.serve(Limits{})
	carl, _ := e.connect(url, "carl", "dev-c")
	const n = 240
	note := strings.Repeat("a long note ", 300) // ~3.6 KB per invoice: several pages
	for i := 0; i < n; i += 40 {
		var ops []wire.Op
		for j := i; j < i+40; j++ {
			inv := fmt.Sprintf("inv-%03d", j)
			ops = append(ops, carl.cmd(inv, invoice.StatusReceived, invoice.Extract),
				carl.set(inv, invoice.StatusExtracted, map[string]string{"note": note, "totals.payable": fmt.Sprint(j)}))
		}
		carl.mustAck(ops...)
	}
	fresh, _ := e.connect(url, "adam", "dev-new")
	var recs []wire.Record
	var at *wire.Cursor
	pages := 0
	for page := uint32(0); ; page++ {
		id := fresh.send(wire.Bootstrap{At: at, Page: page})
		var snap wire.Snapshot
		for {
			m := fresh.recv()
			if m.ID == id {
				snap = m.Body.(wire.Snapshot)
				break
			}
		}
		if snap.Page != page || at != nil && snap.At != *at {
			t.Fatalf("page %d of %+v, asked %d of %+v", snap.Page, snap.At, page, at)
		}
		at = &snap.At
		recs = append(recs, snap.Records...)
		pages++
		if snap.Last {
			break
		}
	}
	if at.Seq != 2*n || pages < 3 {
		t.Fatalf("snapshot at %+v in %d pages", at, pages)
	}
	states, err := opcodec.StatesFromRecords(recs)
	if err != nil {
		t.Fatal(err)
	}
	if len(states) != n {
		t.Fatalf("%d invoices, want %d", len(states), n)
	}
	for e, st := range states {
		want := invoiceView(t, s, e.ID)
		want.AppliedOps = map[string]struct{}{} // snapshots carry no op ids
		if merge.Digest(st) != merge.Digest(want) {
			t.Fatalf("%s differs from the server's state", e)
		}
	}
}

func TestAttachmentsResume(t *testing.T) { testAttachmentsResume(t, sqliteStore(t)) }

func testAttachmentsResume(t *testing.T, ss serverstore.Store) {
	e := newEnv(t, ss)
	_, url := e.serve(Limits{})
	data := make([]byte, 3*wire.MaxChunk+1234)
	for i := range data {
		data[i] = byte(i % 253)
	}
	h := wire.Hash(sha256.Sum256(data))
	size := uint64(len(data))
	chunk := func(off uint64) wire.Chunk {
		end := min(off+wire.MaxChunk, size)
		return wire.Chunk{Hash: h, Offset: off, Size: size, Data: data[off:end], Final: end == size}
	}
	up, _ := e.connect(url, "carl", "dev-c")
	// Upload the first chunk, then the connection is cut.
	up.send(chunk(0))
	if w := recvType[wire.ChunkWant](up); w.Offset != wire.MaxChunk {
		t.Fatalf("after chunk 0 the server wants %d", w.Offset)
	}
	up.ws.Close()
	// A reconnected client asks where to resume.
	up, _ = e.connect(url, "carl", "dev-c")
	up.send(wire.ChunkWant{Hash: h})
	w := recvType[wire.ChunkWant](up)
	if w.Offset != wire.MaxChunk {
		t.Fatalf("resume offset %d", w.Offset)
	}
	for off := w.Offset; ; {
		up.send(chunk(off))
		w = recvType[wire.ChunkWant](up)
		if w.Offset == size {
			break
		}
		if w.Offset <= off {
			t.Fatalf("no progress at %d", off)
		}
		off = w.Offset
	}
	// Another device downloads it, from the start and from the middle.
	down, _ := e.connect(url, "anna", "dev-a")
	for _, from := range []uint64{0, wire.MaxChunk + 17} {
		down.send(wire.ChunkWant{Hash: h, Offset: from})
		var got []byte
		for {
			c := recvType[wire.Chunk](down)
			if c.Offset != from+uint64(len(got)) || c.Size != size {
				t.Fatalf("chunk at %d size %d", c.Offset, c.Size)
			}
			got = append(got, c.Data...)
			if c.Final {
				break
			}
		}
		if string(got) != string(data[from:]) {
			t.Fatalf("download from %d differs", from)
		}
	}
	// Unknown content: the server says it wants it from 0.
	other := wire.Hash(sha256.Sum256([]byte("nothing")))
	down.send(wire.ChunkWant{Hash: other, Offset: 5})
	if w := recvType[wire.ChunkWant](down); w.Hash != other || w.Offset != 0 {
		t.Fatalf("unknown attachment answered %+v", w)
	}
	// Content that does not match its hash closes the session.
	bad := wire.Chunk{Hash: other, Offset: 0, Size: 3, Data: []byte("abc"), Final: true}
	down.send(bad)
	if code, text := down.closed(); code != CloseProtocol || !strings.Contains(text, "does not match") {
		t.Fatalf("close %d %q", code, text)
	}
}

// Every connected client of the team gets every committed op live, in
// order, with no gaps, while commits keep coming.
func TestFanoutToMany(t *testing.T) {
	e := newEnv(t, sqliteStore(t))
	_, url := e.serve(Limits{})
	var watchers []*client
	for i := range 40 {
		c, _ := e.connect(url, "anna", fmt.Sprintf("dev-%d", i))
		watchers = append(watchers, c)
	}
	carl, _ := e.connect(url, "carl", "dev-c")
	const n = 30
	for i := range n {
		carl.mustAck(carl.cmd(fmt.Sprintf("inv-%d", i), invoice.StatusReceived, invoice.Extract))
	}
	for _, w := range watchers {
		var next uint64 = 1
		for next <= n {
			p := recvType[wire.Page](w)
			for _, s := range p.Ops {
				if s.Seq != next {
					t.Fatalf("%s got seq %d, want %d", w.device, s.Seq, next)
				}
				next++
			}
		}
	}
}
