package store

import (
	"crypto/ed25519"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/smartap/desktop/backend/audit"
	"github.com/smartap/desktop/backend/invoice"
)

var errHook = errors.New("hook refused")

// A hook's error rolls back the write it saw: the outbox row and the change
// commit together or not at all.
func TestHookErrorRollsBackTheChange(t *testing.T) {
	db, _ := openTest(t)
	k := testKeys(t)
	now := time.Now()
	r := InvoiceRecord{ID: "inv-1", State: invoice.State{Status: invoice.StatusExtracted}, CreatedAt: now, UpdatedAt: now}
	fail := &TxHooks{
		Invoice: func(*Tx, *InvoiceRecord, InvoiceRecord) error { return errHook },
		Audit:   func(*Tx, audit.Entry) error { return errHook },
	}
	err := db.Update(ctx, k, func(tx *Tx) error {
		tx.SetHooks(fail)
		return tx.InsertInvoice(r)
	})
	if !errors.Is(err, errHook) {
		t.Fatalf("insert: %v", err)
	}
	err = db.View(ctx, k, func(tx *Tx) error { _, err := tx.Invoice("inv-1"); return err })
	if err == nil {
		t.Fatal("the invoice was stored although its hook failed")
	}
	var seen []string
	ok := &TxHooks{
		Invoice: func(tx *Tx, before *InvoiceRecord, after InvoiceRecord) error {
			status := "new"
			if before != nil {
				status = string(before.State.Status)
			}
			seen = append(seen, status+">"+string(after.State.Status))
			return tx.OutboxAdd("op-"+after.ID+string(after.State.Status), "invoice", after.ID, []byte("op"), now)
		},
	}
	err = db.Update(ctx, k, func(tx *Tx) error {
		tx.SetHooks(ok)
		if err := tx.InsertInvoice(r); err != nil {
			return err
		}
		r.State.Status = invoice.StatusNeedsReview
		return tx.UpdateInvoice(r)
	})
	if err != nil || strings.Join(seen, ",") != "new>extracted,extracted>needs_review" {
		t.Fatalf("hooks saw %v: %v", seen, err)
	}
	// A failing audit hook undoes the append.
	_, priv, _ := ed25519.GenerateKey(nil)
	err = db.Update(ctx, k, func(tx *Tx) error {
		tx.SetHooks(fail)
		_, err := tx.AppendAudit(priv, audit.Entry{Device: "d", Actor: "a", Time: now, Action: "x"})
		return err
	})
	if !errors.Is(err, errHook) {
		t.Fatalf("audit: %v", err)
	}
	err = db.View(ctx, k, func(tx *Tx) error {
		es, _, err := tx.AuditLog("d")
		if len(es) != 0 {
			t.Fatalf("%d entries kept", len(es))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestOutboxQueueAndAcks(t *testing.T) {
	db, path := openTest(t)
	k := testKeys(t)
	now := time.Now()
	err := db.Update(ctx, k, func(tx *Tx) error {
		for _, id := range []string{"a", "b", "c"} {
			if err := tx.OutboxAdd("op-"+id, "invoice", "inv", []byte("SECRETOP-"+id), now); err != nil {
				return err
			}
		}
		if err := tx.OutboxAdd("op-a", "invoice", "inv", []byte("x"), now); err == nil {
			t.Fatal("the same op id queued twice")
		}
		if ok, err := tx.OutboxAck("op-a", "idx", 7); err != nil || !ok {
			t.Fatalf("ack: %v %v", ok, err)
		}
		rows, err := tx.OutboxPending(10)
		if err != nil || len(rows) != 2 || rows[0].OpID != "op-b" || string(rows[1].Op) != "SECRETOP-c" {
			t.Fatalf("pending %+v %v", rows, err)
		}
		all, err := tx.OutboxForEntity("inv")
		if err != nil || len(all) != 3 {
			t.Fatalf("entity ops %d %v", len(all), err)
		}
		if err := tx.OutboxDeleteConfirmed("idx", 7); err != nil {
			return err
		}
		n, err := tx.OutboxCount()
		if n != 2 {
			t.Fatalf("count %d", n)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	_ = db.Close()
	for _, f := range []string{path, path + "-wal"} {
		b, _ := os.ReadFile(f) // #nosec G304 -- the test's own database
		if strings.Contains(string(b), "SECRETOP") {
			t.Fatalf("%s holds an op in the clear", f)
		}
	}
}
