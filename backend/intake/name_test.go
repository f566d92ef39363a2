package intake

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// security checklist #27: client names are only sanitised metadata.
func TestSanitizeName(t *testing.T) {
	long := strings.Repeat("a", 300) + ".pdf"
	longUTF8 := strings.Repeat("ä", 200) // 400 bytes
	tests := []struct{ in, want string }{
		{"invoice.pdf", "invoice.pdf"},
		{"../../x", "x"},
		{"../../etc/passwd", "passwd"},
		{`..\..\x.pdf`, "x.pdf"},
		{`C:\Windows\x.pdf`, "x.pdf"},
		{`C:x.pdf`, "x.pdf"},
		{"/abs/path/r.xml", "r.xml"},
		{"a\x00b.pdf", "ab.pdf"},
		{"in\u202Efdp.exe", "infdp.exe"},
		{"\u2066x\u2069\u200B.pdf", "x.pdf"},
		{"tab\tand\nnewline.pdf", "tabandnewline.pdf"},
		{"\xff\xfe.pdf", "\uFFFD.pdf"}, // a run of invalid bytes becomes one U+FFFD
		{long, strings.Repeat("a", 251) + ".pdf"},
		{longUTF8, strings.Repeat("ä", 127)},
		{"", "unnamed"},
		{".", "unnamed"},
		{"..", "unnamed"},
		{"x/..", "unnamed"},
		{"  ", "unnamed"},
		{"\x00", "unnamed"},
		{"dir/", "unnamed"},
		{"C:", "unnamed"},
		{"\u202E..", "unnamed"},
	}
	for _, tc := range tests {
		got := SanitizeName(tc.in)
		if got != tc.want {
			t.Errorf("SanitizeName(%q) = %q, want %q", tc.in, got, tc.want)
		}
		checkName(t, tc.in, got)
	}
}

func checkName(t *testing.T, in, got string) {
	t.Helper()
	if got == "" || got == "." || got == ".." || len(got) > 255 || !utf8.ValidString(got) || strings.ContainsAny(got, "/\\\x00") {
		t.Errorf("SanitizeName(%q) = %q breaks the rules", in, got)
	}
}
