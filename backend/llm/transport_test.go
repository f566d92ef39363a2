package llm

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestCappedBody(t *testing.T) {
	for _, tt := range []struct {
		n    int
		fail bool
	}{{0, false}, {99, false}, {100, false}, {101, true}, {5000, true}} {
		b := &cappedBody{rc: io.NopCloser(strings.NewReader(strings.Repeat("x", tt.n))), left: 100}
		got, err := io.ReadAll(b)
		if tt.fail != errors.Is(err, errBodyTooLarge) || (!tt.fail && len(got) != tt.n) {
			t.Errorf("%d bytes: read %d, err %v", tt.n, len(got), err)
		}
		if tt.fail {
			if n, err := b.Read(make([]byte, 10)); n != 0 || !errors.Is(err, errBodyTooLarge) {
				t.Errorf("%d bytes: read after the limit gave %d, %v", tt.n, n, err)
			}
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Duration{
		"":                              0,
		"7":                             7 * time.Second,
		"-3":                            0,
		"99999999999999":                maxRetryAfter,
		"soon":                          0,
		"Sat, 01 Mar 2025 12:00:30 GMT": 30 * time.Second,
		"Sat, 01 Mar 2025 11:00:00 GMT": 0,
	} {
		if got := parseRetryAfter(in, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestTransportRefusesOtherHosts(t *testing.T) {
	tr := &transport{base: http.DefaultTransport, scheme: "https", host: "api.openai.com", maxBody: 10}
	req, _ := http.NewRequest(http.MethodPost, "https://evil.example/v1/chat/completions", strings.NewReader("page"))
	if _, err := tr.RoundTrip(req); !errors.Is(err, errOtherHost) {
		t.Errorf("err = %v", err)
	}
	req, _ = http.NewRequest(http.MethodPost, "http://api.openai.com/v1/chat/completions", nil)
	if _, err := tr.RoundTrip(req); !errors.Is(err, errOtherHost) {
		t.Errorf("downgrade to http: err = %v", err)
	}
}
