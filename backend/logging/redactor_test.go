package logging

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smartap/desktop/backend/secret"
)

// capture runs fn against a fresh Info logger and returns the raw output
// and its records, failing unless every line is one JSON object.
func capture(t *testing.T, fn func(l *slog.Logger)) (string, []map[string]any) {
	t.Helper()
	var buf bytes.Buffer
	fn(New(&buf, slog.LevelInfo))
	raw := buf.String()
	var recs []map[string]any
	for _, line := range strings.SplitAfter(raw, "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("line is not one JSON record: %v\n%q", err, line)
		}
		recs = append(recs, m)
	}
	return raw, recs
}

func one(t *testing.T, fn func(l *slog.Logger)) (string, map[string]any) {
	t.Helper()
	raw, recs := capture(t, fn)
	if len(recs) != 1 {
		t.Fatalf("got %d records, want 1:\n%s", len(recs), raw)
	}
	return raw, recs[0]
}

// jsonOf renders v the way it appears in a record, for comparisons.
func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

type vendor struct {
	Name  string
	IBAN  string
	BIC   string
	Note  string
	Count int
}

type explodes struct{}

func (explodes) MarshalJSON() ([]byte, error) { panic("boom with " + iban) }

// security checklist #6: each way a secret can enter a record is redacted.
func TestRedactorAttributes(t *testing.T) {
	expires := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name string
		attr slog.Attr
		want string // JSON of the attribute's value in the record
	}{
		{"password by key", slog.String("password", "hunter2"), `"[redacted]"`},
		{"key case-insensitive", slog.String("X-Api-Key", "short"), `"[redacted]"`},
		{"number under secret key", slog.Int("token_count", 5), `"[redacted]"`},
		{"bool under secret key kept", slog.Bool("password_set", true), `true`},
		{"time under secret key kept", slog.Time("token_expires", expires), `"2025-01-02T03:04:05Z"`},
		{"key id kept", slog.String("key_id", "k-7"), `"k-7"`},
		{"iban in value", slog.String("note", "pay "+iban), `"pay [redacted]"`},
		{"plain values kept", slog.String("invoice", "3f2a9c4e-1b2d-4c3e-8f9a-0b1c2d3e4f5a"), `"3f2a9c4e-1b2d-4c3e-8f9a-0b1c2d3e4f5a"`},
		{"amount kept", slog.Float64("amount", 1234.56), `1234.56`},
		{"secret.Bytes", slog.Any("dek", secret.New([]byte("raw key bytes"))), `"[redacted]"`},
		{"secret.Password", slog.Any("input", secret.NewPassword("hunter2")), `"[redacted]"`},
		{"group by inner key", slog.Group("vendor", slog.String("name", "Acme"), slog.String("iban", iban)),
			`{"iban":"[redacted]","name":"Acme"}`},
		{"group by pattern", slog.Group("a", slog.Group("b", slog.String("c", jwt))), `{"b":{"c":"[redacted]"}}`},
		{"group with secret name", slog.Group("credentials", slog.String("user", "bob")), `"[redacted]"`},
		{"struct fields by name and pattern", slog.Any("v", vendor{Name: "Acme", IBAN: iban, BIC: "COBADEFFXXX", Note: "old " + ibanSpaced, Count: 3}),
			`{"BIC":"[redacted]","Count":3,"IBAN":"[redacted]","Name":"Acme","Note":"old [redacted]"}`},
		{"map keys", slog.Any("m", map[string]any{"api_key": "k", "auth": "Bearer abc", iban: 1}),
			`{"[redacted]":1,"api_key":"[redacted]","auth":"Bearer [redacted]"}`},
		{"error message", slog.Any("err", fmt.Errorf("vendor %s: %w", iban, errors.New("rejected"))), `"vendor [redacted]: rejected"`},
		{"bytes", slog.Any("blob", bytes.Repeat([]byte{0xfa, 0x13, 0x7c}, 12)), `"[redacted]"`},
		{"panicking marshaller", slog.Any("x", explodes{}), `"[unloggable value]"`},
		{"nil", slog.Any("nil", nil), `null`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, rec := one(t, func(l *slog.Logger) { l.Info("m", tt.attr) })
			if got := jsonOf(t, rec[tt.attr.Key]); got != tt.want {
				t.Fatalf("%s = %s, want %s", tt.attr.Key, got, tt.want)
			}
		})
	}
}

