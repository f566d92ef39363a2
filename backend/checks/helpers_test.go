package checks

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/einvoice"
	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/vendor"
)

// corpusDir is the shared corpus (MANIFEST.md), relative to this package.
const corpusDir = "../../../shared/corpus"

// needCorpus skips only when the corpus folder does not exist at all; a
// corpus that exists but cannot be read is a failure.
func needCorpus(tb testing.TB) {
	tb.Helper()
	if _, err := os.Stat(corpusDir); errors.Is(err, fs.ErrNotExist) {
		tb.Skipf("corpus %s not present", corpusDir)
	} else if err != nil {
		tb.Fatal(err)
	}
}

// corpusXML lists every .xml file under the corpus, sorted, relative to
// corpusDir.
func corpusXML(tb testing.TB) []string {
	tb.Helper()
	needCorpus(tb)
	var out []string
	err := filepath.WalkDir(corpusDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.EqualFold(filepath.Ext(p), ".xml") {
			return err
		}
		rel, err := filepath.Rel(corpusDir, p)
		out = append(out, filepath.ToSlash(rel))
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// readInvoice reads one corpus invoice; ok is false for XML files that are
// not invoices (schemas, code lists).
func readInvoice(tb testing.TB, rel string) (invoice.Invoice, bool) {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(corpusDir, filepath.FromSlash(rel)))
	if err != nil {
		tb.Fatal(err)
	}
	inv, _, err := einvoice.Read(b)
	if errors.Is(err, einvoice.ErrNotInvoice) {
		return invoice.Invoice{}, false
	}
	if err != nil {
		tb.Fatalf("%s: %v", rel, err)
	}
	return inv, true
}

// matchingVendor is a vendor master entry that agrees with the seller.
func matchingVendor(inv invoice.Invoice) *vendor.Vendor {
	return &vendor.Vendor{ID: "v-1", Name: inv.Seller.Name, VATID: inv.Seller.VATID,
		Bank: vendor.BankDetails{IBAN: inv.Payment.IBAN}}
}

// configAt is the default config checked on the day after the issue date,
// so the date window tests the document and not the calendar.
func configAt(inv invoice.Invoice) Config {
	cfg := DefaultConfig()
	d := inv.IssueDate
	if d.IsZero() {
		d = invoice.MustParseDate("2024-01-01")
	}
	cfg.Now = time.Date(d.Year, d.Month, d.Day+1, 12, 0, 0, 0, time.UTC)
	return cfg
}

// Clean corpus invoices the generated variants start from: with a matching
// vendor and configAt they produce no findings at all (TestCorpus pins it).
const (
	// cleanCII: EUR, 20 lines (one negative), two VAT rates, a Dutch VAT id
	// that passes mod 11, a valid IBAN, due date = issue date.
	cleanCII = "en16931-cen-examples/cii/examples/CII_example1.xml"
	// cleanUBL: NOK with document allowances and charges, a prepayment,
	// three VAT rows (one exempt), buyer VAT id, BIC.
	cleanUBL = "en16931-cen-examples/ubl/examples/ubl-tc434-example2.xml"
)

// base reads a clean corpus invoice and the context and config under
// which it gives no findings.
func base(tb testing.TB, rel string) (invoice.Invoice, Context, Config) {
	tb.Helper()
	needCorpus(tb)
	inv, ok := readInvoice(tb, rel)
	if !ok {
		tb.Fatalf("%s is not an invoice", rel)
	}
	return inv, Context{Vendor: matchingVendor(inv)}, configAt(inv)
}

// clone deep-copies an invoice, so a variant never changes the lines or
// amounts of the one it came from. The JSON form is the model's own and
// keeps every decimal's scale.
func clone(tb testing.TB, inv invoice.Invoice) invoice.Invoice {
	tb.Helper()
	b, err := json.Marshal(inv)
	if err != nil {
		tb.Fatal(err)
	}
	var out invoice.Invoice
	if err := json.Unmarshal(b, &out); err != nil {
		tb.Fatal(err)
	}
	return out
}

// dec is a decimal pointer from text, for amounts in variants.
func dec(s string) *decimal.Decimal {
	d := decimal.MustParse(s)
	return &d
}

// codes lists the findings' codes in order.
func codes(fs []Finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Code
	}
	return out
}

// expect fails unless fs has exactly the codes want (in Run's order) and
// every message in msgs appears in one of the findings.
func expect(tb testing.TB, fs []Finding, want []string, msgs ...string) {
	tb.Helper()
	if got := codes(fs); !slices.Equal(got, want) {
		tb.Errorf("codes = %q, want %q\n%s", got, want, dump(fs))
	}
	for _, m := range msgs {
		if !slices.ContainsFunc(fs, func(f Finding) bool { return strings.Contains(f.Message, m) }) {
			tb.Errorf("no finding says %q\n%s", m, dump(fs))
		}
	}
}

func dump(fs []Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "  %s/%s %q %q\n", f.Severity, f.Code, f.Message, f.Fields)
	}
	return b.String()
}
