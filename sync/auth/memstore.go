package auth

import (
	"context"
	"sync"
	"time"
)

// MemStore is an in-memory TokenStore for tests and single-process use.
type MemStore struct {
	mu       sync.Mutex
	families map[string]Family
	tokens   map[TokenHash]RefreshRecord
}

var _ TokenStore = (*MemStore)(nil)

// NewMemStore returns an empty store.
func NewMemStore() *MemStore {
	return &MemStore{families: map[string]Family{}, tokens: map[TokenHash]RefreshRecord{}}
}

func (m *MemStore) CreateFamily(_ context.Context, f Family) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.families[f.ID]; ok {
		return ErrExists
	}
	m.families[f.ID] = f
	return nil
}

func (m *MemStore) GetFamily(_ context.Context, id string) (Family, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	f, ok := m.families[id]
	if !ok {
		return Family{}, ErrNotFound
	}
	return f, nil
}

func (m *MemStore) Insert(_ context.Context, r RefreshRecord) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	f, ok := m.families[r.FamilyID]
	switch {
	case !ok:
		return ErrNotFound
	case f.Revoked():
		return ErrFamilyRevoked
	}
	if _, ok := m.tokens[r.Hash]; ok {
		return ErrExists
	}
	m.tokens[r.Hash] = r
	return nil
}

// GetByHash looks up by map key. That lookup is not constant-time, but it
// is keyed by a SHA-256 of a 256-bit secret, so timing reveals nothing an
// attacker can steer toward a real token; Refresh re-compares with subtle.
func (m *MemStore) GetByHash(_ context.Context, h TokenHash) (RefreshRecord, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.tokens[h]
	if !ok {
		return RefreshRecord{}, ErrNotFound
	}
	return r, nil
}

func (m *MemStore) MarkUsed(_ context.Context, h TokenHash, at time.Time, successor TokenHash) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.tokens[h]
	switch {
	case !ok:
		return ErrNotFound
	case !r.UsedAt.IsZero():
		return ErrAlreadyUsed
	}
	r.UsedAt, r.Successor = at, successor
	m.tokens[h] = r
	return nil
}

func (m *MemStore) RevokeFamily(_ context.Context, id string, at time.Time, reason string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	f, ok := m.families[id]
	if !ok {
		return ErrNotFound
	}
	if !f.Revoked() {
		f.RevokedAt, f.Reason = at, reason
		m.families[id] = f
	}
	return nil
}

func (m *MemStore) RevokeUser(_ context.Context, userID string, at time.Time, reason string) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for id, f := range m.families {
		if f.UserID == userID && !f.Revoked() {
			f.RevokedAt, f.Reason = at, reason
			m.families[id] = f
			n++
		}
	}
	return n, nil
}

// Snapshot copies the store's contents, so tests can inspect exactly what
// a database would hold (#18: no raw token).
func (m *MemStore) Snapshot() ([]Family, []RefreshRecord) {
	m.mu.Lock()
	defer m.mu.Unlock()
	fs := make([]Family, 0, len(m.families))
	for _, f := range m.families {
		fs = append(fs, f)
	}
	rs := make([]RefreshRecord, 0, len(m.tokens))
	for _, r := range m.tokens {
		rs = append(rs, r)
	}
	return fs, rs
}
