package server

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/sync/auth"
	"github.com/smartap/desktop/sync/httpapi"
	"github.com/smartap/desktop/sync/server/events"
	"github.com/smartap/desktop/sync/serverstore"
	"github.com/smartap/desktop/sync/serverstore/sqlitestore"
)

const teamID = "team-a"

// t0 is the fixed server time of the tests, 2026-01-01T00:00:00Z.
var t0 = time.UnixMilli(1767225600000).UTC()

// clock is a settable clock shared by the server and the token issuer.
type clock struct{ ms atomic.Int64 }

func newClock() *clock { c := &clock{}; c.ms.Store(t0.UnixMilli()); return c }

func (c *clock) now() time.Time             { return time.UnixMilli(c.ms.Load()).UTC() }
func (c *clock) add(d time.Duration)        { c.ms.Add(d.Milliseconds()) }
func (c *clock) wall(d time.Duration) int64 { return c.ms.Load() + d.Milliseconds() }

// profiles wraps a store as other packages do (embedding the interface);
// it passes pgstore's Listen through, which embedding would hide.
type profiles struct {
	serverstore.Store
}

// Listen passes pgstore's Listen through the wrapper.
func (p *profiles) Listen(ctx context.Context, fn func(team string, head uint64)) error {
	if l, ok := p.Store.(listener); ok {
		return l.Listen(ctx, fn)
	}
	<-ctx.Done()
	return ctx.Err()
}

// env is one store with a team, its users and a token issuer.
type env struct {
	t      testing.TB
	store  *profiles
	clock  *clock
	tokens *auth.AccessTokens
	ckey   ed25519.PrivateKey
	bus    *events.Bus
	// detector, if set, is the Config.Detector of servers serve starts.
	detector Detector
	// lastServer is the Server serve started last.
	lastServer *Server
}

// users of team-a, by role.
var users = map[string]identity.Role{
	"carl": identity.Clerk, "cleo": identity.Clerk, "anna": identity.Approver, "bob": identity.Approver,
	"adam": identity.Admin, "olga": identity.Auditor,
}

func sqliteStore(t testing.TB) serverstore.Store {
	s, err := sqlitestore.Open(context.Background(), filepath.Join(t.TempDir(), "server.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// newEnv sets up st (empty) with team-a and its users.
func newEnv(t testing.TB, st serverstore.Store) *env {
	t.Helper()
	ctx := context.Background()
	if _, err := st.CreateTeam(ctx, teamID); err != nil {
		t.Fatal(err)
	}
	for name, role := range users {
		if _, err := st.CreateUser(ctx, serverstore.User{Name: name, Team: teamID, PasswordHash: "x", Role: role}); err != nil {
			t.Fatal(err)
		}
	}
	return newEnvOn(t, st)
}

// newEnvOn wraps a store that is already set up (a second replica).
func newEnvOn(t testing.TB, st serverstore.Store) *env {
	t.Helper()
	_, sk, _ := ed25519.GenerateKey(rand.Reader)
	_, ck, _ := ed25519.GenerateKey(rand.Reader)
	ks, err := auth.NewKeySet(auth.SigningKey{ID: "k1", Key: sk})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, store: &profiles{Store: st}, clock: newClock(), ckey: ck}
	e.tokens, err = auth.NewAccessTokens(auth.AccessConfig{Keys: ks, Issuer: "smartap-test", Audience: "smartap-sync",
		Clock: e.clock.now, Versions: st.TokenVersion})
	if err != nil {
		t.Fatal(err)
	}
	e.bus = events.New(nil, nil, e.clock.now)
	return e
}

// token issues a current access token for user.
func (e *env) token(user string) string {
	e.t.Helper()
	u, err := e.store.GetUser(context.Background(), user)
	if err != nil {
		e.t.Fatal(err)
	}
	tok, _, err := e.tokens.Issue(auth.Principal{UserID: u.Name, Team: u.Team, Role: u.Role, TokenVersion: u.TokenVersion})
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

// serve starts a Server on loopback and returns its ws:// URL.
func (e *env) serve(lim Limits) (*Server, string) {
	e.t.Helper()
	s, err := New(Config{Store: e.store, Tokens: e.tokens, Events: e.bus, Origins: []string{"https://app.smartap.test"},
		Now: e.clock.now, Limits: lim, CheckpointKey: e.ckey, Name: "test-server", Detector: e.detector})
	if err != nil {
		e.t.Fatal(err)
	}
	e.lastServer = s
	mux := http.NewServeMux()
	s.Mount(mux)
	hs := httptest.NewServer(mux)
	e.t.Cleanup(func() { _ = s.Close(); hs.Close() })
	return s, "ws" + strings.TrimPrefix(hs.URL, "http") + httpapi.PathSync
}
