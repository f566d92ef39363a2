package logging

import (
	"io"
	"log/slog"
	"testing"
)

func BenchmarkRedactStringPlain(b *testing.B) {
	s := "invoice 3f2a9c4e-1b2d-4c3e-8f9a-0b1c2d3e4f5a approved by alice for EUR 1,234.56"
	for b.Loop() {
		RedactString(s)
	}
}

func BenchmarkRedactStringSecret(b *testing.B) {
	s := "vendor Acme changed IBAN to " + ibanSpaced + " with token " + jwt
	for b.Loop() {
		RedactString(s)
	}
}

func BenchmarkLogRecord(b *testing.B) {
	l := New(io.Discard, slog.LevelInfo)
	for b.Loop() {
		l.Info("invoice approved", "invoice", "3f2a9c4e-1b2d-4c3e-8f9a-0b1c2d3e4f5a", "user", "alice", "amount", 1234.56)
	}
}
