package einvoice

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json")

// goldenCases pin the whole model for one file of each kind. The HUF
// example has no separate tax currency (its BT-6 is absent), so BT-111 is
// pinned with the XRechnung CVD case, which declares GBP.
var goldenCases = []struct {
	name, file string
	syntax     Syntax
}{
	{"ubl-invoice", "en16931-cen-examples/ubl/examples/ubl-tc434-example2.xml", SyntaxUBL},
	{"ubl-creditnote", "en16931-cen-examples/ubl/examples/ubl-tc434-creditnote1.xml", SyntaxUBL},
	{"ubl-selfbilled-creditnote", "oasis-ubl-2.1/xml/UBL-SelfBilledCreditNote-2.1-Example.xml", SyntaxUBL},
	{"ubl20-invoice", "oasis-ubl-2.1/xml/UBL-Invoice-2.0-Example.xml", SyntaxUBL},
	{"cii-en16931", "zugferd-corpus/XML-Rechnung/CII/EN16931_Einfach.cii.xml", SyntaxCII},
	{"cii-minimum-bom", "factur-x-akretion/tests/fixtures/xml/factur-x-minimum.xml", SyntaxCII},
	{"cii-basicwl", "factur-x-akretion/tests/fixtures/xml/factur-x-basicwl.xml", SyntaxCII},
	{"zugferd1-comfort", "factur-x-akretion/tests/fixtures/xml/zugferd-comfort.xml", SyntaxZUGFeRD1},
	{"cii-huf", "en16931-cen-examples/cii/examples/huf_example_cii.xml", SyntaxCII},
	{"cii-tax-currency", "xrechnung-testsuite/src/test/business-cases/standard/02.01a-INVOICE_uncefact.xml", SyntaxCII},
}

func TestGolden(t *testing.T) {
	needCorpus(t)
	for _, c := range goldenCases {
		t.Run(c.name, func(t *testing.T) {
			inv, syntax, err := Read(readCorpus(t, c.file))
			if err != nil {
				t.Fatal(err)
			}
			if syntax != c.syntax {
				t.Fatalf("syntax = %s, want %s", syntax, c.syntax)
			}
			got, err := json.MarshalIndent(inv, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", c.name+".golden.json")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s; run with -update after checking the change:\n%s", c.file, path, got)
			}
		})
	}
}
