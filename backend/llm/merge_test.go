package llm

import (
	"reflect"
	"strings"
	"testing"

	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/invoice"
)

func cand(inv invoice.Invoice) candidate { return candidate{inv: inv, confirmed: map[string]bool{}} }

func TestMergeRules(t *testing.T) {
	t.Run("structured values (no confidence entry) are exact and kept", func(t *testing.T) {
		partial := invoice.Invoice{InvoiceNumber: "A-1", Totals: invoice.Totals{Payable: dec("10.00")}}
		got := merge(partial, cand(invoice.Invoice{InvoiceNumber: "A-2", Totals: invoice.Totals{Payable: dec("10.0")}}))
		if got.InvoiceNumber != "A-1" || got.Confidence != nil {
			t.Errorf("got %q %v", got.InvoiceNumber, got.Confidence)
		}
		if want := []string{warningPrefix + "invoice_number differs from the value already read; kept the value already read"}; !reflect.DeepEqual(got.Warnings, want) {
			t.Errorf("warnings %q (10.00 and 10.0 are the same amount)", got.Warnings)
		}
	})
	t.Run("low confidence replaced, threshold exclusive", func(t *testing.T) {
		partial := invoice.Invoice{
			Currency: "EUR", InvoiceNumber: "A-1",
			Confidence: map[string]float64{"currency": 0.59, "invoice_number": LowConfidence},
		}
		got := merge(partial, cand(invoice.Invoice{Currency: "CHF", InvoiceNumber: "A-2"}))
		if got.Currency != "CHF" || got.Confidence["currency"] != ModelConfidence {
			t.Errorf("currency %q %v", got.Currency, got.Confidence["currency"])
		}
		if got.InvoiceNumber != "A-1" || got.Confidence["invoice_number"] != LowConfidence {
			t.Errorf("invoice number at the threshold replaced: %q", got.InvoiceNumber)
		}
		if partial.Confidence["currency"] != 0.59 || partial.Currency != "EUR" {
			t.Error("partial modified")
		}
	})
	t.Run("same values do not warn", func(t *testing.T) {
		partial := invoice.Invoice{Seller: invoice.Party{Name: "Muster  GmbH", VATID: "DE123456789"}, Payment: invoice.Payment{IBAN: "DE89370400440532013000"}}
		got := merge(partial, cand(invoice.Invoice{Seller: invoice.Party{Name: "muster gmbh", VATID: "DE 123 456 789"}, Payment: invoice.Payment{IBAN: "DE89 3704 0044 0532 0130 00"}}))
		if len(got.Warnings) != 0 {
			t.Errorf("warnings %q", got.Warnings)
		}
	})
	t.Run("lines merged by position when counts match", func(t *testing.T) {
		partial := invoice.Invoice{
			Lines:      []invoice.Line{{ID: "10", Name: "Widget", NetAmount: dec("100.00")}, {ID: "20", Name: "Servce", NetAmount: dec("50.00")}},
			Confidence: map[string]float64{"lines[1].name": 0.3, "lines[0].net_amount": 0.9},
		}
		got := merge(partial, cand(invoice.Invoice{Lines: []invoice.Line{
			{ID: "1", Name: "Widget", Quantity: dec("2"), NetAmount: dec("100.00")},
			{ID: "2", Name: "Service", Quantity: dec("1"), NetAmount: dec("50.00")},
		}}))
		if got.Lines[0].ID != "10" || got.Lines[1].Name != "Service" || got.Lines[0].Quantity == nil {
			t.Errorf("lines %+v", got.Lines)
		}
		if got.Confidence["lines[1].name"] != ModelConfidence || got.Confidence["lines[0].net_amount"] != 0.9 {
			t.Errorf("confidence %v", got.Confidence)
		}
		if partial.Lines[1].Name != "Servce" || partial.Lines[0].Quantity != nil {
			t.Error("partial's lines modified")
		}
	})
	t.Run("lines not paired when counts differ", func(t *testing.T) {
		partial := invoice.Invoice{Lines: []invoice.Line{{ID: "1", Name: "Widget"}}}
		got := merge(partial, cand(invoice.Invoice{Lines: []invoice.Line{{ID: "1", Name: "A"}, {ID: "2", Name: "B"}}}))
		if len(got.Lines) != 1 || got.Lines[0].Name != "Widget" {
			t.Errorf("lines %+v", got.Lines)
		}
		if !strings.Contains(strings.Join(got.Warnings, "\n"), "the answer has 2 lines, the page reading 1") {
			t.Errorf("warnings %q", got.Warnings)
		}
	})
	t.Run("checksum confirmation", func(t *testing.T) {
		c := cand(invoice.Invoice{Payment: invoice.Payment{IBAN: "DE89370400440532013000"}})
		c.confirmed["payment.iban"] = true
		got := merge(invoice.Invoice{}, c)
		if got.Confidence["payment.iban"] != ConfirmedConfidence {
			t.Errorf("confidence %v", got.Confidence)
		}
	})
}

