package core

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/backend/store"
	"github.com/smartap/desktop/sync/merge"
	"github.com/smartap/desktop/sync/opcodec"
	"github.com/smartap/desktop/sync/wire"
)

// Random commands on four devices, pushed and pulled in random order,
// end in identical invoices and identical confirmed states everywhere.
func TestReplicasConvergeUnderRandomCommands(t *testing.T) {
	for seed := range uint64(3) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			t.Logf("seed %d", seed)
			randomRun(t, seed)
		})
	}
}

func randomRun(t *testing.T, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 7))
	h := newHub()
	ss := []*Session{replica(t, "alice", identity.Admin), replica(t, "bob", identity.Approver),
		replica(t, "cleo", identity.Approver), replica(t, "carl", identity.Clerk)}
	var rs []*Replica
	for _, s := range ss {
		rs = append(rs, s.Replica())
	}
	ids := []string{importOne(t, ss[0], syncInvoice), importOne(t, ss[3], "en16931-cen-examples/cii/examples/CII_example1.xml")}
	h.sync(t, rs...)
	fields := []string{"buyer_reference", "payment_terms", "cost_centre", "seller.address.city", "lines.0.name"}
	for step := range 40 {
		s, id := ss[rng.IntN(len(ss))], ids[rng.IntN(len(ids))]
		var err error
		switch rng.IntN(9) {
		case 0, 1:
			f := fields[rng.IntN(len(fields))]
			_, err = s.Set(ctx, id, map[string]string{f: fmt.Sprintf("v%d-%d", step, rng.IntN(3))})
		case 2:
			_, err = s.Submit(ctx, id)
		case 3:
			_, err = s.Approve(ctx, id)
		case 4:
			_, err = s.Reject(ctx, id, "step "+fmt.Sprint(step))
		case 5:
			if _, err = s.Hold(ctx, id, "check"); err == nil && rng.IntN(2) == 0 {
				_, err = s.Release(ctx, id)
			}
		default:
			r := rs[rng.IntN(len(rs))]
			if rng.IntN(2) == 0 {
				h.push(t, r)
			} else {
				h.pull(t, r)
			}
		}
		if code := apperr.CodeOf(err); err != nil && (code == apperr.Internal || code == apperr.Integrity) {
			t.Fatalf("step %d: %v", step, err)
		}
	}
	h.sync(t, rs...)
	for _, id := range ids {
		want, wantDigest := picture(t, ss[0], id), confirmedDigest(t, ss[0], id)
		for i, s := range ss[1:] {
			if got := picture(t, s, id); got != want {
				t.Fatalf("seed %d, replica %d, invoice %s:\n%s\nwant\n%s", seed, i+1, id, got, want)
			}
			if confirmedDigest(t, s, id) != wantDigest {
				t.Fatalf("seed %d, replica %d: confirmed state differs", seed, i+1)
			}
		}
	}
	want := exceptionKinds(t, ss[0])
	for i, s := range ss[1:] {
		if got := exceptionKinds(t, s); !reflect.DeepEqual(got, want) {
			t.Fatalf("seed %d, replica %d exceptions %v, want %v", seed, i+1, got, want)
		}
	}
}

