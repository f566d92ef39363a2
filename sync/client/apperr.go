package client

import (
	"errors"

	"github.com/smartap/desktop/backend/apperr"
)

// AppError maps a sync error to the app's public error codes, shared by
// the CLI (exit codes) and the window: a refused or missing sign-in is
// forbidden (exit 3), a locked account locked (exit 3), a failed audit
// checkpoint integrity (exit 4), everything else unavailable. The message
// is Describe's plain words; the cause stays wrapped for the log.
func AppError(err error) error {
	var ae *apperr.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ae):
		return err
	case errors.Is(err, ErrNoSettings):
		return apperr.Wrap(err, apperr.Forbidden, "%s", err.Error())
	case errors.Is(err, ErrLocked):
		e := apperr.Wrap(err, apperr.Locked, "%s", Describe(err))
		e.RetryAfter = RetryAfter(err)
		return e
	case errors.Is(err, ErrUnauthorized), errors.Is(err, ErrNotLoggedIn), errors.Is(err, ErrForbidden),
		errors.Is(err, errTokenRevoked):
		return apperr.Wrap(err, apperr.Forbidden, "%s", Describe(err))
	case errors.Is(err, ErrCheckpoint):
		return apperr.Wrap(err, apperr.Integrity, "%s", Describe(err))
	case errors.Is(err, ErrBadServer):
		return apperr.Wrap(err, apperr.InvalidInput, "%s", Describe(err))
	default:
		e := apperr.Wrap(err, apperr.Unavailable, "%s", Describe(err))
		e.RetryAfter = RetryAfter(err)
		return e
	}
}
