//go:build !ocr || !cgo

package ocr

import "github.com/smartap/desktop/backend/apperr"

// New reports that this build has no OCR: it was built without the "ocr"
// tag (or without cgo, as the Windows cross-build). The error carries
// apperr.Unavailable and wraps ErrUnavailable.
func New(langs ...string) (Engine, error) {
	return nil, apperr.Wrap(ErrUnavailable, apperr.Unavailable, "OCR is not part of this build")
}
