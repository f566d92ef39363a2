// Package apperr gives every failure a stable code that users, scripts and
// the webview can branch on (CLI.md), while details stay in the logs
// (security checklist #34).
package apperr

import (
	"errors"
	"fmt"
	"time"
)

// Code is a stable error code.
type Code string

// The codes of CLI.md.
const (
	InvalidInput      Code = "invalid_input"
	UnsupportedFormat Code = "unsupported_format"
	TooLarge          Code = "too_large"
	NotFound          Code = "not_found"
	Forbidden         Code = "forbidden"
	Locked            Code = "locked"
	Duplicate         Code = "duplicate"
	Conflict          Code = "conflict"
	Integrity         Code = "integrity"
	Unavailable       Code = "unavailable"
	Internal          Code = "internal"
)

// Error is an error with a code and a message fit to show a person.
type Error struct {
	Code       Code
	Message    string
	RetryAfter time.Duration // with Locked
	Err        error         // the cause, for logs and errors.Is; never shown
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is(err, &Error{Code: X}) match on the code alone.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Message == "" && t.Err == nil && t.Code == e.Code
}

// New makes an error with a code and a user message.
func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap attaches a code and user message to a cause.
func Wrap(err error, code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Err: err}
}

// Sentinels to compare with errors.Is.
var (
	ErrNotFound  = &Error{Code: NotFound}
	ErrForbidden = &Error{Code: Forbidden}
	ErrLocked    = &Error{Code: Locked}
	ErrInvalid   = &Error{Code: InvalidInput}
	ErrIntegrity = &Error{Code: Integrity}
)

// CodeOf returns the code of err, or Internal when it carries none.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// Public returns what may be shown to a user: the code, the message, and a
// retry delay. Errors without a code become a generic internal error so no
// driver or file-system text leaks.
func Public(err error) (Code, string, time.Duration) {
	var e *Error
	if errors.As(err, &e) {
		return e.Code, e.Message, e.RetryAfter
	}
	return Internal, "Something went wrong. The details are in the log.", 0
}
