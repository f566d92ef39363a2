package vault

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
)

// leakForms lists the ways a secret shows up when something prints or
// encodes it: raw, hex either case, base64 variants, and fmt's decimal and
// Go-syntax slices.
func leakForms(s []byte) []string {
	forms := []string{
		string(s),
		hex.EncodeToString(s),
		strings.ToUpper(hex.EncodeToString(s)),
		base64.StdEncoding.EncodeToString(s),
		base64.RawStdEncoding.EncodeToString(s),
		base64.URLEncoding.EncodeToString(s),
		base64.RawURLEncoding.EncodeToString(s),
		strings.Trim(fmt.Sprint(s), "[]"),
		strings.TrimSuffix(strings.TrimPrefix(fmt.Sprintf("%#v", s), "[]byte{"), "}"),
		fmt.Sprintf("% x", s),
		fmt.Sprintf("%q", s),
	}
	// Also any 8-byte window in hex, for partial prints.
	for i := 0; i+8 <= len(s); i += 8 {
		forms = append(forms, hex.EncodeToString(s[i:i+8]))
	}
	return forms
}

// leaks reports which form of s appears in out, or "".
func leaks(out string, s []byte) string {
	for _, f := range leakForms(s) {
		if f != "" && strings.Contains(out, f) {
			return f
		}
	}
	return ""
}
