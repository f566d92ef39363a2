package matching

import (
	"testing"

	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/purchasing"
)

func TestWithin(t *testing.T) {
	tests := []struct {
		name              string
		v, base, abs, pct string
		want              bool
	}{
		{"exact agreement, no tolerance", "0", "4.50", "0", "0", true},
		{"any difference, no tolerance", "0.01", "4.50", "0", "0", false},
		{"exactly at the absolute bound", "0.05", "4.50", "0.05", "0", true},
		{"just beyond the absolute bound", "0.0501", "4.50", "0.05", "0", false},
		{"negative variance, absolute bound", "-0.05", "4.50", "0.05", "0", true},
		{"exactly at the percent bound (2 % of 4.50)", "0.09", "4.50", "0", "2", true},
		{"just beyond the percent bound", "0.0901", "4.50", "0", "2", false},
		{"either bound suffices: abs", "0.05", "1.00", "0.05", "2", true},
		{"either bound suffices: pct", "2.00", "100.00", "0.05", "2", true},
		{"beyond both", "2.01", "100.00", "0.05", "2", false},
		{"zero base: percent never helps", "0.01", "0", "0", "50", false},
		{"zero base, zero variance", "0", "0", "0", "0", true},
		{"negative base counts by size", "0.09", "-4.50", "0", "2", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := within(dec(tc.v), dec(tc.base), dec(tc.abs), dec(tc.pct)); got != tc.want {
				t.Errorf("within(%s, %s, %s, %s%%) = %v", tc.v, tc.base, tc.abs, tc.pct, got)
			}
		})
	}
}

// The bounds hold through Match, for prices and quantities.
func TestToleranceEdgesInMatch(t *testing.T) {
	tol := func(pa, pp, qa, qp string) func(*Config) {
		return func(c *Config) {
			c.Tolerance = Tolerance{PriceAbs: dec(pa), PricePct: dec(pp), QtyAbs: dec(qa), QtyPct: dec(qp)}
		}
	}
	// ten binders ordered and received at 4.50
	ordner := func() []Candidate {
		return []Candidate{{PO: order("4711", pol(1, "", "Ordner breit blau", "10", "4.50")),
			Receipts: []purchasing.GoodsReceipt{gr("4711", 1, "10")}}}
	}
	runMatchCases(t, []matchCase{
		{name: "price at abs bound", inv: inv("4711", iline("1", "Ordner breit blau", "10", "4.55")), cands: ordner(),
			cfg: tol("0.05", "0", "0", "0"), status: StatusMatched, lines: []string{LineOK}},
		{name: "price past abs bound", inv: inv("4711", iline("1", "Ordner breit blau", "10", "4.56")), cands: ordner(),
			cfg: tol("0.05", "0", "0", "0"), status: StatusPartial, lines: []string{LinePriceVariance}, findings: []string{"po_price_variance:error"}},
		{name: "price at pct bound", inv: inv("4711", iline("1", "Ordner breit blau", "10", "4.59")), cands: ordner(),
			cfg: tol("0", "2", "0", "0"), status: StatusMatched, lines: []string{LineOK}},
		{name: "price past pct bound", inv: inv("4711", iline("1", "Ordner breit blau", "10", "4.60")), cands: ordner(),
			cfg: tol("0", "2", "0", "0"), status: StatusPartial, lines: []string{LinePriceVariance}, findings: []string{"po_price_variance:error"},
			contains: []string{"0.10 (2.22%) above"}},
		{name: "price below at pct bound", inv: inv("4711", iline("1", "Ordner breit blau", "10", "4.41")), cands: ordner(),
			cfg: tol("0", "2", "0", "0"), status: StatusMatched, lines: []string{LineOK}},
		{name: "quantity at abs bound", inv: inv("4711", iline("1", "Ordner breit blau", "11", "4.50")), cands: ordner(),
			cfg: tol("0", "0", "1", "0"), status: StatusMatched, lines: []string{LineOK}},
		{name: "quantity past abs bound", inv: inv("4711", iline("1", "Ordner breit blau", "11.5", "4.50")), cands: ordner(),
			cfg: tol("0", "0", "1", "0"), status: StatusPartial, lines: []string{LineOverBilled}, findings: []string{"po_quantity_variance:error"}},
		{name: "quantity at pct bound", inv: inv("4711", iline("1", "Ordner breit blau", "11", "4.50")), cands: ordner(),
			cfg: tol("0", "0", "0", "10"), status: StatusMatched, lines: []string{LineOK}},
		{name: "quantity past pct bound", inv: inv("4711", iline("1", "Ordner breit blau", "11.01", "4.50")), cands: ordner(),
			cfg: tol("0", "0", "0", "10"), status: StatusPartial, lines: []string{LineOverBilled}, findings: []string{"po_quantity_variance:error"}},
		{name: "default: quantities exact", inv: inv("4711", iline("1", "Ordner breit blau", "10.001", "4.50")), cands: ordner(),
			status: StatusPartial, lines: []string{LineOverBilled}, findings: []string{"po_quantity_variance:error"}},
		{name: "default: a cent per unit", inv: inv("4711", iline("1", "Ordner breit blau", "10", "4.51")), cands: ordner(),
			status: StatusMatched, lines: []string{LineOK}},
	})
}

func TestDefaultConfig(t *testing.T) {
	c := DefaultConfig()
	if c.Tolerance.QtyAbs.Sign() != 0 || c.Tolerance.QtyPct.Sign() != 0 {
		t.Error("quantities must agree exactly by default")
	}
	if c.Tolerance.PricePct.Cmp(decimal.NewFromInt(0)) <= 0 || c.DateWindowDays <= 0 || c.AmountPct.Sign() <= 0 {
		t.Errorf("default config %+v", c)
	}
}
