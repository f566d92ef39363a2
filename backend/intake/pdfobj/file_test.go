package pdfobj

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const sample = "%PDF-1.7\n" +
	"1 0 obj\n<< /Type /Catalog /Pages 2 0 R /AF [4 0 R] >>\nendobj\n" +
	"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n" +
	"3 0 obj\n<< /Length 5 0 R >>\nstream\nab endstream cd\nendstream\nendobj\n" +
	"4 0 obj\n<< /Type /Filespec /F (a.xml) >>\nendobj\n" +
	"5 0 obj\n15\nendobj\n" +
	"trailer\n<< /Root 1 0 R >>\n" +
	"4 0 obj\n<< /Type /Filespec /F (b.xml) >>\nendobj\n" // an incremental update

func TestScanSample(t *testing.T) {
	f := Scan([]byte(sample), Options{})
	if len(f.Problems) != 0 {
		t.Fatal(f.Problems)
	}
	cat, ok := f.Catalog()
	if !ok || cat.Name("Type") != "Catalog" {
		t.Fatalf("catalog %v", cat)
	}
	fs, _ := f.Dict(cat["AF"].(Array)[0])
	if got := Text(fs["F"].(String)); got != "b.xml" {
		t.Fatalf("later definition should win, got %q", got)
	}
	st, _ := f.Get(3)
	if raw := string(st.(*Stream).Raw); raw != "ab endstream cd" {
		t.Fatalf("indirect /Length not applied: %q", raw)
	}
}

func TestScanObjectStreamAndXRefStream(t *testing.T) {
	inner := "7 0 8 21 << /Type /Catalog >> << /A 9 0 R >>"
	z := zlibBytes([]byte(inner))
	data := fmt.Sprintf("%%PDF-1.5\n6 0 obj\n<< /Type /ObjStm /N 2 /First 9 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream\nendobj\n"+
		"10 0 obj\n<< /Type /XRef /Root 7 0 R /Encrypt 11 0 R /Length 0 >>\nstream\n\nendstream\nendobj\n", len(z), z)
	f := Scan([]byte(data), Options{})
	if len(f.Problems) != 0 {
		t.Fatal(f.Problems)
	}
	if o, ok := f.Get(8); !ok || fmt.Sprint(o) != "map[A:{9 0}]" {
		t.Fatalf("object 8 = %v", o)
	}
	if cat, ok := f.Catalog(); !ok || cat.Name("Type") != "Catalog" {
		t.Fatal("catalog via xref stream /Root not found")
	}
	if !f.Encrypted() {
		t.Fatal("/Encrypt in the xref stream not seen")
	}
	e := f.Objects[1]
	if e.Num != 7 || e.InObjStm != 6 {
		t.Fatalf("object stream entries out of place: %+v", e)
	}
}

func TestScanInsideStreams(t *testing.T) {
	data := "1 0 obj\n<< /Length 30 >>\nstream\n2 0 obj << /Hidden true >> endobj\nendstream\nendobj\n"
	if _, ok := Scan([]byte(data), Options{}).Get(2); ok {
		t.Fatal("object inside stream data used for resolving")
	}
	if _, ok := Scan([]byte(data), Options{LookInsideStreams: true}).Get(2); !ok {
		t.Fatal("object inside stream data not found when asked")
	}
}

func TestResolveLoops(t *testing.T) {
	f := Scan([]byte("1 0 obj 2 0 R endobj 2 0 obj 1 0 R endobj"), Options{})
	if _, ok := f.Resolve(Ref{1, 0}).(Null); !ok {
		t.Fatal("reference loop did not end in null")
	}
	if _, ok := f.Resolve(Ref{99, 0}).(Null); !ok {
		t.Fatal("missing object is not null")
	}
}

func TestScanLimits(t *testing.T) {
	f := Scan([]byte(strings.Repeat("1 0 obj 1 endobj ", 100)), Options{MaxObjects: 10})
	if len(f.Objects) != 10 || len(f.Problems) != 1 {
		t.Fatalf("%d objects, problems %v", len(f.Objects), f.Problems)
	}
}

// Every corpus PDF scans without problems and shows a catalog.
func TestScanCorpus(t *testing.T) {
	dir := "../../../../shared/corpus"
	if _, err := os.Stat(dir); err != nil {
		t.Skip("corpus not present")
	}
	n := 0
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || !strings.HasSuffix(p, ".pdf") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		f := Scan(data, Options{})
		if _, ok := f.Catalog(); !ok && len(data) > 100 {
			t.Errorf("%s: no catalog", p)
		}
		if len(f.Problems) > 0 {
			t.Errorf("%s: %v", p, f.Problems)
		}
		n++
		return nil
	})
	t.Logf("%d corpus PDFs scanned", n)
}

func FuzzScan(f *testing.F) {
	f.Add([]byte(sample))
	f.Add([]byte("1 0 obj << /Type /ObjStm /N 1 /First 3 /Length 6 >> stream\n1 0 /A\nendstream endobj trailer << /Root 1 0 R >>"))
	f.Add([]byte("1 0 obj << /Filter /FlateDecode /DecodeParms << /Predictor 15 /Columns 99999999 >> >> stream\nx\nendstream"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, look := range []bool{false, true} {
			fl := Scan(data, Options{LookInsideStreams: look, Budget: NewBudget(1 << 20)})
			fl.Catalog()
			fl.Encrypted()
			for _, e := range fl.Objects {
				fl.Resolve(e.Obj)
				if st, ok := e.Obj.(*Stream); ok {
					_, _ = fl.Decode(st)
				}
			}
		}
	})
}
