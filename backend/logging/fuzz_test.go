package logging

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

// FuzzRedact: redaction never panics, the fast path agrees with running
// every pattern, and an IBAN embedded anywhere in a
// message or value, compact or spaced, never reaches the output (security
// checklist #6, #40). Seeds below and in testdata/fuzz/FuzzRedact run in
// plain go test.
func FuzzRedact(f *testing.F) {
	seeds := [][2]string{
		{"", ""},
		{"pay to ", " now"},
		{"iban", "00"},          // glued on both sides
		{"AB12", "XYZ"},         // a longer IBAN-like run around it
		{"AB12 CDEF GHIJ ", ""}, // spaced groups before the spaced form
		{"AB12 XXXX CDEF GHIJ KLMN ", " 1234"},
		{"Bearer ", ".x"},
		{"\x1b[31m\n", "\r\n\xff"},
		{strings.Repeat("a1", 30), strings.Repeat("F", 40)},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, prefix, suffix string) {
		for _, secret := range []string{iban, ibanSpaced} {
			in := prefix + secret + suffix
			out := RedactString(in)
			if strings.Contains(out, secret) {
				t.Fatalf("RedactString(%q) = %q keeps the IBAN", in, out)
			}
			if want := redactUngated(in); out != want {
				t.Fatalf("gated %q != ungated %q for %q", out, want, in)
			}
			var buf bytes.Buffer
			New(&buf, slog.LevelInfo).Info(in, "note", in, slog.Group("g", slog.String(prefix, in)))
			if strings.Contains(buf.String(), secret) {
				t.Fatalf("log output keeps the IBAN: %s", buf.String())
			}
		}
		// Arbitrary input alone: no panic, and the shape gates skip only
		// passes that would have changed nothing.
		in := prefix + suffix
		if got, want := RedactString(in), redactUngated(in); got != want {
			t.Fatalf("gated %q != ungated %q for %q", got, want, in)
		}
	})
}

func redactUngated(s string) string {
	for _, p := range passes {
		s = p.apply(s)
	}
	return s
}