// A gap in another device's audit chain is reported, not stored.
func TestBrokenRemoteAuditChainIsReported(t *testing.T) {
	h := newHub()
	a, b := replica(t, "alice", identity.Admin), replica(t, "bob", identity.Approver)
	importOne(t, a, syncInvoice)
	if _, err := a.Invoices(ctx, ""); err != nil { // a third entry
		t.Fatal(err)
	}
	h.push(t, a.Replica())
	// Drop a's second audit entry from the log.
	var kept []wire.Sequenced
	dropped := false
	for _, sq := range h.log {
		if e, err := opcodec.AuditEntry(sq.Op); err == nil && e.Seq == 2 && !dropped {
			dropped = true
			continue
		}
		sq.Seq = uint64(len(kept) + 1)
		kept = append(kept, sq)
	}
	h.log = kept
	if !dropped {
		t.Fatal("no audit entry 2 in the log")
	}
	h.pull(t, b.Replica())
	if k := exceptionKinds(t, b); k["audit_chain_broken"] == 0 {
		t.Fatalf("no integrity exception: %v", k)
	}
	err := b.Replica().read(ctx, func(tx *store.Tx) error {
		es, err := tx.RemoteAuditLog(a.deviceID)
		if len(es) != 1 {
			t.Fatalf("stored %d entries of a chain broken after the first", len(es))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestIndexChangeAsksForBootstrap(t *testing.T) {
	h := newHub()
	a := replica(t, "alice", identity.Admin)
	importOne(t, a, syncInvoice)
	h.sync(t, a.Replica())
	err := a.Replica().ApplyPage(ctx, nil, wire.Cursor{Index: "another-index", Seq: 0})
	if !errors.Is(err, ErrIndexChanged) {
		t.Fatalf("got %v", err)
	}
}

// A server-sent exception already computed here is not stored twice.
func TestServerExceptionIsIdempotent(t *testing.T) {
	a := replica(t, "alice", identity.Admin)
	e := wire.Exception{ID: "3f1c2b7e-0000-4000-8000-000000000001", Seq: 5, Entity: wire.Entity{Type: "invoice", ID: "inv"},
		Kind: string(merge.ConflictingTransition), Winner: "3f1c2b7e-0000-4000-8000-000000000002",
		Loser: "3f1c2b7e-0000-4000-8000-000000000003", Message: "approve lost to reject"}
	for range 2 {
		if err := a.Replica().Exception(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	exs, err := a.Replica().Exceptions(ctx)
	if err != nil || len(exs) != 1 || exs[0].Seq != 5 || exs[0].Invoice != "inv" {
		t.Fatalf("%+v %v", exs, err)
	}
}

// A folder that held invoices before sync queues them whole, with its
// audit chain, the first time a command runs.
func TestInvoicesOlderThanSyncAreSeeded(t *testing.T) {
	h := newHub()
	a, b := replica(t, "alice", identity.Admin), replica(t, "bob", identity.Approver)
	id := importOne(t, a, syncInvoice)
	if _, err := a.Submit(ctx, id); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite3", a.c.db.Path())
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"DELETE FROM sync_outbox", "DELETE FROM sync_states", "DELETE FROM sync_attachments", "DELETE FROM meta WHERE key = 'sync_seeded'"} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	_ = raw.Close()
	if _, err := a.Invoices(ctx, ""); err != nil {
		t.Fatal(err)
	}
	h.sync(t, a.Replica(), b.Replica())
	if got, want := picture(t, b, id), picture(t, a, id); got != want {
		t.Fatalf("seeded:\n%s\nwant\n%s", got, want)
	}
	err = b.Replica().read(ctx, func(tx *store.Tx) error {
		es, err := tx.RemoteAuditLog(a.deviceID)
		if len(es) == 0 || es[0].Seq != 1 {
			t.Fatalf("seeded audit chain starts at %v", es)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Flattening and rebuilding an invoice gives it back (the reader's
// confidence map aside), for real invoices of several syntaxes.
func TestSyncFieldsRoundTrip(t *testing.T) {
	s := replica(t, "alice", identity.Admin)
	for _, rel := range []string{syncInvoice, "en16931-cen-examples/ubl/examples/ubl-tc434-example2.xml",
		"en16931-cen-examples/cii/examples/CII_example1.xml", "zugferd-corpus/XML-Rechnung/CII/XRECHNUNG_Einfach.cii.xml",
		"factur-x-akretion/tests/fixtures/xml/factur-x-en16931.xml"} {
		t.Run(rel, func(t *testing.T) {
			id := importOne(t, s, rel)
			var r store.InvoiceRecord
			err := s.Replica().read(ctx, func(tx *store.Tx) error { var err error; r, err = tx.Invoice(id); return err })
			if err != nil {
				t.Fatal(err)
			}
			f, err := syncFields(r)
			if err != nil {
				t.Fatal(err)
			}
			got, dropped := invoiceFromFields(f)
			r.Invoice.Confidence = nil
			a, _ := json.Marshal(got)
			b, _ := json.Marshal(r.Invoice)
			if len(dropped) > 0 || string(a) != string(b) {
				t.Fatalf("dropped %v\n got %s\nwant %s", dropped, a, b)
			}
		})
	}
}

// Fields from another device never panic the rebuild, and a bad value
// is dropped, not fatal.
func FuzzInvoiceFromFields(f *testing.F) {
	f.Add("totals.payable", "12.50", "lines.3.name", "x")
	f.Add("lines.9999.net_amount", "abc", "notes.1", "n")
	f.Add("seller", "flat", "seller.name", "deep")
	f.Fuzz(func(t *testing.T, p1, v1, p2, v2 string) {
		inv, _ := invoiceFromFields(map[string]string{p1: v1, p2: v2})
		if len(inv.Lines) > maxSyncIndex {
			t.Fatalf("%d lines", len(inv.Lines))
		}
	})
}

// Export marks, holds, releases and voids reach the other replicas.
func TestEveryStatusCommandSyncs(t *testing.T) {
	h := newHub()
	a, b := replica(t, "alice", identity.Admin), replica(t, "bob", identity.Approver)
	paid := importOne(t, a, syncInvoice)
	voided := importOne(t, a, "en16931-cen-examples/cii/examples/CII_example1.xml")
	if _, err := a.Submit(ctx, paid); err != nil {
		t.Fatal(err)
	}
	h.sync(t, a.Replica(), b.Replica())
	if _, err := b.Approve(ctx, paid); err != nil {
		t.Fatal(err)
	}
	h.sync(t, a.Replica(), b.Replica())
	if _, err := a.Export(ctx, ExportRequest{Format: "csv", Status: "approved", Out: t.TempDir() + "/out.csv"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Hold(ctx, voided, "checking"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Release(ctx, voided); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Void(ctx, voided, "sent twice"); err != nil {
		t.Fatal(err)
	}
	h.sync(t, a.Replica(), b.Replica())
	for id, want := range map[string]string{paid: `"exported"`, voided: `"void"`} {
		got := picture(t, b, id)
		if got != picture(t, a, id) || !strings.Contains(got, want) {
			t.Fatalf("%s on b: %s", id, got)
		}
	}
}
