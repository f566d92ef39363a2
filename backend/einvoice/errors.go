package einvoice

import (
	"errors"
	"fmt"

	"github.com/smartap/desktop/backend/apperr"
)

// MaxSize is the largest document Read accepts. Real e-invoices are a few
// hundred kilobytes; the biggest carry base64 attachments of a few
// megabytes. Anything above this is refused before it is parsed, so a
// hostile file cannot make the parser hold hundreds of megabytes.
const MaxSize = 20 << 20

// Sentinel errors. Every error this package returns wraps exactly one of
// them and is an *apperr.Error, so callers branch with errors.Is and users
// see a stable code:
//
//	ErrMalformed   invalid_input       the document claims to be an invoice but is not well-formed
//	                                   XML or a value is not in its lexical form (amount, date)
//	ErrUnsupported unsupported_format  an invoice family we know, in a version, namespace,
//	                                   character encoding or date format we do not read
//	ErrNotInvoice  unsupported_format  XML (or bytes) that is no e-invoice at all: an HTML page,
//	                                   a UBL Order, a PDF handed in by mistake
//	ErrTooLarge    too_large           more than MaxSize bytes
var (
	ErrMalformed   = errors.New("einvoice: malformed document")
	ErrUnsupported = errors.New("einvoice: unsupported format")
	ErrNotInvoice  = errors.New("einvoice: not an invoice")
	ErrTooLarge    = errors.New("einvoice: document too large")
)

// malformedAt reports broken XML at a line of the input.
func malformedAt(line int, cause error) error {
	return apperr.Wrap(fmt.Errorf("%w: line %d: %w", ErrMalformed, line, cause),
		apperr.InvalidInput, "the invoice XML is malformed at line %d", line)
}

// invalidField reports a value that is not in the form EN 16931 requires.
// field names the business term so a person can find it in the file.
func invalidField(field string, cause error) error {
	return apperr.Wrap(fmt.Errorf("%w: %s: %w", ErrMalformed, field, cause),
		apperr.InvalidInput, "the invoice's %s is invalid", field)
}

func unsupported(format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	return apperr.Wrap(fmt.Errorf("%w: %s", ErrUnsupported, msg), apperr.UnsupportedFormat, "%s", msg)
}

func notInvoice(format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	return apperr.Wrap(fmt.Errorf("%w: %s", ErrNotInvoice, msg), apperr.UnsupportedFormat, "%s", msg)
}

func tooLarge(n int) error {
	return apperr.Wrap(fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, n, MaxSize),
		apperr.TooLarge, "the XML document is larger than %d MB", MaxSize>>20)
}
