package pagereader

import (
	"testing"

	"github.com/smartap/desktop/backend/invoice"
)

func TestScanAmounts(t *testing.T) {
	tests := []struct {
		in    string
		style numStyle
		want  []string // values of the money amounts
	}{
		{"1.234,56", styleComma, []string{"1234.56"}},
		{"1,234.56", stylePoint, []string{"1234.56"}},
		{"1 234,56 €", styleComma, []string{"1234.56"}},
		{"1'234.56 CHF", stylePoint, []string{"1234.56"}},
		{"-21,25", styleComma, []string{"-21.25"}},
		{"21,25-", styleComma, []string{"-21.25"}},
		{"− 5,00", styleComma, []string{"-5.00"}},
		{"€ 99.90", stylePoint, []string{"99.90"}},
		{"EUR 1.005,55", styleComma, []string{"1005.55"}},
		{"1.000", styleComma, []string{"1000"}},
		{"1,000", stylePoint, []string{"1000"}},
		{"0,025 €", styleUnknown, []string{"0.025"}},
		{"12.345.678,90", styleUnknown, []string{"12345678.90"}},
		{"19 %  573.00", stylePoint, []string{"573.00"}},
		{"19% VAT 108.87", stylePoint, []string{"108.87"}},
		{"RE-20200620/508", stylePoint, nil},
		{"05.03.2018", styleComma, nil},
		{"2020-06-20", stylePoint, nil},
		{"ART4711", styleComma, nil},
		{"12/2018", styleComma, nil},
		{"1.23.4", styleComma, nil},
	}
	for _, tc := range tests {
		got := moneyIn(tc.in, tc.style)
		if len(got) != len(tc.want) {
			t.Errorf("%q: %d amounts %v, want %v", tc.in, len(got), got, tc.want)
			continue
		}
		for i, a := range got {
			if a.Value.String() != tc.want[i] {
				t.Errorf("%q: amount %d = %s, want %s", tc.in, i, a.Value, tc.want[i])
			}
		}
	}
}

func TestAmountCurrencyAndPercent(t *testing.T) {
	as := scanAmounts("19,00% auf 804,35 € und 5 USD", styleComma)
	if len(as) != 3 || !as[0].Percent || as[1].Currency != "EUR" || as[2].Currency != "USD" {
		t.Fatalf("%+v", as)
	}
}

func TestDetectStyle(t *testing.T) {
	lines := func(s ...string) []Line {
		var out []Line
		for _, x := range s {
			out = append(out, Line{Text: x})
		}
		return out
	}
	if got := detectStyle(lines("529,87", "1.005,55", "12.50")); got != styleComma {
		t.Errorf("comma document: %v", got)
	}
	if got := detectStyle(lines("529.87", "1,005.55")); got != stylePoint {
		t.Errorf("point document: %v", got)
	}
}

func TestFindDates(t *testing.T) {
	tests := []struct{ in, want string }{
		{"05.03.2018", "2018-03-05"},
		{"26.10.22", "2022-10-26"},
		{"31/12/2018", "2018-12-31"},
		{"02/17/26", "2026-02-17"},
		{"2020-06-20", "2020-06-20"},
		{"5. Juni 2018", "2018-06-05"},
		{"11. Juli 2014", "2014-07-11"},
		{"17. Dezember 2025", "2025-12-17"},
		{"5. März 2018", "2018-03-05"},
		{"June 5, 2018", "2018-06-05"},
		{"February 17, 2026", "2026-02-17"},
		{"5 juin 2018", "2018-06-05"},
		{"1er février 2019", "2019-02-01"},
		{"5 juni 2018", "2018-06-05"},
		{"5 mei 2018", "2018-05-05"},
		{"Rechnung vom 01.03.2018.", "2018-03-01"},
		{"30.02.2018", ""},
		{"Version 2.1.2020.1", ""},
		{"45.12.2018", ""},
	}
	for _, tc := range tests {
		got := ""
		if ds := findDates(tc.in); len(ds) > 0 {
			got = ds[0].Date.String()
		}
		if got != tc.want {
			t.Errorf("findDates(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestParseLatestDate(t *testing.T) {
	d, ok := parseLatestDate("netto bis 04.04.2018, 3% Skonto innerhalb 10 Tagen bis 15.03.2018")
	if !ok || d != invoice.MustParseDate("2018-04-04") {
		t.Fatalf("%v %v", d, ok)
	}
}

func TestParseInvoiceNumber(t *testing.T) {
	tests := []struct{ in, want string }{
		{"471102 vom 05.03.2018", "471102"},
		{"RE-20200620/508 issued at", "RE-20200620/508"},
		{"01.234.567.8-2018-1", "01.234.567.8-2018-1"},
		{"(F20180027)", "F20180027"},
		{"gemäß Bestellung", ""},
		{"05.03.2018", ""},
		{"529,87", ""},
		{"Ünïcode123", ""},
	}
	for _, tc := range tests {
		got, _ := parseInvoiceNumber(tc.in)
		if got != tc.want {
			t.Errorf("parseInvoiceNumber(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestVATIDs(t *testing.T) {
	tests := []struct {
		in             string
		id             string
		checked, valid bool
	}{
		{"USt-IdNr.: DE136695976", "DE136695976", true, true},
		{"DE 136 695 977", "DE136695977", true, false},
		{"N° TVA : FR 32 123 456 789", "FR32123456789", true, true},
		{"BTW NL123456782B01", "NL123456782B01", true, true},
		{"BE0403170701", "BE0403170701", true, true},
		{"ATU13585627", "ATU13585627", true, true},
		{"IT 00743110157", "IT00743110157", true, true},
		{"CHE-123.456.788 MWST", "CHE123456788", false, false},
		{"DE1234567890", "", false, false}, // one digit too many
	}
	for _, tc := range tests {
		r := newTestReader([]Word{{Page: 1, Text: tc.in, X: 10, Y: 10, W: 100, H: 7, Size: 10}})
		hs := r.findVATIDs()
		if tc.id == "" {
			if len(hs) != 0 {
				t.Errorf("%q: found %+v", tc.in, hs)
			}
			continue
		}
		if len(hs) != 1 || hs[0].ID != tc.id || hs[0].Checked != tc.checked || hs[0].Valid != tc.valid {
			t.Errorf("%q: %+v, want %s checked %v valid %v", tc.in, hs, tc.id, tc.checked, tc.valid)
		}
	}
}

func newTestReader(words []Word) *reader {
	lay := BuildLayout(words)
	return &reader{lay: lay, style: detectStyle(lay.Lines), foldCache: map[[2]int]string{}, conf: map[string]float64{}, numLine: -1, headerLines: map[int]bool{}}
}
