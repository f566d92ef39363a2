package auth

import (
	"context"
	"errors"
	"time"
)

// Store errors. Implementations return these (possibly wrapped) so the
// refresh logic and the conformance suite can rely on errors.Is.
var (
	// ErrExists: CreateFamily with a used ID, Insert with a used hash.
	ErrExists = errors.New("auth: already exists")
	// ErrAlreadyUsed: MarkUsed on a token already marked. This is the
	// compare-and-set that makes reuse detection race-free: of two
	// concurrent refreshes with one token, exactly one wins.
	ErrAlreadyUsed = errors.New("auth: refresh token already used")
	// ErrFamilyRevoked: Insert into a revoked family, so a refresh racing a
	// logout cannot mint a live token after the revoke.
	ErrFamilyRevoked = errors.New("auth: refresh family revoked")
)

// TokenHash is SHA-256 of the full refresh-token string. Stores keep only
// this, never the token (#18).
type TokenHash [32]byte

// Family is one login session: every refresh token rotated from the same
// login belongs to it, and it dies as a whole.
type Family struct {
	ID        string
	UserID    string
	CreatedAt time.Time
	ExpiresAt time.Time // absolute lifetime; rotation never extends it (#17)
	RevokedAt time.Time // zero while live
	Reason    string    // why revoked: logout, reuse, user, expired
}

// Revoked reports whether the family has been revoked.
func (f Family) Revoked() bool { return !f.RevokedAt.IsZero() }

// RefreshRecord is the stored form of one refresh token.
type RefreshRecord struct {
	Hash      TokenHash
	FamilyID  string
	UserID    string
	IssuedAt  time.Time
	ExpiresAt time.Time // idle deadline: unused past this, the token is dead
	UsedAt    time.Time // zero until rotated
	// Successor is the hash of the token this one was rotated into (zero
	// until rotated); it lets a retry within the reuse grace find it.
	Successor TokenHash
}

// TokenStore persists refresh families and tokens. All methods are safe
// for concurrent use. Times are stored with at least microsecond precision.
type TokenStore interface {
	// CreateFamily stores a new family; ErrExists if the ID is taken.
	CreateFamily(ctx context.Context, f Family) error
	// GetFamily returns the family or ErrNotFound.
	GetFamily(ctx context.Context, id string) (Family, error)
	// Insert stores a token: ErrNotFound if its family does not exist,
	// ErrFamilyRevoked if the family is revoked, ErrExists if the hash is
	// already stored.
	Insert(ctx context.Context, r RefreshRecord) error
	// GetByHash returns the token or ErrNotFound.
	GetByHash(ctx context.Context, h TokenHash) (RefreshRecord, error)
	// MarkUsed atomically sets UsedAt and Successor if UsedAt is zero:
	// ErrNotFound if the hash is unknown, ErrAlreadyUsed if it was already
	// set (unchanged).
	MarkUsed(ctx context.Context, h TokenHash, at time.Time, successor TokenHash) error
	// RevokeFamily sets RevokedAt and Reason if not yet revoked; revoking
	// again is a no-op that keeps the first time and reason. ErrNotFound
	// if the family does not exist.
	RevokeFamily(ctx context.Context, id string, at time.Time, reason string) error
	// RevokeUser revokes every live family of userID and returns how many
	// it revoked (zero is not an error).
	RevokeUser(ctx context.Context, userID string, at time.Time, reason string) (int, error)
}
