package core

import (
	"os"
	"strings"
	"testing"

	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/backend/store"
	"github.com/smartap/desktop/sync/opcodec"
	"github.com/smartap/desktop/sync/wire"
)

func TestSnapshotBootstrapAndPageTwice(t *testing.T) {
	h := newHub()
	a := replica(t, "alice", identity.Admin)
	b := replica(t, "bob", identity.Approver)
	id := importOne(t, a, syncInvoice)
	if _, err := a.Set(ctx, id, map[string]string{"buyer_reference": "SNAP"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Submit(ctx, id); err != nil {
		t.Fatal(err)
	}
	h.sync(t, a.Replica(), b.Replica())
	// Applying the same page again (a crash after apply, before the
	// client knew) changes nothing.
	before := picture(t, b, id)
	dig := confirmedDigest(t, b, id)
	if err := b.Replica().ApplyPage(ctx, h.log, wire.Cursor{Index: h.index, Seq: uint64(len(h.log))}); err != nil {
		t.Fatal(err)
	}
	if picture(t, b, id) != before || confirmedDigest(t, b, id) != dig {
		t.Fatal("a page applied twice changed the state")
	}
	// Even with the cursor lost (set back to zero), replaying the whole
	// log applies nothing twice: not the state, not the history.
	history := func() int {
		var n int
		_ = b.Replica().read(ctx, func(tx *store.Tx) error {
			r, err := tx.Invoice(id)
			n = len(r.Workflow.Decisions) + len(r.Workflow.Approvals) + len(r.Workflow.Corrections)
			return err
		})
		return n
	}
	n := history()
	if err := b.Replica().write(ctx, func(tx *store.Tx) error { return writeCursor(tx, wire.Cursor{Index: h.index}) }); err != nil {
		t.Fatal(err)
	}
	h.pull(t, b.Replica())
	if picture(t, b, id) != before || confirmedDigest(t, b, id) != dig || history() != n {
		t.Fatal("replaying the log from zero applied ops twice")
	}
	// A third replica bootstraps from a snapshot of a's confirmed state.
	var recs []wire.Record
	err := a.Replica().read(ctx, func(tx *store.Tx) error {
		st, err := loadStates(tx, id)
		if err != nil {
			return err
		}
		recs, err = opcodec.StateRecords(st.confirmed)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	d := replica(t, "dora", identity.Approver)
	at := wire.Cursor{Index: h.index, Seq: uint64(len(h.log))}
	if err := d.Replica().ApplySnapshot(ctx, wire.Snapshot{At: at, Page: 1, Records: recs}); err == nil {
		t.Fatal("page 1 first accepted")
	}
	if err := d.Replica().ApplySnapshot(ctx, wire.Snapshot{At: at, Page: 0, Records: recs[:0]}); err != nil {
		t.Fatal(err)
	}
	if err := d.Replica().ApplySnapshot(ctx, wire.Snapshot{At: at, Page: 1, Last: true, Records: recs}); err != nil {
		t.Fatal(err)
	}
	if got := picture(t, d, id); got != picture(t, a, id) {
		t.Fatalf("bootstrapped:\n%s\nwant\n%s", got, picture(t, a, id))
	}
	if cur, _ := d.Replica().Cursor(ctx); cur != at {
		t.Fatalf("cursor %v", cur)
	}
	missing, err := d.Replica().Missing(ctx)
	if err != nil || len(missing) != 1 {
		t.Fatalf("missing originals %v %v", missing, err)
	}
	// The original arrives by content hash, in two chunks.
	ups, err := a.Replica().Uploads(ctx)
	if err != nil || len(ups) != 1 || ups[0].Hash != missing[0] {
		t.Fatalf("uploads %v %v", ups, err)
	}
	data, err := a.Replica().ReadAttachment(ctx, ups[0].Hash, 0, int(ups[0].Size))
	if err != nil || uint64(len(data)) != ups[0].Size {
		t.Fatal(err)
	}
	half := len(data) / 2
	if err := d.Replica().WriteAttachment(ctx, missing[0], 0, data[:half], false); err != nil {
		t.Fatal(err)
	}
	if err := d.Replica().WriteAttachment(ctx, missing[0], uint64(half), data[half:], true); err != nil {
		t.Fatal(err)
	}
	if m, _ := d.Replica().Missing(ctx); len(m) != 0 {
		t.Fatalf("still missing %v", m)
	}
}

func TestSyncTablesRevealNoContent(t *testing.T) {
	h := newHub()
	a := replica(t, "alice", identity.Admin)
	b := replica(t, "bob", identity.Approver)
	id := importOne(t, a, syncInvoice)
	if _, err := a.Set(ctx, id, map[string]string{"buyer_reference": "ZZMARKERZZ"}); err != nil {
		t.Fatal(err)
	}
	h.sync(t, a.Replica(), b.Replica())
	for _, s := range []*Session{a, b} {
		path := s.c.db.Path()
		_ = s.c.Close()
		for _, f := range []string{path, path + "-wal"} {
			raw, _ := os.ReadFile(f) // #nosec G304 -- the test's own database
			for _, needle := range []string{"ZZMARKERZZ", "buyer_reference", "Seller"} {
				if strings.Contains(string(raw), needle) {
					t.Fatalf("%s holds %q in the clear", f, needle)
				}
			}
		}
	}
}

// A snapshot in several pages (each page's last entity carried to the
// next) bootstraps every invoice; pulling the log again from zero after
// it applies nothing twice, because each state knows its snapshot.
func TestSnapshotInPagesThenReplay(t *testing.T) {
	h := newHub()
	a := replica(t, "alice", identity.Admin)
	var ids []string
	for _, rel := range []string{syncInvoice, "en16931-cen-examples/cii/examples/CII_example1.xml",
		"en16931-cen-examples/ubl/examples/ubl-tc434-example2.xml"} {
		ids = append(ids, importOne(t, a, rel))
	}
	if _, err := a.Submit(ctx, ids[0]); err != nil {
		t.Fatal(err)
	}
	h.sync(t, a.Replica())
	var pages [][]wire.Record
	err := a.Replica().read(ctx, func(tx *store.Tx) error {
		for _, id := range ids {
			st, err := loadStates(tx, id)
			if err != nil {
				return err
			}
			recs, err := opcodec.StateRecords(st.confirmed)
			pages = append(pages, recs)
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	d := replica(t, "dora", identity.Approver)
	at := wire.Cursor{Index: h.index, Seq: uint64(len(h.log))}
	for i, p := range pages {
		snap := wire.Snapshot{At: at, Page: uint32(i), Last: i == len(pages)-1, Records: p} // #nosec G115 -- 3 pages
		if err := d.Replica().ApplySnapshot(ctx, snap); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range ids {
		if got, want := picture(t, d, id), picture(t, a, id); got != want {
			t.Fatalf("%s:\n%s\nwant\n%s", id, got, want)
		}
	}
	digests := func() []string {
		var out []string
		for _, id := range ids {
			out = append(out, confirmedDigest(t, d, id))
		}
		return out
	}
	before := strings.Join(digests(), ",")
	if err := d.Replica().write(ctx, func(tx *store.Tx) error { return writeCursor(tx, wire.Cursor{Index: h.index}) }); err != nil {
		t.Fatal(err)
	}
	h.pull(t, d.Replica())
	if strings.Join(digests(), ",") != before {
		t.Fatal("ops already in the snapshot were applied again")
	}
	if n := exceptionKinds(t, d); len(n) != 0 {
		t.Fatalf("replay made exceptions %v", n)
	}
}
