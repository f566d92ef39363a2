package authapi_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/sync/auth"
	"github.com/smartap/desktop/sync/httpapi"
	"github.com/smartap/desktop/sync/server/authapi"
	"github.com/smartap/desktop/sync/server/events"
	"github.com/smartap/desktop/sync/serverstore"
	"github.com/smartap/desktop/sync/serverstore/sqlitestore"
)

var ctx = context.Background()

// testPepper is the password pepper of every test service.
var testPepper = []byte("authapi test pepper, not a secret") // gitleaks:allow

// passwords is built once: NewPasswords makes a cost-12 dummy hash.
var passwords = sync.OnceValue(func() *auth.Passwords {
	p, err := auth.NewPasswords(testPepper)
	if err != nil {
		panic(err)
	}
	return p
})

// fastHash is auth.Passwords' hash (HMAC-SHA256 pre-hash, base64, bcrypt)
// at bcrypt's minimum cost, so tests with many logins stay fast. A
// successful login with it proves the construction matches; the
// production cost is checked on hashes made by Passwords.Hash (the
// smartap-sync `user add` test and TestProductionHashCost).
func fastHash(t *testing.T, password string) string {
	t.Helper()
	m := hmac.New(sha256.New, testPepper)
	m.Write([]byte(password))
	pre := base64.StdEncoding.EncodeToString(m.Sum(nil))
	h, err := bcrypt.GenerateFromPassword([]byte(pre), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	return string(h)
}

// clock is a settable fake clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is one service on a fresh SQLite store.
type env struct {
	t      *testing.T
	store  *sqlitestore.Store
	clock  *clock
	svc    *authapi.Service
	access *auth.AccessTokens
	bus    *events.Bus
	mux    *http.ServeMux
}

const password = "correct horse battery staple"

// newEnv builds a service; adjust may change the config before New.
func newEnv(t *testing.T, adjust func(*authapi.Config)) *env {
	t.Helper()
	st, err := sqlitestore.Open(ctx, filepath.Join(t.TempDir(), "server.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	clk := &clock{t: time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ks, err := auth.NewKeySet(auth.SigningKey{ID: "k1", Key: priv})
	if err != nil {
		t.Fatal(err)
	}
	access, err := auth.NewAccessTokens(auth.AccessConfig{Keys: ks, Issuer: "smartap-sync:test", Audience: "smartap-sync",
		Clock: clk.Now, Versions: st.TokenVersion})
	if err != nil {
		t.Fatal(err)
	}
	bus := events.New(st, nil, clk.Now)
	cfg := authapi.Config{Store: st, Passwords: passwords(), Access: access, Events: bus, Clock: clk.Now}
	if adjust != nil {
		adjust(&cfg)
	}
	svc, err := authapi.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	svc.Mount(mux)
	e := &env{t: t, store: st, clock: clk, svc: svc, access: access, bus: bus, mux: mux}
	for _, tm := range []string{"team-a", "team-b"} {
		if _, err := st.CreateTeam(ctx, tm); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// addUser creates a user with the test password.
func (e *env) addUser(name, team string, role identity.Role) {
	e.t.Helper()
	_, err := e.store.CreateUser(ctx, serverstore.User{Name: name, Team: team, Role: role, PasswordHash: fastHash(e.t, password)})
	if err != nil {
		e.t.Fatal(err)
	}
}

// answer is one recorded response.
type answer struct {
	status int
	header http.Header
	body   []byte
}

func (a answer) err() httpapi.Error {
	var e httpapi.Error
	_ = json.Unmarshal(a.body, &e)
	return e
}

func (a answer) tokens(t *testing.T) httpapi.Tokens {
	t.Helper()
	if a.status != http.StatusOK {
		t.Fatalf("status %d, body %s; want 200", a.status, a.body)
	}
	var tk httpapi.Tokens
	if err := json.Unmarshal(a.body, &tk); err != nil {
		t.Fatal(err)
	}
	return tk
}

// do sends a raw request from ip.
func (e *env) do(method, path, contentType, ip string, body []byte) answer {
	r := httptest.NewRequest(method, path, bytes.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	r.RemoteAddr = ip + ":40000"
	w := httptest.NewRecorder()
	e.mux.ServeHTTP(w, r)
	return answer{status: w.Code, header: w.Header(), body: w.Body.Bytes()}
}

func (e *env) post(path, ip string, v any) answer {
	b, err := json.Marshal(v)
	if err != nil {
		e.t.Fatal(err)
	}
	return e.do(http.MethodPost, path, "application/json", ip, b)
}

func (e *env) login(user, pw, device, ip string) answer {
	return e.post(httpapi.PathLogin, ip, httpapi.LoginRequest{User: user, Password: pw, Device: device})
}

func (e *env) refresh(rt, ip string) answer {
	return e.post(httpapi.PathRefresh, ip, httpapi.RefreshRequest{RefreshToken: rt})
}

// events returns the recorded events of one kind.
func (e *env) events(kind string) []events.Event {
	e.t.Helper()
	evs, err := e.store.ListEvents(ctx, serverstore.EventFilter{Kind: kind})
	if err != nil {
		e.t.Fatal(err)
	}
	return evs
}

func wantStatus(t *testing.T, a answer, status int, code string) {
	t.Helper()
	if a.status != status {
		t.Fatalf("status %d (body %s), want %d", a.status, a.body, status)
	}
	if code != "" && a.err().Code != code {
		t.Fatalf("code %q (body %s), want %q", a.err().Code, a.body, code)
	}
}
