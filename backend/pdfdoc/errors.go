package pdfdoc

import (
	"errors"
	"fmt"

	pdfiumerrors "github.com/klippa-app/go-pdfium/errors"

	"github.com/smartap/desktop/backend/apperr"
)

// Sentinel errors. Returned errors wrap one of them and carry an apperr
// code with a message fit for users: ErrEncrypted → unsupported_format,
// ErrBroken → invalid_input, ErrClosed → unavailable.
var (
	ErrEncrypted = errors.New("pdfdoc: PDF is password-protected")
	ErrBroken    = errors.New("pdfdoc: PDF is damaged")
	ErrClosed    = errors.New("pdfdoc: engine closed")
)

// errCrashed marks a failure inside PDFium (a WebAssembly trap, a timeout,
// an unexpected error): the instance is replaced before the next call.
var errCrashed = errors.New("pdfdoc: PDFium failed")

func broken(cause error, format string, args ...any) error {
	return apperr.Wrap(joinCause(ErrBroken, cause), apperr.InvalidInput, format, args...)
}

func encrypted(cause error, format string, args ...any) error {
	return apperr.Wrap(joinCause(ErrEncrypted, cause), apperr.UnsupportedFormat, format, args...)
}

func closed() error {
	return apperr.Wrap(ErrClosed, apperr.Unavailable, "The PDF reader is not running.")
}

func joinCause(sentinel, cause error) error {
	if cause == nil {
		return sentinel
	}
	return fmt.Errorf("%w: %w", sentinel, cause)
}

// crashed wraps an error from a PDFium call other than the classified
// open errors; run replaces the instance when it sees one.
func crashed(op string, err error) error {
	return broken(fmt.Errorf("%w: %s: %w", errCrashed, op, err),
		"The PDF could not be read; it may be damaged.")
}

// openError turns PDFium's open error into ErrEncrypted or ErrBroken with a
// clear message.
func openError(err error) error {
	switch {
	case errors.Is(err, pdfiumerrors.ErrPassword):
		return encrypted(err, "The PDF is password-protected. Remove the password and import it again.")
	case errors.Is(err, pdfiumerrors.ErrSecurity):
		return encrypted(err, "The PDF uses an encryption that cannot be read.")
	case errors.Is(err, pdfiumerrors.ErrFormat), errors.Is(err, pdfiumerrors.ErrFile),
		errors.Is(err, pdfiumerrors.ErrUnknown):
		return broken(err, "The PDF is damaged or incomplete and cannot be read.")
	}
	return crashed("open", err)
}
