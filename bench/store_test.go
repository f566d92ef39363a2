package bench

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	mrand "math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/einvoice"
	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/seal"
	"github.com/smartap/desktop/backend/secret"
	"github.com/smartap/desktop/backend/store"
	"github.com/smartap/desktop/backend/vendor"
)

// Store benchmarks: BENCH_FULL=1 stores 100,000 invoices, the default
// 2,000. They are generated from a few corpus invoices (1 to 20 lines)
// with other sellers, numbers, dates, amounts and statuses.

// queryGoal is the p99 target for list, find and filter over the store.
const queryGoal = 100 * time.Millisecond

const (
	txSize   = 1000 // invoices per transaction, as the brief says
	nSellers = 500
)

// storeTemplates are the corpus invoices the generated ones are made from.
var storeTemplates = []string{
	"zugferd-corpus/XML-Rechnung/CII/EN16931_Einfach.cii.xml",
	"zugferd-corpus/XML-Rechnung/CII/EN16931_Rabatte.cii.xml",
	"en16931-cen-examples/cii/examples/CII_example2.xml",
	"en16931-cen-examples/cii/examples/CII_example8.xml",
	"en16931-cen-examples/cii/examples/CII_example1.xml",
}

var sellerNames = []string{"Nordwind Handel", "Bergmann Bürobedarf", "Rheinkraft Energie", "Lumière Fournitures",
	"Van Dijk Logistiek", "Alpen Metallbau", "Hansa Druck", "Müller & Söhne Elektro"}

// statusPerMille is how the generated invoices are spread over the
// statuses: a store with a history is mostly paid.
var statusPerMille = []struct {
	status invoice.Status
	n      int
}{
	{invoice.StatusPaid, 700}, {invoice.StatusExported, 100}, {invoice.StatusApproved, 50},
	{invoice.StatusReadyForApproval, 50}, {invoice.StatusNeedsReview, 50}, {invoice.StatusExtracted, 30},
	{invoice.StatusOnHold, 10}, {invoice.StatusRejected, 5}, {invoice.StatusVoid, 5},
}

func statusOf(i int) invoice.State {
	k := (i*7919 + 13) % 1000
	for _, s := range statusPerMille {
		if k < s.n {
			if s.status == invoice.StatusOnHold {
				return invoice.State{Status: s.status, HeldFrom: invoice.StatusNeedsReview}
			}
			return invoice.State{Status: s.status}
		}
		k -= s.n
	}
	return invoice.State{Status: invoice.StatusPaid}
}

// generator makes invoice number i, the same for every run.
type generator struct {
	templates []invoice.Invoice
	base      time.Time
}

func newGenerator(tb testing.TB) *generator {
	tb.Helper()
	needCorpus(tb)
	g := &generator{base: time.Date(2024, 1, 1, 8, 0, 0, 0, time.UTC)}
	for _, rel := range storeTemplates {
		data, err := os.ReadFile(filepath.Join(corpusDir, rel))
		if err != nil {
			tb.Fatal(err)
		}
		inv, _, err := einvoice.Read(data)
		if err != nil {
			tb.Fatalf("%s: %v", rel, err)
		}
		g.templates = append(g.templates, inv)
	}
	return g
}

func (g *generator) rng(i int) *mrand.Rand { return mrand.New(mrand.NewPCG(uint64(i), 0x5eed)) } // #nosec G404 -- test data

// header is invoice i's seller and number (what the blind index covers).
func (g *generator) header(i int) invoice.Invoice {
	r := g.rng(i)
	s := r.IntN(nSellers)
	inv := g.templates[i%len(g.templates)]
	inv.Seller.Name = fmt.Sprintf("%s %03d GmbH", sellerNames[s%len(sellerNames)], s)
	inv.Seller.VATID = fmt.Sprintf("DE%09d", 100000000+s*7919)
	inv.InvoiceNumber = fmt.Sprintf("R%d-%07d", 2024+i%3, i)
	return inv
}

