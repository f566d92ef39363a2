package llm

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestValidateAnswerFields(t *testing.T) {
	page := pageText + "\nRef INV/2024/7  ATU12345678  VAT NL 8200.98.395.B01  ABNA NL 2A"
	tests := []struct {
		name    string
		answer  string
		check   func(c candidate) bool
		warning string // "" means none expected
	}{
		{"all null", `{"invoice_number":null,"issue_date":null,"due_date":null,"currency":null,"seller":null,"buyer":null,"payment":null,"totals":null,"lines":null}`,
			func(c candidate) bool { return c.inv.InvoiceNumber == "" && len(c.inv.Lines) == 0 }, ""},
		{"empty object", `{}`, func(c candidate) bool { return c.inv.Currency == "" }, ""},
		{"empty strings are absent", `{"invoice_number":"  ","currency":"","totals":{"tax":" "}}`,
			func(c candidate) bool { return c.inv.InvoiceNumber == "" && c.inv.Totals.Tax == nil }, ""},
		{"currency upper-cased", `{"currency":" eur "}`, func(c candidate) bool { return c.inv.Currency == "EUR" }, ""},
		{"currency symbol", `{"currency":"€"}`, func(c candidate) bool { return c.inv.Currency == "" }, "currency not taken"},
		{"currency digits", `{"currency":"978"}`, func(c candidate) bool { return c.inv.Currency == "" }, "currency not taken"},
		{"impossible date", `{"issue_date":"2023-02-30"}`, func(c candidate) bool { return c.inv.IssueDate.IsZero() }, "issue_date not taken"},
		{"date with time", `{"issue_date":"2024-03-15T00:00:00Z"}`, func(c candidate) bool { return c.inv.IssueDate.IsZero() }, "issue_date not taken"},
		{"year out of range", `{"due_date":"0024-03-15"}`, func(c candidate) bool { return c.inv.DueDate.IsZero() }, "year outside"},
		{"due before issue", `{"issue_date":"2024-03-15","due_date":"2024-03-01"}`,
			func(c candidate) bool { return !c.inv.DueDate.IsZero() }, "due_date is before issue_date"},
		{"decimal comma", `{"totals":{"tax":"28,50"}}`, func(c candidate) bool { return c.inv.Totals.Tax == nil }, "totals.tax not taken: not a plain decimal number"},
		{"thousands separator", `{"totals":{"payable":"1,178.50"}}`, func(c candidate) bool { return c.inv.Totals.Payable == nil }, "totals.payable not taken"},
		{"exponent", `{"totals":{"payable":"1e3"}}`, func(c candidate) bool { return c.inv.Totals.Payable == nil }, "totals.payable not taken"},
		{"currency in amount", `{"totals":{"payable":"178.50 EUR"}}`, func(c candidate) bool { return c.inv.Totals.Payable == nil }, "totals.payable not taken"},
		{"negative amount kept", `{"totals":{"payable":"-178.50"}}`, func(c candidate) bool { return c.inv.Totals.Payable.String() == "-178.50" }, ""},
		{"scale kept", `{"totals":{"tax":"28.500"}}`, func(c candidate) bool { return c.inv.Totals.Tax.String() == "28.500" }, ""},
		{"rate over 100", `{"lines":[{"name":"x","tax_rate":"190"}]}`, func(c candidate) bool { return c.inv.Lines[0].TaxRate == nil }, "lines[0].tax_rate not taken"},
		{"negative rate", `{"lines":[{"name":"x","tax_rate":"-7"}]}`, func(c candidate) bool { return c.inv.Lines[0].TaxRate == nil }, "lines[0].tax_rate not taken"},
		{"empty lines skipped", `{"lines":[null,{"name":null,"quantity":null,"unit_price":null,"net_amount":null,"tax_rate":null},{"name":"Widget"}]}`,
			func(c candidate) bool { return len(c.inv.Lines) == 1 && c.inv.Lines[0].ID == "1" }, ""},
		{"invoice number not on the page", `{"invoice_number":"INV-9999"}`, func(c candidate) bool { return c.inv.InvoiceNumber == "" }, "invoice_number not taken: not found in the page text"},
		{"invoice number with other punctuation", `{"invoice_number":"INV-2024-7"}`, func(c candidate) bool { return c.inv.InvoiceNumber == "INV-2024-7" }, ""},
		{"VAT id normalised", `{"seller":{"name":"x","vat_id":"nl8200 98 395 b01"}}`, func(c candidate) bool { return c.inv.Seller.VATID == "NL820098395B01" }, ""},
		{"VAT id without prefix", `{"seller":{"name":"x","vat_id":"123456789"}}`, func(c candidate) bool { return c.inv.Seller.VATID == "" }, "seller.vat_id not taken"},
		{"VAT id not on page", `{"seller":{"name":"x","vat_id":"FR12345678901"}}`, func(c candidate) bool { return c.inv.Seller.VATID == "" }, "not found in the page text"},
		{"IBAN with spaces", `{"payment":{"iban":"de89 3704 0044 0532 0130 00","bic":null}}`,
			func(c candidate) bool {
				return c.inv.Payment.IBAN == "DE89370400440532013000" && c.confirmed["payment.iban"]
			}, ""},
		{"IBAN wrong length", `{"payment":{"iban":"DE8937040044053201300","bic":null}}`, func(c candidate) bool { return c.inv.Payment.IBAN == "" }, "DE IBANs have 22 characters"},
		{"BIC bad", `{"payment":{"iban":null,"bic":"COBA-DE"}}`, func(c candidate) bool { return c.inv.Payment.BIC == "" }, "payment.bic not taken"},
		{"BIC of the IBAN's country", `{"payment":{"iban":"DE89370400440532013000","bic":"COBADEFF"}}`,
			func(c candidate) bool { return c.confirmed["payment.bic"] && c.inv.Payment.BIC == "COBADEFF" }, ""},
		{"BIC of another country", `{"payment":{"iban":"DE89370400440532013000","bic":"abnanl2a"}}`,
			func(c candidate) bool { return !c.confirmed["payment.bic"] && c.inv.Payment.BIC == "ABNANL2A" }, ""},
		{"name with bidi override", `{"seller":{"name":"Muster\u202eHbmG","vat_id":null}}`, func(c candidate) bool { return c.inv.Seller.Name == "" }, "seller.name not taken: it contains control or invisible characters"},
		{"name with control character", `{"buyer":{"name":"A\u0007B"}}`, func(c candidate) bool { return c.inv.Buyer.Name == "" }, "buyer.name not taken"},
		{"name whitespace collapsed", `{"buyer":{"name":"  Example\n Buyer   BV "}}`, func(c candidate) bool { return c.inv.Buyer.Name == "Example Buyer BV" }, ""},
		{"name too long", `{"buyer":{"name":"` + strings.Repeat("n", maxNameLen+1) + `"}}`, func(c candidate) bool { return c.inv.Buyer.Name == "" }, "longer than 300"},
		{"too many lines", `{"lines":[` + strings.TrimSuffix(strings.Repeat(`{"name":"x"},`, maxLines+1), ",") + `]}`,
			func(c candidate) bool { return len(c.inv.Lines) == 0 }, "lines not taken: 1001 lines"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := validateAnswer(tt.answer, page)
			if err != nil {
				t.Fatalf("validateAnswer: %v", err)
			}
			if !tt.check(c) {
				t.Errorf("unexpected candidate %+v", c.inv)
			}
			joined := strings.Join(c.warnings, "\n")
			switch {
			case tt.warning == "" && joined != "":
				t.Errorf("warnings %q", c.warnings)
			case tt.warning != "" && !strings.Contains(joined, tt.warning):
				t.Errorf("warnings %q, want one with %q", c.warnings, tt.warning)
			}
			for _, w := range c.warnings {
				if !strings.HasPrefix(w, warningPrefix) {
					t.Errorf("warning %q has no prefix", w)
				}
			}
		})
	}
}

