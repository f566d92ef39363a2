// Package serverstore is the sync server's storage contract (ARCHITECTURE
// §7): teams, users, each team's operation log and the refresh-token store.
// Two implementations share it and one conformance suite (storetest):
// sqlitestore (the default, one server process) and pgstore (PostgreSQL,
// several server replicas sharing one database).
//
// The operation log is the server's total order: Append gives every new
// operation the next sequence number of its team, in one transaction, and
// is idempotent by operation id, so a device that re-sends a batch after a
// lost acknowledgement gets the original sequence numbers back and never
// creates a second row. Pull pages through the log by sequence.
//
// Errors: methods return ErrNotFound, ErrExists or ErrInvalid (possibly
// wrapped; test with errors.Is) for the conditions their comments name;
// any other error is a storage failure, after which nothing of the call
// was committed.
package serverstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/sync/auth"
	"github.com/smartap/desktop/sync/wire"
)

// Sentinel errors. ErrNotFound and ErrExists are the auth package's, so
// the TokenStore half of a Store keeps auth's contract (auth.ErrNotFound,
// auth.ErrExists) with the same values.
var (
	// ErrNotFound: the team, user, family or token does not exist.
	ErrNotFound = auth.ErrNotFound
	// ErrExists: the team id or user name is already taken.
	ErrExists = auth.ErrExists
	// ErrInvalid: an argument is malformed (empty id, unknown role,
	// invalid operation). Invalid operations also match wire.ErrInvalid.
	ErrInvalid = errors.New("serverstore: invalid argument")
	// ErrHeadMoved: AppendAfter found the team's head past the expected
	// one (another writer appended first); nothing was stored.
	ErrHeadMoved = errors.New("serverstore: team head moved")
)

// Team is one tenant: its own users and its own operation log.
type Team struct {
	ID string
	// Index names the team's sequence space for wire.Cursor: random,
	// fixed at creation, and changed only if the log is rebuilt (which
	// makes every device bootstrap again instead of pulling).
	Index     string
	CreatedAt time.Time
}

// User is a person or service account of one team. Names are unique
// across the server (they are the login name and the token subject).
type User struct {
	Name         string
	Team         string
	PasswordHash string // the encoded hash (auth.HashPassword); never the password
	Role         identity.Role
	Disabled     bool
	// TokenVersion is stamped into access tokens; SetRole and Disable
	// increment it, which invalidates every access token issued before.
	TokenVersion int64
	CreatedAt    time.Time
}

// Appended is the result for one operation of an Append batch.
type Appended struct {
	Seq uint64
	// Duplicate: the operation id was already in the team's log (from an
	// earlier call or earlier in the same batch). Seq is the original
	// sequence and the stored operation is unchanged: the first version
	// received wins.
	Duplicate bool
}

// Entry is one operation in a team's log.
type Entry struct {
	Seq      uint64
	Op       wire.Op
	Received time.Time // server receive time (commit of the Append)
}

// Page is one Pull result.
type Page struct {
	Entries []Entry
	// Next is the cursor to pull from next: the last returned sequence, or
	// the requested one when the page is empty.
	Next wire.Cursor
	// More reports that operations after Next already exist.
	More bool
}

