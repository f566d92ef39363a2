package main

import (
	"fmt"
	"sort"

	"github.com/smartap/desktop/bench"
)

// sync writes bench/results/sync.md (make bench-sync): per store, the
// websocket ingest rate against the raw Append rate of the same store in
// the same run, fan-out latency, bootstrap time and memory per connection.
func (d *doc) sync(machine string) {
	d.p("# Sync server — benchmarks (`make bench-sync`)")
	d.p("")
	d.p("Every figure below comes from Go benchmarks (`testing.B`, package `./bench`, `BenchmarkSync`) run in one process in")
	d.p("this `make` run against the real server (sync/server over loopback websockets) and the real stores; the ingest rate")
	d.p("is stated as a ratio against the raw `serverstore.Append` rate of the same store measured right before it. The load")
	d.p("averages below show whether other work shared the machine during the run (above nproc it did).")
	d.p("")
	d.machineSection(machine)
	d.p("## Summary")
	d.p("")
	d.p("| Store | Measure | Result | Goal | |")
	d.p("|---|---|---|---|---|")
	for _, kind := range []string{"sqlite", "postgres"} {
		d.syncSummary(kind)
	}
	d.p("")
	d.p("## Details")
	d.p("")
	d.p("| Benchmark | Items | Seconds | Items/s | p50 ms | p99 ms | max ms | Peak RSS MiB | Other |")
	d.p("|---|---|---|---|---|---|---|---|---|")
	for _, kind := range []string{"sqlite", "postgres"} {
		for _, part := range []string{"append-raw", "ingest-ws", "bootstrap", "fanout", "conn-memory"} {
			r, ok := d.get("Sync/" + kind + "/" + part)
			if !ok {
				continue
			}
			if r.NotMeasured != "" {
				d.p("| %s | not measured: %s | | | | | | | |", r.Name, cell(r.NotMeasured))
				continue
			}
			d.p("| %s | %d | %s | %s | %s | %s | %s | %s | %s |", r.Name, r.Items, f1(r.Seconds), f1(r.ItemsPerSec),
				f1(r.P50MS), f1(r.P99MS), f1(r.MaxMS), mem(r), cell(values(r)))
		}
	}
	d.p("")
	names := []string{}
	for _, kind := range []string{"sqlite", "postgres"} {
		for _, part := range []string{"append-raw", "ingest-ws", "bootstrap", "fanout", "conn-memory"} {
			names = append(names, "Sync/"+kind+"/"+part)
		}
	}
	d.notes(names...)
}

func (d *doc) syncSummary(kind string) {
	raw, ok1 := d.rs["Sync/"+kind+"/append-raw"]
	ws, ok2 := d.rs["Sync/"+kind+"/ingest-ws"]
	if !ok1 || !ok2 {
		d.get("Sync/" + kind + "/append-raw")
		d.get("Sync/" + kind + "/ingest-ws")
		return
	}
	if raw.NotMeasured != "" {
		d.p("| %s | all | not measured: %s | | |", kind, cell(raw.NotMeasured))
		return
	}
	if raw.ItemsPerSec > 0 {
		r := ws.ItemsPerSec / raw.ItemsPerSec
		d.p("| %s | ingest through the websocket ÷ raw Append (%d ops, %0.f connections) | %.0f/s ÷ %.0f/s = **%.2f** | ≥ 0.5 | %s |",
			kind, ws.Items, ws.Values["connections"], ws.ItemsPerSec, raw.ItemsPerSec, r, mark(r >= 0.5))
	}
	if rc, wc := raw.Values["cpu_s"], ws.Values["cpu_s"]; rc > 0 && wc > 0 {
		rr, wr := float64(raw.Items)/rc, float64(ws.Items)/wc
		d.p("| %s | the same per CPU second of this process (less sensitive to other load; the websocket figure includes the clients' own work, in this process) | %.0f ÷ %.0f ops per CPU-s = **%.2f** | ≥ 0.5 | %s |",
			kind, wr, rr, wr/rr, mark(wr/rr >= 0.5))
	}
	if kind == "sqlite" {
		d.p("| %s | ingest through the websocket | %.0f ops/s | ≥ 20,000 ops/s | %s |", kind, ws.ItemsPerSec, mark(ws.ItemsPerSec >= 20000))
	}
	if f, ok := d.rs["Sync/"+kind+"/fanout"]; ok && f.Items > 0 {
		d.p("| %s | fan-out to %.0f connected clients (push sent → live page received) | p50 %s ms, p99 %s ms | — | |",
			kind, f.Values["clients"], f1(f.P50MS), f1(f.P99MS))
	}
	if bs, ok := d.rs["Sync/"+kind+"/bootstrap"]; ok && bs.Items > 0 {
		d.p("| %s | bootstrap of %d invoices to a new device (snapshot pages + tail, operations only) | %s s (+ %s s server first load) | < 5 s | %s |",
			kind, bs.Items, f1(bs.Seconds), f1(bs.Values["first_load_s"]), mark(bs.Seconds < 5))
	}
	if m, ok := d.rs["Sync/"+kind+"/conn-memory"]; ok && m.Items > 0 {
		d.p("| %s | memory per connection (Go heap + stacks, both ends) | %s KiB, %.0f goroutines | — | |",
			kind, f1(m.Values["kib_per_conn"]), m.Values["goroutines_per_conn"])
	}
}

// values lists a result's named figures.
func values(r bench.Result) string {
	s := ""
	for _, k := range sortedKeys(r.Values) {
		if k == "samples" {
			continue
		}
		if s != "" {
			s += ", "
		}
		s += fmt.Sprintf("%s %s", k, f1(r.Values[k]))
	}
	return s
}

func sortedKeys(m map[string]float64) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