func TestArithmetic(t *testing.T) {
	totals := func(net, tax, gross, payable string) invoice.Totals {
		return invoice.Totals{TaxExclusive: dec(net), Tax: dec(tax), TaxInclusive: dec(gross), Payable: dec(payable)}
	}
	tests := []struct {
		name      string
		partial   invoice.Invoice
		answer    invoice.Invoice
		confirmed []string
		doubtful  []string
		model     []string // taken, no rule applies
		untouched []string
	}{
		{
			name:      "totals add up",
			answer:    invoice.Invoice{Totals: totals("100.00", "19.00", "119.00", "119.00")},
			confirmed: []string{"totals.tax_exclusive", "totals.tax", "totals.tax_inclusive", "totals.payable"},
		},
		{
			name:      "one cent of rounding is tolerated",
			answer:    invoice.Invoice{Totals: totals("100.00", "19.00", "119.01", "119.01")},
			confirmed: []string{"totals.tax", "totals.tax_inclusive"},
		},
		{
			name:     "two cents are not",
			answer:   invoice.Invoice{Totals: totals("100.00", "19.00", "119.02", "119.02")},
			doubtful: []string{"totals.tax", "totals.tax_inclusive"},
		},
		{
			name:      "prepaid and rounding of the page reader are used",
			partial:   invoice.Invoice{Totals: invoice.Totals{Prepaid: dec("19.00"), Rounding: dec("0.01")}},
			answer:    invoice.Invoice{Totals: totals("100.00", "19.00", "119.00", "100.01")},
			confirmed: []string{"totals.payable"},
		},
		{
			name:      "partial's own values confirm the model's",
			partial:   invoice.Invoice{Totals: invoice.Totals{TaxExclusive: dec("100.00"), TaxInclusive: dec("119.00")}, Confidence: map[string]float64{"totals.tax_exclusive": 0.9}},
			answer:    invoice.Invoice{Totals: invoice.Totals{Tax: dec("19.00")}},
			confirmed: []string{"totals.tax"},
			untouched: []string{"totals.tax_exclusive"},
		},
		{
			name:      "rules without model values are left alone",
			partial:   invoice.Invoice{Totals: invoice.Totals{TaxExclusive: dec("100.00"), Tax: dec("1.00"), TaxInclusive: dec("119.00")}},
			answer:    invoice.Invoice{Currency: "EUR"},
			untouched: []string{"totals.tax"},
		},
		{
			name: "rounded unit price: 3 × 33.33 for 100.00",
			answer: invoice.Invoice{Lines: []invoice.Line{
				{Quantity: dec("3"), UnitPrice: dec("33.33"), NetAmount: dec("100.00")},
			}},
			confirmed: []string{"lines[0].quantity", "lines[0].unit_price"},
		},
		{
			name: "mixed rates",
			answer: invoice.Invoice{
				Lines: []invoice.Line{
					{NetAmount: dec("100.00"), TaxRate: dec("19")},
					{NetAmount: dec("10.15"), TaxRate: dec("7")},
					{NetAmount: dec("20.00"), TaxRate: dec("19")},
				},
				// 120.00 × 19 % = 22.80, 10.15 × 7 % = 0.7105 → 0.71
				Totals: invoice.Totals{LineNet: dec("130.15"), TaxExclusive: dec("130.15"), Tax: dec("23.51"), TaxInclusive: dec("153.66")},
			},
			confirmed: []string{"totals.tax", "lines[1].tax_rate", "lines[2].net_amount", "totals.line_net"},
		},
		{
			name: "wrong rate",
			answer: invoice.Invoice{
				Lines:  []invoice.Line{{NetAmount: dec("100.00"), TaxRate: dec("7")}},
				Totals: invoice.Totals{Tax: dec("19.00")},
			},
			doubtful: []string{"totals.tax", "lines[0].tax_rate"},
		},
		{
			name: "allowance on the document: no rate check",
			partial: invoice.Invoice{
				Totals: invoice.Totals{Allowances: dec("10.00")},
			},
			answer: invoice.Invoice{
				Lines:  []invoice.Line{{NetAmount: dec("100.00"), TaxRate: dec("19")}},
				Totals: invoice.Totals{LineNet: dec("100.00"), TaxExclusive: dec("90.00"), Tax: dec("17.10")},
			},
			confirmed: []string{"totals.tax_exclusive", "totals.line_net"},
			model:     []string{"totals.tax"},
		},
		{
			name: "lines do not sum to line_net",
			answer: invoice.Invoice{
				Lines:  []invoice.Line{{NetAmount: dec("100.00")}, {NetAmount: dec("50.00")}},
				Totals: invoice.Totals{LineNet: dec("160.00")},
			},
			doubtful: []string{"totals.line_net", "lines[0].net_amount", "lines[1].net_amount"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := merge(tt.partial, cand(tt.answer))
			for _, f := range tt.confirmed {
				if got.Confidence[f] != ConfirmedConfidence {
					t.Errorf("%s = %v, want confirmed", f, got.Confidence[f])
				}
			}
			for _, f := range tt.doubtful {
				if got.Confidence[f] != DoubtfulConfidence {
					t.Errorf("%s = %v, want doubtful", f, got.Confidence[f])
				}
			}
			if len(tt.doubtful) > 0 && !strings.Contains(strings.Join(got.Warnings, "\n"), "does not hold") {
				t.Errorf("no warning: %q", got.Warnings)
			}
			for _, f := range tt.model {
				if got.Confidence[f] != ModelConfidence {
					t.Errorf("%s = %v, want %v", f, got.Confidence[f], ModelConfidence)
				}
			}
			for _, f := range tt.untouched {
				if got.Confidence[f] != tt.partial.Confidence[f] {
					t.Errorf("%s = %v, want %v (not the model's)", f, got.Confidence[f], tt.partial.Confidence[f])
				}
			}
		})
	}
}

func TestNear(t *testing.T) {
	if !near(decimal.MustParse("1.005"), decimal.MustParse("1.015"), cent) || near(decimal.MustParse("1"), decimal.MustParse("1.02"), cent) {
		t.Error("near")
	}
}
