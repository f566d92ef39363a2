package einvoice

import (
	"fmt"
	"testing"
)

func TestTaxTotalIndexes(t *testing.T) {
	for _, c := range []struct {
		currencies        []string
		cur, taxCur       string
		doc, inTax, warns int
	}{
		{nil, "EUR", "", -1, -1, 0},
		{[]string{"EUR"}, "EUR", "", 0, -1, 0},
		{[]string{""}, "EUR", "", 0, -1, 0},
		{[]string{"GBP", "EUR"}, "EUR", "GBP", 1, 0, 0},
		{[]string{"eur", "GBP"}, "EUR", "gbp", 0, 1, 0},
		{[]string{"EUR"}, "EUR", "EUR", 0, 0, 0}, // BT-6 = BT-5: one total is both
		{[]string{"EUR", "USD"}, "EUR", "", 0, -1, 1},
		{[]string{"EUR", "EUR"}, "EUR", "", 0, -1, 1},
	} {
		doc, inTax, warns := taxTotalIndexes(c.currencies, c.cur, c.taxCur)
		if doc != c.doc || inTax != c.inTax || len(warns) != c.warns {
			t.Errorf("%v %s/%s: got %d %d %q", c.currencies, c.cur, c.taxCur, doc, inTax, warns)
		}
	}
}

func TestPickPayment(t *testing.T) {
	for _, c := range []struct {
		in        []account
		want      string // means/iban
		warnCount int
	}{
		{nil, "/", 0},
		{[]account{{means: "59"}}, "59/", 0},
		{[]account{{means: "59"}, {means: "58", id: "DE02"}}, "58/DE02", 0},
		{[]account{{means: "58", id: "DE02"}, {means: "30", id: "NL91"}}, "58/DE02", 1},
		{[]account{{means: ""}, {means: "", id: "X"}}, "/X", 0},
	} {
		p, warns := pickPayment(c.in)
		if got := fmt.Sprintf("%s/%s", p.MeansCode, p.IBAN); got != c.want || len(warns) != c.warnCount {
			t.Errorf("%v: got %s %q", c.in, got, warns)
		}
	}
}
