package export

import (
	"strings"
	"testing"
)

func TestSEPAText(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Müller & Söhne GmbH", "Mueller + Soehne GmbH"},
		{"Straße 5", "Strasse 5"},
		{"ÄÖÜ äöü", "AeOeUe aeoeue"},
		{"Łódź Sp. z o.o.", "Lodz Sp. z o.o."},
		{"Crème Brûlée S.à r.l.", "Creme Brulee S.a r.l."},
		{"Ærø Fiskeri ApS", "Aero Fiskeri ApS"},
		{"Şirket Ğ İ", "Sirket G I"},
		{"O’Brien “Quotes” – Dash_Under", "O'Brien Quotes - Dash-Under"},
		{"株式会社 Tokyo", "Tokyo"},
		{"  tabs\tand\nnew  lines  ", "tabs and new lines"},
		{"a@b.com #1 ~ * ! = ; € $ %", "ab.com 1"},
		{"allowed /-?:().,'+", "allowed /-?:().,'+"},
		{"", ""},
	}
	for _, c := range cases {
		if got := sepaText(c.in, maxSEPAName); got != c.want {
			t.Errorf("sepaText(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	long := strings.Repeat("Ä", 40) // 80 characters once transliterated
	if got := sepaText(long, maxSEPAName); len(got) != maxSEPAName {
		t.Errorf("long name cut to %d, want %d", len(got), maxSEPAName)
	}
	if got := sepaText("abc "+strings.Repeat("x", 80), 4); got != "abc" {
		t.Errorf("cut leaves trailing space: %q", got)
	}
}

// A letter listed under two replacements would transliterate by map
// iteration order, that is, differently from run to run.
func TestTranslitUnambiguous(t *testing.T) {
	seen := map[rune]string{}
	for repl, runes := range translitGroups {
		for _, r := range runes {
			if prev, ok := seen[r]; ok {
				t.Errorf("%q maps to both %q and %q", r, prev, repl)
			}
			seen[r] = repl
			if isSEPAChar(r) {
				t.Errorf("%q is already a SEPA character", r)
			}
		}
		if strings.TrimFunc(repl, isSEPAChar) != "" {
			t.Errorf("replacement %q is not SEPA text", repl)
		}
	}
}

func TestEndToEndID(t *testing.T) {
	cases := []struct{ in, want string }{
		{"0190b5a0-7c4e-7d3a-9f00-000000000001", "0190b5a07c4e7d3a9f00000000000001"}, // UUID: 36 → 32
		{"INV-1", "INV-1"},
		{"inv/1 ä", "inv1"},
		{strings.Repeat("a", 35), strings.Repeat("a", 35)},
		{strings.Repeat("a", 36), ""},                       // a cut id could name another invoice
		{strings.Repeat("a-", 20), strings.Repeat("a", 20)}, // 40 with hyphens, 20 without
		{"////", ""},
		{"", ""},
	}
	for _, c := range cases {
		if got := endToEndID(c.in); got != c.want {
			t.Errorf("endToEndID(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestValidSEPAID(t *testing.T) {
	for id, want := range map[string]bool{
		"MSG-1": true, "A/B": true, strings.Repeat("M", 35): true,
		"": false, strings.Repeat("M", 36): false, "/A": false, "A/": false, "A//B": false,
		"A B": false, "Ä": false, "A_B": false,
	} {
		if got := validSEPAID(id); got != want {
			t.Errorf("validSEPAID(%q) = %v, want %v", id, got, want)
		}
	}
}
