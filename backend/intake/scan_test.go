package intake

import (
	"bytes"
	"encoding/ascii85"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// corpusDir is the shared invoice corpus (MANIFEST.md), seen from here.
const corpusDir = "../../../shared/corpus"

type scanCase struct {
	name string
	pdf  func() []byte
	want []string // substrings, one per expected finding; nil: no findings
}

func withCatalog(extra string, objs ...string) func() []byte {
	return func() []byte {
		p, cat := minimalPDF(extra, "")
		for _, o := range objs {
			p.add(o)
		}
		return p.bytes(cat)
	}
}

// security checklist #29: /JS, /J#61vaScript, compressed objstm, /Launch → flagged.
func scanCases() []scanCase {
	return []scanCase{
		{"clean", withCatalog(""), nil},
		{"plain JavaScript open action", withCatalog("/OpenAction 4 0 R", "<< /S /JavaScript /JS (app.alert(1)) >>"),
			[]string{"/JS)", "/JavaScript)", "/OpenAction"}},
		{"hex-escaped J#61vaScript", withCatalog("", "<< /S /J#61vaScript /J#53 (app.alert(1)) >>"),
			[]string{"/JS)", "/JavaScript)"}},
		{"all escaped #4A#53", withCatalog("", "<< /#4A#53 (x) >>"), []string{"/JS)"}},
		{"repeats make one finding", withCatalog("", "<< /JS (a) >>", "<< /JS (b) >>", "<< /JS (c) >>"),
			[]string{"/JS) in object 4 (and 2 more places)."}},
		{"launch action", withCatalog("", "<< /Type /Action /S /Launch /F (calc.exe) >>"), []string{"/Launch"}},
		{"open action dict URI", withCatalog("/OpenAction << /S /URI /URI (http://example.invalid/) >>"), []string{"/OpenAction"}},
		{"open action indirect dict", withCatalog("/OpenAction 4 0 R", "<< /S /Named /N /Print >>"), []string{"/OpenAction"}},
		{"open action destination array", withCatalog("/OpenAction [3 0 R /XYZ null null 0]"), nil},
		{"open action plain GoTo", withCatalog("/OpenAction << /S /GoTo /D [3 0 R /Fit] >>"), nil},
		{"open action GoTo with Next", withCatalog("/OpenAction << /S /GoTo /D [3 0 R /Fit] /Next 4 0 R >>", "<< /S /URI /URI (x) >>"),
			[]string{"/OpenAction"}},
		{"additional actions", func() []byte {
			p, cat := minimalPDF("", "/AA << /O << /S /URI /URI (x) >> >>")
			return p.bytes(cat)
		}, []string{"/AA)"}},
		{"rich media", withCatalog("", "<< /Type /Annot /Subtype /RichMedia >>"), []string{"/RichMedia"}},
		{"submit form", withCatalog("", "<< /S /SubmitForm /F (http://x) >>"), []string{"/SubmitForm"}},
		{"import data", withCatalog("", "<< /S /ImportData /F (x.fdf) >>"), []string{"/ImportData"}},
		{"GoToR with a file", withCatalog("", "<< /S /GoToR /F (other.pdf) /D [0 /Fit] >>"), []string{"/GoToR"}},
		{"GoToR without a file", withCatalog("", "<< /S /GoToR /D [0 /Fit] >>"), nil},
		{"embedded XML is fine", func() []byte {
			p, cat := minimalPDF("/Names << /EmbeddedFiles << /Names [(factur-x.xml) 5 0 R] >> >> /AF [5 0 R]", "")
			p.addStream("/Type /EmbeddedFile /Subtype /text#2Fxml", []byte("<?xml version='1.0'?><rsm:X>/JS /AA</rsm:X>"), true)
			p.add("<< /Type /Filespec /F (factur-x.xml) /UF (factur-x.xml) /EF << /F 4 0 R >> /AFRelationship /Data >>")
			return p.bytes(cat)
		}, nil},
		{"JS in compressed object stream", func() []byte {
			p, cat := minimalPDF("/OpenAction 5 0 R", "")
			p.addObjStm("ObjStm", "<< /Type /Font >>", "<< /S /JavaScript /JS (app.alert(1)) >>")
			return p.bytes(cat)
		}, []string{"/JS) in object 5 (in compressed object stream 6)", "/JavaScript) in object 5", "/OpenAction"}},
		{"escaped ObjStm type, A85 over Flate", func() []byte {
			p, cat := minimalPDF("", "")
			data := deflate([]byte("5 0 << /JS (x) >>"))
			var a85 bytes.Buffer
			w := ascii85.NewEncoder(&a85)
			_, _ = w.Write(data)
			_ = w.Close()
			a85.WriteString("~>")
			p.add(fmt.Sprintf("<< /Type /Obj#53tm /N 1 /First 4 /Filter [/ASCII85Decode /FlateDecode] /Length %d >>\nstream\n%s\nendstream", a85.Len(), a85.Bytes()))
			return p.bytes(cat)
		}, []string{"/JS) in object 5 (in compressed"}},
		{"junk token before the key", withCatalog("", "<< /X ) } /JS (x) >>"), []string{"/JS)"}},
		{"JS hidden behind a lying /Length", func() []byte {
			p, cat := minimalPDF("", "")
			// /Length swallows object 5, which an xref can still point to.
			hidden := "abc\nendstream\nendobj\n5 0 obj\n<< /S /JavaScript /JS (x) >>\nendobj\n"
			p.add(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(hidden), hidden))
			return p.bytes(cat)
		}, []string{"/JS) in object 5.", "/JavaScript) in object 5."}},
		{"JS in an embedded PDF", func() []byte {
			inner, icat := minimalPDF("/OpenAction 4 0 R", "")
			inner.add("<< /S /JavaScript /JS (x) >>")
			p, cat := minimalPDF("", "")
			p.addStream("/Type /EmbeddedFile /Subtype /application#2Fpdf", inner.bytes(icat), true)
			return p.bytes(cat)
		}, []string{"(/JS) in object 4 of the file embedded in object 4.", "(/JavaScript) in object 4 of the file",
			"(/OpenAction) in object 1 of the file embedded in object 4."}},
		{"object stream that does not decode", func() []byte {
			p, cat := minimalPDF("", "")
			p.add("<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length 8 >>\nstream\nnotzlib!\nendstream")
			return p.bytes(cat)
		}, []string{"could not be inspected"}},
		{"decompression bomb in object stream", func() []byte {
			p, cat := minimalPDF("", "")
			p.addStream("/Type /ObjStm /N 1 /First 4", make([]byte, 16<<20), true)
			return p.bytes(cat)
		}, []string{"more than the inspection limit"}},
	}
}

