package matching

import (
	"testing"

	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/invoice"
)

func TestFormatting(t *testing.T) {
	tests := []struct {
		in, qty, money string
	}{
		{"10.0000", "10", "10.00"},
		{"4.5000", "4.5", "4.50"},
		{"3.3333", "3.3333", "3.3333"},
		{"1273", "1273", "1273.00"},
		{"-5.0000", "-5", "-5.00"},
		{"0.750", "0.75", "0.75"},
		{"0", "0", "0.00"},
	}
	for _, tc := range tests {
		if got := fmtQty(dec(tc.in)); got != tc.qty {
			t.Errorf("fmtQty(%s) = %s, want %s", tc.in, got, tc.qty)
		}
		if got := fmtMoney(dec(tc.in)); got != tc.money {
			t.Errorf("fmtMoney(%s) = %s, want %s", tc.in, got, tc.money)
		}
	}
}

func TestPercentOf(t *testing.T) {
	tests := []struct {
		v, base, want string
		ok            bool
	}{
		{"0.45", "4.50", "10%", true},
		{"-0.50", "4.50", "11.11%", true},
		{"0.10", "4.50", "2.22%", true},
		{"1", "3", "33.33%", true},
		{"2", "3", "66.67%", true}, // half away from zero
		{"1", "0", "", false},
	}
	for _, tc := range tests {
		p, ok := percentOf(dec(tc.v), dec(tc.base))
		if ok != tc.ok || (ok && fmtPct(p) != tc.want) {
			t.Errorf("percentOf(%s, %s) = %s %v, want %s %v", tc.v, tc.base, fmtPct(p), ok, tc.want, tc.ok)
		}
	}
}

func TestQuantityAndPrice(t *testing.T) {
	tests := []struct {
		name             string
		line             invoice.Line
		wantQty, wantPrc string
	}{
		{"both stated", invoice.Line{Quantity: pdec("3"), UnitPrice: pdec("3.3333"), NetAmount: pdec("10.00")}, "3", "3.3333"},
		{"price implied", invoice.Line{Quantity: pdec("3"), NetAmount: pdec("10.00")}, "3", "3.3333"},
		{"quantity implied", invoice.Line{UnitPrice: pdec("2.50"), NetAmount: pdec("10.00")}, "4.0000", "2.50"},
		{"flat fee", invoice.Line{NetAmount: pdec("99.00")}, "1", "99.0000"},
		{"nothing stated", invoice.Line{}, "1", "0"},
		{"zero price, no quantity", invoice.Line{UnitPrice: pdec("0"), NetAmount: pdec("0")}, "1", "0"},
	}
	for _, tc := range tests {
		q, p := quantityAndPrice(tc.line)
		if q.String() != tc.wantQty || p.String() != tc.wantPrc {
			t.Errorf("%s: %s × %s, want %s × %s", tc.name, q, p, tc.wantQty, tc.wantPrc)
		}
	}
}

func TestDivTooLong(t *testing.T) {
	big := decimal.MustParse("9999999999999999999999999999999999999999")
	if _, ok := div(big, decimal.MustParse("0.0000000000000000000000000000000000001"), 4); ok {
		t.Error("a quotient beyond MaxDigits must be refused")
	}
}
