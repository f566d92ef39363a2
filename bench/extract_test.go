package bench

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"testing"

	"github.com/smartap/desktop/backend/extract"
	"github.com/smartap/desktop/backend/intake"
	"github.com/smartap/desktop/backend/invoice"
)

// Reading benchmarks: each pass reads every file of its set once; the
// latencies are per file. The floors read the same bytes with nothing
// built: encoding/xml tokens for XML, PDFium open + page text for PDFs.

// BenchmarkXMLFloor is bare encoding/xml tokenizing of every corpus XML.
func BenchmarkXMLFloor(b *testing.B) {
	files := xmlCorpus(b)
	m := newMeter(b)
	for b.Loop() {
		for _, f := range files {
			if err := m.time(func() error { return tokenize(f.data) }); err != nil {
				m.errorf("%s: %v", f.rel, err)
			}
		}
		m.pass()
	}
	m.res.Values["files"] = float64(len(files))
	m.finish("files")
}

func tokenize(data []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(data))
	for {
		_, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// BenchmarkExtractStructured reads every corpus XML the way an import
// does (intake: size limit, SHA-256, sniffing; then extract). The ground
// truth is the XML itself (einvoice on the same bytes), so the accuracy
// must be 1.0; the UBL and CII files of the same business case are also
// compared with each other (cross-syntax agreement).
func BenchmarkExtractStructured(b *testing.B) {
	files := xmlCorpus(b)
	x := extract.New(nil) // XML never starts the PDF engine
	got := make([]*invoice.Invoice, len(files))
	m := newMeter(b)
	for b.Loop() {
		for i, f := range files {
			err := m.time(func() error {
				data, kind, _, err := intake.Read(bytes.NewReader(f.data), intake.Limits{})
				if err != nil {
					return err
				}
				r, err := x.Extract(bg, data, kind, extract.ModeAuto)
				if err == nil && got[i] == nil {
					got[i] = &r.Invoice
				}
				return err
			})
			if err != nil {
				m.errorf("%s: %v", f.rel, err)
			}
		}
		m.pass()
	}
	b.StopTimer()
	items := make([]scored, len(files))
	for i, f := range files {
		items[i] = scored{name: f.rel, got: got[i], want: f.want}
	}
	m.res.Accuracy = score(items, nil)
	m.res.Values["files"] = float64(len(files))
	m.res.Secondary = crossSyntax(files)
	m.res.SecondaryLabel = "cross-syntax agreement: the UBL file of a business case read against the CII file of the same case"
	m.finish("files")
}

// crossSyntax pairs the corpus's UBL and CII files of one business case
// (MANIFEST.md) and scores the UBL reading against the CII reading.
func crossSyntax(files []xmlFile) *Accuracy {
	byRel := map[string]xmlFile{}
	for _, f := range files {
		byRel[f.rel] = f
	}
	var items []scored
	add := func(ubl, cii string) {
		u, okU := byRel[ubl]
		c, okC := byRel[cii]
		if okU && okC {
			inv := u.want
			items = append(items, scored{name: path.Base(ubl) + " vs " + path.Base(cii), got: &inv, want: c.want})
		}
	}
	for rel := range byRel {
		switch {
		case strings.HasPrefix(rel, "zugferd-corpus/XML-Rechnung/UBL/") && strings.HasSuffix(rel, ".ubl.xml"):
			stem := strings.TrimSuffix(path.Base(rel), ".ubl.xml")
			add(rel, "zugferd-corpus/XML-Rechnung/CII/"+stem+".cii.xml")
		case strings.HasPrefix(rel, "xrechnung-testsuite/") && strings.HasSuffix(rel, "_ubl.xml"):
			add(rel, strings.TrimSuffix(rel, "_ubl.xml")+"_uncefact.xml")
		}
	}
	for _, n := range []string{"1", "2", "7", "8"} {
		add("en16931-cen-examples/ubl/examples/ubl-tc434-example"+n+".xml", "en16931-cen-examples/cii/examples/CII_example"+n+".xml")
	}
	sortScored(items)
	return score(items, nil)
}

func sortScored(items []scored) {
	for i := 1; i < len(items); i++ {
		for j := i; j > 0 && items[j].name < items[j-1].name; j-- {
			items[j], items[j-1] = items[j-1], items[j]
		}
	}
}

// BenchmarkPDFFloor is PDFium opening every PDF of the set and returning
// its positioned page text (pdfdoc.Engine.PageText): the least any
// reading of these PDFs through PDFium costs.
func BenchmarkPDFFloor(b *testing.B) {
	files := pdfCorpus(b)
	e := engine(b)
	m := newMeter(b)
	for b.Loop() {
		for _, f := range files {
			if err := m.time(func() error { _, err := e.PageText(f.data); return err }); err != nil {
				m.errorf("%s: %v", f.rel, err)
			}
		}
		m.pass()
	}
	m.res.Values["files"] = float64(len(files))
	m.finish("files")
}

// BenchmarkExtractFacturX reads every PDF with an embedded invoice as an
// import does (extract.ModeAuto): intake, active-content scan, embedded
// XML, and the visible page read and compared with the XML.
func BenchmarkExtractFacturX(b *testing.B) {
	benchPDF(b, extract.ModeAuto, extract.SourceFacturX, false)
}

// BenchmarkExtractFacturXOnly is the same with extract.ModeStructured:
// the embedded XML only, no page cross-check.
func BenchmarkExtractFacturXOnly(b *testing.B) {
	benchPDF(b, extract.ModeStructured, extract.SourceFacturX, false)
}

// BenchmarkExtractVisual reads the same PDFs from their visible page only
// (extract.ModeVisual: PDFium page text, then backend/pagereader),
// scored against the embedded XML.
func BenchmarkExtractVisual(b *testing.B) {
	benchPDF(b, extract.ModeVisual, extract.SourcePDFText, true)
}

var errWrongSource = errors.New("read from the wrong source")

// benchPDF reads the PDF set in mode; page says the result comes from the
// page, so a file it cannot read is a quality result, not an error.
func benchPDF(b *testing.B, mode extract.Mode, want extract.Source, page bool) {
	files := pdfCorpus(b)
	e := engine(b)
	x := extract.New(func(context.Context) (extract.PDF, error) { return e, nil })
	got := make([]*invoice.Invoice, len(files))
	m := newMeter(b)
	for b.Loop() {
		for i, f := range files {
			err := m.time(func() error {
				data, kind, _, err := intake.Read(bytes.NewReader(f.data), intake.Limits{})
				if err != nil {
					return err
				}
				r, err := x.Extract(bg, data, kind, mode)
				if err != nil {
					return err
				}
				if r.Source != want {
					return fmt.Errorf("%w: read as %s, want %s", errWrongSource, r.Source, want)
				}
				if got[i] == nil {
					got[i] = &r.Invoice
				}
				return nil
			})
			switch {
			case err == nil:
			case page && !errors.Is(err, errWrongSource):
				m.readFailed(baseName(f.rel), err)
			default:
				m.errorf("%s: %v", f.rel, err)
			}
		}
		m.pass()
	}
	b.StopTimer()
	var items []scored
	var excluded []string
	for i, f := range files {
		if page && pageShowsOtherInvoice[baseName(f.rel)] {
			excluded = append(excluded, baseName(f.rel)+": the visible page is another invoice than the XML")
			continue
		}
		items = append(items, scored{name: baseName(f.rel), got: got[i], want: f.want})
	}
	m.res.Accuracy = score(items, excluded)
	m.res.Values["files"] = float64(len(files))
	if len(pdfSkipped) > 0 {
		m.note("corpus PDFs without a readable invoice XML, not in the set: %s", strings.Join(pdfSkipped, "; "))
	}
	m.finish("files")
}
