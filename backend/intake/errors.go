// Package intake is the first step for every file a user brings in: it
// decides by content alone whether the file is a kind we read (PDF, PNG,
// JPEG, TIFF, XML), enforces the size limit while reading, hashes the
// bytes, sanitises the client's file name for use as metadata only, and
// flags active PDF content. It never executes or renders anything and has
// no cgo or PDFium in it (ARCHITECTURE.md §3.1; security checklist #25–#29).
package intake

import (
	"errors"

	"github.com/smartap/desktop/backend/apperr"
)

// Sentinel errors; the returned errors also carry apperr codes
// (unsupported_format, too_large) for users and scripts.
var (
	ErrUnsupported = errors.New("intake: unsupported format")
	ErrTooLarge    = errors.New("intake: file too large")
)

func unsupported(format string, args ...any) error {
	return apperr.Wrap(ErrUnsupported, apperr.UnsupportedFormat, format, args...)
}
