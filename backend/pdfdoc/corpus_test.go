package pdfdoc

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
)

// corpusDir is the shared invoice corpus (MANIFEST.md), seen from here.
const corpusDir = "../../../shared/corpus"

// brokenPDFs must be refused with ErrBroken; every other corpus PDF opens.
var brokenPDFs = map[string]bool{
	"corrupt-factur-x-waytoosmall.pdf": true, // 15 bytes: a header and nothing else
}

// pageDiffersFromXML are corpus PDFs whose visible page shows another
// invoice than their XML (page of RE-20200620/508, XML of RE-20190610/507
// and RE-20201121/508): exactly the mismatch ARCHITECTURE.md §3.5 calls a
// fraud signal, so the test insists the page reader sees the difference.
var pageDiffersFromXML = map[string]bool{
	"validXRechnung.pdf":                          true,
	"factur-x-invalid-xml-encoding-attribute.pdf": true,
}

// noInvoiceXML are corpus PDFs that carry no invoice.
var noInvoiceXML = map[string]bool{
	"RE-E-974-Hetzner_2016-01-19_R0005532486.pdf": true, // unstructured/: a plain text PDF
}

func corpusPDFs(t testing.TB) []string {
	t.Helper()
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skipf("corpus not present: %v", err)
	}
	var out []string
	_ = filepath.WalkDir(corpusDir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.EqualFold(filepath.Ext(p), ".pdf") {
			out = append(out, p)
		}
		return err
	})
	sort.Strings(out)
	return out
}

func readCorpus(t testing.TB, rel string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(corpusDir, rel))
	if err != nil {
		t.Skipf("corpus file: %v", err)
	}
	return data
}

// folder is the corpus set a file belongs to, for the summary.
func folder(path string) string {
	rel, _ := filepath.Rel(corpusDir, path)
	return strings.SplitN(filepath.ToSlash(rel), "/", 2)[0]
}

type tally struct{ opened, broken, withXML, attachments int }

