// Package logging builds the application's slog loggers. Every record passes
// through a redactor before it is written, so passwords, tokens, keys and
// bank data never reach a log file even when a caller logs them by mistake
// (security checklist #6). Output is JSON, one record per line, with control
// characters and ANSI escapes escaped inside their field, so a crafted
// invoice or user name cannot forge or colour log lines (checklist #33).
package logging

import (
	"io"
	"log/slog"
)

// New returns a logger writing JSON records at level and above to w, with
// every message, attribute and group redacted.
func New(w io.Writer, level slog.Level) *slog.Logger {
	return slog.New(NewRedactor(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level})))
}