// record is invoice i as the store keeps it.
func (g *generator) record(i int) store.InvoiceRecord {
	inv := g.header(i)
	r := g.rng(i + 1<<40)
	m := decimal.NewFromInt(int64(1 + r.IntN(9)))
	mul := func(d *decimal.Decimal) *decimal.Decimal {
		if d == nil {
			return nil
		}
		v := d.Mul(m)
		return &v
	}
	t := &inv.Totals
	t.LineNet, t.Allowances, t.Charges, t.TaxExclusive = mul(t.LineNet), mul(t.Allowances), mul(t.Charges), mul(t.TaxExclusive)
	t.Tax, t.TaxInclusive, t.Prepaid, t.Payable = mul(t.Tax), mul(t.TaxInclusive), mul(t.Prepaid), mul(t.Payable)
	inv.TaxBreakdown = append([]invoice.TaxSubtotal(nil), inv.TaxBreakdown...)
	for k := range inv.TaxBreakdown {
		inv.TaxBreakdown[k].Taxable, inv.TaxBreakdown[k].Tax = mul(inv.TaxBreakdown[k].Taxable), mul(inv.TaxBreakdown[k].Tax)
	}
	inv.Lines = append([]invoice.Line(nil), inv.Lines...)
	for k := range inv.Lines {
		inv.Lines[k].Quantity, inv.Lines[k].NetAmount = mul(inv.Lines[k].Quantity), mul(inv.Lines[k].NetAmount)
	}
	created := g.base.Add(time.Duration(i) * 10 * time.Minute / 7)
	inv.IssueDate = invoice.DateOf(created.AddDate(0, 0, -r.IntN(5)))
	inv.DueDate = inv.IssueDate.AddDays(30)
	sum := make([]byte, 32)
	att := make([]byte, 32)
	for k := range sum {
		sum[k], att[k] = byte(r.Uint32()), byte(r.Uint32())
	}
	sha := hex.EncodeToString(sum)
	state := statusOf(i)
	rec := store.InvoiceRecord{
		ID: uuid.Must(uuid.NewV7()).String(), State: state, Invoice: inv, SHA256: sha, CreatedAt: created, UpdatedAt: created,
		Source: store.InvoiceSource{Reader: "facturx", Kind: "pdf", FileName: "Rechnung_" + inv.InvoiceNumber + ".pdf",
			Size: int64(100_000 + r.IntN(900_000)), SHA256: sha, Attachment: hex.EncodeToString(att), XMLName: "factur-x.xml",
			ImportedBy: "alice", ImportedAt: created.Format(time.RFC3339)},
		Findings: []store.Finding{{Code: "vendor_unknown", Severity: "warning",
			Message: "the seller is not in the vendor master", Fields: []string{"seller.name", "seller.vat_id"}}},
	}
	switch state.Status {
	case invoice.StatusApproved, invoice.StatusExported, invoice.StatusPaid:
		at := created.Add(26 * time.Hour).Format(time.RFC3339)
		rec.Workflow = store.Workflow{CostCentre: fmt.Sprintf("CC-%03d", r.IntN(40)), SubmittedAt: at, SubmittedBy: "alice",
			Approvals: []store.Approval{{By: "bob", At: at, Level: 1, Rule: "amount below 10,000"}}}
	}
	return rec
}

// storeKeys are random keys for the benchmark's sealed store.
func storeKeys(tb testing.TB) *store.Keys {
	tb.Helper()
	k1, err := secret.Random(32)
	if err != nil {
		tb.Fatal(err)
	}
	k2, err := secret.Random(32)
	if err != nil {
		tb.Fatal(err)
	}
	s, err := seal.New(k1)
	if err != nil {
		tb.Fatal(err)
	}
	return &store.Keys{Sealer: s, Index: seal.NewIndexer(k2)}
}

