package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"

	"golang.org/x/crypto/bcrypt"
)

// BcryptCost is the production work factor (ARCHITECTURE.md §8).
const BcryptCost = 12

// bcryptCost is what Hash uses; tests lower it to keep the suite fast and
// assert separately that BcryptCost is 12.
var bcryptCost = BcryptCost

// MaxPasswordLen bounds the input so a megabyte "password" cannot be used
// to burn CPU; it is far above any real passphrase.
const MaxPasswordLen = 1024

// domainKey is the pre-hash key when no pepper is configured. It is not a
// secret: its job is to turn any length of password into a fixed 44-byte
// string below bcrypt's 72-byte limit, so nothing is silently truncated (#8).
var domainKey = []byte("smartap/sync/auth/password-prehash/v1")

// ErrPasswordPolicy is returned by Hash for an empty or oversize password.
var ErrPasswordPolicy = errors.New("auth: password is empty or too long")

// Passwords hashes and verifies server passwords: HMAC-SHA256(pepper,
// password) → base64 → bcrypt. bcrypt supplies the per-user salt and keeps
// the cost in the hash string (#7).
type Passwords struct {
	key   []byte
	dummy []byte
	// compare is bcrypt.CompareHashAndPassword; a field so tests can see
	// which hash an unknown user was checked against (#11).
	compare func(hash, password []byte) error
}

// NewPasswords builds a hasher. pepper may be nil (the fixed domain key is
// used); if set, it must stay stable for the life of the stored hashes.
func NewPasswords(pepper []byte) (*Passwords, error) {
	p := &Passwords{key: domainKey, compare: bcrypt.CompareHashAndPassword}
	if len(pepper) > 0 {
		p.key = append([]byte(nil), pepper...)
	}
	// The dummy hash is made at the current cost from a random password so
	// that verifying an unknown user costs exactly what a real one does (#11).
	var r [32]byte
	if _, err := rand.Read(r[:]); err != nil {
		return nil, err
	}
	d, err := bcrypt.GenerateFromPassword(p.prehash(string(r[:])), bcryptCost)
	if err != nil {
		return nil, err
	}
	p.dummy = d
	return p, nil
}

func (p *Passwords) prehash(password string) []byte {
	m := hmac.New(sha256.New, p.key)
	m.Write([]byte(password))
	sum := m.Sum(nil)
	out := make([]byte, base64.StdEncoding.EncodedLen(len(sum)))
	// Base64, not raw bytes: bcrypt stops at a NUL byte in some
	// implementations, and raw HMAC output may contain one.
	base64.StdEncoding.Encode(out, sum)
	return out
}

// Hash returns a bcrypt hash string; equal passwords give different hashes
// because bcrypt draws a fresh salt each time (#7).
func (p *Passwords) Hash(password string) (string, error) {
	if password == "" || len(password) > MaxPasswordLen {
		return "", ErrPasswordPolicy
	}
	h, err := bcrypt.GenerateFromPassword(p.prehash(password), bcryptCost)
	if err != nil {
		return "", fmt.Errorf("auth: hash password: %w", err)
	}
	return string(h), nil
}

// Verify checks password against hash; any mismatch or malformed hash is
// ErrInvalidCredentials, never a more specific error.
func (p *Passwords) Verify(hash, password string) error {
	if len(password) > MaxPasswordLen {
		// Still spend the bcrypt time so length is not a timing oracle.
		_ = p.compare(p.dummy, p.prehash(""))
		return ErrInvalidCredentials
	}
	if p.compare([]byte(hash), p.prehash(password)) != nil {
		return ErrInvalidCredentials
	}
	return nil
}

// VerifyUnknown is called when the user does not exist: it compares against
// the dummy hash so the response takes as long as a wrong password (#11).
func (p *Passwords) VerifyUnknown(password string) error {
	_ = p.compare(p.dummy, p.prehash(password))
	return ErrInvalidCredentials
}

// NeedsRehash reports whether hash was made below the current cost, so the
// login path can upgrade it after a successful verify.
func (p *Passwords) NeedsRehash(hash string) bool {
	c, err := bcrypt.Cost([]byte(hash))
	return err != nil || c < bcryptCost
}