func TestScanPDF(t *testing.T) {
	for _, tc := range scanCases() {
		t.Run(tc.name, func(t *testing.T) {
			got := ScanPDF(tc.pdf())
			if len(got) != len(tc.want) {
				t.Fatalf("got %d findings, want %d: %+v", len(got), len(tc.want), got)
			}
			for _, w := range tc.want {
				if !anyContains(got, w) {
					t.Errorf("no finding mentions %q: %+v", w, got)
				}
			}
			for _, f := range got {
				wantSev := SeverityCritical
				if f.Code == CodeScanIncomplete {
					wantSev = SeverityWarning
				}
				if f.Severity != wantSev {
					t.Errorf("finding %+v: severity %q, want %q", f, f.Severity, wantSev)
				}
			}
		})
	}
}

func anyContains(fs []Finding, s string) bool {
	for _, f := range fs {
		if strings.Contains(f.Message, s) {
			return true
		}
	}
	return false
}

// Every corpus PDF is a real invoice without active content: none may be
// flagged (Factur-X needs /EmbeddedFile and /AF, which are not findings).
func TestScanPDFCorpus(t *testing.T) {
	files := corpusFiles(t, ".pdf")
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := ScanPDF(data); len(got) != 0 {
			t.Errorf("%s: %+v", path, got)
		}
	}
	t.Logf("%d corpus PDFs scanned, none flagged", len(files))
}

func corpusFiles(t testing.TB, ext string) []string {
	t.Helper()
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skipf("corpus not present: %v", err)
	}
	var out []string
	err := filepath.WalkDir(corpusDir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.EqualFold(filepath.Ext(p), ext) {
			out = append(out, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
