// Package secret holds key material and passwords in types that refuse to
// print themselves: a secret that reaches a log line, a JSON answer to the
// webview or a panic message shows as "[redacted]" (security checklist #6).
package secret

import (
	"crypto/rand"
	"crypto/subtle"
	"fmt"
	"log/slog"
)

const redacted = "[redacted]"

// Bytes is key material. The zero value is empty. Copies share the backing
// array, so Wipe on one clears them all: keep one owner.
type Bytes struct{ b []byte }

// New takes ownership of b.
func New(b []byte) Bytes { return Bytes{b: b} }

// Random returns n bytes from the system's CSPRNG.
func Random(n int) (Bytes, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return Bytes{}, fmt.Errorf("secret: reading random bytes: %w", err)
	}
	return Bytes{b: b}, nil
}

// Reveal gives the raw bytes to code that must use them (a cipher, a KDF).
// Never pass the result to a formatter or an encoder.
func (s Bytes) Reveal() []byte { return s.b }

// Len is the number of bytes held.
func (s Bytes) Len() int { return len(s.b) }

// IsZero reports whether nothing is held (never set, or wiped).
func (s Bytes) IsZero() bool { return len(s.b) == 0 }

// Equal compares in constant time (security checklist #9).
func (s Bytes) Equal(o Bytes) bool { return subtle.ConstantTimeCompare(s.b, o.b) == 1 }

// Wipe overwrites the bytes with zeros and forgets them.
func (s *Bytes) Wipe() {
	clear(s.b)
	s.b = nil
}

func (Bytes) String() string               { return redacted }
func (Bytes) GoString() string             { return redacted }
func (Bytes) Format(f fmt.State, _ rune)   { _, _ = f.Write([]byte(redacted)) }
func (Bytes) LogValue() slog.Value         { return slog.StringValue(redacted) }
func (Bytes) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }
func (Bytes) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// Password is a user's password or passphrase. Strings cannot be wiped in
// Go, so it keeps bytes.
type Password struct{ b []byte }

// NewPassword copies p.
func NewPassword(p string) Password { return Password{b: []byte(p)} }

// Reveal gives the raw bytes to the KDF.
func (p Password) Reveal() []byte { return p.b }

// Len is the length in bytes.
func (p Password) Len() int { return len(p.b) }

// Wipe overwrites the password with zeros.
func (p *Password) Wipe() {
	clear(p.b)
	p.b = nil
}

func (Password) String() string               { return redacted }
func (Password) GoString() string             { return redacted }
func (Password) Format(f fmt.State, _ rune)   { _, _ = f.Write([]byte(redacted)) }
func (Password) LogValue() slog.Value         { return slog.StringValue(redacted) }
func (Password) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }
func (Password) MarshalText() ([]byte, error) { return []byte(redacted), nil }