// Every corpus PDF: broken ones give ErrBroken, the rest open; every
// e-invoice yields its XML under a known name.
func TestCorpusAttachments(t *testing.T) {
	e := engine(t)
	sum := map[string]*tally{}
	for _, path := range corpusPDFs(t) {
		base := filepath.Base(path)
		if sum[folder(path)] == nil {
			sum[folder(path)] = &tally{}
		}
		tl := sum[folder(path)]
		data, _ := os.ReadFile(path)
		atts, err := e.Attachments(data)
		if brokenPDFs[base] || len(data) == 0 {
			if !errors.Is(err, ErrBroken) {
				t.Errorf("%s: err = %v, want ErrBroken", path, err)
			}
			tl.broken++
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		tl.opened++
		tl.attachments += len(atts)
		x, ok := InvoiceXML(atts)
		switch {
		case noInvoiceXML[base]:
			if ok {
				t.Errorf("%s: unexpected invoice %q", path, x.Name)
			}
		case !ok || !knownName(x.Name) || !isXML(x.Data):
			t.Errorf("%s: no invoice XML among %v", path, names(atts))
		default:
			tl.withXML++
		}
	}
	for _, f := range sortedKeys(sum) {
		tl := sum[f]
		t.Logf("%-22s opened %2d, broken %d, with invoice XML %2d, attachments %2d", f, tl.opened, tl.broken, tl.withXML, tl.attachments)
	}
}

func sortedKeys(m map[string]*tally) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func knownName(n string) bool {
	for _, k := range invoiceNames {
		if strings.EqualFold(n, k) {
			return true
		}
	}
	return false
}

func names(atts []Attachment) []string {
	var out []string
	for _, a := range atts {
		out = append(out, a.Name+"/"+a.Relationship)
	}
	return out
}

// MANIFEST.md: for every FX/EN16931_*.pdf the embedded factur-x.xml equals
// CII/EN16931_*.cii.xml, line endings aside.
func TestCorpusXMLMatchesCII(t *testing.T) {
	e := engine(t)
	fx := filepath.Join(corpusDir, "zugferd-corpus/XML-Rechnung/FX")
	pdfs, _ := filepath.Glob(filepath.Join(fx, "EN16931_*.pdf"))
	checked := 0
	for _, p := range pdfs {
		cii, err := os.ReadFile(filepath.Join(fx, "../CII", strings.TrimSuffix(filepath.Base(p), ".pdf")+".cii.xml"))
		if err != nil {
			continue // not every FX invoice has a CII twin
		}
		data, _ := os.ReadFile(p)
		atts, err := e.Attachments(data)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		x, ok := InvoiceXML(atts)
		if !ok || !bytes.Equal(unixEOL(x.Data), unixEOL(cii)) {
			t.Errorf("%s: embedded %q differs from its CII twin", p, x.Name)
		}
		checked++
	}
	if checked < 8 {
		t.Fatalf("only %d FX/CII pairs checked", checked)
	}
	t.Logf("%d FX/CII pairs identical", checked)
}

func unixEOL(b []byte) []byte { return bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n")) }

func TestCorpusSpecialFiles(t *testing.T) {
	e := engine(t)
	tests := []struct {
		file      string
		wantNames []string // all attachments, in order
		wantRel   string   // of the invoice XML
	}{
		// Two attachments, the XML second: chosen by name, not position.
		{"factur-x-akretion/tests/fixtures/pdf/invoice_EN16931.pdf", []string{"Bon_de_livraison.pdf", "factur-x.xml"}, "Source"},
		// PDF 2.0 / PDF/A-4: the file is in /AF (and the name tree).
		{"mustangproject/library/src/test/resources/EXTENDED_Fremdwaehrung_wdis_fx-pdfa4.pdf", []string{"factur-x.xml"}, "Data"},
		// /Names points at the wrong object: only /AF leads to the files.
		{"mustangproject/validator/src/test/resources/corruptedV2PDF.pdf", []string{"factur-x.xml", "ZUGFeRD-invoice.xml"}, "Alternative"},
		// ZUGFeRD 1 and 2 at once: the newer one wins.
		{"zugferd-corpus/ZUGFeRDv2/fail/MustangRE-20171118_506_ZUGFeRD1and2.pdf", []string{"ZUGFeRD-invoice.xml", "factur-x.xml"}, "Alternative"},
	}
	for _, tc := range tests {
		atts, err := e.Attachments(readCorpus(t, tc.file))
		if err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		var got []string
		for _, a := range atts {
			got = append(got, a.Name)
		}
		x, _ := InvoiceXML(atts)
		if strings.Join(got, ",") != strings.Join(tc.wantNames, ",") || x.Name != "factur-x.xml" || x.Relationship != tc.wantRel {
			t.Errorf("%s: attachments %v, chose %q (%s)", tc.file, names(atts), x.Name, x.Relationship)
		}
	}
}

// The PDF/A-4 file's /AF entry, read by the pure-Go path alone, has the
// same bytes PDFium gives for it.
func TestAFReaderAgreesWithPDFium(t *testing.T) {
	pdf := readCorpus(t, "mustangproject/library/src/test/resources/EXTENDED_Fremdwaehrung_wdis_fx-pdfa4.pdf")
	viaAF := afAttachments(pdf, nil)
	atts, err := engine(t).Attachments(pdf)
	if err != nil {
		t.Fatal(err)
	}
	if len(viaAF) != 1 || len(atts) != 1 || viaAF[0].Name != atts[0].Name || !bytes.Equal(viaAF[0].Data, atts[0].Data) || viaAF[0].Relationship != "Data" {
		t.Fatalf("/AF reader %v, PDFium %v", names(viaAF), names(atts))
	}
}

var invoiceIDRe = regexp.MustCompile(`(?s)ExchangedDocument>\s*<[A-Za-z0-9]*:?ID[^>]*>([^<]+)<`)

// The visible page shows the invoice number of the embedded XML: the free
// ground truth for the page reader (MANIFEST.md). Positions stay on an A4
// or Letter page, origin top-left.
func TestCorpusPageText(t *testing.T) {
	e := engine(t)
	pagesRead, checked, start := 0, 0, time.Now()
	for _, path := range corpusPDFs(t) {
		data, _ := os.ReadFile(path)
		if brokenPDFs[filepath.Base(path)] || len(data) == 0 {
			continue
		}
		pages, err := e.PageText(data)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		pagesRead += len(pages)
		checkRuns(t, path, pages)
		atts, _ := e.Attachments(data)
		x, ok := InvoiceXML(atts)
		m := invoiceIDRe.FindSubmatch(x.Data)
		if !ok || m == nil {
			continue
		}
		id := strings.TrimSpace(string(m[1]))
		onPage := strings.Contains(squash(joinRuns(pages)), squash(id))
		if onPage == pageDiffersFromXML[filepath.Base(path)] {
			t.Errorf("%s: invoice number %q on the pages: %v", path, id, onPage)
		}
		checked++
	}
	t.Logf("%d pages read, %v per page (with attachments); invoice number checked in %d PDFs",
		pagesRead, (time.Since(start) / time.Duration(max(1, pagesRead))).Round(10*time.Microsecond), checked)
}

func checkRuns(t *testing.T, path string, pages [][]TextRun) {
	for i, runs := range pages {
		for _, r := range runs {
			if r.Page != i+1 || r.X < -1 || r.Y < -1 || r.X+r.W > 900 || r.Y+r.H > 900 || r.W < 0 || r.H < 0 || r.FontSize <= 0 {
				t.Errorf("%s: odd run %+v", path, r)
				return
			}
		}
	}
}

func joinRuns(pages [][]TextRun) string {
	var b strings.Builder
	for _, runs := range pages {
		for _, r := range runs {
			b.WriteString(r.Text)
			b.WriteByte(' ')
		}
	}
	return b.String()
}

func squash(s string) string { return strings.Join(strings.Fields(s), "") }

func BenchmarkPageText(b *testing.B) {
	e := engine(b)
	pdf := readCorpus(b, "zugferd-corpus/XML-Rechnung/FX/EN16931_Einfach.pdf")
	pages := 0
	for b.Loop() {
		p, err := e.PageText(pdf)
		if err != nil {
			b.Fatal(err)
		}
		pages += len(p)
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(pages)/1000, "ms/page")
}
