package main

import (
	"net/http"
	"path/filepath"
	"testing"

	"github.com/gorilla/websocket"

	"github.com/smartap/desktop/sync/httpapi"
	"github.com/smartap/desktop/sync/serverstore/pgstore/pgtest"
)

// Two replicas on one PostgreSQL database with one key file: a token
// issued by one is good on the other, a refresh rotated on one is spent
// on both, and a password hashed by the admin command verifies on both.
func TestTwoReplicasShareKeysOnPostgres(t *testing.T) {
	db := pgtest.FreshDB(t, "test")
	keys := filepath.Join(t.TempDir(), "shared.keys")
	args := []string{"--store", db, "--keys", keys}
	wantCode(t, runCLI(t, nil, "", append([]string{"team", "create", "acme"}, args...)...), exitOK)
	wantCode(t, runCLI(t, map[string]string{envNewPassword: testPassword}, "",
		append([]string{"user", "add", "anna", "--team", "acme", "--role", "clerk"}, args...)...), exitOK)
	a := startServe(t, append([]string{"--listen", "127.0.0.1:0", "--insecure-loopback", "--name", "a"}, args...)...)
	b := startServe(t, append([]string{"--listen", "127.0.0.1:0", "--insecure-loopback", "--name", "b"}, args...)...)
	ca := &client{t: t, base: "http://" + a.addr, http: http.DefaultClient}
	cb := &client{t: t, base: "http://" + b.addr, http: http.DefaultClient}

	tk, code := ca.login(httpapi.LoginRequest{User: "anna", Password: testPassword, Device: "dev-1"})
	if code != http.StatusOK {
		t.Fatalf("login on replica a: %d", code)
	}
	var tk2 httpapi.Tokens
	if code := cb.post(httpapi.PathRefresh, httpapi.RefreshRequest{RefreshToken: tk.RefreshToken}, &tk2); code != http.StatusOK {
		t.Fatalf("refresh on replica b: %d", code)
	}
	var tk3 httpapi.Tokens
	if code := ca.post(httpapi.PathRefresh, httpapi.RefreshRequest{RefreshToken: tk2.RefreshToken}, &tk3); code != http.StatusOK {
		t.Fatalf("b's rotated token on replica a: %d", code)
	}
	if code := ca.post(httpapi.PathRefresh, httpapi.RefreshRequest{RefreshToken: tk.RefreshToken}, nil); code != http.StatusUnauthorized {
		t.Fatalf("the token spent on b refreshed again on a: %d", code)
	}
	d := websocket.Dialer{Subprotocols: []string{httpapi.Subprotocol}}
	ws, resp, err := d.Dial("ws://"+b.addr+httpapi.PathSync, http.Header{"Authorization": {"Bearer " + tk.AccessToken}})
	if err != nil {
		t.Fatalf("a's access token on b's websocket: %v (%v)", err, resp)
	}
	_ = ws.Close()
}
