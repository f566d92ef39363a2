package einvoice

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/invoice"
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

// corpusXML lists every .xml file under the corpus, sorted, as paths
// relative to corpusDir.
func corpusXML(tb testing.TB) []string {
	tb.Helper()
	needCorpus(tb)
	var out []string
	err := filepath.WalkDir(corpusDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.EqualFold(filepath.Ext(p), ".xml") {
			rel, err := filepath.Rel(corpusDir, p)
			if err != nil {
				return err
			}
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	sort.Strings(out)
	if len(out) == 0 {
		tb.Fatal("the corpus holds no XML files")
	}
	return out
}

func readCorpus(tb testing.TB, rel string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(corpusDir, filepath.FromSlash(rel)))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func mustRead(tb testing.TB, rel string) invoice.Invoice {
	tb.Helper()
	inv, _, err := Read(readCorpus(tb, rel))
	if err != nil {
		tb.Fatalf("%s: %v", rel, err)
	}
	return inv
}

// wantErr checks both the sentinel and the apperr code of err.
func wantErr(tb testing.TB, err, sentinel error, code apperr.Code) {
	tb.Helper()
	if !errors.Is(err, sentinel) {
		tb.Fatalf("err = %v, want %v", err, sentinel)
	}
	if got := apperr.CodeOf(err); got != code {
		tb.Fatalf("code = %s, want %s (err %v)", got, code, err)
	}
}

// byValue returns a copy of the decimal without trailing fractional zeros,
// so that "25" and "25.00" compare equal.
func byValue(d *decimal.Decimal) *decimal.Decimal {
	if d == nil {
		return nil
	}
	s := d.String()
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	v := decimal.MustParse(s)
	return &v
}

// flatten turns the invoice into path → value, with amounts by value and
// text with its whitespace runs collapsed. Paths look like
// "lines[2].unit_price".
func flatten(tb testing.TB, inv invoice.Invoice) map[string]string {
	tb.Helper()
	t := &inv.Totals
	for _, p := range []**decimal.Decimal{&inv.TaxTotalTaxCurrency, &t.LineNet, &t.Allowances, &t.Charges,
		&t.TaxExclusive, &t.Tax, &t.TaxInclusive, &t.Prepaid, &t.Rounding, &t.Payable} {
		*p = byValue(*p)
	}
	inv.TaxBreakdown = append([]invoice.TaxSubtotal(nil), inv.TaxBreakdown...)
	for i := range inv.TaxBreakdown {
		r := &inv.TaxBreakdown[i]
		r.Rate, r.Taxable, r.Tax = byValue(r.Rate), byValue(r.Taxable), byValue(r.Tax)
	}
	inv.Lines = append([]invoice.Line(nil), inv.Lines...)
	for i := range inv.Lines {
		l := &inv.Lines[i]
		l.Quantity, l.UnitPrice, l.NetAmount, l.TaxRate = byValue(l.Quantity), byValue(l.UnitPrice), byValue(l.NetAmount), byValue(l.TaxRate)
	}
	b, err := json.Marshal(inv)
	if err != nil {
		tb.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		tb.Fatal(err)
	}
	out := map[string]string{}
	flattenInto(out, "", v)
	return out
}

func flattenInto(out map[string]string, path string, v any) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			p := k
			if path != "" {
				p = path + "." + k
			}
			flattenInto(out, p, e)
		}
	case []any:
		for i, e := range x {
			flattenInto(out, fmt.Sprintf("%s[%d]", path, i), e)
		}
		out[path+".len"] = fmt.Sprint(len(x))
	case string:
		out[path] = strings.Join(strings.Fields(x), " ")
	default:
		out[path] = fmt.Sprint(x)
	}
}
