package store

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/smartap/desktop/backend/invoice"
)

// BenchmarkInsertInvoiceSealed and BenchmarkInsertPlainBaseline insert
// rows of the same size in transactions of 1,000; the ratio of the two is
// what sealing costs (make bench writes both to one results file).
func BenchmarkInsertInvoiceSealed(b *testing.B) {
	db, _ := openTest(b)
	k := testKeys(b)
	inv := testInvoice("N")
	now := time.Now().UTC()
	b.ResetTimer()
	for i := 0; i < b.N; i += 1000 {
		err := db.Update(ctx, k, func(tx *Tx) error {
			for j := i; j < i+1000 && j < b.N; j++ {
				inv.InvoiceNumber = fmt.Sprintf("INV-%d", j)
				if err := tx.InsertInvoice(InvoiceRecord{ID: fmt.Sprintf("id-%d", j), State: invoice.NewState(),
					Invoice: inv, SHA256: inv.InvoiceNumber, CreatedAt: now, UpdatedAt: now}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkInsertPlainBaseline(b *testing.B) {
	db, _ := openTest(b)
	row := bytes.Repeat([]byte("x"), 400) // about the size of a sealed test invoice
	now := time.Now().UTC().Format(timeLayout)
	b.ResetTimer()
	for i := 0; i < b.N; i += 1000 {
		err := db.Update(ctx, nil, func(tx *Tx) error {
			for j := i; j < i+1000 && j < b.N; j++ {
				if _, err := tx.tx.Exec(`INSERT INTO invoices(id, status, content, number_index, sha_index, created_at, updated_at)
					VALUES(?,?,?,?,?,?,?)`, fmt.Sprintf("id-%d", j), "received", row, row[:16], row[:16], now, now); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
