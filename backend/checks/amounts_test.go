package checks

import (
	"testing"

	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/invoice"
)

// totalsOnly turns cleanCII into a consistent totals-only invoice (as a read
// page gives) with the given payable, so only round_amount can fire.
func totalsOnly(inv *invoice.Invoice, payable string) {
	p := decimal.MustParse(payable)
	tax := decimal.MustParse("798.32")
	inv.Lines, inv.TaxBreakdown, inv.Totals = nil, nil, invoice.Totals{
		TaxExclusive: dec(p.Sub(tax).String()), Tax: &tax, TaxInclusive: &p, Payable: &p,
	}
}

func TestRoundAmountVariants(t *testing.T) {
	tests := []struct {
		name    string
		payable string
		change  func(*invoice.Invoice, *Config)
		want    []string
	}{
		{"5000.00", "5000.00", nil, []string{CodeRoundAmount}},
		{"5000 written without cents", "5000", nil, []string{CodeRoundAmount}},
		{"1000.00 is the threshold", "1000.00", nil, []string{CodeRoundAmount}},
		{"900.00 is below it", "900.00", nil, nil},
		{"5050.00 is no multiple of 100", "5050.00", nil, nil},
		{"5000.50 has cents", "5000.50", nil, nil},
		{"credit notes are not flagged", "5000.00", func(i *invoice.Invoice, _ *Config) { i.TypeCode = invoice.TypeCreditNote }, nil},
		{"threshold configurable", "5000.00", func(_ *invoice.Invoice, c *Config) { c.RoundAmountMin = decimal.NewFromInt(10000) }, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inv, ctx, cfg := base(t, cleanCII)
			totalsOnly(&inv, tc.payable)
			if tc.change != nil {
				tc.change(&inv, &cfg)
			}
			fs := Run(inv, ctx, cfg)
			expect(t, fs, tc.want)
			if len(fs) > 0 && (fs[0].Severity != SeverityInfo || fs[0].Fields[0] != "totals.payable") {
				t.Errorf("got %s %q, want info on totals.payable", fs[0].Severity, fs[0].Fields)
			}
		})
	}
}

// cleanCII line 14 (index 13) is "KRAT BIER", 10.8 per H87. The history is
// copies of the same invoice with that price changed.
func TestPriceSpikeVariants(t *testing.T) {
	const beer = 13
	type past struct {
		price, name, unit, currency string
		credit                      bool
	}
	p := func(price string) past { return past{price: price} }
	tests := []struct {
		name    string
		price   string
		history []past
		pct     string
		want    []string
		msgs    []string
	}{
		{"no history", "16.00", nil, "", nil, nil},
		{"at the median", "10.50", []past{p("10.00"), p("10.50"), p("11.00")}, "", nil, nil},
		{"52 % above the median", "16.00", []past{p("10.00"), p("10.50"), p("11.00")}, "", []string{CodePriceSpike},
			[]string{`line 14 "KRAT BIER": unit price 16.00 is 52% above the median 10.50 of 3 earlier prices (limit 50%)`}},
		{"the median ignores one old outlier", "16.00", []past{p("10.00"), p("10.50"), p("30.00")}, "", []string{CodePriceSpike}, nil},
		{"even count: exactly 50 % above 10.50 is not a spike", "15.75", []past{p("10.00"), p("11.00")}, "", nil, nil},
		{"even count: a cent more is", "15.76", []past{p("10.00"), p("11.00")}, "", []string{CodePriceSpike},
			[]string{"the median 10.50 of 2 earlier prices"}},
		{"threshold configurable", "16.00", []past{p("10.50")}, "60", nil, nil},
		{"name matched loosely", "16.00", []past{{price: "10.50", name: " krat-bier "}}, "", []string{CodePriceSpike}, nil},
		{"another item", "16.00", []past{{price: "10.50", name: "KRAT BIER 0.0"}}, "", nil, nil},
		{"another unit is another price", "16.00", []past{{price: "10.50", unit: "KGM"}}, "", nil, nil},
		{"another currency", "16.00", []past{{price: "10.50", currency: "USD"}}, "", nil, nil},
		{"credit notes are no price history", "16.00", []past{{price: "10.50", credit: true}}, "", nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inv, ctx, cfg := base(t, cleanCII)
			for _, h := range tc.history {
				old := clone(t, inv)
				old.Lines[beer].UnitPrice = dec(h.price)
				if h.name != "" {
					old.Lines[beer].Name = h.name
				}
				if h.unit != "" {
					old.Lines[beer].Unit = h.unit
				}
				if h.currency != "" {
					old.Currency = h.currency
				}
				if h.credit {
					old.TypeCode = invoice.TypeCreditNote
				}
				ctx.History = append(ctx.History, old)
			}
			if tc.pct != "" {
				cfg.PriceSpikePct = decimal.MustParse(tc.pct)
			}
			inv = clone(t, inv)
			inv.Lines[beer].UnitPrice = dec(tc.price)
			fs := Run(inv, ctx, cfg)
			expect(t, fs, tc.want, tc.msgs...)
			if len(fs) > 0 && (fs[0].Severity != SeverityWarning || fs[0].Fields[0] != "lines[13].unit_price") {
				t.Errorf("got %s %q, want warning on lines[13].unit_price", fs[0].Severity, fs[0].Fields)
			}
		})
	}
}
