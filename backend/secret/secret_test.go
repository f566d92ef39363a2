package secret

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"testing"
)

// security checklist #6: a secret never prints itself, whatever the verb or encoder.
func TestSecretsNeverPrint(t *testing.T) {
	b := New([]byte("RAWKEYMATERIAL-0123456789abcdef"))
	p := NewPassword("hunter2-password-xyz")
	type wrapper struct {
		Key Bytes
		PW  Password
	}
	w := wrapper{b, p}
	var out []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d"} {
		out = append(out, fmt.Sprintf(verb, b), fmt.Sprintf(verb, p), fmt.Sprintf(verb, w), fmt.Sprintf(verb, &w))
	}
	j, _ := json.Marshal(w)
	out = append(out, string(j))
	var logb bytes.Buffer
	slog.New(slog.NewJSONHandler(&logb, nil)).Info("x", "key", b, "pw", p, "w", w)
	out = append(out, logb.String())
	for _, s := range out {
		for _, raw := range []string{"RAWKEYMATERIAL", "hunter2", "52415720" /* hex of "RAW " */} {
			if strings.Contains(s, raw) {
				t.Errorf("secret printed: %s", s)
			}
		}
	}
}

// security checklist #9: secrets compare in constant time.
func TestEqualIsConstantTime(t *testing.T) {
	a, b := New([]byte{1, 2, 3}), New([]byte{1, 2, 3})
	if !a.Equal(b) || a.Equal(New([]byte{1, 2, 4})) || a.Equal(New([]byte{1, 2})) {
		t.Fatal("Equal is wrong")
	}
	src, err := os.ReadFile("secret.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(src, []byte("subtle.ConstantTimeCompare(s.b, o.b)")) {
		t.Fatal("Equal must use crypto/subtle")
	}
}

func TestWipeAndRandom(t *testing.T) {
	r, err := Random(32)
	if err != nil || r.Len() != 32 {
		t.Fatal(err)
	}
	raw := r.Reveal()
	r.Wipe()
	if !r.IsZero() || !bytes.Equal(raw, make([]byte, 32)) {
		t.Fatal("wipe left key bytes behind")
	}
	p := NewPassword("abc")
	pr := p.Reveal()
	p.Wipe()
	if p.Len() != 0 || !bytes.Equal(pr, []byte{0, 0, 0}) {
		t.Fatal("password not wiped")
	}
}
