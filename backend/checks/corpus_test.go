package checks

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestCorpus runs every corpus invoice through Run with an empty Context,
// a vendor master entry that agrees with the seller, and the day after the
// issue date as "now". What fires is pinned in corpusExpect: anything more
// or less is a failure, so a check cannot start or stop firing on real
// documents unnoticed. The table of what fires where is logged (-v).
func TestCorpus(t *testing.T) {
	seen := map[string]bool{}
	var table []string
	for _, rel := range corpusXML(t) {
		inv, ok := readInvoice(t, rel)
		if !ok {
			continue
		}
		seen[rel] = true
		fs := Run(inv, Context{Vendor: matchingVendor(inv)}, configAt(inv))
		got := codes(fs)
		want := corpusExpect[rel]
		if !slices.Equal(got, want) {
			t.Errorf("%s:\n got  %q\n want %q\n%s", rel, got, want, dump(fs))
		}
		table = append(table, fmt.Sprintf("  %-95s %s", rel, orNone(got)))
	}
	for rel := range corpusExpect {
		if !seen[rel] {
			t.Errorf("corpusExpect names %s, which is not a corpus invoice", rel)
		}
	}
	t.Logf("findings on %d corpus invoices (matching vendor, checked the day after issue):\n%s",
		len(table), strings.Join(table, "\n"))
}

func orNone(cs []string) string {
	if len(cs) == 0 {
		return "-"
	}
	return strings.Join(cs, ", ")
}

// TestPublishedExamplesArithmeticClean: the official CEN examples and the
// ZUGFeRD EN16931 invoices are what the arithmetic check is calibrated on;
// they must pass it. The one published example that does not is listed in
// knownInconsistent with the reason, instead of loosening the check.
func TestPublishedExamplesArithmeticClean(t *testing.T) {
	n := 0
	for _, rel := range corpusXML(t) {
		if !strings.HasPrefix(rel, "en16931-cen-examples/") && !strings.Contains(rel, "/EN16931_") {
			continue
		}
		inv, ok := readInvoice(t, rel)
		if !ok {
			continue
		}
		n++
		var bad []Finding
		for _, f := range Run(inv, Context{Vendor: matchingVendor(inv)}, configAt(inv)) {
			if f.Code == CodeArithmetic {
				bad = append(bad, f)
			}
		}
		why, known := knownInconsistent[rel]
		switch {
		case known && len(bad) == 0:
			t.Errorf("%s is listed as inconsistent (%s) but passes: remove it from knownInconsistent", rel, why)
		case known:
			t.Logf("%s: known inconsistency: %s\n%s", rel, why, dump(bad))
		case len(bad) > 0:
			t.Errorf("%s is a published example and must be arithmetic-clean:\n%s", rel, dump(bad))
		}
	}
	if n < 20 {
		t.Errorf("only %d published examples found; the corpus layout changed?", n)
	}
}
