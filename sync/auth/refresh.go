package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"
)

// RefreshPrefix marks opaque refresh tokens. It contains a '.', which
// base64url never does, so a refresh token can never parse as a JWS and
// both endpoints can name the confusion precisely (#15).
const RefreshPrefix = "rt1."

// refreshBytes is the token entropy: 256 bits (#18 asks for ≥128).
const refreshBytes = 32

// Default lifetimes (#17).
const (
	DefaultIdleTTL     = 14 * 24 * time.Hour
	DefaultAbsoluteTTL = 30 * 24 * time.Hour
	// DefaultReuseGrace: a spent token presented again this soon after its
	// rotation, while its successor is still unused, is a client that
	// never received the answer (crash, lost connection), not a thief.
	DefaultReuseGrace = time.Minute
)

// Security event kinds.
const (
	EventRefreshReuse = "refresh_reuse"
)

// SecurityEvent is raised for the audit log and live admin alerts. It
// never carries a token.
type SecurityEvent struct {
	Kind     string
	UserID   string
	FamilyID string
	At       time.Time
}

// RefreshConfig configures Refresher.
type RefreshConfig struct {
	Store       TokenStore
	Clock       Clock
	IdleTTL     time.Duration // default DefaultIdleTTL
	AbsoluteTTL time.Duration // default DefaultAbsoluteTTL
	// ReuseGrace is how long after a rotation a retry with the spent token
	// is answered instead of treated as reuse (0: DefaultReuseGrace;
	// negative: no grace).
	ReuseGrace time.Duration
	OnEvent    func(SecurityEvent)
	Rand       io.Reader // default crypto/rand
}

// Refresher issues, rotates and revokes refresh tokens.
type Refresher struct {
	cfg RefreshConfig
}

// NewRefresher validates cfg and fills defaults.
func NewRefresher(cfg RefreshConfig) (*Refresher, error) {
	if cfg.Store == nil {
		return nil, errors.New("auth: refresh config needs a store")
	}
	if cfg.IdleTTL <= 0 {
		cfg.IdleTTL = DefaultIdleTTL
	}
	if cfg.AbsoluteTTL <= 0 {
		cfg.AbsoluteTTL = DefaultAbsoluteTTL
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Reader
	}
	if cfg.ReuseGrace == 0 {
		cfg.ReuseGrace = DefaultReuseGrace
	}
	return &Refresher{cfg: cfg}, nil
}

// Issued is a freshly issued refresh token. Token is the secret handed to
// the client; String and LogValue hide it so it cannot leak into logs.
type Issued struct {
	Token     string
	UserID    string
	FamilyID  string
	ExpiresAt time.Time // idle deadline of this token
}

func (i Issued) String() string {
	return fmt.Sprintf("refresh{user=%s family=%s token=[REDACTED]}", i.UserID, i.FamilyID)
}

// LogValue implements slog.LogValuer.
func (i Issued) LogValue() slog.Value {
	return slog.GroupValue(slog.String("user", i.UserID), slog.String("family", i.FamilyID))
}

// HashToken is what stores keep instead of the token (#18).
func HashToken(token string) TokenHash { return sha256.Sum256([]byte(token)) }

// tokenEqual compares secrets in constant time (#9).
func tokenEqual(a, b []byte) bool { return subtle.ConstantTimeCompare(a, b) == 1 }

func (r *Refresher) newToken() (string, error) {
	var b [refreshBytes]byte
	if _, err := io.ReadFull(r.cfg.Rand, b[:]); err != nil {
		return "", err
	}
	return RefreshPrefix + b64.EncodeToString(b[:]), nil
}

func (r *Refresher) newID() (string, error) {
	var b [16]byte
	if _, err := io.ReadFull(r.cfg.Rand, b[:]); err != nil {
		return "", err
	}
	return b64.EncodeToString(b[:]), nil
}

// Start begins a new family at login and returns its first token.
func (r *Refresher) Start(ctx context.Context, userID string) (Issued, error) {
	if userID == "" {
		return Issued{}, errors.New("auth: empty user id")
	}
	id, err := r.newID()
	if err != nil {
		return Issued{}, err
	}
	now := r.cfg.Clock.now()
	f := Family{ID: id, UserID: userID, CreatedAt: now, ExpiresAt: now.Add(r.cfg.AbsoluteTTL)}
	if err := r.cfg.Store.CreateFamily(ctx, f); err != nil {
		return Issued{}, fmt.Errorf("auth: create family: %w", err)
	}
	tok, err := r.newToken()
	if err != nil {
		return Issued{}, err
	}
	return r.issue(ctx, f, now, tok)
}

func (r *Refresher) issue(ctx context.Context, f Family, now time.Time, tok string) (Issued, error) {
	// The idle deadline never reaches past the family's absolute one.
	exp := now.Add(r.cfg.IdleTTL)
	if f.ExpiresAt.Before(exp) {
		exp = f.ExpiresAt
	}
	rec := RefreshRecord{Hash: HashToken(tok), FamilyID: f.ID, UserID: f.UserID, IssuedAt: now, ExpiresAt: exp}
	if err := r.cfg.Store.Insert(ctx, rec); err != nil {
		if errors.Is(err, ErrFamilyRevoked) {
			return Issued{}, ErrRevoked
		}
		return Issued{}, fmt.Errorf("auth: insert refresh token: %w", err)
	}
	return Issued{Token: tok, UserID: f.UserID, FamilyID: f.ID, ExpiresAt: exp}, nil
}

