package bench

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/smartap/desktop/backend/core"
	"github.com/smartap/desktop/backend/extract"
	"github.com/smartap/desktop/backend/pdfdoc"
	"github.com/smartap/desktop/backend/secret"
	"github.com/smartap/desktop/backend/vault"
)

// BenchmarkEngineStartCold starts PDFium with an empty compilation cache
// folder (a first start after installing or updating: PDFium's
// WebAssembly is compiled to machine code and written to the cache).
func BenchmarkEngineStartCold(b *testing.B) {
	m := newMeter(b)
	for b.Loop() {
		dir := filepath.Join(b.TempDir(), "wazero")
		startOnce(b, m, dir)
		m.pass()
	}
	m.note("each start with a new, empty cache folder; the time includes writing the cache")
	m.finish("starts")
}

// BenchmarkEngineStartWarm starts PDFium from a filled compilation cache
// (every start after the first).
func BenchmarkEngineStartWarm(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "wazero")
	e, err := pdfdoc.NewEngine(bg, dir) // fills the cache
	if err != nil {
		b.Fatal(err)
	}
	_ = e.Close()
	m := newMeter(b)
	for b.Loop() {
		startOnce(b, m, dir)
		m.pass()
	}
	m.note("each start reads the compiled code from a filled cache folder")
	m.finish("starts")
}

func startOnce(b *testing.B, m *meter, dir string) {
	var e *pdfdoc.Engine
	err := m.time(func() error {
		var err error
		e, err = pdfdoc.NewEngine(bg, dir)
		return err
	})
	if err != nil {
		m.errorf("start: %v", err)
		return
	}
	b.StopTimer()
	_ = e.Close()
	b.StartTimer()
}

// countingPDF is a PDF engine stand-in that records when it is started.
type countingPDF struct{ starts atomic.Int32 }

var errFakeEngine = errors.New("bench: stand-in PDF engine")

func (c *countingPDF) start(context.Context) (extract.PDF, error) {
	c.starts.Add(1)
	return nil, errFakeEngine
}

const benchPassword = "correct horse battery staple"

func keychain(tb testing.TB, dir string) vault.Keychain {
	tb.Helper()
	kc, err := vault.OpenKeychain("file:" + filepath.Join(dir, "keys", "device.key"))
	if err != nil {
		tb.Fatal(err)
	}
	return kc
}

// The PDF engine costs seconds and hundreds of MB when its cache is cold:
// it must start on the first PDF, never on the way to the first screen.
// Opening the data folder and unlocking it must not start it, nor must an
// XML import; the first PDF import starts it once, the next does not.
func TestEngineNotStartedByOpen(t *testing.T) {
	needCorpus(t)
	xmlData, err := os.ReadFile(filepath.Join(corpusDir, "zugferd-corpus/XML-Rechnung/CII/EN16931_Einfach.cii.xml"))
	if err != nil {
		t.Skip(err)
	}
	pdfData, err := os.ReadFile(filepath.Join(corpusDir, "zugferd-corpus/XML-Rechnung/FX/EN16931_Einfach.pdf"))
	if err != nil {
		t.Skip(err)
	}
	dir := t.TempDir()
	kc := keychain(t, dir)
	pdf := &countingPDF{}
	opts := core.Options{DataDir: filepath.Join(dir, "data"), Keychain: kc, KDF: vault.MinKDF, PDF: pdf.start}

	c, err := core.Open(bg, opts)
	if err != nil {
		t.Fatal(err)
	}
	s, _, err := c.Init(bg, "alice", secret.NewPassword(benchPassword))
	if err != nil {
		t.Fatal(err)
	}
	s.Lock()
	_ = c.Close()
	afterInit := pdf.starts.Load()

	c, err = core.Open(bg, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s, err = c.Unlock(bg, "alice", secret.NewPassword(benchPassword))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Lock()
	afterUnlock := pdf.starts.Load()
	if _, err := s.Import(bg, "invoice.xml", bytes.NewReader(xmlData)); err != nil {
		t.Fatalf("XML import: %v", err)
	}
	afterXML := pdf.starts.Load()
	_, err1 := s.Import(bg, "invoice.pdf", bytes.NewReader(pdfData))
	afterPDF := pdf.starts.Load()
	_, err2 := s.Import(bg, "invoice2.pdf", bytes.NewReader(withJunk(pdfData, '\n')))
	afterPDF2 := pdf.starts.Load()

	t.Logf("engine starts: after set-up %d, after Open+Unlock %d, after an XML import %d, after a PDF import %d, after a second PDF import %d",
		afterInit, afterUnlock, afterXML, afterPDF, afterPDF2)
	if afterInit != 0 || afterUnlock != 0 || afterXML != 0 {
		t.Errorf("the PDF engine was started before the first PDF (set-up %d, open+unlock %d, XML import %d)", afterInit, afterUnlock, afterXML)
	}
	if afterPDF != 1 || afterPDF2 != 1 {
		t.Errorf("PDF imports started the engine %d then %d times, want 1 then 1", afterPDF, afterPDF2)
	}
	if err1 == nil || err2 == nil {
		t.Errorf("imports through the stand-in engine should fail: %v, %v", err1, err2)
	}
	save(t, Result{Name: "EngineNotStartedByOpen", Values: map[string]float64{
		"starts_after_setup": float64(afterInit), "starts_after_open_unlock": float64(afterUnlock),
		"starts_after_xml_import": float64(afterXML), "starts_after_pdf_import": float64(afterPDF),
		"starts_after_second_pdf_import": float64(afterPDF2), "passed": boolFloat(!t.Failed()),
	}, Notes: []string{"core.Options.PDF is a stand-in that counts its calls; timed nothing"}})
}

func boolFloat(v bool) float64 {
	if v {
		return 1
	}
	return 0
}
