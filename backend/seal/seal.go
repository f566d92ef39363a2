// Package seal encrypts one value at a time with XChaCha20-Poly1305 and binds
// every ciphertext to the place it belongs (table, row, column) through the
// associated data, so a ciphertext copied to another row or column fails to
// open (security checklist #3). Nonces are random 192-bit values, which makes
// reuse negligible without any counter state (checklist #4).
//
// Envelope, version 1: 0x01 | nonce (24) | ciphertext+tag.
package seal

import (
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"

	"golang.org/x/crypto/chacha20poly1305"

	"github.com/smartap/desktop/backend/secret"
)

// Version is the envelope version written by Seal.
const Version byte = 1

// KeySize is the size of a sealing key.
const KeySize = chacha20poly1305.KeySize

// Overhead is how many bytes Seal adds to a plaintext.
const Overhead = 1 + chacha20poly1305.NonceSizeX + chacha20poly1305.Overhead

var (
	// ErrAuth means the ciphertext, its place or the key is wrong.
	ErrAuth = errors.New("seal: ciphertext does not authenticate")
	// ErrVersion means the envelope was written by an unknown version.
	ErrVersion = errors.New("seal: unknown envelope version")
	// ErrShort means the envelope is too short to hold a nonce and a tag.
	ErrShort = errors.New("seal: envelope too short")
)

// AD names where a sealed value lives. Each part is length-prefixed in the
// associated data so ("ab","c") and ("a","bc") never collide.
type AD struct {
	Table  string
	Row    string
	Column string
}

func (a AD) bytes() []byte {
	out := make([]byte, 0, 32+len(a.Table)+len(a.Row)+len(a.Column))
	out = append(out, "smartap/seal/v1"...)
	for _, p := range []string{a.Table, a.Row, a.Column} {
		out = binary.BigEndian.AppendUint32(out, uint32(len(p))) // #nosec G115 -- names are short
		out = append(out, p...)
	}
	return out
}

// Sealer seals and opens values with one key. Safe for concurrent use until
// Wipe. It keeps only the key and builds the cipher per call, so Wipe leaves
// no long-lived key schedule behind when a session locks.
type Sealer struct {
	mu  sync.RWMutex
	key secret.Bytes
}

// ErrWiped means the key was wiped (the session locked).
var ErrWiped = errors.New("seal: key wiped")

// New makes a Sealer from a 32-byte key; it takes ownership of key.
func New(key secret.Bytes) (*Sealer, error) {
	if key.Len() != KeySize {
		return nil, fmt.Errorf("seal: key is %d bytes, want %d", key.Len(), KeySize)
	}
	return &Sealer{key: key}, nil
}

// Wipe zeroes the key; later calls fail with ErrWiped.
func (s *Sealer) Wipe() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.key.Wipe()
}

func (s *Sealer) with(fn func(aead cipher.AEAD) error) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.key.IsZero() {
		return ErrWiped
	}
	aead, err := chacha20poly1305.NewX(s.key.Reveal())
	if err != nil {
		return fmt.Errorf("seal: %w", err)
	}
	return fn(aead)
}

// Seal encrypts plain for the place ad.
func (s *Sealer) Seal(plain []byte, ad AD) ([]byte, error) {
	out := make([]byte, 1+chacha20poly1305.NonceSizeX, Overhead+len(plain))
	out[0] = Version
	if _, err := rand.Read(out[1:]); err != nil {
		return nil, fmt.Errorf("seal: nonce: %w", err)
	}
	nonce := out[1 : 1+chacha20poly1305.NonceSizeX]
	err := s.with(func(aead cipher.AEAD) error {
		out = aead.Seal(out, nonce, plain, ad.bytes())
		return nil
	})
	return out, err
}

// Open decrypts an envelope made by Seal for the same place.
func (s *Sealer) Open(env []byte, ad AD) ([]byte, error) {
	if len(env) < Overhead {
		return nil, ErrShort
	}
	if env[0] != Version {
		return nil, fmt.Errorf("%w %d", ErrVersion, env[0])
	}
	nonce := env[1 : 1+chacha20poly1305.NonceSizeX]
	var plain []byte
	err := s.with(func(aead cipher.AEAD) error {
		var err error
		if plain, err = aead.Open(nil, nonce, env[1+chacha20poly1305.NonceSizeX:], ad.bytes()); err != nil {
			return ErrAuth
		}
		return nil
	})
	return plain, err
}
