// Package auth is the sync server's credential and token logic: password
// hashing, lockout and rate limiting, EdDSA access tokens and rotating
// refresh-token families (ARCHITECTURE.md §7–8, SECURITY-CHECKLIST.md #7–18).
//
// It is pure: no network, no SQL. Refresh-token state lives behind the
// TokenStore interface so the SQLite and PostgreSQL stores can be swapped in
// and checked with the same conformance suite (package authtest). Every
// type takes an injected Clock so expiry, lockout and back-off are testable
// without sleeping.
package auth

import (
	"errors"
	"fmt"
	"time"
)

// Clock returns the current time. It is injected everywhere so tests can
// drive lifetimes and back-off with a fake clock.
type Clock func() time.Time

func (c Clock) now() time.Time {
	if c == nil {
		return time.Now()
	}
	return c()
}

// Errors returned to callers. The HTTP layer maps ErrInvalidCredentials,
// ErrInvalidToken, ErrTokenType, ErrExpired, ErrRevoked and ErrReuse to 401
// with a generic body, ErrLocked and ErrRateLimited to 429 with Retry-After.
var (
	// ErrInvalidCredentials is the single answer for unknown user, wrong
	// password and disabled account, so none can be told apart (#11).
	ErrInvalidCredentials = errors.New("auth: invalid credentials")
	ErrLocked             = errors.New("auth: account temporarily locked")
	ErrRateLimited        = errors.New("auth: too many requests")
	ErrInvalidToken       = errors.New("auth: invalid token")
	// ErrTokenType means a well-formed token of the wrong kind was
	// presented: a refresh token as access token or the reverse (#15).
	ErrTokenType = errors.New("auth: wrong token type")
	ErrExpired   = errors.New("auth: token expired")
	// ErrRevoked covers a stale token version (role change, disable) and a
	// revoked refresh family.
	ErrRevoked = errors.New("auth: token revoked")
	// ErrReuse means a refresh token was presented a second time; the whole
	// family has been revoked by the time it is returned (#16).
	ErrReuse = errors.New("auth: refresh token reuse detected")
)

// RetryError carries how long the client must wait; it wraps ErrLocked or
// ErrRateLimited so errors.Is keeps working.
type RetryError struct {
	Err        error
	RetryAfter time.Duration
}

func (e *RetryError) Error() string {
	return fmt.Sprintf("%v (retry after %s)", e.Err, e.RetryAfter)
}

func (e *RetryError) Unwrap() error { return e.Err }

// RetryAfter reports the wait carried by err, if any.
func RetryAfter(err error) (time.Duration, bool) {
	var re *RetryError
	if errors.As(err, &re) {
		return re.RetryAfter, true
	}
	return 0, false
}
