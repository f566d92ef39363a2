// Package synctest starts a real sync server (sync/server with the
// authapi login endpoints on a SQLite store) on loopback for end-to-end
// tests of the desktop client and the CLI, mounted the way
// `smartap-sync serve` mounts them. Plain ws:// on 127.0.0.1 only, as
// --insecure-loopback allows.
package synctest

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/sync/auth"
	"github.com/smartap/desktop/sync/checkpoint"
	"github.com/smartap/desktop/sync/server"
	"github.com/smartap/desktop/sync/server/authapi"
	"github.com/smartap/desktop/sync/server/events"
	"github.com/smartap/desktop/sync/serverstore"
	"github.com/smartap/desktop/sync/serverstore/sqlitestore"
	"github.com/smartap/desktop/sync/wire"
)

// Team is the team every test user belongs to.
const Team = "acme"

// pepper is the test server's password pepper.
var pepper = []byte("synctest pepper, not a secret") // gitleaks:allow

// Server is a running test server.
type Server struct {
	URL           string // http://127.0.0.1:PORT
	CheckpointKey string // the public checkpoint key, checkpoint.FormatPublicKey form
	Store         serverstore.Store

	pw    *auth.Passwords
	ln    *trackingListener
	cut   atomic.Bool
	sync  *server.Server
	store *cutStore
}

// Start runs a server on a fresh SQLite store with team Team.
func Start(t testing.TB) *Server {
	t.Helper()
	ctx := context.Background()
	st, err := sqlitestore.Open(ctx, filepath.Join(t.TempDir(), "server.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateTeam(ctx, Team); err != nil {
		t.Fatal(err)
	}
	_, sk, _ := ed25519.GenerateKey(rand.Reader)
	cpub, ck, _ := ed25519.GenerateKey(rand.Reader)
	ks, err := auth.NewKeySet(auth.SigningKey{ID: "k1", Key: sk})
	if err != nil {
		t.Fatal(err)
	}
	access, err := auth.NewAccessTokens(auth.AccessConfig{Keys: ks, Issuer: "smartap-sync:test", Audience: "smartap-sync",
		Versions: st.TokenVersion})
	if err != nil {
		t.Fatal(err)
	}
	pw, err := auth.NewPasswords(pepper)
	if err != nil {
		t.Fatal(err)
	}
	bus := events.New(st, nil, nil)
	s := &Server{Store: st, pw: pw, CheckpointKey: checkpoint.FormatPublicKey(cpub)}
	s.store = &cutStore{Store: st, cut: &s.cut, after: func() { s.ln.closeAll() }}
	svc, err := authapi.New(authapi.Config{Store: st, Passwords: pw, Access: access, Events: bus,
		CheckpointKey: s.CheckpointKey})
	if err != nil {
		t.Fatal(err)
	}
	s.sync, err = server.New(server.Config{Store: s.store, Tokens: access, Events: bus, CheckpointKey: ck, Name: "synctest"})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	svc.Mount(mux)
	s.sync.Mount(mux)
	hs := httptest.NewUnstartedServer(mux)
	s.ln = &trackingListener{Listener: hs.Listener}
	hs.Listener = s.ln
	hs.Start()
	s.URL = hs.URL
	t.Cleanup(func() {
		_ = s.sync.Close()
		hs.Close()
		_ = st.Close()
	})
	return s
}

// AddUser creates a user of Team with password.
func (s *Server) AddUser(t testing.TB, name string, role identity.Role, password string) {
	t.Helper()
	h, err := s.pw.Hash(password)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Store.CreateUser(context.Background(), serverstore.User{Name: name, Team: Team, Role: role, PasswordHash: h}); err != nil {
		t.Fatal(err)
	}
}

// SetRole changes a user's role on the server (live connections of the
// user are closed with 4001 and must refresh).
func (s *Server) SetRole(t testing.TB, name string, role identity.Role) {
	t.Helper()
	if _, err := s.Store.SetRole(context.Background(), name, role); err != nil {
		t.Fatal(err)
	}
}

// Log returns the team's whole operation log.
func (s *Server) Log(t testing.TB) []serverstore.Entry {
	t.Helper()
	var out []serverstore.Entry
	var after uint64
	for {
		p, err := s.Store.Pull(context.Background(), Team, after, wire.MaxPage)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p.Entries...)
		if !p.More {
			return out
		}
		after = p.Next.Seq
	}
}

// CutAfterNextAppend arms a cut: the next append commits, and then every
// open connection is closed before the server can send the ack.
func (s *Server) CutAfterNextAppend() { s.cut.Store(true) }

// cutStore closes connections right after a committed append when armed.
type cutStore struct {
	serverstore.Store
	cut   *atomic.Bool
	after func()
}

func (c *cutStore) Append(ctx context.Context, team string, ops []wire.Op) ([]serverstore.Appended, error) {
	res, err := c.Store.Append(ctx, team, ops)
	c.maybeCut(err)
	return res, err
}

func (c *cutStore) AppendAfter(ctx context.Context, team string, head uint64, ops []wire.Op) ([]serverstore.Appended, error) {
	res, err := c.Store.AppendAfter(ctx, team, head, ops)
	c.maybeCut(err)
	return res, err
}

func (c *cutStore) maybeCut(err error) {
	if err == nil && c.cut.CompareAndSwap(true, false) {
		c.after()
	}
}

// trackingListener remembers accepted connections so a test can cut them
// (httptest forgets hijacked websocket connections).
type trackingListener struct {
	net.Listener
	mu    sync.Mutex
	conns []net.Conn
}

func (l *trackingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.mu.Lock()
		l.conns = append(l.conns, c)
		l.mu.Unlock()
	}
	return c, err
}

func (l *trackingListener) closeAll() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, c := range l.conns {
		_ = c.Close()
	}
	l.conns = nil
}
