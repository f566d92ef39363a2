package bench

import (
	"bytes"
	"context"
	"crypto/sha256"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/core"
	"github.com/smartap/desktop/backend/extract"
	"github.com/smartap/desktop/backend/pdfdoc"
	"github.com/smartap/desktop/backend/secret"
	"github.com/smartap/desktop/backend/vault"
)

// importGoal is the target for 1,000 Factur-X imports on this machine.
const importGoal = 30 * time.Second

// BenchmarkImportFacturX imports Factur-X PDFs through core.Session.Import
// (intake, exact-duplicate look-up, extract with the page cross-check,
// checks and 3-way match, sealed original in attachments/, sealed invoice
// row, audit entry; one transaction each) into a new data folder. The
// corpus's distinct PDFs are imported round-robin; every copy carries one
// byte after %%EOF, different per copy, so the exact-duplicate refusal
// does not stop it, and every import must still read the same invoice
// from the embedded XML. The first import starts PDFium (warm cache), as
// in the app. BENCH_FULL=1: 1,000 imports; default: each PDF once.
func BenchmarkImportFacturX(b *testing.B) {
	files := distinctPDFs(b)
	n := size(1000, len(files))
	if copies := (n + len(files) - 1) / len(files); copies > maxCopies {
		b.Fatalf("%d copies per PDF: junkByte has %d distinct values", copies, maxCopies)
	}
	warm := warmCacheDir(b)
	engine(b) // fills the cache if it is cold: the import measures a warm start
	m := newMeter(b)
	var engineStart time.Duration
	for b.Loop() {
		b.StopTimer()
		dir := b.TempDir()
		var mu sync.Mutex
		var started []*pdfdoc.Engine
		opts := core.Options{DataDir: filepath.Join(dir, "data"), Keychain: keychain(b, dir), KDF: vault.MinKDF,
			PDF: func(ctx context.Context) (extract.PDF, error) {
				t0 := time.Now()
				e, err := pdfdoc.NewEngine(ctx, warm)
				mu.Lock()
				defer mu.Unlock()
				engineStart = time.Since(t0)
				if err != nil {
					return nil, err
				}
				started = append(started, e)
				return e, nil
			}}
		c, err := core.Open(bg, opts)
		if err != nil {
			b.Fatal(err)
		}
		s, _, err := c.Init(bg, "alice", secret.NewPassword(benchPassword))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		var last []byte
		for k := range n {
			f := files[k%len(files)]
			copyNo := k / len(files)
			data := withJunk(f.data, junkByte(copyNo))
			var res core.ImportResult
			err := m.time(func() error {
				var err error
				res, err = s.Import(bg, baseName(f.rel), bytes.NewReader(data))
				return err
			})
			switch {
			case err != nil:
				m.errorf("import %s copy %d: %v", f.rel, copyNo, err)
			case res.Source != extract.SourceFacturX:
				m.errorf("import %s copy %d: read as %s, not from the embedded XML", f.rel, copyNo, res.Source)
			case res.Invoice.InvoiceNumber != f.want.InvoiceNumber || fieldText(res.Invoice, "totals.payable") != fieldText(f.want, "totals.payable"):
				m.errorf("import %s copy %d: read %s / %s, want %s / %s", f.rel, copyNo, res.Invoice.InvoiceNumber,
					fieldText(res.Invoice, "totals.payable"), f.want.InvoiceNumber, fieldText(f.want, "totals.payable"))
			}
			last = data
		}
		b.StopTimer()
		// The same bytes again must be refused as an exact duplicate.
		if _, err := s.Import(bg, "again.pdf", bytes.NewReader(last)); apperr.CodeOf(err) != apperr.Duplicate {
			m.errorf("re-import of identical bytes: got %v, want a duplicate refusal", err)
		}
		s.Lock()
		_ = c.Close()
		for _, e := range started {
			_ = e.Close()
		}
		m.pass()
		b.StartTimer()
	}
	b.StopTimer()
	m.res.Values["imports"] = float64(n)
	m.res.Values["distinct_pdfs"] = float64(len(files))
	m.res.Values["max_copies_per_pdf"] = float64((n + len(files) - 1) / len(files))
	m.res.Values["total_s"] = m.sumSeconds() / float64(max(m.passes, 1))
	m.res.Values["goal_s"] = importGoal.Seconds()
	m.res.Values["engine_start_ms"] = float64(engineStart) / float64(time.Millisecond)
	m.note("sequential imports: each import is one SQLite transaction on the store's single connection, and PDFium runs one call at a time")
	m.note("the first import includes starting PDFium from the warm compilation cache (engine_start_ms)")
	m.finish("imports")
}

func (m *meter) sumSeconds() float64 {
	var sum time.Duration
	for _, d := range m.lat {
		sum += d
	}
	return sum.Seconds()
}

// junkByte is the byte appended to copy number i: printable, distinct
// for up to maxCopies copies.
func junkByte(i int) byte { return byte('!' + i%maxCopies) }

const maxCopies = 94

// distinctPDFs is the corpus PDFs with an invoice XML, each content once
// (two corpus files are byte-identical, and the same bytes twice would be
// refused as a duplicate).
func distinctPDFs(tb testing.TB) []pdfFile {
	tb.Helper()
	seen := map[[32]byte]bool{}
	var out []pdfFile
	for _, f := range pdfCorpus(tb) {
		sum := sha256.Sum256(f.data)
		if seen[sum] {
			continue
		}
		if !hasEOF(f.data) {
			tb.Logf("%s: no %%%%EOF in its last 1 KiB; junk is appended at the very end anyway", f.rel)
		}
		seen[sum] = true
		out = append(out, f)
	}
	return out
}