// rawOpen opens a store file with database/sql and the store's settings
// (WAL, synchronous=FULL, foreign keys, immediate transactions, secure
// delete, one connection): the plain-SQLite side of the comparison.
func rawOpen(tb testing.TB, path string) *sql.DB {
	tb.Helper()
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", "FULL")
	q.Set("_foreign_keys", "on")
	q.Set("_busy_timeout", "10000")
	q.Set("_txlock", "immediate")
	q.Set("_secure_delete", "on")
	q.Set("mode", "rwc")
	db, err := sql.Open("sqlite3", "file:"+path+"?"+q.Encode())
	if err != nil {
		tb.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	return db
}

// storeFixture is a sealed store filled by the insert benchmark, which the
// query benchmarks read.
type storeFixture struct {
	db   *store.DB
	keys *store.Keys
	path string
	n    int
}

const insertSQL = `INSERT INTO invoices(id, status, held_from, vendor_id, content, source, findings, workflow, number_index, sha_index, created_at, updated_at)
		VALUES(?,?,?,?,?,?,?,?,?,?,?,?)`

// BenchmarkStore inserts N sealed invoices through backend/store in
// transactions of 1,000, then the same number of plain rows of the same
// byte sizes straight into SQLite with the same schema and settings; then
// queries the sealed store. The sub-benchmarks run in this order.
func BenchmarkStore(b *testing.B) {
	n := size(100_000, 2_000)
	g := newGenerator(b)
	root := b.TempDir()
	keys := storeKeys(b)
	var fx *storeFixture
	defer func() {
		if fx != nil {
			_ = fx.db.Close()
		}
	}()
	var sealedBytes int64

	b.Run("insert/sealed", func(b *testing.B) {
		m := newMeter(b)
		m.perSample = txSize
		for b.Loop() {
			b.StopTimer()
			if fx != nil {
				_ = fx.db.Close()
				_ = os.RemoveAll(filepath.Dir(fx.path))
			}
			dir, _ := os.MkdirTemp(root, "sealed")
			path := filepath.Join(dir, "smartap.db")
			db, err := store.Open(bg, path)
			if err != nil {
				b.Fatal(err)
			}
			fx = &storeFixture{db: db, keys: keys, path: path, n: n}
			for lo := 0; lo < n; lo += txSize {
				batch := make([]store.InvoiceRecord, 0, txSize)
				for i := lo; i < min(lo+txSize, n); i++ {
					batch = append(batch, g.record(i))
				}
				var err error
				m.measureAlloc(func() {
					t0 := time.Now()
					b.StartTimer()
					err = db.Update(bg, keys, func(tx *store.Tx) error {
						for _, r := range batch {
							if err := tx.InsertInvoice(r); err != nil {
								return err
							}
						}
						return nil
					})
					b.StopTimer()
					m.add(time.Since(t0))
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			m.pass()
			b.StartTimer()
		}
		b.StopTimer()
		sealedBytes = rowBytes(b, fx.path)
		m.res.Values["invoices"] = float64(n)
		m.res.Values["row_bytes_total"] = float64(sealedBytes)
		m.res.Values["avg_row_bytes"] = float64(sealedBytes) / float64(n)
		m.res.Values["avg_lines"] = avgLines(g, n)
		m.note("each transaction: %d × store.Tx.InsertInvoice (JSON, XChaCha20-Poly1305 sealing of content, source, findings and workflow, two HMAC blind indexes, INSERT); latencies are per transaction", txSize)
		m.finish("invoices")
	})

	b.Run("insert/plain", func(b *testing.B) {
		junk := make([]byte, 1<<20)
		_, _ = rand.Read(junk)
		m := newMeter(b)
		m.perSample = txSize
		var plainBytes int64
		for b.Loop() {
			b.StopTimer()
			dir, _ := os.MkdirTemp(root, "plain")
			path := filepath.Join(dir, "smartap.db")
			sdb, err := store.Open(bg, path) // the same schema, by the same migrations
			if err != nil {
				b.Fatal(err)
			}
			_ = sdb.Close()
			db := rawOpen(b, path)
			plainBytes = 0
			for lo := 0; lo < n; lo += txSize {
				rows := make([][]any, 0, txSize)
				for i := lo; i < min(lo+txSize, n); i++ {
					row, size := plainRow(g.record(i), junk, i)
					plainBytes += size
					rows = append(rows, row)
				}
				var err error
				m.measureAlloc(func() {
					t0 := time.Now()
					b.StartTimer()
					err = plainInsert(db, rows)
					b.StopTimer()
					m.add(time.Since(t0))
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			_ = db.Close()
			_ = os.RemoveAll(dir)
			m.pass()
			b.StartTimer()
		}
		b.StopTimer()
		m.res.Values["invoices"] = float64(n)
		m.res.Values["row_bytes_total"] = float64(plainBytes)
		m.res.Values["avg_row_bytes"] = float64(plainBytes) / float64(n)
		if sealedBytes > 0 && sealedBytes != plainBytes {
			m.note("row bytes differ from the sealed run: sealed %d, plain %d", sealedBytes, plainBytes)
		}
		m.note("the same INSERT statement and table, random bytes of each sealed column's length (incompressible, like ciphertext), random 16-byte index values; no JSON, no sealing, no HMAC")
		m.finish("invoices")
	})

	if fx == nil { // insert/sealed filtered out: fill a store for the queries
		b.Fatal("the query benchmarks need insert/sealed (run BenchmarkStore whole)")
	}
	raw := rawOpen(b, fx.path)
	defer raw.Close()

	queries := func(name string, k int, extra map[string]float64, fn func(m *meter, q int) (rows int, err error)) {
		b.Run(name, func(b *testing.B) {
			m := newMeter(b)
			var rowsSum, count int
			for b.Loop() {
				for q := range k {
					var rows int
					err := m.time(func() error {
						var err error
						rows, err = fn(m, q)
						return err
					})
					if err != nil {
						m.errorf("%v", err)
					}
					rowsSum += rows
					count++
				}
				m.pass()
			}
			for k, v := range extra {
				m.res.Values[k] = v
			}
			m.res.Values["invoices_in_store"] = float64(fx.n)
			m.res.Values["avg_rows_returned"] = float64(rowsSum) / float64(max(count, 1))
			m.res.Values["goal_p99_ms"] = float64(queryGoal) / float64(time.Millisecond)
			m.finish("queries")
		})
	}
	count := func(status invoice.Status) int {
		var c int
		_ = raw.QueryRow("SELECT count(*) FROM invoices WHERE status = ?", string(status)).Scan(&c)
		return c
	}

	needsReview := map[string]float64{"rows_of_status": float64(count(invoice.StatusNeedsReview))}
	paid := map[string]float64{"rows_of_status": float64(count(invoice.StatusPaid))}
	queries("query/list-newest-100-needs_review", size(20, 5), needsReview, func(_ *meter, _ int) (int, error) {
		var page []store.InvoiceRecord
		err := fx.db.View(bg, fx.keys, func(tx *store.Tx) error {
			rs, err := tx.InvoicesPage(invoice.StatusNeedsReview, 100)
			page = rs[:min(100, len(rs))]
			return err
		})
		return len(page), err
	})
	queries("query/find-by-seller-number", size(2000, 200), nil, func(_ *meter, q int) (int, error) {
		i := int(uint64(q)*2654435761) % fx.n
		want := g.header(i)
		var rs []store.InvoiceRecord
		err := fx.db.View(bg, fx.keys, func(tx *store.Tx) error {
			var err error
			rs, err = tx.InvoicesByNumber(want)
			return err
		})
		if err == nil && (len(rs) == 0 || rs[0].Invoice.InvoiceNumber != want.InvoiceNumber) {
			err = fmt.Errorf("invoice %s of %s not found by the blind index", want.InvoiceNumber, want.Seller.VATID)
		}
		return len(rs), err
	})
	queries("query/filter-status-paid", size(5, 3), paid, func(_ *meter, _ int) (int, error) {
		var n int
		err := fx.db.View(bg, fx.keys, func(tx *store.Tx) error {
			rs, err := tx.Invoices(invoice.StatusPaid)
			n = len(rs)
			return err
		})
		return n, err
	})
	queries("query/search-seller-name", size(3, 2), nil, func(_ *meter, _ int) (int, error) {
		needle := vendor.MatchName(sellerNames[1])
		var n int
		err := fx.db.View(bg, fx.keys, func(tx *store.Tx) error {
			rs, err := tx.Invoices("")
			for _, r := range rs {
				if strings.Contains(vendor.MatchName(r.Invoice.Seller.Name), needle) {
					n++
				}
			}
			return err
		})
		return n, err
	})
	queries("query/sql-floor-list-newest-100-needs_review", size(200, 50), needsReview, func(_ *meter, _ int) (int, error) {
		return rawScan(raw, "SELECT id, content, source, findings, workflow FROM invoices WHERE status = ? ORDER BY created_at DESC, id DESC LIMIT 100", string(invoice.StatusNeedsReview))
	})
	queries("query/sql-floor-filter-status-paid", size(5, 3), paid, func(_ *meter, _ int) (int, error) {
		return rawScan(raw, "SELECT id, content, source, findings, workflow FROM invoices WHERE status = ? ORDER BY created_at DESC, id DESC", string(invoice.StatusPaid))
	})
}

// plainRow is the row the sealed store would write for r, with random
// bytes of the sealed columns' lengths; size is its content bytes.
func plainRow(r store.InvoiceRecord, junk []byte, i int) ([]any, int64) {
	sealedLen := func(v any) int {
		b, _ := json.Marshal(v)
		return len(b) + seal.Overhead
	}
	off := (i * 7919) % (len(junk) / 2)
	part := func(n int) []byte { return junk[off : off+n] }
	content, source := part(sealedLen(r.Invoice)), part(sealedLen(r.Source))
	findings, wf := part(sealedLen(r.Findings)), part(sealedLen(r.Workflow))
	num, sha := junk[off+1:off+17], junk[off+17:off+33]
	created := r.CreatedAt.UTC().Format(time.RFC3339Nano)
	size := int64(len(content) + len(source) + len(findings) + len(wf))
	return []any{r.ID, string(r.State.Status), string(r.State.HeldFrom), nil, content, source, findings, wf, num, sha, created, created}, size
}

func plainInsert(db *sql.DB, rows [][]any) error {
	tx, err := db.BeginTx(bg, nil)
	if err != nil {
		return err
	}
	for _, row := range rows {
		if _, err := tx.Exec(insertSQL, row...); err != nil {
			_ = tx.Rollback()
			return err
		}
	}
	return tx.Commit()
}

// rowBytes sums the sealed columns' lengths of a store file.
func rowBytes(tb testing.TB, path string) int64 {
	tb.Helper()
	db := rawOpen(tb, path)
	defer db.Close()
	var n int64
	if err := db.QueryRow("SELECT COALESCE(SUM(length(content)+length(source)+length(findings)+length(workflow)), 0) FROM invoices").Scan(&n); err != nil {
		tb.Fatal(err)
	}
	return n
}

func rawScan(db *sql.DB, q string, args ...any) (int, error) {
	rows, err := db.Query(q, args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id string
		var c, s, f, w []byte
		if err := rows.Scan(&id, &c, &s, &f, &w); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}

func avgLines(g *generator, n int) float64 {
	total := 0
	for i := range n {
		total += len(g.templates[i%len(g.templates)].Lines)
	}
	return float64(total) / float64(n)
}
