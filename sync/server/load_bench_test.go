package server

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/sync/wire"
)

// BenchmarkTeamLoad is a server's first load of a team whose log holds
// 5,000 invoices (extract + a set of 11 fields each, 10,000 ops) on
// SQLite: what the first hello after a start waits for. store-read-ms is
// the part spent reading the log alone (the same pages, no apply).
func BenchmarkTeamLoad(b *testing.B) {
	const invoices = 5000
	e := newEnv(b, sqliteStore(b))
	c := &client{t: b, user: "carl", device: "dev-c", clock: e.clock}
	c.hlc.Device = "dev-c"
	fields := map[string]string{"invoice_number": "R1", "issue_date": "2026-11-02", "currency": "EUR",
		"seller.name": "Nordwind Handel GmbH", "seller.vat_id": "DE100000001", "buyer.name": "SmartAP Test AG",
		"totals.tax_exclusive": "100.00", "totals.tax": "19.00", "totals.payable": "119.00",
		"payment.iban": "DE02120300000000202051", "cost_centre": "CC-01"}
	var batch []wire.Op
	for i := range invoices {
		inv := fmt.Sprintf("inv-%06d", i)
		batch = append(batch, c.cmd(inv, invoice.StatusReceived, invoice.Extract), c.set(inv, invoice.StatusExtracted, fields))
		if len(batch) == wire.MaxBatch || i == invoices-1 {
			if _, err := e.store.Append(context.Background(), teamID, batch); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	var read time.Duration
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		for after := uint64(0); ; {
			p, err := e.store.Pull(context.Background(), teamID, after, wire.MaxPage)
			if err != nil {
				b.Fatal(err)
			}
			if len(p.Entries) == 0 {
				break
			}
			after = p.Entries[len(p.Entries)-1].Seq
		}
		read += time.Since(t0)
		s, err := New(Config{Store: e.store, Tokens: e.tokens, CheckpointKey: e.ckey, Now: e.clock.now, Name: "load"})
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := s.team(context.Background(), teamID); err != nil {
			b.Fatal(err)
		}
		_ = s.Close()
	}
	b.ReportMetric(float64(read.Milliseconds())/float64(b.N), "store-read-ms")
	b.ReportMetric(float64(b.Elapsed()-read)/float64(b.N)/1e6, "load-ms")
}
