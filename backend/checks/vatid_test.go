package checks

import (
	"strings"
	"testing"

	"github.com/smartap/desktop/backend/invoice"
)

func TestValidateVATID(t *testing.T) {
	tests := []struct {
		id      string
		wantErr string // "" = valid
	}{
		// DE: ISO 7064 MOD 11,10. DE136695976 is the seller in the ZUGFeRD
		// EN16931_Miete invoice.
		{"DE136695976", ""},
		{"DE 136 695 976", ""},
		{"de136695976", ""},
		{"DE136695977", "German check digits"},
		{"DE123456789", "German check digits"}, // the sample id of the German corpora
		{"DE036695976", "DE and 9 digits"},
		{"DE13669597", "DE and 9 digits"},
		// NL: mod 11 (companies) or mod 97 over the whole id (sole traders).
		{"NL820098395B01", ""}, // CEN example 1
		{"NL8200.98.395.B.01", ""},
		{"NL004495445B01", ""},
		{"NL000099998B57", ""}, // passes mod 97 only
		{"NL820098396B01", "Dutch check digits"},
		{"NL000099998B58", "Dutch check digits"},
		{"NL820098395C01", "NL, 9 digits, B"},
		// FR: numeric key = (12 + 3 × (SIREN mod 97)) mod 97; letter keys shape only.
		{"FR40303265045", ""},
		{"FR 40 303 265 045", ""},
		{"FR41303265045", "French check digits"},
		{"FRK7399859412", ""},
		{"FR4030326504", "9-digit SIREN"},
		// AT: Luhn-style, offset 4.
		{"ATU13585627", ""},
		{"ATU13585628", "Austrian check digits"},
		{"ATU123456789", "ATU and 8 digits"}, // the XRechnung test suite's sample
		{"AT13585627", "ATU and 8 digits"},
		// BE: 97 - (first 8 digits mod 97); old 9-digit numbers get a 0.
		{"BE0403019261", ""},
		{"BE403019261", ""},
		{"BE0403019262", "Belgian check digits"},
		{"BE2403019261", "starting with 0 or 1"},
		{"BE54321", "BE and 10 digits"}, // the OASIS samples' buyer
		// Other countries: shape only.
		{"IT12345678901", ""},
		{"EL123456789", ""},
		{"NO123456789MVA", ""},
		{"DE/12/345/67890", "two-letter country code"}, // a German tax number as VAT id
		{"1752692355", "two-letter country code"},
		{"X1", "two-letter country code"},
		{"DE1234567890123456", "two-letter country code"},
	}
	for _, tc := range tests {
		err := ValidateVATID(tc.id)
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("%q: %v, want valid", tc.id, err)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("%q: %v, want an error saying %q", tc.id, err, tc.wantErr)
		}
	}
}

// Corrupting one digit of a real VAT id in a clean invoice gives exactly
// one finding, on the right party.
func TestVATIDVariants(t *testing.T) {
	tests := []struct {
		name   string
		change func(*invoice.Invoice)
		path   string
		msg    string
	}{
		{"seller id, one digit changed", func(i *invoice.Invoice) { i.Seller.VATID = "NL820098396B01" },
			"seller.vat_id", "seller VAT id (BT-31) NL820098396B01 is not valid: the Dutch check digits do not match"},
		{"buyer id, misread", func(i *invoice.Invoice) { i.Buyer.VATID = "DE136695977" },
			"buyer.vat_id", "buyer VAT id (BT-48) DE136695977 is not valid: the German check digits"},
		{"seller id without country prefix", func(i *invoice.Invoice) { i.Seller.VATID = "820098395B01" },
			"seller.vat_id", "is a two-letter country code followed by"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inv, ctx, cfg := base(t, cleanCII)
			tc.change(&inv)
			fs := Run(inv, ctx, cfg)
			expect(t, fs, []string{CodeVATIDInvalid}, tc.msg)
			if f := fs[0]; f.Severity != SeverityError || len(f.Fields) != 1 || f.Fields[0] != tc.path {
				t.Errorf("got %s %q, want error [%s]", f.Severity, f.Fields, tc.path)
			}
		})
	}
}
