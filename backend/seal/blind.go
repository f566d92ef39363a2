package seal

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"sync"

	"github.com/smartap/desktop/backend/secret"
)

// IndexSize is the length of a blind index value: 128 bits keeps collisions
// out of reach while staying small in SQLite indexes.
const IndexSize = 16

// Indexer computes keyed blind indexes: equal inputs give equal values, so
// SQLite can look them up, but without the key the values say nothing about
// the inputs (a plain hash of an IBAN or an invoice number could be brute
// forced from its small space).
type Indexer struct {
	mu  sync.RWMutex
	key secret.Bytes
}

// Wipe zeroes the key; Index then fails with ErrWiped.
func (ix *Indexer) Wipe() {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.key.Wipe()
}

// NewIndexer uses key for every index; keep it apart from the sealing key.
func NewIndexer(key secret.Bytes) *Indexer { return &Indexer{key: key} }

// Index returns the blind index of value within domain ("vendor.vat_id",
// "invoice.seller_number", ...). Callers normalise value first.
func (ix *Indexer) Index(domain, value string) ([]byte, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.key.IsZero() {
		return nil, ErrWiped
	}
	m := hmac.New(sha256.New, ix.key.Reveal())
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(domain))) // #nosec G115 -- domains are short constants
	m.Write(n[:])
	m.Write([]byte(domain))
	m.Write([]byte(value))
	return m.Sum(nil)[:IndexSize], nil
}
