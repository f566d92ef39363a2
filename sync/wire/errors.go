package wire

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error from Decode, Encode and Validate wraps exactly
// one of them, so callers can choose a close code or a rejection without
// parsing messages.
var (
	// ErrTooLarge means a frame, batch or chunk exceeds its limit. Frames are
	// refused before any parsing so an oversize frame costs no allocation.
	ErrTooLarge = errors.New("wire: too large")
	// ErrVersion means the peer speaks a newer protocol than this build.
	ErrVersion = errors.New("wire: unsupported protocol version")
	// ErrUnknownType means the envelope names a message type this build
	// does not know. Refused rather than skipped: silently dropping a
	// message would break "nothing is dropped silently" (§7).
	ErrUnknownType = errors.New("wire: unknown message type")
	// ErrInvalid means malformed JSON, wrong JSON types, or a field that
	// fails validation.
	ErrInvalid = errors.New("wire: invalid message")
)

// fieldErr is a validation failure at a path such as "ops[3].entity.type".
// It does not wrap ErrInvalid itself: Validate wraps once at the top so the
// text reads "wire: invalid message: push: ops[3]: ..." instead of repeating
// the sentinel at every level.
func fieldErr(path, format string, args ...any) error {
	return fmt.Errorf("%s: %s", path, fmt.Sprintf(format, args...))
}

// in prefixes a nested validation error with the enclosing path.
func in(path string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", path, err)
}

// first returns the first non-nil error. The checks are cheap, so evaluating
// all of them eagerly keeps validators flat and readable.
func first(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// tooLarge reports a count or size limit. It wraps ErrTooLarge, not
// ErrInvalid, so a server can tell "split your batch" from "broken client".
func tooLarge(path string, n, limit int) error {
	return fmt.Errorf("%w: %s has %d, limit %d", ErrTooLarge, path, n, limit)
}
