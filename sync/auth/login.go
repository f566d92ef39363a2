package auth

import (
	"context"
	"errors"
	"strings"

	"github.com/smartap/desktop/backend/identity"
)

// ErrNotFound is returned by an AccountLookup for an unknown user and by a
// TokenStore for a missing row.
var ErrNotFound = errors.New("auth: not found")

// Account is what the login path needs to know about a user.
type Account struct {
	UserID       string
	Team         string
	Role         identity.Role
	PasswordHash string
	TokenVersion int64
	Disabled     bool
}

// AccountLookup loads an account by normalized username; it returns
// ErrNotFound (possibly wrapped) for an unknown name.
type AccountLookup func(ctx context.Context, username string) (Account, error)

// maxUsernameLen bounds lockout/limiter keys; longer names cannot exist.
const maxUsernameLen = 320

// NormalizeUsername folds case and trims space so "Alice" and "alice "
// share one lockout counter instead of giving an attacker extra tries.
func NormalizeUsername(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Authenticator composes rate limits, lockout and password verification
// into one login decision.
type Authenticator struct {
	Passwords *Passwords
	Lockout   *Lockout
	PerIP     *Limiter
	PerUser   *Limiter
	Lookup    AccountLookup
}

// Authenticate checks a login attempt. It returns the account on success;
// otherwise ErrRateLimited or ErrLocked (as *RetryError) or
// ErrInvalidCredentials, the same for unknown user, wrong password and
// disabled account (#11). Other errors are internal (lookup failures).
func (a *Authenticator) Authenticate(ctx context.Context, username, password, ip string) (Account, error) {
	user := NormalizeUsername(username)
	if err := a.PerIP.Allow(ip); err != nil {
		return Account{}, err
	}
	if len(user) > maxUsernameLen || user == "" {
		// Cannot be an account; do the dummy work and keep no per-user state.
		a.PerIP.Failure(ip)
		return Account{}, a.Passwords.VerifyUnknown(password)
	}
	if err := a.PerUser.Allow(user); err != nil {
		return Account{}, err
	}
	if err := a.Lockout.Check(user); err != nil {
		return Account{}, err
	}
	acct, err := a.Lookup(ctx, user)
	switch {
	case errors.Is(err, ErrNotFound):
		err = a.Passwords.VerifyUnknown(password)
	case err != nil:
		return Account{}, err
	default:
		err = a.Passwords.Verify(acct.PasswordHash, password)
	}
	if err != nil {
		a.Lockout.Failure(user)
		a.PerIP.Failure(ip)
		a.PerUser.Failure(user)
		return Account{}, ErrInvalidCredentials
	}
	if acct.Disabled {
		// Checked after the bcrypt work so timing matches the other failures.
		return Account{}, ErrInvalidCredentials
	}
	a.Lockout.Success(user)
	a.PerUser.Reset(user)
	return acct, nil
}
