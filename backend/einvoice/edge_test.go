package einvoice

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/invoice"
)

func readOK(t *testing.T, b []byte) invoice.Invoice {
	t.Helper()
	inv, _, err := Read(b)
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

func TestSyntheticCreditNoteKeepsSigns(t *testing.T) {
	inv := readOK(t, synthCII(nil))
	if !inv.IsCreditNote() {
		t.Fatalf("type %s is not a credit note", inv.TypeCode)
	}
	got := []string{inv.Totals.Payable.String(), inv.Totals.Tax.String(), inv.Lines[0].Quantity.String(),
		inv.Lines[0].NetAmount.String(), inv.Lines[0].UnitPrice.String(), inv.Seller.VATID}
	want := []string{"-119.00", "-19.00", "-2.000", "-100.00", "50.00", "DE123456789"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("got %v, want %v", got, want)
	}
	if inv.Confidence != nil || inv.Warnings != nil {
		t.Fatalf("exact read has confidence %v, warnings %v", inv.Confidence, inv.Warnings)
	}
}

func TestEncodings(t *testing.T) {
	cases := []struct {
		name string
		doc  []byte
		want string // seller name
	}{
		{"BOM", append([]byte("\xEF\xBB\xBF"), synthCII(map[string]string{"{{SELLER}}": "Bäcker"})...), "Bäcker"},
		{"UTF-8-W/O-BOM label", synthCII(map[string]string{"{{ENC}}": "UTF-8-W/O-BOM", "{{SELLER}}": "Bäcker"}), "Bäcker"},
		{"lower-case utf-8", synthCII(map[string]string{"{{ENC}}": "utf-8", "{{SELLER}}": "Bäcker"}), "Bäcker"},
		{"ISO-8859-1", latin1(t, synth(ciiTemplate, map[string]string{"{{ENC}}": "ISO-8859-1", "{{SELLER}}": "Müller Straße"})), "Müller Straße"},
		{"windows-1252 euro", bytes.ReplaceAll(synthCII(map[string]string{"{{ENC}}": "windows-1252", "{{SELLER}}": "Preis EUROSIGN"}),
			[]byte("EUROSIGN"), []byte{0x80}), "Preis €"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := readOK(t, c.doc).Seller.Name; got != c.want {
				t.Fatalf("seller = %q, want %q", got, c.want)
			}
		})
	}
	t.Run("unknown label", func(t *testing.T) {
		_, _, err := Read(synthCII(map[string]string{"{{ENC}}": "x-klingon"}))
		wantErr(t, err, ErrUnsupported, apperr.UnsupportedFormat)
	})
}

// The corpus's odd label sits in a Factur-X PDF whose XML is stored
// unfiltered; reading that XML must work (best effort: the label means
// UTF-8).
func TestCorpusUTF8WithoutBOMLabel(t *testing.T) {
	needCorpus(t)
	xmlDoc := pdfXMLStream(t, readCorpus(t, "zugferd-corpus/ZUGFeRDv2/fail/Mustangproject/factur-x-invalid-xml-encoding-attribute.pdf"))
	if !bytes.Contains(xmlDoc[:80], []byte(`encoding="UTF-8-W/O-BOM"`)) {
		t.Fatalf("the extracted XML does not carry the odd label: %q", xmlDoc[:80])
	}
	inv, syntax, err := Read(xmlDoc)
	if err != nil || syntax != SyntaxCII {
		t.Fatalf("syntax %s, err %v", syntax, err)
	}
	if inv.InvoiceNumber != "RE-20201121/508" || inv.IssueDate.String() != "2020-11-21" || len(inv.Lines) == 0 {
		t.Fatalf("read %q %s with %d lines", inv.InvoiceNumber, inv.IssueDate, len(inv.Lines))
	}
}

func TestProfileWithoutLines(t *testing.T) {
	inv := readOK(t, synthCII(map[string]string{"{{LINES}}": ""}))
	if inv.Lines != nil || inv.Totals.Payable == nil {
		t.Fatalf("lines %v, payable %v", inv.Lines, inv.Totals.Payable)
	}
}

func TestSubLinesAreReportedNotKept(t *testing.T) {
	line := func(id, parent string) string {
		return strings.NewReplacer("{{LINEID}}", id, "{{PARENT}}", parent).Replace(ciiLineTemplate)
	}
	doc := synthCII(map[string]string{"{{LINES}}": line("1", "") + line("1.1", "<ram:ParentLineID>1</ram:ParentLineID>")})
	inv := readOK(t, doc)
	if len(inv.Lines) != 1 || len(inv.Warnings) != 1 || !strings.Contains(inv.Warnings[0], "1.1") {
		t.Fatalf("lines %d, warnings %q", len(inv.Lines), inv.Warnings)
	}
}

func TestDates(t *testing.T) {
	for _, c := range []struct{ format, date, want string }{
		{"102", "20240229", "2024-02-29"},
		{"", "20240131", "2024-01-31"},
		{"102", "20230229", ""}, // no such day
		{"102", "2024-01-31", ""},
		{"610", "202401", ""}, // a month, not a day
		{"102", "", "0"},      // absent: the model's zero date
	} {
		inv, _, err := Read(synthCII(map[string]string{"{{FORMAT}}": c.format, "{{DATE}}": c.date}))
		switch {
		case c.want == "0" && (err != nil || !inv.IssueDate.IsZero()):
			t.Errorf("%s %q: %v %v", c.format, c.date, inv.IssueDate, err)
		case c.want == "":
			wantErr(t, err, ErrMalformed, apperr.InvalidInput)
			if !strings.Contains(err.Error(), "BT-2") {
				t.Errorf("error does not name the field: %v", err)
			}
		case c.want != "0" && (err != nil || inv.IssueDate.String() != c.want):
			t.Errorf("%s %q: %v %v", c.format, c.date, inv.IssueDate, err)
		}
	}
	for in, want := range map[string]string{"2015-01-09": "2015-01-09", "2015-01-09Z": "2015-01-09", "2015-01-09+01:00": "2015-01-09"} {
		if d, err := parseISODate("issue date", in); err != nil || d.String() != want {
			t.Errorf("%q: %v %v", in, d, err)
		}
	}
	for _, in := range []string{"09.01.2015", "2015-1-9", "2015-01-09T10:00:00"} {
		_, err := parseISODate("issue date", in)
		wantErr(t, err, ErrMalformed, apperr.InvalidInput)
	}
}

