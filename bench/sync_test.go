package bench

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/smartap/desktop/sync/faulttest/rawclient"
	"github.com/smartap/desktop/sync/wire"
)

// Sync benchmarks (make bench-sync, -benchtime 1x: each measures once).
// BENCH_FULL=1: 100,000 invoices (200,000 ops) for the raw append, the
// websocket ingest and the bootstrap, 200 fan-out rounds to 100 clients;
// default 2,000 invoices and 20 rounds. SQLite always; PostgreSQL when
// SMARTAP_TEST_PG_URL is set (scripts/with-postgres.sh).

const (
	fanoutClients = 100
	ingestConns   = 4
)

func BenchmarkSync(b *testing.B) {
	for _, kind := range []string{"sqlite", "postgres"} {
		b.Run(kind, func(b *testing.B) { benchSyncStore(b, kind) })
	}
}

// syncParts are the sub-benchmarks, in the order they must run.
var syncParts = []string{"append-raw", "ingest-ws", "bootstrap", "fanout", "conn-memory"}

func benchSyncStore(b *testing.B, kind string) {
	st, why := openSyncStore(b, kind)
	if st == nil {
		for _, p := range syncParts {
			save(b, Result{Name: "Sync/" + kind + "/" + p, NotMeasured: why})
		}
		b.Skip(why)
	}
	e := newSyncEnv(b, kind, st)
	invoices := size(100_000, 2_000)
	if v, err := strconv.Atoi(os.Getenv("BENCH_SYNC_INVOICES")); err == nil && v > 0 {
		invoices = v // for exploring other sizes by hand
	}
	rawTok := e.team(b, "raw", "carl", "newdev")
	b.Run("append-raw", func(b *testing.B) { benchAppendRaw(b, e, invoices) })
	b.Run("ingest-ws", func(b *testing.B) { benchIngest(b, e, invoices) })
	b.Run("bootstrap", func(b *testing.B) { benchBootstrap(b, e, rawTok["newdev"], invoices) })
	b.Run("fanout", func(b *testing.B) { benchFanout(b, e) })
}

// syncResult builds a Result from a wall time and per-sample latencies.
func syncResult(b *testing.B, items int, wall time.Duration, lat []time.Duration, rssBefore float64) Result {
	r := Result{Name: strings.TrimPrefix(b.Name(), "Benchmark"), Items: items, Passes: 1, Seconds: wall.Seconds(),
		P50MS: percentileMS(lat, 50), P99MS: percentileMS(lat, 99), MaxMS: percentileMS(lat, 100),
		RSSBeforeMiB: rssBefore, Values: map[string]float64{"samples": float64(len(lat))}}
	if wall > 0 {
		r.ItemsPerSec = float64(items) / wall.Seconds()
	}
	r.RSSPeakMiB, _ = procStatusMiB("VmHWM")
	return r
}

// cpuSeconds is this process's CPU time so far (user + system). On a
// machine shared with other work, wall times stretch with the load; CPU
// seconds much less so, so the reports give both.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

func startRSS() (float64, bool) {
	runtime.GC()
	reset := resetPeakRSS()
	rss, _ := procStatusMiB("VmRSS")
	return rss, reset
}

// benchAppendRaw: the floor. The ops of n invoices appended straight into
// the store in batches of wire.MaxBatch, one goroutine, team "raw" (the
// bootstrap benchmark reads them back).
func benchAppendRaw(b *testing.B, e *syncEnv, n int) {
	batches := invoiceOps(b, "dev-raw", "carl", 0, n)
	rss, reset := startRSS()
	cpu0 := cpuSeconds()
	var lat []time.Duration
	ops := 0
	start := time.Now()
	for _, batch := range batches {
		t0 := time.Now()
		if _, err := e.store.Append(context.Background(), "raw", batch); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
		ops += len(batch)
	}
	r := syncResult(b, ops, time.Since(start), lat, rss)
	r.PeakReset = reset
	r.Values["cpu_s"] = cpuSeconds() - cpu0
	r.Notes = append(r.Notes, fmt.Sprintf("serverstore.Append of %d invoices (extract + set of 11 fields each) in batches of %d; latencies per batch", n, wire.MaxBatch))
	b.ReportMetric(r.ItemsPerSec, "ops/s")
	save(b, r)
}