// A func cannot be marshalled; it falls back to its printed form (an
// address), so only check that it became a string.
func TestRedactorFuncFallback(t *testing.T) {
	_, rec := one(t, func(l *slog.Logger) { l.Info("m", "f", func() {}) })
	if _, ok := rec["f"].(string); !ok {
		t.Fatalf("f = %#v", rec["f"])
	}
}

func TestRedactorMessage(t *testing.T) {
	raw, rec := one(t, func(l *slog.Logger) { l.Info("refund to " + iban + " with " + jwt) })
	if rec[slog.MessageKey] != "refund to [redacted] with [redacted]" {
		t.Fatalf("msg = %q", rec[slog.MessageKey])
	}
	if strings.Contains(raw, iban) || strings.Contains(raw, "eyJ") {
		t.Fatalf("secret in output: %s", raw)
	}
}

func TestRedactorWithAndWithGroup(t *testing.T) {
	raw, rec := one(t, func(l *slog.Logger) {
		l = l.With("token", "t0k3n", "user", "alice").WithGroup("vendor").With("iban", iban, "name", "Acme")
		l.WithGroup("auth").Info("m", "note", "Bearer xyz")
	})
	want := `{"iban":"[redacted]","name":"Acme","auth":{"note":"Bearer [redacted]"}}`
	if rec["token"] != Redacted || rec["user"] != "alice" || !strings.Contains(raw, `"vendor":`+want) {
		t.Fatalf("record = %s", raw)
	}
}

func TestRedactorSecretGroupHidesEverything(t *testing.T) {
	raw, _ := one(t, func(l *slog.Logger) {
		l.WithGroup("secrets").With("a", "plain").Info("m", "b", 42, slog.Group("g", "c", "x"), "ok", true)
	})
	if !strings.Contains(raw, `"secrets":{"a":"[redacted]","b":"[redacted]","g":"[redacted]","ok":true}`) {
		t.Fatalf("record = %s", raw)
	}
	// Look past the time field: a timestamp may well contain "42".
	if _, group, _ := strings.Cut(raw, `"secrets":`); strings.Contains(group, "plain") || strings.Contains(group, "42") {
		t.Fatalf("value leaked: %s", raw)
	}
}

func TestRedactorKeepsLevelAndEmptyGroupName(t *testing.T) {
	raw, recs := capture(t, func(l *slog.Logger) {
		l.Debug("hidden")
		l.WithGroup("").Warn("shown", "k2", "v")
	})
	if len(recs) != 1 || recs[0]["level"] != "WARN" || recs[0]["k2"] != "v" {
		t.Fatalf("records = %s", raw)
	}
}

// security checklist #33: newlines, carriage returns and ANSI escapes in a
// message or value stay inside their JSON field: one line per record, no
// raw ESC byte, and the field decodes back to exactly what was logged.
func TestLogInjectionStaysInOneField(t *testing.T) {
	evil := "ok\n{\"level\":\"ERROR\",\"msg\":\"forged\"}\r\n\x1b[31mred\x1b[0m\u2028end"
	raw, recs := capture(t, func(l *slog.Logger) {
		l.Info(evil, "user", evil, evil, "as key")
		l.Info("second", slog.Group("g", slog.String("v", evil)))
	})
	if n := strings.Count(raw, "\n"); n != 2 || len(recs) != 2 {
		t.Fatalf("%d lines, %d records, want 2:\n%s", n, len(recs), raw)
	}
	if strings.ContainsAny(raw, "\x1b\r") || strings.Contains(raw, "\u2028") {
		t.Fatalf("raw control character in output: %q", raw)
	}
	if recs[0][slog.MessageKey] != evil || recs[0]["user"] != evil || recs[0][evil] != "as key" {
		t.Fatalf("fields changed: %#v", recs[0])
	}
	if g, _ := recs[1]["g"].(map[string]any); g["v"] != evil {
		t.Fatalf("group field changed: %#v", recs[1])
	}
}

func TestRedactorConcurrentUse(t *testing.T) {
	var buf syncBuffer
	l := New(&buf, slog.LevelInfo).With("device", "dev-01")
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 50 {
				l.Info("pay", "n", i*100+j, "iban", iban, "note", "to "+iban)
			}
		})
	}
	wg.Wait()
	if strings.Contains(buf.String(), iban) || strings.Count(buf.String(), "\n") != 400 {
		t.Fatal("concurrent records leaked or were lost")
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
