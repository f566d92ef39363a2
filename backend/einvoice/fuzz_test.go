package einvoice

import (
	"encoding/json"
	"errors"
	"os"
	"testing"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/invoice"
)

// fuzzSeedFiles are small corpus files, one or two per syntax and quirk;
// large ones would only slow the mutator down.
var fuzzSeedFiles = []string{
	"factur-x-akretion/tests/fixtures/xml/factur-x-minimum.xml", // BOM
	"factur-x-akretion/tests/fixtures/xml/zugferd-basic.xml",
	"factur-x-akretion/tests/fixtures/xml/zugferd-comfort.xml",
	"oasis-ubl-2.1/xml/UBL-Invoice-2.1-Example-Trivial.xml",
	"en16931-cen-examples/ubl/examples/ubl-tc434-creditnote1.xml",
	"xrechnung-testsuite/src/test/technical-cases/cius/01.05_minimal_test_ubl.xml",
	"xrechnung-testsuite/src/test/technical-cases/cius/01.06_minimal_test_uncefact.xml",
}

// addSeeds adds the corpus seeds when the corpus is there (the fuzz
// targets still run without it) and generated documents that reach the
// error paths: truncation, odd encodings, entities, wrong roots.
func addSeeds(f *testing.F) {
	for _, rel := range fuzzSeedFiles {
		if b, err := os.ReadFile(corpusDir + "/" + rel); err == nil {
			f.Add(b)
			f.Add(b[:len(b)/2])
		}
	}
	doc := synthCII(nil)
	for _, b := range [][]byte{
		doc, doc[:len(doc)/3],
		synthCII(map[string]string{"{{ENC}}": "ISO-8859-1", "{{SELLER}}": "M\xfcller"}),
		synthCII(map[string]string{"{{ENC}}": "UTF-8-W/O-BOM"}),
		synthCII(map[string]string{"{{FORMAT}}": "610", "{{DATE}}": "202401"}),
		synthCII(map[string]string{"{{PAYABLE}}": "1e9"}),
		synthCII(map[string]string{"{{DOCTYPE}}": `<!DOCTYPE x [<!ENTITY a "b">]>`}),
		[]byte(`<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><InvoiceLine><SubInvoiceLine/></InvoiceLine></Invoice>`),
		[]byte(`<rsm:CrossIndustryDocument xmlns:rsm="urn:ferd:CrossIndustryDocument:invoice:1p0"/>`),
		[]byte("<html><body>x</body></html>"),
		{},
	} {
		f.Add(b)
	}
}

// checkResult is what every reader must guarantee, whatever the bytes:
// no panic (the fuzzer catches it), an error that is one of the sentinels
// with a code, or an exact, normalized, JSON-encodable invoice.
func checkResult(t *testing.T, inv invoice.Invoice, err error) {
	t.Helper()
	if err != nil {
		known := errors.Is(err, ErrMalformed) || errors.Is(err, ErrUnsupported) ||
			errors.Is(err, ErrNotInvoice) || errors.Is(err, ErrTooLarge)
		if !known || apperr.CodeOf(err) == apperr.Internal {
			t.Fatalf("error without sentinel or code: %v", err)
		}
		return
	}
	if inv.Confidence != nil {
		t.Fatal("structured read with confidence scores")
	}
	before, err := json.Marshal(inv)
	if err != nil {
		t.Fatalf("not JSON-encodable: %v", err)
	}
	inv.Normalize()
	if after, _ := json.Marshal(inv); string(after) != string(before) {
		t.Fatalf("result was not normalized:\n%s\n%s", before, after)
	}
}

func FuzzRead(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		inv, syntax, err := Read(b)
		checkResult(t, inv, err)
		if err == nil {
			if d, derr := Detect(b); derr != nil || d != syntax {
				t.Fatalf("Read says %s, Detect says %s (%v)", syntax, d, derr)
			}
		}
	})
}

func FuzzReadUBL(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		inv, err := ReadUBL(b)
		checkResult(t, inv, err)
	})
}

func FuzzReadCII(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		inv, err := ReadCII(b)
		checkResult(t, inv, err)
	})
}

func FuzzReadZUGFeRD1(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		inv, err := ReadZUGFeRD1(b)
		checkResult(t, inv, err)
	})
}
