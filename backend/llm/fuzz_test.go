package llm

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/smartap/desktop/backend/invoice"
)

// FuzzValidateAnswer: any answer text, against any page, never panics in
// validation, merging or arithmetic; it is either refused with ErrBadAnswer
// or gives values that all passed their checks, with confidences in 0..1
// and a warning for every dropped value. Seeds run in plain go test.
func FuzzValidateAnswer(f *testing.F) {
	seeds := []string{
		goodAnswer,
		`{}`, `null`, `[]`, `""`, `{"lines":[]}`, `{"lines":[null]}`,
		`{"totals":{"tax":28.5}}`,
		`{"totals":{"payable":"1e999999999"}}`,
		`{"totals":{"payable":"` + strings.Repeat("9", 41) + `"}}`,
		`{"totals":{"payable":"-0.000000000000000000000000000000000000001"}}`,
		`{"lines":[{"quantity":"99999999999999999999","unit_price":"0.0000000000000000001","net_amount":"1","tax_rate":"100"}]}`,
		`{"issue_date":"2024-02-29","due_date":"2023-02-29"}`,
		`{"payment":{"iban":"DE89 3704 0044 0532 0130 00","bic":"COBADEFF"}}`,
		`{"payment":{"iban":"\u0000","bic":"€€€€€€€€"}}`,
		`{"seller":{"name":"\u202e","vat_id":"DE"}}`,
		`{"invoice_number":"RE-2024-0042"}{"x":1}`,
		`{"a":` + strings.Repeat("[", 10000),
		"\xff\xfe{",
	}
	for _, s := range seeds {
		f.Add(s, pageText)
	}
	f.Fuzz(func(t *testing.T, content, page string) {
		c, err := validateAnswer(content, page)
		if err != nil {
			if !errors.Is(err, ErrBadAnswer) {
				t.Fatalf("error %v does not wrap ErrBadAnswer", err)
			}
			return
		}
		if c.inv.Payment.IBAN != "" && !c.confirmed["payment.iban"] {
			t.Fatalf("IBAN %q taken without its checksum", c.inv.Payment.IBAN)
		}
		if d := c.inv.DueDate; !d.IsZero() && (d.Year < minYear || d.Year > maxYear) {
			t.Fatalf("due date %v out of range", d)
		}
		for _, l := range c.inv.Lines {
			if l.TaxRate != nil && (l.TaxRate.Sign() < 0 || l.TaxRate.Cmp(hundred) > 0) {
				t.Fatalf("rate %v taken", l.TaxRate)
			}
		}
		for _, partial := range []invoice.Invoice{{}, pageReading()} {
			out := merge(partial, c)
			for k, v := range out.Confidence {
				if math.IsNaN(v) || v < 0 || v > 1 {
					t.Fatalf("confidence %s = %v", k, v)
				}
			}
			for _, w := range out.Warnings[len(partial.Warnings):] {
				if !strings.HasPrefix(w, warningPrefix) {
					t.Fatalf("warning %q without prefix", w)
				}
			}
		}
	})
}
