package intake

import (
	"fmt"
	"strings"
	"testing"
)

// security checklist #40: crafted structure must not make the scanner
// quadratic. The test proves each case terminates (a quadratic scanner
// runs into the test timeout at these sizes); BenchmarkScanPDFPathological
// measures the time, since timed assertions in tests are flaky on loaded
// machines.
func TestScanPDFPathological(t *testing.T) {
	for name, data := range pathological(1 << 20) {
		if fs := ScanPDF(data); fs == nil && len(data) == 0 {
			t.Errorf("%q: no result", name)
		}
	}
}

func BenchmarkScanPDFPathological(b *testing.B) {
	cases := pathological(4 << 20)
	for i := 0; i < b.N; i++ {
		for _, data := range cases {
			ScanPDF(data)
		}
	}
}

func pathological(size int) map[string][]byte {
	cases := map[string][]byte{}
	for _, pat := range []string{"trailer<<(", "1 0 obj (", "1 0 obj [", "1 0 obj <<", "obj ", "endstream ",
		"1 0 obj << /Length 5 >> stream\n", "1 0 obj << /Type /ObjStm /N 1000 /First 0 /Length 0 >> stream\nendstream\n"} {
		cases[pat] = []byte("%PDF-1.4\n" + strings.Repeat(pat, size/len(pat)))
	}
	// An object stream whose offsets run backwards: every object would
	// otherwise parse to the end of the stream.
	var hdr strings.Builder
	for i := range 20000 {
		fmt.Fprintf(&hdr, "%d %d ", i+1, 20000-i)
	}
	p := newTestPDF()
	p.addStream(fmt.Sprintf("/Type /ObjStm /N 20000 /First %d", hdr.Len()), []byte(hdr.String()+strings.Repeat("[(", size/2)), true)
	cases["object stream offsets backwards"] = p.bytes(1)
	// Many streams whose /Length points into one long run of spaces.
	var ws strings.Builder
	for i := range 50000 {
		fmt.Fprintf(&ws, "%d 0 obj << /Length 10 >> stream\n", i+1)
	}
	cases["lengths into spaces"] = []byte(ws.String() + strings.Repeat(" ", size) + "endstream")
	return cases
}