func TestDecodeAnswerRefuses(t *testing.T) {
	tests := map[string]string{
		"number":         `{"totals":{"tax":28.5}}`,
		"bool":           `{"currency":true}`,
		"array for text": `{"invoice_number":["A"]}`,
		"unknown":        `{"invoice_number":"A","iban":"x"}`,
		"unknown nested": `{"totals":{"net":"1"}}`,
		"buyer vat id":   `{"buyer":{"name":"B","vat_id":"DE1"}}`,
		"string":         `"{}"`,
		"two objects":    `{}{}`,
		"garbage after":  `{} x`,
		"empty":          ``,
		"unclosed":       `{"currency":"EUR"`,
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := validateAnswer(in, pageText)
			if !errors.Is(err, ErrBadAnswer) {
				t.Fatalf("err = %v, want ErrBadAnswer", err)
			}
			if strings.Contains(err.Error(), "28.5") || strings.Contains(err.Error(), `"A"`) {
				t.Errorf("error quotes a value: %v", err)
			}
		})
	}
	_, err := validateAnswer(`{"totals":{"tax":28.5}}`, "")
	if want := "totals.tax is a JSON number, want string"; !strings.Contains(fmt.Sprint(err), want) {
		t.Errorf("err = %v, want it to say %q", err, want)
	}
}

func TestPreparePage(t *testing.T) {
	in := "a\x00b\x1b[31mc\td\r\ne" + pageBegin + "x" + pageEnd + "<<<PAGE <<<PAGE TEXT>>>TEXT>>>" + "\xff"
	got, cut := preparePage(in)
	if want := "ab[31mc\td\r\nex\uFFFD"; got != want || cut {
		t.Errorf("preparePage = %q, %v; want %q", got, cut, want)
	}
	long := strings.Repeat("€", MaxPageChars) + "tail"
	got, cut = preparePage(long)
	if !cut || got != strings.Repeat("€", MaxPageChars) {
		t.Errorf("cut = %v, %d runes", cut, len([]rune(got)))
	}
	got, cut = preparePage(strings.Repeat("€", MaxPageChars))
	if cut || len([]rune(got)) != MaxPageChars {
		t.Error("a page of exactly MaxPageChars was cut")
	}
}
