package bankid

import (
	"errors"
	"testing"
)

func TestNormalizeIBAN(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"DE89370400440532013000", "DE89370400440532013000", true},
		{"de89 3704 0044 0532 0130 00", "DE89370400440532013000", true},
		{"FR1420041010050500013M02606", "FR1420041010050500013M02606", true},
		{"NL91ABNA0417164300", "NL91ABNA0417164300", true},
		{"GB29NWBK60161331926819", "GB29NWBK60161331926819", true},
		{"DE89370400440532013001", "", false}, // check digits
		{"DE8937040044053201300", "", false},  // length for DE
		{"1289370400440532013000", "", false}, // no country
		{"DEAB370400440532013000", "", false}, // letters as check digits
		{"DE89-3704-0044-0532-01", "", false}, // punctuation
		{"", "", false},
	}
	for _, tt := range tests {
		got, err := NormalizeIBAN(tt.in)
		if tt.ok != (err == nil) || got != tt.want {
			t.Errorf("NormalizeIBAN(%q) = %q, %v", tt.in, got, err)
		}
		if err != nil && !errors.Is(err, ErrIBAN) {
			t.Errorf("error %v does not wrap ErrIBAN", err)
		}
	}
}

func TestNormalizeBIC(t *testing.T) {
	for in, ok := range map[string]bool{
		"COBADEFFXXX": true, "cobadeff": true, "DEUTDEDB101": true,
		"COBADEF": false, "1OBADEFF": false, "COBADEFF12": false, "COBA DEFF": false,
	} {
		if _, err := NormalizeBIC(in); (err == nil) != ok {
			t.Errorf("NormalizeBIC(%q) err = %v, want ok=%v", in, err, ok)
		}
	}
}

func TestMaskIBAN(t *testing.T) {
	if got := MaskIBAN("DE89370400440532013000"); got != "DE••••••••••••••••3000" {
		t.Fatalf("MaskIBAN = %q", got)
	}
}

func FuzzNormalizeIBAN(f *testing.F) {
	for _, s := range []string{"DE89370400440532013000", "de89 3704", "", "ZZ00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := NormalizeIBAN(s)
		if err != nil {
			return
		}
		if again, err := NormalizeIBAN(n); err != nil || again != n {
			t.Fatalf("normal form %q does not normalise to itself: %q %v", n, again, err)
		}
	})
}
