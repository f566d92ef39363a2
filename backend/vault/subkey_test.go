package vault

import (
	"testing"

	"github.com/smartap/desktop/backend/secret"
)

func TestSubkeysIndependent(t *testing.T) {
	t.Parallel()
	dek := key(0)
	purposes := []string{PurposeSeal, PurposeBlindIndex, PurposeAttachments, PurposeAuditKey, "seal/v2"}
	seen := map[string]string{string(dek.Reveal()): "the data key"}
	for _, p := range purposes {
		k := Subkey(dek, p)
		if k.Len() != KeySize {
			t.Fatalf("%s: %d bytes", p, k.Len())
		}
		if other, dup := seen[string(k.Reveal())]; dup {
			t.Fatalf("Subkey(%q) equals %s", p, other)
		}
		seen[string(k.Reveal())] = p
		if !Subkey(dek, p).Equal(k) {
			t.Fatalf("Subkey(%q) is not deterministic", p)
		}
		if Subkey(key(1), p).Equal(k) {
			t.Fatalf("Subkey(%q) ignores the data key", p)
		}
	}
}

func TestSubkeyPanicsOnMisuse(t *testing.T) {
	t.Parallel()
	for name, f := range map[string]func(){
		"empty purpose": func() { Subkey(key(0), "") },
		"short key":     func() { Subkey(secret.New(make([]byte, 31)), PurposeSeal) },
		"no key":        func() { Subkey(secret.Bytes{}, PurposeSeal) },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Fatal("no panic")
				}
			}()
			f()
		})
	}
}
