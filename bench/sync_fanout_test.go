package bench

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/smartap/desktop/sync/faulttest/rawclient"
	"github.com/smartap/desktop/sync/wire"
)

// benchFanout: fanoutClients devices connected to team "fan"; one more
// device pushes one op per round; the latency is from the push being sent
// to each connected device receiving the live page that carries it. It
// also measures the memory the connections take (conn-memory).
func benchFanout(b *testing.B, e *syncEnv) {
	toks := e.team(b, "fan", "writer", "reader")
	rounds := size(200, 20)
	var target atomic.Value // op id of the current round
	target.Store("")
	var t0 atomic.Int64
	got := make(chan time.Duration, fanoutClients*4)
	onPage := func(m wire.Message, at time.Time) {
		p, ok := m.Body.(wire.Page)
		if !ok {
			return
		}
		want := target.Load().(string)
		for _, s := range p.Ops {
			if s.Op.ID == want {
				got <- at.Sub(time.Unix(0, t0.Load()))
			}
		}
	}
	memBefore, gBefore := connMem()
	for i := range fanoutClients {
		e.dial(b, toks["reader"], fmt.Sprintf("dev-r%03d", i), onPage)
	}
	memAfter, gAfter := connMem()
	saveConnMemory(b, memBefore, memAfter, gBefore, gAfter)

	w := e.dial(b, toks["writer"], "dev-writer", nil)
	dev := &rawclient.Device{ID: "dev-writer", User: "writer"}
	rss, reset := startRSS()
	cpu0 := cpuSeconds()
	var lat []time.Duration
	start := time.Now()
	for r := range rounds {
		op, err := dev.Audit("invoice.view", fmt.Sprintf("round-%d", r))
		if err != nil {
			b.Fatal(err)
		}
		target.Store(op.ID)
		t0.Store(time.Now().UnixNano())
		if _, err := w.Push(context.Background(), []wire.Op{op}); err != nil {
			b.Fatal(err)
		}
		for range fanoutClients {
			select {
			case d := <-got:
				lat = append(lat, d)
			case <-time.After(time.Minute): // a hang guard, not a measurement
				b.Fatalf("round %d: only %d of %d clients got the page", r, len(lat)%fanoutClients, fanoutClients)
			}
		}
	}
	res := syncResult(b, len(lat), time.Since(start), lat, rss)
	res.PeakReset = reset
	res.Values["cpu_s"] = cpuSeconds() - cpu0
	res.Values["clients"] = fanoutClients
	res.Values["rounds"] = float64(rounds)
	res.Notes = append(res.Notes, fmt.Sprintf("%d rounds: one audit op pushed, latency from the push sent to each of %d connected devices receiving the live page with it (same process, same clock)", rounds, fanoutClients))
	b.ReportMetric(res.P50MS, "p50-ms")
	b.ReportMetric(res.P99MS, "p99-ms")
	save(b, res)
}

// connMem is the Go heap + stacks in use (after a GC) and the goroutines.
func connMem() (uint64, int) {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse + m.StackInuse, runtime.NumGoroutine()
}

func saveConnMemory(b *testing.B, before, after uint64, gBefore, gAfter int) {
	name := "Sync/" + syncKind(b) + "/conn-memory"
	per := float64(int64(after)-int64(before)) / fanoutClients / 1024
	r := Result{Name: name, Items: fanoutClients, Passes: 1, Values: map[string]float64{
		"kib_per_conn":        per,
		"goroutines_per_conn": float64(gAfter-gBefore) / fanoutClients,
	}}
	r.Notes = append(r.Notes, fmt.Sprintf("Go heap + stacks in use after GC, before and after %d idle sessions (dial + hello/welcome); both ends are in this process, so the figure is server session + client connection", fanoutClients))
	save(b, r)
}

// syncKind is the store kind from a sub-benchmark name (BenchmarkSync/KIND/...).
func syncKind(b *testing.B) string {
	n := b.Name()
	for _, k := range []string{"sqlite", "postgres"} {
		if containsPart(n, k) {
			return k
		}
	}
	return "unknown"
}

func containsPart(name, part string) bool {
	for i := 0; i+len(part) <= len(name); i++ {
		if name[i:i+len(part)] == part && (i == 0 || name[i-1] == '/') {
			return true
		}
	}
	return false
}