func TestBadAmountNamesTheLine(t *testing.T) {
	doc := synthCII(map[string]string{"{{PAYABLE}}": "1.234,56"})
	_, _, err := Read(doc)
	wantErr(t, err, ErrMalformed, apperr.InvalidInput)
	line := 1 + bytes.Count(doc[:bytes.Index(doc, []byte("1.234,56"))], []byte("\n"))
	if code, msg, _ := apperr.Public(err); code != apperr.InvalidInput || !strings.Contains(msg, "line "+strconv.Itoa(line)) {
		t.Fatalf("public message %q does not name line %d", msg, line)
	}
}

func TestTruncated(t *testing.T) {
	full := synthCII(nil)
	for _, n := range []int{len(full) / 2, len(full) - 30} {
		_, _, err := Read(full[:n])
		wantErr(t, err, ErrMalformed, apperr.InvalidInput)
		if !strings.Contains(err.Error(), "line ") {
			t.Fatalf("no line in %v", err)
		}
	}
}

// No entity is ever expanded: a DOCTYPE before an invoice is refused, and
// an undeclared entity is a syntax error, so a "billion laughs" file costs
// nothing.
func TestDoctypeAndEntities(t *testing.T) {
	laughs := `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">` +
		`<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>`
	_, _, err := Read(synthCII(map[string]string{"{{DOCTYPE}}": "\n" + laughs, "{{SELLER}}": "&lol3;"}))
	wantErr(t, err, ErrMalformed, apperr.InvalidInput)
	_, _, err = Read(synthCII(map[string]string{"{{SELLER}}": "&lol3;"}))
	wantErr(t, err, ErrMalformed, apperr.InvalidInput)
	_, err = Detect([]byte(laughs + `<html><body>&lol3;</body></html>`))
	wantErr(t, err, ErrNotInvoice, apperr.UnsupportedFormat)
}

// A 200 MB document is refused from its length, before a byte is parsed.
func TestSizeCap(t *testing.T) {
	huge := make([]byte, 200<<20) // untouched pages: cheap even under -race
	head := synthCII(nil)
	copy(huge, head[:bytes.Index(head, []byte("<ram:Name>"))+len("<ram:Name>")])
	start := time.Now()
	_, _, err := Read(huge)
	wantErr(t, err, ErrTooLarge, apperr.TooLarge)
	if d := time.Since(start); d > time.Second {
		t.Fatalf("refusing took %v: the input was read", d)
	}
	_, err = Detect(huge[:MaxSize+1])
	wantErr(t, err, ErrTooLarge, apperr.TooLarge)
	for _, f := range []func([]byte) (invoice.Invoice, error){ReadUBL, ReadCII, ReadZUGFeRD1} {
		_, err := f(huge)
		wantErr(t, err, ErrTooLarge, apperr.TooLarge)
	}
	// Just under the cap, a big element (an attachment) is fine.
	big := synthCII(map[string]string{"{{NOTE}}": strings.Repeat("A", MaxSize-len(synthCII(nil))-100)})
	if _, _, err := Read(big); err != nil {
		t.Fatalf("%d bytes: %v", len(big), err)
	}
}

func TestNotInvoices(t *testing.T) {
	for name, doc := range map[string]string{
		"empty":     "",
		"spaces":    "  \n ",
		"html":      "<!DOCTYPE html>\n<html><head><title>Invoice</title></head><body><p>Rechnung<br></body></html>",
		"xhtml":     `<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body/></html>`,
		"ubl order": `<?xml version="1.0"?><Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"><ID>1</ID></Order>`,
		"pdf":       "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
		"json":      `{"invoice_number": "1"}`,
		"text":      "Invoice 123, total 10.00 EUR",
	} {
		t.Run(name, func(t *testing.T) {
			_, _, err := Read([]byte(doc))
			wantErr(t, err, ErrNotInvoice, apperr.UnsupportedFormat)
		})
	}
}

func TestUnsupported(t *testing.T) {
	for name, doc := range map[string]string{
		"old CII namespace": `<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:13"/>`,
		"UBL 1.0 invoice":   `<Invoice xmlns="urn:oasis:names:tc:ubl:schema:xsd:Invoice-1.0"/>`,
		"ZUGFeRD 1 other":   `<rsm:CrossIndustryDocument xmlns:rsm="urn:ferd:CrossIndustryDocument:invoice:2p0"/>`,
		"no namespace":      `<Invoice><ID>1</ID></Invoice>`,
	} {
		t.Run(name, func(t *testing.T) {
			_, _, err := Read([]byte(doc))
			wantErr(t, err, ErrUnsupported, apperr.UnsupportedFormat)
		})
	}
	t.Run("wrong reader", func(t *testing.T) {
		cii := synthCII(nil)
		_, err := ReadUBL(cii)
		wantErr(t, err, ErrUnsupported, apperr.UnsupportedFormat)
		_, err = ReadZUGFeRD1(cii)
		wantErr(t, err, ErrUnsupported, apperr.UnsupportedFormat)
		if _, err := ReadCII(cii); err != nil {
			t.Fatal(err)
		}
	})
}
