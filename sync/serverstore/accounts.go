package serverstore

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/sync/server/events"
)

// Accounts is the account side of the store beyond users and tokens:
// service-account API keys, the per-user limits the authority check needs
// (cost centres, approval limit), the devices each user has logged in
// from (new-device detection) and the persisted security events.
type Accounts interface {
	// CreateAPIKey stores k (k.CreatedAt is set by the store when zero).
	// ErrInvalid for an empty id or user, ErrNotFound if the user does
	// not exist, ErrExists if the id is taken.
	CreateAPIKey(ctx context.Context, k APIKey) error
	// GetAPIKey returns the key with that id (its public prefix) or
	// ErrNotFound. Revoked keys are returned too; callers check Revoked.
	GetAPIKey(ctx context.Context, id string) (APIKey, error)
	// RevokeAPIKey marks the key revoked; revoking again keeps the first
	// time. ErrNotFound for an unknown id.
	RevokeAPIKey(ctx context.Context, id string, at time.Time) error
	// ListAPIKeys returns the keys of the team's users, oldest first.
	ListAPIKeys(ctx context.Context, team string) ([]APIKey, error)

	// SetCostCentres replaces the user's cost centres (nil or empty: none).
	// ErrInvalid for an empty centre, ErrNotFound for an unknown user.
	SetCostCentres(ctx context.Context, user string, centres []string) error
	// SetApprovalLimit sets the highest amount the user may approve, as a
	// decimal string; "" means no limit. ErrInvalid for anything that is
	// not a non-negative decimal, ErrNotFound for an unknown user.
	SetApprovalLimit(ctx context.Context, user, limit string) error
	// Profile returns the user's cost centres (sorted) and approval limit
	// (zero values if never set), or ErrNotFound for an unknown user.
	Profile(ctx context.Context, user string) (Profile, error)

	// SeeDevice records that user used device at at. first reports that
	// the pair was never seen before (the first call wins when several
	// race). ErrInvalid for an empty device, ErrNotFound for an unknown
	// user.
	SeeDevice(ctx context.Context, user, device string, at time.Time) (first bool, err error)
	// Devices lists the user's devices by first-seen time.
	Devices(ctx context.Context, user string) ([]Device, error)

	// RecordEvent persists a security event; it satisfies events.Recorder.
	// ErrInvalid for an empty kind or a zero time.
	RecordEvent(ctx context.Context, e events.Event) error
	// ListEvents returns the newest f.Limit events matching f, oldest
	// first.
	ListEvents(ctx context.Context, f EventFilter) ([]events.Event, error)
}

// APIKey is a service account's long-lived credential. The secret part is
// never stored: only its SHA-256 (the key carries 256 random bits, so a
// slow hash adds nothing) and the public prefix (ID) used to find the row.
type APIKey struct {
	ID        string
	Hash      [32]byte
	User      string // the service account the key logs in as
	CreatedAt time.Time
	RevokedAt time.Time // zero while valid
}

// Revoked reports whether the key has been revoked.
func (k APIKey) Revoked() bool { return !k.RevokedAt.IsZero() }

// Profile is what the authority check needs about a user beyond the role.
type Profile struct {
	CostCentres   []string
	ApprovalLimit string // decimal; "" = no limit
}

// Device is one device a user has logged in from.
type Device struct {
	ID        string
	FirstSeen time.Time
	LastSeen  time.Time
}

// EventFilter selects security events. Zero fields match everything.
type EventFilter struct {
	Team  string
	Kind  string
	Since time.Time
	Limit int // ≤ 0 or above MaxEvents means MaxEvents
}

// MaxEvents bounds one ListEvents answer.
const MaxEvents = 1000

// EventLimit clamps an EventFilter limit to 1..MaxEvents.
func EventLimit(n int) int {
	if n <= 0 || n > MaxEvents {
		return MaxEvents
	}
	return n
}

// API keys look like "sak_<id>_<secret>": id is 16 hex characters (the
// lookup prefix, safe to log), secret 43 base64url characters (256 bits).
const apiKeyPrefix = "sak_"

// NewAPIKey returns a fresh key string and the record to store for it
// (CreatedAt left zero for the store to fill).
func NewAPIKey(user string) (key string, rec APIKey, err error) {
	var id [8]byte
	var secret [32]byte
	if _, err := rand.Read(id[:]); err != nil {
		return "", APIKey{}, fmt.Errorf("serverstore: api key id: %w", err)
	}
	if _, err := rand.Read(secret[:]); err != nil {
		return "", APIKey{}, fmt.Errorf("serverstore: api key secret: %w", err)
	}
	idHex := hex.EncodeToString(id[:])
	key = apiKeyPrefix + idHex + "_" + base64.RawURLEncoding.EncodeToString(secret[:])
	return key, APIKey{ID: idHex, Hash: sha256.Sum256([]byte(key)), User: user}, nil
}

// ParseAPIKey returns the id of a well-formed key string, or ErrInvalid.
func ParseAPIKey(key string) (string, error) {
	rest, ok := strings.CutPrefix(key, apiKeyPrefix)
	id, secret, ok2 := strings.Cut(rest, "_")
	if !ok || !ok2 || len(id) != 16 || len(secret) != 43 {
		return "", fmt.Errorf("%w: malformed api key", ErrInvalid)
	}
	if _, err := hex.DecodeString(id); err != nil {
		return "", fmt.Errorf("%w: malformed api key", ErrInvalid)
	}
	if b, err := base64.RawURLEncoding.Strict().DecodeString(secret); err != nil || len(b) != 32 {
		return "", fmt.Errorf("%w: malformed api key", ErrInvalid)
	}
	return id, nil
}

// Matches reports, in constant time, whether key is this record's key.
func (k APIKey) Matches(key string) bool {
	h := sha256.Sum256([]byte(key))
	return subtle.ConstantTimeCompare(h[:], k.Hash[:]) == 1
}

// CheckApprovalLimit validates a SetApprovalLimit argument and returns it
// in canonical form ("" stays "").
func CheckApprovalLimit(limit string) (string, error) {
	limit = strings.TrimSpace(limit)
	if limit == "" {
		return "", nil
	}
	d, err := decimal.Parse(limit)
	if err != nil {
		return "", fmt.Errorf("%w: approval limit %q: %w", ErrInvalid, limit, err)
	}
	if d.Sign() < 0 {
		return "", fmt.Errorf("%w: approval limit %q is negative", ErrInvalid, limit)
	}
	return d.String(), nil
}

// CheckCostCentres validates and de-duplicates cost centres, sorted.
func CheckCostCentres(centres []string) ([]string, error) {
	seen := make(map[string]bool, len(centres))
	out := make([]string, 0, len(centres))
	for _, c := range centres {
		c = strings.TrimSpace(c)
		if c == "" {
			return nil, fmt.Errorf("%w: empty cost centre", ErrInvalid)
		}
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return out, nil
}

// CheckEvent validates a RecordEvent argument.
func CheckEvent(e events.Event) error {
	if e.Kind == "" || e.At.IsZero() {
		return fmt.Errorf("%w: event needs a kind and a time", ErrInvalid)
	}
	return nil
}
