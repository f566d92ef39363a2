package store

import (
	"database/sql"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/smartap/desktop/backend/invoice"
)

func insertTest(t *testing.T, db *DB, k *Keys, id, number string, at time.Time) InvoiceRecord {
	t.Helper()
	r := InvoiceRecord{ID: id, State: invoice.State{Status: invoice.StatusExtracted}, Invoice: testInvoice(number),
		Source: InvoiceSource{ImportedBy: "carl"}, CreatedAt: at, UpdatedAt: at}
	if err := db.Update(ctx, k, func(tx *Tx) error { return tx.InsertInvoice(r) }); err != nil {
		t.Fatal(err)
	}
	return r
}

func summaries(t *testing.T, db *DB, k *Keys, since int64) ([]Summary, error) {
	t.Helper()
	var out []Summary
	err := db.View(ctx, k, func(tx *Tx) error {
		var err error
		out, err = tx.Summaries(since)
		return err
	})
	return out, err
}

func TestSummariesFollowInsertAndUpdate(t *testing.T) {
	db, _ := openTest(t)
	k := testKeys(t)
	t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	insertTest(t, db, k, "a", "INV-1", t0)
	r := insertTest(t, db, k, "b", "INV-2", t0.Add(time.Minute))
	got, err := summaries(t, db, k, 0)
	if err != nil || len(got) != 2 || got[0].ID != "b" || got[1].ID != "a" {
		t.Fatalf("newest first: %+v %v", got, err)
	}
	if s := got[0]; s.Number != "INV-2" || s.Seller != "ZZSELLERMARKER GmbH" || s.Payable != "1190.00" || s.ImportedBy != "carl" ||
		s.State.Status != invoice.StatusExtracted {
		t.Fatalf("summary: %+v", s)
	}
	r.Invoice.InvoiceNumber, r.State.Status = "INV-2b", invoice.StatusNeedsReview
	r.Workflow.Approvals = []Approval{{By: "anna"}}
	r.UpdatedAt = t0.Add(time.Hour)
	if err := db.Update(ctx, k, func(tx *Tx) error { return tx.UpdateInvoice(r) }); err != nil {
		t.Fatal(err)
	}
	changed, err := summaries(t, db, k, 2) // the two inserts wrote seqs 1 and 2
	if err != nil || len(changed) != 1 || changed[0].Number != "INV-2b" || changed[0].State.Status != invoice.StatusNeedsReview ||
		len(changed[0].Approvals) != 1 || changed[0].Approvals[0].By != "anna" {
		t.Fatalf("changed since: %+v %v", changed, err)
	}
	var st ListStamp
	_ = db.View(ctx, k, func(tx *Tx) error { st, err = tx.InvoiceListStamp(); return err })
	if st.Count != 2 || st.Seq != 3 {
		t.Fatalf("stamp %+v %v", st, err)
	}
}

// A summary is sealed to its own row: copied onto another row it does
// not open.
func TestSummaryBoundToItsRow(t *testing.T) {
	db, path := openTest(t)
	k := testKeys(t)
	insertTest(t, db, k, "a", "INV-1", time.Now())
	insertTest(t, db, k, "b", "INV-2", time.Now())
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec("UPDATE invoices SET summary = (SELECT summary FROM invoices WHERE id = 'a') WHERE id = 'b'"); err != nil {
		t.Fatal(err)
	}
	if _, err := summaries(t, db, k, 0); err == nil || !strings.Contains(err.Error(), "does not authenticate") {
		t.Fatalf("moved summary opened: %v", err)
	}
}

// Migration 0005 on a folder with invoices: the rows get the column
// empty, Summaries says so, and FillSummaries seals one for each.
func TestMigrationGivesExistingInvoicesSummaries(t *testing.T) {
	db, path := openTest(t)
	k := testKeys(t)
	insertTest(t, db, k, "a", "INV-1", time.Now())
	insertTest(t, db, k, "b", "INV-2", time.Now())
	_ = db.Close()
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	// Back to the schema before 0005, as an older SmartAP left it.
	for _, q := range []string{"DROP INDEX invoices_list_seq", "ALTER TABLE invoices DROP COLUMN summary", "ALTER TABLE invoices DROP COLUMN list_seq", "PRAGMA user_version = 4"} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	_ = raw.Close()
	db2, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	if _, err := summaries(t, db2, k, 0); !errors.Is(err, ErrSummaryMissing) {
		t.Fatalf("before filling: %v", err)
	}
	var n int
	if err := db2.Update(ctx, k, func(tx *Tx) error { n, err = tx.FillSummaries(); return err }); err != nil || n != 2 {
		t.Fatalf("filled %d: %v", n, err)
	}
	got, err := summaries(t, db2, k, 0)
	if err != nil || len(got) != 2 || got[0].Number == "" {
		t.Fatalf("after filling: %+v %v", got, err)
	}
	if err := db2.Update(ctx, k, func(tx *Tx) error { n, err = tx.FillSummaries(); return err }); err != nil || n != 0 {
		t.Fatalf("second fill wrote %d: %v", n, err)
	}
	// Still nothing in the clear: the seller marker is only in sealed columns.
	_ = db2.Close()
	for _, f := range []string{path, path + "-wal"} {
		b, _ := os.ReadFile(f)
		if strings.Contains(string(b), "ZZSELLERMARKER") || strings.Contains(string(b), "INV-1") {
			t.Fatalf("%s holds invoice text in the clear", f)
		}
	}
}
