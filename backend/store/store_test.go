package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/seal"
	"github.com/smartap/desktop/backend/secret"
	"github.com/smartap/desktop/backend/vendor"
)

var ctx = context.Background()

func testKeys(t testing.TB) *Keys {
	t.Helper()
	s, err := seal.New(secret.New(bytes.Repeat([]byte{1}, 32)))
	if err != nil {
		t.Fatal(err)
	}
	return &Keys{Sealer: s, Index: seal.NewIndexer(secret.New(bytes.Repeat([]byte{2}, 32)))}
}

func openTest(t testing.TB) (*DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, path
}

func testInvoice(number string) invoice.Invoice {
	p := decimal.MustParse("1190.00")
	return invoice.Invoice{InvoiceNumber: number, Currency: "EUR", TypeCode: "380",
		Seller:  invoice.Party{Name: "ZZSELLERMARKER GmbH", VATID: "DE111222333"},
		Buyer:   invoice.Party{Name: "ZZBUYERMARKER AG"},
		Payment: invoice.Payment{IBAN: "DE89370400440532013000"},
		Notes:   []string{"ZZNOTEMARKER please pay"},
		Totals:  invoice.Totals{Payable: &p}}
}

// security checklist #1 for invoice content: documents' fields never reach
// the file in the clear, neither in the main file nor in the WAL.
func TestInvoiceContentSealedOnDisk(t *testing.T) {
	db, path := openTest(t)
	k := testKeys(t)
	now := time.Now().UTC()
	err := db.Update(ctx, k, func(tx *Tx) error {
		return tx.InsertInvoice(InvoiceRecord{ID: "inv-1", State: invoice.NewState(), Invoice: testInvoice("ZZNUMBERMARKER-1"),
			SHA256: "abc", CreatedAt: now, UpdatedAt: now})
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []InvoiceRecord
	if err := db.View(ctx, k, func(tx *Tx) (err error) { got, err = tx.Invoices(""); return }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Invoice.InvoiceNumber != "ZZNUMBERMARKER-1" || got[0].Invoice.Totals.Payable.String() != "1190.00" {
		t.Fatalf("read back: %+v", got)
	}
	for _, f := range []string{path, path + "-wal", path + "-journal"} {
		raw, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for _, m := range []string{"ZZSELLERMARKER", "ZZBUYERMARKER", "ZZNOTEMARKER", "ZZNUMBERMARKER", "DE89370400440532013000", "DE111222333", "1190.00"} {
			if bytes.Contains(raw, []byte(m)) {
				t.Errorf("%s contains %q", filepath.Base(f), m)
			}
		}
	}
}

// security checklist #3 at the row level: a sealed column copied from one
// row to another in the file does not open.
func TestCiphertextSwapBetweenRowsDetected(t *testing.T) {
	db, path := openTest(t)
	k := testKeys(t)
	now := time.Now().UTC()
	err := db.Update(ctx, k, func(tx *Tx) error {
		for _, v := range []vendor.Vendor{
			{ID: "v-a", Name: "Honest Supplier", Bank: vendor.BankDetails{IBAN: "DE89370400440532013000"}, CreatedAt: now, UpdatedAt: now},
			{ID: "v-b", Name: "Other Supplier", Bank: vendor.BankDetails{IBAN: "FR1420041010050500013M02606"}, CreatedAt: now, UpdatedAt: now},
		} {
			if err := tx.InsertVendor(v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("UPDATE vendors SET content = (SELECT content FROM vendors WHERE id = 'v-b') WHERE id = 'v-a'"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	err = db.View(ctx, k, func(tx *Tx) error { _, err := tx.Vendor("v-a"); return err })
	if apperr.CodeOf(err) != apperr.Integrity || !errors.Is(err, seal.ErrAuth) {
		t.Fatalf("swapped ciphertext: %v", err)
	}
	if err := db.View(ctx, k, func(tx *Tx) error { _, err := tx.Vendor("v-b"); return err }); err != nil {
		t.Fatalf("untouched row: %v", err)
	}
}

func TestBlindIndexLookupsAndDuplicates(t *testing.T) {
	db, _ := openTest(t)
	k := testKeys(t)
	now := time.Now().UTC()
	v := vendor.Vendor{ID: "v-1", Name: "Lieferant GmbH", VATID: "DE123456789", CreatedAt: now, UpdatedAt: now}
	if err := db.Update(ctx, k, func(tx *Tx) error { return tx.InsertVendor(v) }); err != nil {
		t.Fatal(err)
	}
	dup := v
	dup.ID = "v-2"
	err := db.Update(ctx, k, func(tx *Tx) error { return tx.InsertVendor(dup) })
	if apperr.CodeOf(err) != apperr.Duplicate {
		t.Fatalf("same VAT id twice: %v", err)
	}
	err = db.View(ctx, k, func(tx *Tx) error {
		byVAT, err := tx.VendorsByVATID("DE123456789")
		if err != nil || len(byVAT) != 1 {
			t.Errorf("by VAT: %v %v", byVAT, err)
		}
		byName, err := tx.VendorsByName("LIEFERANT gmbh.")
		if err != nil || len(byName) != 1 {
			t.Errorf("by name: %v %v", byName, err)
		}
		none, err := tx.VendorsByName("Someone Else")
		if err != nil || len(none) != 0 {
			t.Errorf("unknown name: %v %v", none, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestSealedContentNeedsKeys(t *testing.T) {
	db, _ := openTest(t)
	err := db.Update(ctx, nil, func(tx *Tx) error { return tx.InsertVendor(vendor.Vendor{ID: "x", Name: "X"}) })
	if !errors.Is(err, ErrLockedKeys) {
		t.Fatalf("insert without keys: %v", err)
	}
}

func TestFailedTransactionChangesNothing(t *testing.T) {
	db, _ := openTest(t)
	k := testKeys(t)
	boom := errors.New("later step failed")
	err := db.Update(ctx, k, func(tx *Tx) error {
		if err := tx.InsertVendor(vendor.Vendor{ID: "x", Name: "X"}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	var vs []vendor.Vendor
	_ = db.View(ctx, k, func(tx *Tx) (err error) { vs, err = tx.Vendors(); return })
	if len(vs) != 0 {
		t.Fatalf("rolled-back insert visible: %v", vs)
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	db, path := openTest(t)
	db.Close()
	raw, _ := sql.Open("sqlite3", path)
	if _, err := raw.Exec("PRAGMA user_version = 999"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	if _, err := Open(ctx, path); err == nil {
		t.Fatal("opened a folder from a newer version")
	}
}

func TestWALMode(t *testing.T) {
	db, _ := openTest(t)
	var mode string
	if err := db.sql.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode = %q %v", mode, err)
	}
	var fk int
	if err := db.sql.QueryRow("PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
		t.Fatalf("foreign_keys = %d %v", fk, err)
	}
}

func TestInvoicesPageNewestFirst(t *testing.T) {
	db, _ := openTest(t)
	k := testKeys(t)
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	err := db.Update(ctx, k, func(tx *Tx) error {
		for i := 0; i < 5; i++ {
			at := base.Add(time.Duration(i) * time.Hour)
			if err := tx.InsertInvoice(InvoiceRecord{ID: fmt.Sprintf("inv-%d", i), State: invoice.NewState(),
				Invoice: testInvoice(fmt.Sprint(i)), SHA256: fmt.Sprint(i), CreatedAt: at, UpdatedAt: at}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var page []InvoiceRecord
	if err := db.View(ctx, k, func(tx *Tx) (err error) { page, err = tx.InvoicesPage(invoice.StatusReceived, 2); return }); err != nil {
		t.Fatal(err)
	}
	if len(page) != 2 || page[0].ID != "inv-4" || page[1].ID != "inv-3" {
		t.Fatalf("page: %v", []string{page[0].ID, page[1].ID})
	}
}