// benchIngest: the same kind and number of ops pushed through the real
// server (websocket, hello, authority check, append, ack, merge, fan-out)
// by ingestConns devices at once, each waiting for its batch's answer.
func benchIngest(b *testing.B, e *syncEnv, n int) {
	users := make([]string, ingestConns)
	for i := range users {
		users[i] = fmt.Sprintf("clerk%d", i)
	}
	toks := e.team(b, "ws", users...)
	per := n / ingestConns
	work := make([][][]wire.Op, ingestConns)
	conns := make([]*rawclient.Conn, ingestConns)
	for i, u := range users {
		dev := fmt.Sprintf("dev-ws%d", i)
		work[i] = invoiceOps(b, dev, u, i*per, per)
		conns[i] = e.dial(b, toks[u], dev, nil)
	}
	rss, reset := startRSS()
	cpu0 := cpuSeconds()
	var mu sync.Mutex
	var lat []time.Duration
	var ops, rejected atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for i := range conns {
		wg.Go(func() {
			for _, batch := range work[i] {
				t0 := time.Now()
				a, err := conns[i].Push(context.Background(), batch)
				d := time.Since(t0)
				if err != nil {
					b.Error(err)
					return
				}
				ops.Add(int64(len(a.Acks)))
				rejected.Add(int64(len(a.Rejects)))
				mu.Lock()
				lat = append(lat, d)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	r := syncResult(b, int(ops.Load()), time.Since(start), lat, rss) // #nosec G115 -- a count of ops, far below 2^31
	r.PeakReset = reset
	r.Values["cpu_s"] = cpuSeconds() - cpu0
	r.Values["rejected"] = float64(rejected.Load())
	r.Values["connections"] = ingestConns
	if rejected.Load() > 0 {
		r.Errors = append(r.Errors, fmt.Sprintf("%d ops rejected", rejected.Load()))
	}
	r.Notes = append(r.Notes, fmt.Sprintf("%d devices push %d invoices each over their own websocket, batches of %d, each waiting for its ack; per-connection rate limits lifted; latencies per batch (push sent → all acks)", ingestConns, per, wire.MaxBatch))
	b.ReportMetric(r.ItemsPerSec, "ops/s")
	save(b, r)
}

// benchBootstrap: a new device fetches the snapshot of team "raw" (n
// invoices) and pulls the tail. The server's first load of the team
// (replaying its log into memory) happens at the device's connect and is
// reported apart.
func benchBootstrap(b *testing.B, e *syncEnv, token string, n int) {
	rss, reset := startRSS()
	cpu0 := cpuSeconds()
	// The device's first hello makes the server load the team (replay its
	// log, without a deadline for the whole load since it no longer runs
	// under the hello's); a failed load is answered with close 1011 "team
	// unavailable", and a real client reconnects: so does this one,
	// counting the refusals.
	t0 := time.Now()
	var c *rawclient.Conn
	refused := 0
	for c == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		conn, err := rawclient.Dial(ctx, e.url, token, "dev-new", nil)
		cancel()
		switch {
		case err == nil:
			c = conn
			b.Cleanup(func() { _ = c.Close() })
		case refused < 20:
			refused++
			b.Logf("first connect refused (%d): %v", refused, err)
		default:
			b.Fatal(err)
		}
	}
	load := time.Since(t0)
	var lat []time.Duration
	last := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	start := time.Now()
	records, at, err := c.Bootstrap(ctx, func(wire.Snapshot) {
		lat = append(lat, time.Since(last))
		last = time.Now()
	})
	if err != nil {
		b.Fatal(err)
	}
	tail, _, err := c.PullAll(ctx, at)
	if err != nil {
		b.Fatal(err)
	}
	r := syncResult(b, records, time.Since(start), lat, rss)
	r.PeakReset = reset
	r.Values["cpu_s"] = cpuSeconds() - cpu0
	r.Values["first_load_s"] = load.Seconds()
	r.Values["first_connects_refused"] = float64(refused)
	if refused > 0 {
		r.Notes = append(r.Notes, fmt.Sprintf("the server refused the first %d connects with close 1011 \"team unavailable\" while loading the team (replaying %d ops); each retry continued the load", refused, 2*n))
	}
	r.Values["pages"] = float64(len(lat))
	r.Values["tail_ops"] = float64(len(tail))
	if records != n {
		r.Errors = append(r.Errors, fmt.Sprintf("%d records, want %d", records, n))
	}
	r.Notes = append(r.Notes, "bootstrap = every snapshot page (wire.Bootstrap → wire.Snapshot, decoded; 4 page requests in flight, as sync/client) + pull of the tail; latencies per page (between pages received); applying the records to the desktop's sealed store is not included")
	b.ReportMetric(r.Seconds, "s")
	save(b, r)
}
