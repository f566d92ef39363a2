package export

import (
	"bytes"
	"encoding/csv"
	"errors"
	"strings"
	"testing"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/einvoice"
	"github.com/smartap/desktop/backend/invoice"
)

// UBL either refuses text XML cannot carry (invalid_input) or writes a
// document einvoice reads back to the same invoice. The seeds run in
// plain go test.
func FuzzUBLRoundTrip(f *testing.F) {
	f.Add("RE-1", "380", "Müller & Söhne", "note <b>&amp;</b>", "line\r\nname", "30 days", "100.00", "-0.5")
	f.Add("GS 17", "381", "]]> <!-- x -->", "#AAI#text", "", "", "0", "12.3456")
	f.Add(" ", "261", "\t", "\r", "\u00a0", "ä\u2028b", "-0.00", "1")
	f.Add("x\x00", "380", "\xff", "", "", "", "1", "1")
	f.Fuzz(func(t *testing.T, number, typeCode, seller, note, lineName, terms, payable, price string) {
		if strings.TrimSpace(typeCode) == "" {
			t.Skip("an empty type code reads back as 380 (documented)")
		}
		inv := invoice.Invoice{
			InvoiceNumber: number, TypeCode: invoice.TypeCode(typeCode), Currency: "EUR",
			IssueDate: invoice.MustParseDate("2024-01-31"), PaymentTerms: terms, Notes: []string{note},
			Seller: invoice.Party{Name: seller}, Buyer: invoice.Party{Name: seller},
			Lines: []invoice.Line{{ID: number, Name: lineName, Quantity: dec("1"), Unit: "C62"}},
		}
		if d, err := decimal.Parse(payable); err == nil {
			inv.Totals.Payable = &d
		}
		if d, err := decimal.Parse(price); err == nil {
			inv.Lines[0].UnitPrice = &d
		}
		out, err := UBL(inv)
		if err != nil {
			if !errors.Is(err, apperr.ErrInvalid) {
				t.Fatalf("error without invalid_input: %v", err)
			}
			return
		}
		back, err := einvoice.ReadUBL(out)
		if err != nil {
			t.Fatalf("ReadUBL: %v\n%s", err, out)
		}
		if d := diff(content(t, inv), content(t, back)); len(d) > 0 {
			t.Fatalf("round trip differs: %v\n%s", d, out)
		}
	})
}

// Whatever the input, SEPA text is in the SEPA set, within its limit and
// without leading, trailing or double spaces.
func FuzzSEPAText(f *testing.F) {
	for _, s := range []string{"Müller & Söhne", "株式会社", "  a\t\nb  ", "\xff\xfe", strings.Repeat("Ä ", 50)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := sepaText(s, maxSEPAName)
		if len(got) > maxSEPAName || strings.TrimFunc(got, isSEPAChar) != "" ||
			got != strings.TrimSpace(got) || strings.Contains(got, "  ") {
			t.Fatalf("sepaText(%q) = %q", s, got)
		}
		if id := endToEndID(s); id != "" && (len(id) > maxSEPAID || !validSEPAID(id)) {
			t.Fatalf("endToEndID(%q) = %q", s, id)
		}
	})
}

func FuzzUBLFileName(f *testing.F) {
	for _, s := range []string{"RE-1", "../..", ".", "-", "\x00", "a/b\\c", strings.Repeat("é", 100)} {
		f.Add(s, "seller")
	}
	f.Fuzz(func(t *testing.T, number, seller string) {
		name := UBLFileName(invoice.Invoice{InvoiceNumber: number, Seller: invoice.Party{Name: seller}})
		if !safeFileName.MatchString(name) || len(name) > 100 {
			t.Fatalf("UBLFileName(%q) = %q", number, name)
		}
	})
}

// A CSV text cell reads back as written (line breaks as LF) and never
// starts with a formula character.
func FuzzCSVCell(f *testing.F) {
	for _, s := range []string{"=1+1", "-1", "+x", "@SUM", "\t=", "\r=", "a,\"b\"\r\nc", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var buf bytes.Buffer
		inv := invoice.Invoice{Seller: invoice.Party{Name: s}}
		if err := CSV(&buf, []Item{{ID: "1", Invoice: inv}}); err != nil {
			t.Fatal(err)
		}
		r := csv.NewReader(&buf)
		r.FieldsPerRecord = len(csvHeader)
		rows, err := r.ReadAll()
		if err != nil {
			t.Fatalf("%q: not readable CSV: %v", s, err)
		}
		got := rows[1][col(t, "seller_name")]
		if got != "" && strings.ContainsRune("=+-@\t\r", rune(got[0])) {
			t.Fatalf("%q: cell %q starts a formula", s, got)
		}
		if want := cell(s); got != want {
			t.Fatalf("%q: read back %q, want %q", s, got, want)
		}
	})
}
