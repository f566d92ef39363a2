package intake

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"sort"
	"strings"
)

// testPDF writes small PDFs for the scanner tests: numbered objects, an
// optional compressed object stream, a classic xref table and a trailer.
type testPDF struct {
	objs map[int]string // number → body between "obj" and "endobj"
	next int
}

func newTestPDF() *testPDF { return &testPDF{objs: map[int]string{}, next: 1} }

// add appends an object and returns its number.
func (p *testPDF) add(body string) int {
	n := p.next
	p.next++
	p.objs[n] = body
	return n
}

// addStream appends a stream object; dict is the inside of << >> without
// /Length, and flate compresses data and adds /Filter /FlateDecode.
func (p *testPDF) addStream(dict string, data []byte, flate bool) int {
	if flate {
		data = deflate(data)
		dict += " /Filter /FlateDecode"
	}
	return p.add(fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(data), data))
}

// addObjStm puts the given object bodies into one compressed object stream
// and returns their numbers. typeName lets a test hex-escape /ObjStm.
func (p *testPDF) addObjStm(typeName string, bodies ...string) []int {
	var head, body strings.Builder
	nums := make([]int, len(bodies))
	for i, b := range bodies {
		nums[i] = p.next
		p.next++
		fmt.Fprintf(&head, "%d %d ", nums[i], body.Len())
		body.WriteString(b + "\n")
	}
	data := head.String() + body.String()
	p.addStream(fmt.Sprintf("/Type /%s /N %d /First %d", typeName, len(bodies), head.Len()), []byte(data), true)
	return nums
}

// bytes writes the file with object root as /Root.
func (p *testPDF) bytes(root int) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n")
	nums := make([]int, 0, len(p.objs))
	for n := range p.objs {
		nums = append(nums, n)
	}
	sort.Ints(nums)
	offsets := map[int]int{}
	for _, n := range nums {
		offsets[n] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", n, p.objs[n])
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", p.next)
	for n := 1; n < p.next; n++ {
		fmt.Fprintf(&b, "%010d 00000 n \n", offsets[n]) // objects in the object stream get 0: scanners do not care
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n", p.next, root, xref)
	return b.Bytes()
}

// minimalPDF builds catalog, pages and one page; extraCatalog and extraPage
// are spliced into those dictionaries.
func minimalPDF(extraCatalog, extraPage string) (*testPDF, int) {
	p := newTestPDF()
	cat := p.add("") // filled below, once the pages exist
	pages := p.add("")
	page := p.add(fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] %s >>", pages, extraPage))
	p.objs[pages] = fmt.Sprintf("<< /Type /Pages /Kids [%d 0 R] /Count 1 >>", page)
	p.objs[cat] = fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R %s >>", pages, extraCatalog)
	return p, cat
}

func deflate(data []byte) []byte {
	var b bytes.Buffer
	w := zlib.NewWriter(&b)
	_, _ = w.Write(data)
	_ = w.Close()
	return b.Bytes()
}
