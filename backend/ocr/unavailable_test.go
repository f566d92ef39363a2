//go:build !ocr || !cgo

package ocr

import (
	"errors"
	"testing"

	"github.com/smartap/desktop/backend/apperr"
)

// Without the ocr tag the app builds without Tesseract and says so.
func TestNewUnavailable(t *testing.T) {
	e, err := New()
	if e != nil || apperr.CodeOf(err) != apperr.Unavailable || !errors.Is(err, ErrUnavailable) {
		t.Fatalf("New() = %v, %v; want an unavailable error", e, err)
	}
	if _, msg, _ := apperr.Public(err); msg != "OCR is not part of this build" {
		t.Errorf("message %q", msg)
	}
}