// lookup parses token and loads its record and family.
func (r *Refresher) lookup(ctx context.Context, token string) (RefreshRecord, Family, error) {
	if !strings.HasPrefix(token, RefreshPrefix) {
		if strings.Count(token, ".") == 2 {
			return RefreshRecord{}, Family{}, ErrTokenType // #15: a JWS on the refresh endpoint
		}
		return RefreshRecord{}, Family{}, ErrInvalidToken
	}
	raw, err := b64.DecodeString(token[len(RefreshPrefix):])
	if err != nil || len(raw) != refreshBytes {
		return RefreshRecord{}, Family{}, ErrInvalidToken
	}
	h := HashToken(token)
	rec, err := r.cfg.Store.GetByHash(ctx, h)
	if errors.Is(err, ErrNotFound) {
		return RefreshRecord{}, Family{}, ErrInvalidToken
	} else if err != nil {
		return RefreshRecord{}, Family{}, err
	}
	// Defence in depth: do not trust a store's index to have matched
	// exactly (collation, prefix indexes); re-compare in constant time.
	if !tokenEqual(rec.Hash[:], h[:]) {
		return RefreshRecord{}, Family{}, ErrInvalidToken
	}
	f, err := r.cfg.Store.GetFamily(ctx, rec.FamilyID)
	if err != nil {
		return RefreshRecord{}, Family{}, fmt.Errorf("auth: load family: %w", err)
	}
	return rec, f, nil
}

// Refresh rotates token: it is marked used and a new token in the same
// family is returned. A second use of any token revokes the family,
// raises EventRefreshReuse and returns ErrReuse (#16) — except a retry
// within the reuse grace whose successor was never used (see grace).
func (r *Refresher) Refresh(ctx context.Context, token string) (Issued, error) {
	rec, f, err := r.lookup(ctx, token)
	if err != nil {
		return Issued{}, err
	}
	now := r.cfg.Clock.now()
	if f.Revoked() {
		return Issued{}, ErrRevoked
	}
	if !rec.UsedAt.IsZero() {
		return r.grace(ctx, rec, f, now)
	}
	if !now.Before(f.ExpiresAt) || !now.Before(rec.ExpiresAt) {
		// Revoke so the family is visibly dead in the store, not only by date.
		_ = r.cfg.Store.RevokeFamily(ctx, f.ID, now, "expired")
		return Issued{}, ErrExpired
	}
	return r.rotate(ctx, rec, f, now)
}

// rotate spends rec and issues its successor.
func (r *Refresher) rotate(ctx context.Context, rec RefreshRecord, f Family, now time.Time) (Issued, error) {
	tok, err := r.newToken()
	if err != nil {
		return Issued{}, err
	}
	if err := r.cfg.Store.MarkUsed(ctx, rec.Hash, now, HashToken(tok)); err != nil {
		if errors.Is(err, ErrAlreadyUsed) {
			// Lost a race with another presentation of the same token:
			// one of the two is not the legitimate client.
			return Issued{}, r.reuse(ctx, f, now)
		}
		return Issued{}, fmt.Errorf("auth: mark used: %w", err)
	}
	return r.issue(ctx, f, now, tok)
}

// grace answers a spent token presented again within ReuseGrace of its
// rotation when the token it was rotated into was never used: the client
// crashed or lost the answer before it could store the new token. That
// successor is burned (spent with no successor of its own) and a fresh
// token issued, so whoever holds the burned one (if anyone) is caught by
// reuse detection on its next use — a thief replaying a just-spent token
// is found out when the real client refreshes. One grace per rotation:
// anything else is reuse.
func (r *Refresher) grace(ctx context.Context, rec RefreshRecord, f Family, now time.Time) (Issued, error) {
	if r.cfg.ReuseGrace < 0 || now.Sub(rec.UsedAt) > r.cfg.ReuseGrace || rec.Successor == (TokenHash{}) ||
		!now.Before(f.ExpiresAt) {
		return Issued{}, r.reuse(ctx, f, now)
	}
	next, err := r.cfg.Store.GetByHash(ctx, rec.Successor)
	if err != nil || !next.UsedAt.IsZero() {
		return Issued{}, r.reuse(ctx, f, now)
	}
	if err := r.cfg.Store.MarkUsed(ctx, next.Hash, now, TokenHash{}); err != nil {
		if errors.Is(err, ErrAlreadyUsed) {
			return Issued{}, r.reuse(ctx, f, now)
		}
		return Issued{}, fmt.Errorf("auth: burn unused successor: %w", err)
	}
	tok, err := r.newToken()
	if err != nil {
		return Issued{}, err
	}
	return r.issue(ctx, f, now, tok)
}

func (r *Refresher) reuse(ctx context.Context, f Family, now time.Time) error {
	if err := r.cfg.Store.RevokeFamily(ctx, f.ID, now, EventRefreshReuse); err != nil {
		return fmt.Errorf("auth: revoke family after reuse: %w", err)
	}
	if r.cfg.OnEvent != nil {
		r.cfg.OnEvent(SecurityEvent{Kind: EventRefreshReuse, UserID: f.UserID, FamilyID: f.ID, At: now})
	}
	return ErrReuse
}

// Logout revokes the family of token. An unknown or malformed token is
// ErrInvalidToken; an already revoked family is not an error.
func (r *Refresher) Logout(ctx context.Context, token string) error {
	_, f, err := r.lookup(ctx, token)
	if err != nil {
		return err
	}
	return r.cfg.Store.RevokeFamily(ctx, f.ID, r.cfg.Clock.now(), "logout")
}

// RevokeUser kills every session of userID; call it on disable and on
// password change (#17). The caller also bumps the user's token version so
// live access tokens die too (#21).
func (r *Refresher) RevokeUser(ctx context.Context, userID, reason string) (int, error) {
	return r.cfg.Store.RevokeUser(ctx, userID, r.cfg.Clock.now(), reason)
}
