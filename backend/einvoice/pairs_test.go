package einvoice

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// pairIgnored are the model fields that a UBL and a CII rendering of the
// same invoice cannot be expected to agree on. Each entry says why.
var pairIgnored = []struct {
	pattern *regexp.Regexp
	why     string
}{
	{regexp.MustCompile(`^warnings`), "warnings describe the reading of one syntax (e.g. UBL sub-lines), not the invoice"},
}

// pairKnown are differences where the two files of a published pair
// really disagree. The test fails if such a difference disappears, so
// the list cannot go stale.
//
// Most are the CEN examples, written by hand for different purposes, and
// explicit zeros that one file writes and the other leaves out. The UBL
// "0" tax totals are the mandatory-in-practice cac:TaxTotal of an invoice
// without VAT (category O, or all zero-rated), which CII simply omits.
var pairKnown = map[string]map[string]string{
	"cen-example1": merge(linesOf("unit", 20, "units: UBL EA, CII H87"), map[string]string{
		"notes[0]":       "only the CII file gives the note a subject code (AAR)",
		"lines[1].name":  "UBL PKAAS, CII KAAS",
		"lines[12].name": "UBL CHOCOLADEMEL, CII CHOCOLADEMELK",
	}),
	"cen-example2": merge(linesOf("unit", 4, "units: UBL EA, CII NAR"), map[string]string{
		"lines[0].quantity": "UBL 2, CII 1 (the net amount is 1273.00 in both)",
	}),
	"cen-example7": merge(linesOf("unit", 2, "units: UBL EA, CII C62"), map[string]string{
		"issue_date": "UBL 2013-03-11, CII 2013-05-13",
		"totals.tax": "UBL states a VAT total of 0.00, CII leaves it out",
	}),
	"cen-example8": {
		"lines[2].unit": "UBL KW, CII KWT",
		"lines[3].unit": "UBL KW, CII KWT",
	},
	"xrechnung-01.20a": {
		"seller.address.city":  "placeholders differ: [Seller city] / [City]",
		"seller.address.line1": "placeholders differ: [Seller street] / [Street]",
		"totals.allowances":    "only CII states 0.00",
		"totals.charges":       "only CII states 0.00",
		"totals.prepaid":       "only CII states 0.00",
	},
	"xrechnung-01.21a": {
		"seller.vat_id":     "UBL DE 123456789, CII DE152338654",
		"totals.allowances": "only CII states 0.00",
	},
	"xrechnung-02.01a": {"totals.rounding": "only CII states 0.00"},
	"xrechnung-01.01_comprehensive_test": {
		"buyer.name":      "the UBL file puts the placeholder [Buyer trading name] in RegistrationName (BT-44)",
		"totals.rounding": "only CII states 0.00",
	},
	"xrechnung-01.05_minimal_test": {"totals.tax": "UBL states a VAT total of 0.00 (category O), CII leaves it out"},
	"zugferd-EN16931_Rabatte":      {"notes[1]": "the UBL note has a space after #AAK#"},
}

func linesOf(field string, n int, why string) map[string]string {
	m := map[string]string{}
	for i := 0; i < n; i++ {
		m[fmt.Sprintf("lines[%d].%s", i, field)] = why
	}
	return m
}

func merge(a, b map[string]string) map[string]string {
	for k, v := range b {
		a[k] = v
	}
	return a
}

type pairCase struct{ name, ubl, cii string }

func pairCases() []pairCase {
	var cs []pairCase
	for _, n := range []string{"1", "2", "7", "8"} {
		cs = append(cs, pairCase{"cen-example" + n,
			"en16931-cen-examples/ubl/examples/ubl-tc434-example" + n + ".xml",
			"en16931-cen-examples/cii/examples/CII_example" + n + ".xml"})
	}
	for _, c := range []string{"01.01a", "01.05a", "01.06a", "01.15a", "01.18a", "01.20a", "01.21a", "02.01a", "03.01a"} {
		base := "xrechnung-testsuite/src/test/business-cases/standard/" + c + "-INVOICE_"
		cs = append(cs, pairCase{"xrechnung-" + c, base + "ubl.xml", base + "uncefact.xml"})
	}
	for _, c := range []string{"01.01_comprehensive_test", "01.05_minimal_test", "01.06_minimal_test"} {
		base := "xrechnung-testsuite/src/test/technical-cases/cius/" + c + "_"
		cs = append(cs, pairCase{"xrechnung-" + c, base + "ubl.xml", base + "uncefact.xml"})
	}
	for _, c := range []string{"Einfach", "ElektronischeAdresse", "Gutschrift", "Innergemeinschaftliche_Lieferungen",
		"Miete", "Rabatte", "Rechnungskorrektur", "SEPA_Prenotification"} {
		cs = append(cs, pairCase{"zugferd-EN16931_" + c,
			"zugferd-corpus/XML-Rechnung/UBL/EN16931_" + c + ".ubl.xml",
			"zugferd-corpus/XML-Rechnung/CII/EN16931_" + c + ".cii.xml"})
	}
	return cs
}

// The same invoice in UBL and in CII must give the same model.
func TestPairsAgree(t *testing.T) {
	needCorpus(t)
	for _, c := range pairCases() {
		t.Run(c.name, func(t *testing.T) {
			u, k := flatten(t, mustRead(t, c.ubl)), flatten(t, mustRead(t, c.cii))
			diffs := pairDiff(u, k)
			known := pairKnown[c.name]
			for path, d := range diffs {
				if _, ok := known[path]; !ok {
					t.Errorf("%s: %s", path, d)
				}
			}
			for path, why := range known {
				if _, ok := diffs[path]; !ok {
					t.Errorf("%s: listed as a known difference (%s) but the files agree now", path, why)
				}
			}
			t.Logf("compared %d fields of %s and %s", len(u), c.ubl, c.cii)
		})
	}
}

func pairDiff(u, c map[string]string) map[string]string {
	keys := map[string]bool{}
	for k := range u {
		keys[k] = true
	}
	for k := range c {
		keys[k] = true
	}
	out := map[string]string{}
	var sorted []string
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	for _, k := range sorted {
		if ignoredPath(k) {
			continue
		}
		uv, uok := u[k]
		cv, cok := c[k]
		if uok != cok || uv != cv {
			out[k] = fmt.Sprintf("UBL %s, CII %s", show(uv, uok), show(cv, cok))
		}
	}
	return out
}

func ignoredPath(p string) bool {
	for _, ig := range pairIgnored {
		if ig.pattern.MatchString(p) {
			return true
		}
	}
	return false
}

func show(v string, ok bool) string {
	if !ok {
		return "(absent)"
	}
	if len(v) > 60 {
		v = v[:60] + "…"
	}
	return fmt.Sprintf("%q", strings.TrimSpace(v))
}
