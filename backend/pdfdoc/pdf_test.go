package pdfdoc

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"testing"

	"github.com/smartap/desktop/backend/apperr"
)

// buildPDF writes objects 1..n with a correct xref table; object 1 is the
// catalog. trailerExtra is spliced into the trailer dictionary.
func buildPDF(trailerExtra string, objs ...string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, trailerExtra, xref)
	return b.Bytes()
}

// minimalPDF is one A4 page showing text; extraCatalog goes into the
// catalog, and objects from 5 on may be appended by callers of buildPDF.
func minimalPDF(extraCatalog string, more ...string) []byte {
	content := "BT /F1 12 Tf 72 770 Td (Invoice 2024-0815) Tj ET"
	objs := append([]string{
		"<< /Type /Catalog /Pages 2 0 R " + extraCatalog + " >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
	}, more...)
	return buildPDF("", objs...)
}

func zlibStream(dict string, data []byte) string {
	var z bytes.Buffer
	w := zlib.NewWriter(&z)
	_, _ = w.Write(data)
	_ = w.Close()
	return fmt.Sprintf("<< %s /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream", dict, z.Len(), z.Bytes())
}

// An invoice listed only in the catalog's /AF array (no name tree) is
// found by the pure-Go reader; PDFium alone does not see it.
func TestAFOnlyAttachment(t *testing.T) {
	xml := []byte(`<?xml version="1.0"?><rsm:CrossIndustryInvoice xmlns:rsm="x"/>`)
	// /UF in UTF-16BE with a byte-order mark, as PDF text strings may be;
	// listed twice in /AF, returned once.
	pdf := minimalPDF("/AF [6 0 R 6 0 R]",
		zlibStream("/Type /EmbeddedFile /Subtype /text#2Fxml", xml),
		"<< /Type /Filespec /F (ignored.xml) /UF <FEFF0066006100630074007500720020002D0078002E0078006D006C> /EF << /F 5 0 R >> /AFRelationship /Alternative >>",
	)
	atts, err := engine(t).Attachments(pdf)
	if err != nil {
		t.Fatal(err)
	}
	if len(atts) != 1 || atts[0].Name != "factur -x.xml" || atts[0].Relationship != "Alternative" || !bytes.Equal(atts[0].Data, xml) {
		t.Fatalf("attachments %+v", atts)
	}
	// Not a known name (there is a space in it): chosen by relationship and content.
	if a, ok := InvoiceXML(atts); !ok || a.Name != atts[0].Name {
		t.Fatal("XML with /AFRelationship /Alternative not chosen")
	}
}

func TestOpenErrors(t *testing.T) {
	tests := []struct {
		name string
		pdf  []byte
		want error
		code apperr.Code
	}{
		{"empty", nil, ErrBroken, apperr.InvalidInput},
		{"header only", []byte("%PDF-1.4\n%\xAA\xAB\xAC\xAD\n"), ErrBroken, apperr.InvalidInput},
		{"not a pdf", []byte("hello"), ErrBroken, apperr.InvalidInput},
		{"truncated", minimalPDF("")[:200], ErrBroken, apperr.InvalidInput},
		{"user password", buildPDF("/Encrypt 5 0 R /ID [<00112233445566778899AABBCCDDEEFF> <00112233445566778899AABBCCDDEEFF>]",
			"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
			"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>", "<< >>",
			"<< /Filter /Standard /V 1 /R 2 /O <"+hex32('a')+"> /U <"+hex32('b')+"> /P -4 >>"), ErrEncrypted, apperr.UnsupportedFormat},
		{"unknown security handler", buildPDF("/Encrypt 5 0 R",
			"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
			"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>", "<< >>",
			"<< /Filter /NoSuchHandler /V 9 >>"), ErrEncrypted, apperr.UnsupportedFormat},
	}
	e := engine(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, call := range []func([]byte) error{
				func(b []byte) error { _, err := e.Attachments(b); return err },
				func(b []byte) error { _, err := e.PageText(b); return err },
			} {
				err := call(tc.pdf)
				if !errors.Is(err, tc.want) || apperr.CodeOf(err) != tc.code {
					t.Fatalf("err = %v (code %s), want %v / %s", err, apperr.CodeOf(err), tc.want, tc.code)
				}
				if _, msg, _ := apperr.Public(err); msg == "" {
					t.Fatal("no user message")
				}
			}
		})
	}
}

func hex32(c byte) string { return string(bytes.Repeat([]byte{c}, 64)) }

func TestGeneratedPageText(t *testing.T) {
	pages, err := engine(t).PageText(minimalPDF(""))
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 1 || len(pages[0]) != 1 {
		t.Fatalf("pages %+v", pages)
	}
	r := pages[0][0]
	// Text at baseline y=770 of an 842 pt page: top-left origin puts it
	// near y = 842-770-ascent.
	if r.Page != 1 || r.Text != "Invoice 2024-0815" || r.X < 71 || r.X > 75 || r.Y < 60 || r.Y > 72 || r.H < 6 || r.H > 14 || r.FontSize != 12 {
		t.Fatalf("run %+v", r)
	}
}

func TestGeometryRotation(t *testing.T) {
	g := geometry{l: 0, b: 0, r: 600, t: 800}
	tests := []struct {
		rot        int
		x, y       float64
		wantX, wtY float64
	}{
		{0, 10, 790, 10, 10},  // near top-left stays top-left
		{1, 10, 790, 790, 10}, // left edge goes to the top, top edge to the right
		{2, 10, 790, 590, 790},
		{3, 10, 790, 10, 590},
	}
	for _, tc := range tests {
		g.rot = tc.rot
		x, y := g.point(tc.x, tc.y)
		if x != tc.wantX || y != tc.wtY {
			t.Errorf("rot %d: (%v,%v) → (%v,%v), want (%v,%v)", tc.rot, tc.x, tc.y, x, y, tc.wantX, tc.wtY)
		}
	}
	off := geometry{l: 100, b: 200, r: 700, t: 1000}
	if x, y := off.point(100, 1000); x != 0 || y != 0 {
		t.Errorf("crop box origin not at 0,0: %v,%v", x, y)
	}
}
