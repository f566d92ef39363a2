package checks

import (
	"math"
	"slices"
	"testing"
)

func TestLowConfidence(t *testing.T) {
	tests := []struct {
		name   string
		scores map[string]float64
		want   []string // fields of the one finding; nil = no finding
		msg    string
	}{
		{"structured XML has no scores", nil, nil, ""},
		{"all sure", map[string]float64{"totals.payable": 0.99, "payment.iban": 0.6}, nil, ""},
		{"two unsure, listed in order", map[string]float64{"totals.payable": 0.42, "payment.iban": 0.55, "invoice_number": 0.95},
			[]string{"payment.iban", "totals.payable"},
			"2 fields read with low confidence (below 0.60): payment.iban (0.55), totals.payable (0.42)"},
		{"NaN is no confidence", map[string]float64{"lines[2].net_amount": math.NaN()},
			[]string{"lines[2].net_amount"}, "1 field read with low confidence"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inv, ctx, cfg := base(t, cleanCII)
			inv.Confidence = tc.scores
			fs := Run(inv, ctx, cfg)
			if tc.want == nil {
				expect(t, fs, nil)
				return
			}
			expect(t, fs, []string{CodeLowConfidence}, tc.msg)
			if !slices.Equal(fs[0].Fields, tc.want) || fs[0].Severity != SeverityWarning {
				t.Errorf("got %s %q, want warning %q", fs[0].Severity, fs[0].Fields, tc.want)
			}
		})
	}
}
