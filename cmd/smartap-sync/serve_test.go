package main

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gorilla/websocket"
	"golang.org/x/crypto/bcrypt"

	"github.com/smartap/desktop/sync/httpapi"
	"github.com/smartap/desktop/sync/serverstore/sqlitestore"
)

const testPassword = "a long enough password"

// newStoreWithUser makes a SQLite store with team acme and user anna
// (added through `user add`, so with the production password hash).
func newStoreWithUser(t *testing.T) string {
	t.Helper()
	spec := "sqlite:" + filepath.Join(t.TempDir(), "server.db")
	wantCode(t, runCLI(t, nil, "", "team", "create", "acme", "--store", spec), exitOK)
	wantCode(t, runCLI(t, map[string]string{envNewPassword: testPassword}, "",
		"user", "add", "Anna", "--team", "acme", "--role", "approver", "--store", spec), exitOK)
	return spec
}

// The whole server over TLS: TLS 1.3 only (#37 and ARCHITECTURE §7), the
// endpoints mounted, a login with a cost-12 hash made by `user add` (#7),
// refresh reuse visible in /metrics and in `events list` (#16), and a
// graceful shutdown.
func TestServeOverTLS(t *testing.T) {
	spec := newStoreWithUser(t)
	cert, key, pool := testCert(t)
	srv := startServe(t, "--listen", "127.0.0.1:0", "--store", spec, "--tls-cert", cert, "--tls-key", key, "--name", "test")

	if _, _, err := tlsClient(t, srv.addr, pool, tls.VersionTLS12).get(httpapi.PathHealth); err == nil {
		t.Fatal("a TLS 1.2 client was served")
	}
	c := tlsClient(t, srv.addr, pool, 0)
	if code, body, err := c.get(httpapi.PathHealth); err != nil || code != 200 || body != "ok" {
		t.Fatalf("/healthz: %d %q %v", code, body, err)
	}
	tk, code := c.login(httpapi.LoginRequest{User: "anna", Password: testPassword, Device: "dev-1"})
	if code != http.StatusOK || tk.Role != "approver" || tk.Team != "acme" {
		t.Fatalf("login: %d %+v", code, tk)
	}
	if code := c.post(httpapi.PathLogin, httpapi.LoginRequest{User: "anna", Password: "wrong password", Device: "dev-1"}, nil); code != 401 {
		t.Fatalf("wrong password: %d", code)
	}
	var tk2 httpapi.Tokens
	if code := c.post(httpapi.PathRefresh, httpapi.RefreshRequest{RefreshToken: tk.RefreshToken}, &tk2); code != 200 {
		t.Fatalf("refresh: %d", code)
	}
	// Once its successor was used, the first token coming back is reuse
	// (before that it would be a retry within the reuse grace).
	if code := c.post(httpapi.PathRefresh, httpapi.RefreshRequest{RefreshToken: tk2.RefreshToken}, nil); code != 200 {
		t.Fatalf("second refresh: %d", code)
	}
	if code := c.post(httpapi.PathRefresh, httpapi.RefreshRequest{RefreshToken: tk.RefreshToken}, nil); code != 401 {
		t.Fatalf("reused refresh token: %d, want 401", code)
	}
	_, metrics, err := c.get(httpapi.PathMetrics)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`smartap_sync_security_events_total{kind="refresh_reuse"} 1`,
		`smartap_sync_auth_attempts_total{endpoint="login",result="ok"} 1`,
		`smartap_sync_auth_attempts_total{endpoint="login",result="unauthorized"} 1`,
		`smartap_sync_connections 0`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	// The websocket endpoint is mounted: without a token it is refused
	// before any upgrade.
	if code, _, err := c.get(httpapi.PathSync); err != nil || code != http.StatusUnauthorized {
		t.Fatalf("/v1/sync without a token: %d %v, want 401", code, err)
	}

	// The stored hash is bcrypt cost 12 (#7).
	st, err := sqlitestore.Open(context.Background(), strings.TrimPrefix(spec, "sqlite:"))
	if err != nil {
		t.Fatal(err)
	}
	u, err := st.GetUser(context.Background(), "anna")
	_ = st.Close()
	if err != nil {
		t.Fatal(err)
	}
	if cost, err := bcrypt.Cost([]byte(u.PasswordHash)); err != nil || cost != 12 {
		t.Fatalf("stored hash cost %d (%v), want 12", cost, err)
	}

	srv.shutdown(t)
	r := runCLI(t, nil, "", "events", "list", "--json", "--store", spec)
	wantCode(t, r, exitOK)
	var evs []eventJSON
	if err := json.Unmarshal([]byte(r.stdout), &evs); err != nil {
		t.Fatalf("events list --json: %v\n%s", err, r.stdout)
	}
	if len(evs) != 1 || evs[0].Kind != "refresh_reuse" || evs[0].User != "anna" || evs[0].Team != "acme" {
		t.Fatalf("events %+v", evs)
	}
}

