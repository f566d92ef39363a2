package apperr

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestCodesAndPublic(t *testing.T) {
	nf := Wrap(sql.ErrNoRows, NotFound, "vendor not found")
	wrapped := fmt.Errorf("show vendor: %w", nf)
	if CodeOf(wrapped) != NotFound || !errors.Is(wrapped, ErrNotFound) || !errors.Is(wrapped, sql.ErrNoRows) {
		t.Fatalf("code lost through wrapping: %v", wrapped)
	}
	if errors.Is(wrapped, ErrForbidden) {
		t.Fatal("matched the wrong code")
	}
	code, msg, _ := Public(wrapped)
	if code != NotFound || msg != "vendor not found" {
		t.Fatalf("public = %s %q", code, msg)
	}
}

// security checklist #34: a raw driver error reaches users only as "internal".
func TestPublicHidesDetails(t *testing.T) {
	raw := errors.New("sqlite3: database disk image is malformed at /home/x/.local/share/smartap/smartap.db")
	code, msg, _ := Public(fmt.Errorf("list: %w", raw))
	if code != Internal || strings.Contains(msg, "sqlite") || strings.Contains(msg, "/home") {
		t.Fatalf("leaked: %s %q", code, msg)
	}
}
