package wire

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// Hash is a SHA-256 digest: an attachment's content hash or a Merkle log
// node. JSON carries it as 64 lowercase hex digits; uppercase is refused so
// one hash has one spelling and encoding stays deterministic.
type Hash [sha256.Size]byte

// String returns the lowercase hex form.
func (h Hash) String() string { return hex.EncodeToString(h[:]) }

// MarshalText encodes the lowercase hex form.
func (h Hash) MarshalText() ([]byte, error) { return []byte(h.String()), nil }

// UnmarshalText accepts exactly 64 lowercase hex digits.
func (h *Hash) UnmarshalText(b []byte) error {
	if len(b) != 2*sha256.Size {
		return fmt.Errorf("%w: hash must be %d hex digits", ErrInvalid, 2*sha256.Size)
	}
	for _, c := range b {
		if !isLowerHex(c) {
			return fmt.Errorf("%w: hash must be lowercase hex", ErrInvalid)
		}
	}
	_, err := hex.Decode(h[:], b)
	return err
}
