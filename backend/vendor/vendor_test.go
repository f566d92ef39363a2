package vendor

import (
	"errors"
	"testing"
	"time"
)

func TestInputNormalize(t *testing.T) {
	tests := []struct {
		name string
		in   Input
		want Input
		err  bool
	}{
		{"trims and derives country", Input{Name: "  Lieferant   GmbH ", VATID: "de 123.456.789"},
			Input{Name: "Lieferant GmbH", VATID: "DE123456789", Country: "DE"}, false},
		{"bank normalised", Input{Name: "A", Bank: BankDetails{IBAN: "de89 3704 0044 0532 0130 00", BIC: "cobadeff"}},
			Input{Name: "A", Bank: BankDetails{IBAN: "DE89370400440532013000", BIC: "COBADEFF"}}, false},
		{"name required", Input{Name: "   "}, Input{}, true},
		{"control chars", Input{Name: "a\x1b[31m"}, Input{}, true},
		{"bad IBAN", Input{Name: "A", Bank: BankDetails{IBAN: "DE00370400440532013000"}}, Input{}, true},
		{"bad VAT", Input{Name: "A", VATID: "123"}, Input{}, true},
		{"bad country", Input{Name: "A", Country: "Germany"}, Input{}, true},
	}
	for _, tt := range tests {
		got, err := tt.in.Normalize()
		if (err != nil) != tt.err {
			t.Fatalf("%s: err = %v", tt.name, err)
		}
		if err != nil && !errors.Is(err, ErrInvalid) {
			t.Fatalf("%s: %v does not wrap ErrInvalid", tt.name, err)
		}
		if got != tt.want {
			t.Fatalf("%s: got %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

func TestMatchName(t *testing.T) {
	pairs := [][2]string{
		{"Lieferant GmbH", "LIEFERANT gmbh."},
		{"ACME Ltd.", "acme"},
		{"Muster-Bau AG", "muster bau"},
	}
	for _, p := range pairs {
		if MatchName(p[0]) != MatchName(p[1]) {
			t.Errorf("%q and %q should match: %q vs %q", p[0], p[1], MatchName(p[0]), MatchName(p[1]))
		}
	}
	if MatchName("AG") != "ag" {
		t.Errorf("a name that is only a legal form must keep it: %q", MatchName("AG"))
	}
	if MatchName("Acme Bau") == MatchName("Acme") {
		t.Error("different names must not match")
	}
}

func TestChangedWithin(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	v := Vendor{BankChangedAt: now.Add(-48 * time.Hour)}
	if !v.ChangedWithin(now, 72*time.Hour) || v.ChangedWithin(now, 24*time.Hour) {
		t.Fatal("window check wrong")
	}
	if (Vendor{}).ChangedWithin(now, time.Hour) {
		t.Fatal("never-changed vendor reported as changed")
	}
}
