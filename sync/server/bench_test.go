package server

import (
	"context"
	"fmt"
	"testing"

	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/sync/wire"
)

// BenchmarkIngest pushes batches of wire.MaxBatch new invoices (extract
// ops) over a loopback websocket to a server on SQLite; ops/s is reported.
func BenchmarkIngest(b *testing.B) {
	e := newEnv(b, sqliteStore(b))
	_, url := e.serve(Limits{OpRate: 1e9, OpBurst: 1e9, FrameRate: 1e9, FrameBurst: 1e9})
	c, _ := e.connect(url, "carl", "dev-c")
	b.ResetTimer()
	n := 0
	for i := 0; i < b.N; i++ {
		ops := make([]wire.Op, wire.MaxBatch)
		for j := range ops {
			ops[j] = c.cmd(fmt.Sprintf("inv-%d-%d", i, j), invoice.StatusReceived, invoice.Extract)
		}
		c.mustAck(ops...)
		n += len(ops)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "ops/s")
}

// BenchmarkStoreAppend is the raw rate of the same store in the same run:
// Append of the same batches, no websocket, no checks.
func BenchmarkStoreAppend(b *testing.B) {
	e := newEnv(b, sqliteStore(b))
	c := &client{t: b, user: "carl", device: "dev-c", clock: e.clock}
	c.hlc.Device = "dev-c"
	n := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ops := make([]wire.Op, wire.MaxBatch)
		for j := range ops {
			ops[j] = c.cmd(fmt.Sprintf("inv-%d-%d", i, j), invoice.StatusReceived, invoice.Extract)
		}
		if _, err := e.store.Append(context.Background(), teamID, ops); err != nil {
			b.Fatal(err)
		}
		n += len(ops)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "ops/s")
}
