package authapi_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/sync/httpapi"
	"github.com/smartap/desktop/sync/server/authapi"
)

// Malformed requests are refused before any credential work, with the
// invalid_input code and a status that names the problem.
func TestRequestValidation(t *testing.T) {
	e := newEnv(t, nil)
	e.addUser("anna", "team-a", identity.Clerk)
	good := `{"user":"anna","password":"` + password + `","device":"dev-1"}`
	cases := []struct {
		name, method, path, ctype, body string
		status                          int
	}{
		{"GET login", http.MethodGet, httpapi.PathLogin, "application/json", good, http.StatusMethodNotAllowed},
		{"PUT refresh", http.MethodPut, httpapi.PathRefresh, "application/json", `{}`, http.StatusMethodNotAllowed},
		{"form body", http.MethodPost, httpapi.PathLogin, "application/x-www-form-urlencoded", good, http.StatusUnsupportedMediaType},
		{"no content type", http.MethodPost, httpapi.PathLogout, "", `{"refresh_token":"x"}`, http.StatusUnsupportedMediaType},
		{"too large", http.MethodPost, httpapi.PathLogin, "application/json",
			`{"user":"anna","password":"` + strings.Repeat("x", authapi.MaxBody) + `","device":"d"}`, http.StatusRequestEntityTooLarge},
		{"not JSON", http.MethodPost, httpapi.PathLogin, "application/json", `user=anna`, http.StatusBadRequest},
		{"trailing data", http.MethodPost, httpapi.PathLogin, "application/json", good + `{}`, http.StatusBadRequest},
		{"wrong types", http.MethodPost, httpapi.PathLogin, "application/json", `{"user":1}`, http.StatusBadRequest},
		{"no device", http.MethodPost, httpapi.PathLogin, "application/json", `{"user":"anna","password":"x"}`, http.StatusBadRequest},
		{"control char in device", http.MethodPost, httpapi.PathLogin, "application/json",
			`{"user":"anna","password":"x","device":"d\n1"}`, http.StatusBadRequest},
		{"device too long", http.MethodPost, httpapi.PathLogin, "application/json",
			`{"user":"anna","password":"x","device":"` + strings.Repeat("d", authapi.MaxDeviceLen+1) + `"}`, http.StatusBadRequest},
		{"password and key", http.MethodPost, httpapi.PathLogin, "application/json",
			`{"user":"anna","password":"x","api_key":"y","device":"d"}`, http.StatusBadRequest},
		{"no password", http.MethodPost, httpapi.PathLogin, "application/json", `{"user":"anna","device":"d"}`, http.StatusBadRequest},
		{"empty refresh token", http.MethodPost, httpapi.PathRefresh, "application/json", `{"refresh_token":""}`, http.StatusBadRequest},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := e.do(c.method, c.path, c.ctype, ip1, []byte(c.body))
			wantStatus(t, a, c.status, httpapi.CodeInvalidInput)
			if c.status == http.StatusMethodNotAllowed && a.header.Get("Allow") != http.MethodPost {
				t.Fatalf("Allow %q", a.header.Get("Allow"))
			}
		})
	}
	// The same good body with a charset parameter and unknown extra
	// fields (a newer client) is accepted.
	body := strings.Replace(good, `"device"`, `"future":true,"device"`, 1)
	a := e.do(http.MethodPost, httpapi.PathLogin, "application/json; charset=utf-8", ip1, []byte(body))
	a.tokens(t)
	if a.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("token answer Cache-Control %q, want no-store", a.header.Get("Cache-Control"))
	}
	if bytes.Contains(a.body, []byte(password)) {
		t.Fatal("the answer echoes the password")
	}
}

type countMetrics map[string]int

func (m countMetrics) AuthAttempt(endpoint, result string) { m[endpoint+" "+result]++ }

func TestMetricsCountResults(t *testing.T) {
	m := countMetrics{}
	e := newEnv(t, func(c *authapi.Config) { c.Metrics = m })
	e.addUser("anna", "team-a", identity.Clerk)
	rt := e.login("anna", password, "dev-1", ip1).tokens(t).RefreshToken
	e.login("anna", "wrong", "dev-1", ip1)
	e.refresh("junk", ip1)
	e.do(http.MethodGet, httpapi.PathLogout, "", ip1, nil)
	e.post(httpapi.PathLogout, ip1, httpapi.RefreshRequest{RefreshToken: rt})
	want := countMetrics{"login ok": 1, "login unauthorized": 1, "refresh unauthorized": 1,
		"logout invalid_input": 1, "logout ok": 1}
	for k, v := range want {
		if m[k] != v {
			t.Fatalf("metrics %v, want %v", m, want)
		}
	}
}

// The audit-checkpoint key is announced in login and refresh answers and
// served, GET only, without authentication; with none configured the path
// does not exist.
func TestCheckpointKeyAnnounced(t *testing.T) {
	const key = "ed25519:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
	e := newEnv(t, func(c *authapi.Config) { c.CheckpointKey = key })
	e.addUser("anna", "team-a", identity.Approver)
	tok := e.login("anna", password, "dev-1", "10.0.0.1").tokens(t)
	if tok.CheckpointKey != key {
		t.Fatalf("login answer checkpoint key %q", tok.CheckpointKey)
	}
	if again := e.refresh(tok.RefreshToken, "10.0.0.1").tokens(t); again.CheckpointKey != key {
		t.Fatalf("refresh answer checkpoint key %q", again.CheckpointKey)
	}
	a := e.do(http.MethodGet, httpapi.PathCheckpointKey, "", "10.0.0.2", nil)
	var got httpapi.CheckpointKey
	if a.status != http.StatusOK || json.Unmarshal(a.body, &got) != nil || got.Key != key {
		t.Fatalf("GET %s: %d %s", httpapi.PathCheckpointKey, a.status, a.body)
	}
	if a := e.do(http.MethodPost, httpapi.PathCheckpointKey, "application/json", "10.0.0.2", []byte("{}")); a.status != http.StatusMethodNotAllowed {
		t.Fatalf("POST: %d", a.status)
	}
	bare := newEnv(t, nil)
	if a := bare.do(http.MethodGet, httpapi.PathCheckpointKey, "", "10.0.0.2", nil); a.status != http.StatusNotFound {
		t.Fatalf("no key configured: %d", a.status)
	}
}