// Plain HTTP only with --insecure-loopback and only on a loopback
// address; every other combination is a usage error before anything
// listens.
func TestServeRefusesPlainOffLoopback(t *testing.T) {
	spec := "sqlite:" + filepath.Join(t.TempDir(), "server.db")
	cert, key, _ := testCert(t)
	cases := []struct {
		name string
		args []string
	}{
		{"all interfaces", []string{"--listen", "0.0.0.0:0", "--insecure-loopback"}},
		{"empty host", []string{"--listen", ":0", "--insecure-loopback"}},
		{"IPv6 any", []string{"--listen", "[::]:0", "--insecure-loopback"}},
		{"network address", []string{"--listen", "192.0.2.10:8080", "--insecure-loopback"}},
		{"host name", []string{"--listen", "sync.example.com:8080", "--insecure-loopback"}},
		{"neither TLS nor loopback flag", []string{"--listen", "127.0.0.1:0"}},
		{"both", []string{"--listen", "127.0.0.1:0", "--insecure-loopback", "--tls-cert", cert, "--tls-key", key}},
		{"cert without key", []string{"--listen", "127.0.0.1:0", "--tls-cert", cert}},
		{"no listen", []string{"--insecure-loopback"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runCLI(t, nil, "", append([]string{"serve", "--store", spec}, c.args...)...)
			wantCode(t, r, exitUsage)
			if strings.Contains(r.stderr, "listening on") {
				t.Fatalf("listened: %s", r.stderr)
			}
		})
	}
	if r := runCLI(t, nil, "", "serve", "--store", spec, "--listen", "0.0.0.0:0", "--insecure-loopback"); !strings.Contains(r.stderr, "loopback") {
		t.Fatalf("the refusal does not say why: %s", r.stderr)
	}
}

// On loopback with --insecure-loopback the server serves plain HTTP.
func TestServePlainOnLoopback(t *testing.T) {
	spec := "sqlite:" + filepath.Join(t.TempDir(), "server.db")
	srv := startServe(t, "--listen", "127.0.0.1:0", "--store", spec, "--insecure-loopback")
	resp, err := http.Get("http://" + srv.addr + httpapi.PathHealth)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("/healthz %d", resp.StatusCode)
	}
}

// The websocket endpoint behind the real server: --allow-origin is the
// allowlist (#22), and `user disable` stops a still-unexpired access
// token at the handshake (#17, #21).
func TestServeWebsocketOriginAndDisable(t *testing.T) {
	spec := newStoreWithUser(t)
	cert, key, pool := testCert(t)
	srv := startServe(t, "--listen", "127.0.0.1:0", "--store", spec, "--tls-cert", cert, "--tls-key", key,
		"--allow-origin", "https://app.example.com")
	c := tlsClient(t, srv.addr, pool, 0)
	tk, code := c.login(httpapi.LoginRequest{User: "anna", Password: testPassword, Device: "dev-1"})
	if code != http.StatusOK {
		t.Fatalf("login %d", code)
	}
	dialer := websocket.Dialer{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS13},
		Subprotocols: []string{httpapi.Subprotocol}}
	dial := func(origin string) int {
		h := http.Header{"Authorization": {"Bearer " + tk.AccessToken}}
		if origin != "" {
			h.Set("Origin", origin)
		}
		ws, resp, err := dialer.Dial("wss://"+srv.addr+httpapi.PathSync, h)
		if err == nil {
			_ = ws.Close()
		}
		if resp == nil {
			t.Fatalf("dial (origin %q): %v", origin, err)
		}
		return resp.StatusCode
	}
	cases := []struct {
		origin string
		status int
	}{
		{"https://evil.example.com", http.StatusForbidden},
		{"https://app.example.com.evil.example", http.StatusForbidden},
		{"https://app.example.com", http.StatusSwitchingProtocols},
		{"", http.StatusSwitchingProtocols}, // a desktop client sends no Origin
	}
	for _, tc := range cases {
		if got := dial(tc.origin); got != tc.status {
			t.Fatalf("origin %q: status %d, want %d", tc.origin, got, tc.status)
		}
	}
	wantCode(t, runCLI(t, nil, "", "user", "disable", "anna", "--store", spec), exitOK)
	if got := dial(""); got != http.StatusUnauthorized {
		t.Fatalf("handshake with a disabled user's token: %d, want 401", got)
	}
}
