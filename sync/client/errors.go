package client

import (
	"errors"
	"fmt"
	"time"

	"github.com/smartap/desktop/sync/httpapi"
)

// Sentinel errors; test with errors.Is.
var (
	// ErrUnauthorized: the server refused the credentials or the refresh
	// token (wrong password, logged out, revoked). Logging in again helps.
	ErrUnauthorized = errors.New("sync: the server refused the sign-in")
	// ErrLocked: the account is locked for a while after failed logins.
	ErrLocked = errors.New("sync: the account is locked for now")
	// ErrRateLimited: too many attempts; retry later.
	ErrRateLimited = errors.New("sync: too many attempts")
	// ErrForbidden: the user may not do this (e.g. disabled, wrong origin).
	ErrForbidden = errors.New("sync: forbidden by the server")
	// ErrUnavailable: the server could not be reached or failed.
	ErrUnavailable = errors.New("sync: the server is unavailable")
	// ErrNotLoggedIn: no refresh token is stored for this server and user.
	ErrNotLoggedIn = errors.New("sync: not logged in to the server")
	// ErrBadServer: the server URL is unusable (not https, not a URL).
	ErrBadServer = errors.New("sync: bad server address")
	// ErrProtocol: the server broke the protocol (wrong answer, bad frame).
	ErrProtocol = errors.New("sync: protocol error")
	// ErrCheckpoint: a signed audit checkpoint failed verification, i.e.
	// the server's log is not an extension of what this device saw.
	ErrCheckpoint = errors.New("sync: audit checkpoint verification failed")
	// ErrClockSkew: the server refuses this session because the computer's
	// clock is too far off.
	ErrClockSkew = errors.New("sync: this computer's clock is off")
	// errTokenRevoked: the server closed the connection with close code
	// 4001; refresh and reconnect.
	errTokenRevoked = errors.New("sync: access token revoked")
)

// ServerError is an error answer of the server's HTTP API.
type ServerError struct {
	Status     int
	Code       string
	Message    string
	RetryAfter time.Duration
}

func (e *ServerError) Error() string {
	msg := fmt.Sprintf("server answered %d %s: %s", e.Status, e.Code, e.Message)
	if e.RetryAfter > 0 {
		msg += fmt.Sprintf(" (retry after %s)", e.RetryAfter)
	}
	return msg
}

// Unwrap maps the stable code to a sentinel.
func (e *ServerError) Unwrap() error {
	switch e.Code {
	case httpapi.CodeUnauthorized:
		return ErrUnauthorized
	case httpapi.CodeLocked:
		return ErrLocked
	case httpapi.CodeRateLimited:
		return ErrRateLimited
	case httpapi.CodeForbidden:
		return ErrForbidden
	case httpapi.CodeInvalidInput:
		return ErrProtocol
	default:
		return ErrUnavailable
	}
}

// permanent reports errors that reconnecting cannot fix: the user must log
// in again (or an administrator must act).
func permanent(err error) bool {
	return errors.Is(err, ErrUnauthorized) || errors.Is(err, ErrNotLoggedIn) ||
		errors.Is(err, ErrForbidden) || errors.Is(err, ErrBadServer) || errors.Is(err, ErrCheckpoint)
}
