package intake

import (
	"bytes"
	"errors"
	"os"
	"testing"

	"github.com/smartap/desktop/backend/apperr"
)

// security checklist #40: the parsers survive arbitrary input. The seeds
// below also run in plain `go test`.

func FuzzSniff(f *testing.F) {
	for _, s := range []string{
		"%PDF-1.7\n", "\r\n%PDF-1.4", "\x89PNG\r\n\x1a\n", "\xFF\xD8\xFF\xE0", "II*\x00", "MM\x00*",
		"<?xml version=\"1.0\"?><Invoice/>", "\xEF\xBB\xBF<Invoice/>", "\xFF\xFE<\x00a\x00/\x00>\x00",
		"MZ\x90\x00", "PK\x03\x04", "<html>", "<!DOCTYPE html>", "<svg/>", "<script>", "<!-- x --><a/>",
		"<!DOCTYPE a [<!ENTITY x '>'>]><a/>", "",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, head []byte) {
		kind, err := Sniff(head)
		if err != nil {
			if kind != "" || !errors.Is(err, ErrUnsupported) || apperr.CodeOf(err) != apperr.UnsupportedFormat {
				t.Fatalf("Sniff = %q, %v", kind, err)
			}
			return
		}
		switch kind {
		case KindPNG, KindJPEG, KindTIFF, KindXML:
		case KindPDF:
			if i := bytes.Index(head, []byte("%PDF-")); i < 0 || i > maxPDFJunk || bytes.IndexByte(head[:i], '<') >= 0 {
				t.Fatalf("accepted as PDF: %q", head)
			}
		default:
			t.Fatalf("unknown kind %q", kind)
		}
	})
}

func FuzzScanPDF(f *testing.F) {
	for _, tc := range scanCases() {
		if tc.name != "decompression bomb in object stream" { // too big to be a useful seed
			f.Add(tc.pdf())
		}
	}
	f.Add([]byte("1 0 obj << /A [[[[[[ (((( >> endobj"))
	f.Add([]byte("1 0 obj << /Type /ObjStm /N 99999999 /First -1 /Length 0 >> stream\nendstream"))
	if data, err := os.ReadFile(corpusDir + "/mustangproject/library/src/test/resources/EN16931_Einfach.pdf"); err == nil {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, fd := range ScanPDF(data) {
			switch {
			case fd.Code == CodeActiveContent && fd.Severity == SeverityCritical:
			case fd.Code == CodeScanIncomplete && fd.Severity == SeverityWarning:
			default:
				t.Fatalf("bad finding %+v", fd)
			}
		}
	})
}

func FuzzSanitizeName(f *testing.F) {
	for _, s := range []string{"../../x", `C:\Windows\x.pdf`, "a\x00b", "in\u202Efdp.exe", "", ".", "..", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := SanitizeName(in)
		checkName(t, in, got)
		if again := SanitizeName(got); again != got {
			t.Fatalf("not idempotent: %q → %q → %q", in, got, again)
		}
	})
}
