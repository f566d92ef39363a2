package bench

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/smartap/desktop/backend/core"
	"github.com/smartap/desktop/backend/store"
)

// BenchmarkInvoiceList measures the desktop invoice list over N sealed
// invoices (BENCH_FULL=1: 100,000; default 2,000): the baseline, opening
// every whole invoice as the list did before summaries (store.Tx.Invoices),
// against opening only the small sealed summaries (store.Tx.Summaries, what
// a session's first SearchInvoices does) and then filtering them in memory
// (core.ListIndex, the code SearchInvoices runs on every keystroke). The
// sub-benchmarks run in this order; the ratios are to the baseline of the
// same run.
func BenchmarkInvoiceList(b *testing.B) {
	n := size(100_000, 2_000)
	g := newGenerator(b)
	keys := storeKeys(b)
	path := filepath.Join(b.TempDir(), "smartap.db")
	db, err := store.Open(bg, path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	for lo := 0; lo < n; lo += txSize {
		err := db.Update(bg, keys, func(tx *store.Tx) error {
			for i := lo; i < min(lo+txSize, n); i++ {
				if err := tx.InsertInvoice(g.record(i)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	raw := rawOpen(b, path)
	var sumBytes, contentBytes float64
	_ = raw.QueryRow("SELECT avg(length(summary)), avg(length(content) + length(source) + length(findings) + length(workflow)) FROM invoices").
		Scan(&sumBytes, &contentBytes)
	_ = raw.Close()

	var baseline, load float64 // seconds per full pass, for the ratios
	b.Run("baseline/open-every-invoice", func(b *testing.B) {
		m := newMeter(b)
		for b.Loop() {
			err := m.time(func() error {
				return db.View(bg, keys, func(tx *store.Tx) error {
					rs, err := tx.Invoices("")
					if err == nil && len(rs) != n {
						m.errorf("listed %d of %d", len(rs), n)
					}
					return err
				})
			})
			if err != nil {
				m.errorf("%v", err)
			}
			m.pass()
		}
		m.res.Values["invoices"] = float64(n)
		m.res.Values["avg_sealed_row_bytes"] = contentBytes
		m.note("store.Tx.Invoices(\"\"): every row's content, source, findings and workflow opened and decoded")
		baseline = m.finish("lists").Seconds / float64(max(m.passes, 1))
	})

	var idx *core.ListIndex
	b.Run("summaries/open-all", func(b *testing.B) {
		m := newMeter(b)
		for b.Loop() {
			err := m.time(func() error {
				return db.View(bg, keys, func(tx *store.Tx) error {
					sums, err := tx.Summaries(0)
					if err == nil {
						idx = core.NewListIndex(sums)
					}
					return err
				})
			})
			if err != nil {
				m.errorf("%v", err)
			}
			m.pass()
		}
		r := m.res
		r.Values["invoices"] = float64(n)
		r.Values["avg_summary_bytes"] = sumBytes
		m.note("store.Tx.Summaries(0) + core.NewListIndex: one ~%.0f-byte envelope opened per invoice", sumBytes)
		res := m.finish("lists")
		load = res.Seconds / float64(max(m.passes, 1))
		if load > 0 && baseline > 0 {
			b.ReportMetric(baseline/load, "x-faster-than-baseline")
			res.Values["speedup_vs_baseline"] = baseline / load
			save(b, res)
		}
	})
	if idx == nil {
		b.Fatal("the filter benchmarks need summaries/open-all")
	}
	b.Run("summaries/index-memory", func(b *testing.B) {
		var before, after runtime.MemStats
		for b.Loop() {
			runtime.GC()
			runtime.ReadMemStats(&before)
			x := core.NewListIndex(nil)
			_ = db.View(bg, keys, func(tx *store.Tx) error {
				sums, err := tx.Summaries(0)
				x = core.NewListIndex(sums)
				return err
			})
			runtime.GC()
			runtime.ReadMemStats(&after)
			runtime.KeepAlive(x)
		}
		perRow := float64(after.HeapAlloc-min(before.HeapAlloc, after.HeapAlloc)) / float64(n)
		b.ReportMetric(perRow, "heap-bytes/invoice")
		save(b, Result{Name: "InvoiceList/summaries/index-memory", Items: n, Passes: 1,
			Values: map[string]float64{"heap_bytes_per_invoice": perRow, "heap_mib_total": perRow * float64(n) / (1 << 20)}})
	})
	filter := func(name string, q core.SearchQuery) {
		b.Run("filter/"+name, func(b *testing.B) {
			m := newMeter(b)
			var total int
			for b.Loop() {
				for range 20 {
					err := m.time(func() error {
						r, err := idx.Search(q)
						total = r.Total
						return err
					})
					if err != nil {
						m.errorf("%v", err)
					}
				}
				m.pass()
			}
			m.res.Values["invoices"] = float64(n)
			m.res.Values["matched"] = float64(total)
			res := m.finish("filters")
			if res.P50MS > 0 && baseline > 0 {
				res.Values["baseline_over_p50"] = baseline * 1000 / res.P50MS
				b.ReportMetric(baseline*1000/res.P50MS, "x-faster-than-baseline")
				save(b, res)
			}
		})
	}
	filter("none-page-200", core.SearchQuery{Offset: n / 2, Limit: 200})
	filter("seller-word", core.SearchQuery{Text: "bergmann", Limit: 200})
	filter("number-prefix", core.SearchQuery{Text: "r2025-00", Limit: 200})
	filter("amount-above", core.SearchQuery{Text: ">5000", Limit: 200})
	filter("status-and-words", core.SearchQuery{Text: "hansa druck", Status: "paid", Limit: 200})
	_ = os.Remove(path)
}