// Store is the sync server's storage. All methods are safe for concurrent
// use, also from several processes sharing one database (pgstore).
type Store interface {
	// TokenStore: refresh families and tokens, with auth's contract
	// (authtest.StoreConformance).
	auth.TokenStore

	// CreateTeam creates a team with a new random index id. ErrInvalid for
	// an empty id, ErrExists if the id is taken.
	CreateTeam(ctx context.Context, id string) (Team, error)
	// GetTeam returns the team or ErrNotFound.
	GetTeam(ctx context.Context, id string) (Team, error)

	// CreateUser stores u with TokenVersion 1 (u.TokenVersion and
	// u.CreatedAt are ignored) and returns it as stored. ErrInvalid for an
	// empty name or password hash or an unknown role, ErrNotFound if the
	// team does not exist, ErrExists if the name is taken.
	CreateUser(ctx context.Context, u User) (User, error)
	// GetUser returns the user or ErrNotFound.
	GetUser(ctx context.Context, name string) (User, error)
	// SetRole changes the role and increments the token version (even if
	// the role is unchanged), returning the new version. ErrInvalid for an
	// unknown role, ErrNotFound for an unknown user.
	SetRole(ctx context.Context, name string, role identity.Role) (int64, error)
	// Disable marks the user disabled and increments the token version,
	// returning the new version; disabling again increments it again.
	// ErrNotFound for an unknown user. It does not revoke refresh
	// families: the caller does (RevokeUser), after this succeeds.
	Disable(ctx context.Context, name string) (int64, error)
	// TokenVersion returns the user's token version, or ErrNotFound; it
	// fits auth.VersionLookup.
	TokenVersion(ctx context.Context, name string) (int64, error)

	// Append adds ops to the team's log in one transaction and returns
	// one result per op, in order. New ops get the team's next sequence
	// numbers (strictly increasing, no gaps, starting at 1); an op whose id
	// is already in the team's log is not stored again (Duplicate). Every
	// op is validated first (ErrInvalid and wire.ErrInvalid, nothing
	// stored); ErrNotFound if the team does not exist. An empty batch
	// returns no results. When Append returns nil the batch is committed
	// and durable, so the server may acknowledge it.
	Append(ctx context.Context, team string, ops []wire.Op) ([]Appended, error)
	// AppendAfter is Append only if the team's head is still head, checked
	// under the same lock as the append, so a server that decided on ops
	// against the log up to head can commit them atomically even with
	// other replicas writing. ErrHeadMoved (nothing stored) otherwise; the
	// caller catches up from the log and decides again.
	AppendAfter(ctx context.Context, team string, head uint64, ops []wire.Op) ([]Appended, error)
	// Pull returns the team's ops with sequence > after, in sequence
	// order, at most limit of them (limit ≤ 0 or above wire.MaxPage means
	// wire.MaxPage). ErrNotFound if the team does not exist.
	Pull(ctx context.Context, team string, after uint64, limit int) (Page, error)
	// Head returns the team's last assigned sequence (0 for an empty log),
	// or ErrNotFound.
	Head(ctx context.Context, team string) (uint64, error)

	// Attachments: content-addressed attachment uploads (attachments.go).
	Attachments
	// Accounts: API keys, user profiles, devices, security events (accounts.go).
	Accounts

	// Close releases the store's connections.
	Close() error
}

// NewIndexID returns a random index id (128 bits, hex).
func NewIndexID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("serverstore: index id: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

// CheckOps validates an Append's arguments; implementations call it before
// opening their transaction.
func CheckOps(team string, ops []wire.Op) error {
	if team == "" {
		return fmt.Errorf("%w: empty team id", ErrInvalid)
	}
	if len(ops) > wire.MaxBatch {
		return fmt.Errorf("%w: %d ops in one batch (at most %d)", ErrInvalid, len(ops), wire.MaxBatch)
	}
	for i, op := range ops {
		if err := op.Validate(); err != nil {
			return fmt.Errorf("%w: op %d: %w", ErrInvalid, i, err)
		}
	}
	return nil
}

// EncodeOps returns the stored form of each op: its JSON exactly as inside
// a frame (wire.AppendOp), which decodes back to the same op. The bodies
// share one buffer: a store encodes a whole batch at once.
func EncodeOps(ops []wire.Op) [][]byte {
	bodies := make([][]byte, len(ops))
	buf := make([]byte, 0, 512*len(ops))
	for i := range ops {
		start := len(buf)
		buf = wire.AppendOp(buf, &ops[i])
		bodies[i] = buf[start:len(buf):len(buf)]
	}
	return bodies
}

// CheckUser validates CreateUser's argument and returns the canonical role.
func CheckUser(u User) (identity.Role, error) {
	if u.Name == "" || u.Team == "" || u.PasswordHash == "" {
		return "", fmt.Errorf("%w: user needs a name, a team and a password hash", ErrInvalid)
	}
	return CheckRole(u.Role)
}

// CheckRole returns the canonical role or ErrInvalid.
func CheckRole(r identity.Role) (identity.Role, error) {
	role, err := identity.ParseRole(string(r))
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return role, nil
}

// PageLimit clamps a Pull limit to 1..wire.MaxPage (≤ 0 means the maximum).
func PageLimit(limit int) int {
	if limit <= 0 || limit > wire.MaxPage {
		return wire.MaxPage
	}
	return limit
}
