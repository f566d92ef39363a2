package bench

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/sync/auth"
	"github.com/smartap/desktop/sync/faulttest/rawclient"
	"github.com/smartap/desktop/sync/server"
	"github.com/smartap/desktop/sync/serverstore"
	"github.com/smartap/desktop/sync/serverstore/pgstore"
	"github.com/smartap/desktop/sync/serverstore/pgstore/pgtest"
	"github.com/smartap/desktop/sync/serverstore/sqlitestore"
	"github.com/smartap/desktop/sync/wire"
)

// envPG names the PostgreSQL server the sync benchmarks use (set by
// scripts/with-postgres.sh); unset, the PostgreSQL half is not measured.
const envPG = "SMARTAP_TEST_PG_URL"

// syncEnv is one store with a real sync server (sync/server over a
// loopback httptest server) and an access-token issuer.
type syncEnv struct {
	kind   string
	store  serverstore.Store
	tokens *auth.AccessTokens
	srv    *server.Server
	url    string // ws://…/v1/sync
}

// benchLimits lift the per-connection rate limits (5,000 ops/s by
// default), which would otherwise be what ingest measures.
var benchLimits = server.Limits{FrameRate: 1e6, FrameBurst: 1e6, OpRate: 1e9, OpBurst: 1e9}

// openSyncStore opens an empty store of kind sqlite or postgres; "" when
// postgres is not configured.
func openSyncStore(b *testing.B, kind string) (serverstore.Store, string) {
	b.Helper()
	ctx := context.Background()
	switch kind {
	case "sqlite":
		s, err := sqlitestore.Open(ctx, filepath.Join(b.TempDir(), "server.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = s.Close() })
		return s, ""
	case "postgres":
		if os.Getenv(envPG) == "" {
			return nil, envPG + " is not set: run under scripts/with-postgres.sh (make bench-sync does)"
		}
		s, err := pgstore.Open(ctx, pgtest.FreshDB(b, "bench"))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = s.Close() })
		return s, ""
	}
	b.Fatalf("unknown store %q", kind)
	return nil, ""
}

// newSyncEnv starts a server on st.
func newSyncEnv(b *testing.B, kind string, st serverstore.Store) *syncEnv {
	b.Helper()
	_, sk, _ := ed25519.GenerateKey(rand.Reader)
	_, ck, _ := ed25519.GenerateKey(rand.Reader)
	ks, err := auth.NewKeySet(auth.SigningKey{ID: "k1", Key: sk})
	if err != nil {
		b.Fatal(err)
	}
	tokens, err := auth.NewAccessTokens(auth.AccessConfig{Keys: ks, Issuer: "smartap-bench", Audience: "smartap-sync",
		Versions: st.TokenVersion})
	if err != nil {
		b.Fatal(err)
	}
	srv, err := server.New(server.Config{Store: st, Tokens: tokens, CheckpointKey: ck, Name: "bench", Limits: benchLimits})
	if err != nil {
		b.Fatal(err)
	}
	mux := http.NewServeMux()
	srv.Mount(mux)
	hs := httptest.NewServer(mux)
	b.Cleanup(func() { _ = srv.Close(); hs.Close() })
	return &syncEnv{kind: kind, store: st, tokens: tokens, srv: srv, url: rawclient.WSURL(hs.URL)}
}

// team creates a team with users (clerks) and returns their tokens.
func (e *syncEnv) team(b *testing.B, id string, users ...string) map[string]string {
	b.Helper()
	ctx := context.Background()
	if _, err := e.store.CreateTeam(ctx, id); err != nil {
		b.Fatal(err)
	}
	out := map[string]string{}
	for _, name := range users {
		u, err := e.store.CreateUser(ctx, serverstore.User{Name: name, Team: id, PasswordHash: "x", Role: identity.Clerk})
		if err != nil {
			b.Fatal(err)
		}
		tok, _, err := e.tokens.Issue(auth.Principal{UserID: u.Name, Team: u.Team, Role: u.Role, TokenVersion: u.TokenVersion})
		if err != nil {
			b.Fatal(err)
		}
		out[name] = tok
	}
	return out
}

func (e *syncEnv) dial(b *testing.B, token, device string, onOther func(wire.Message, time.Time)) *rawclient.Conn {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	c, err := rawclient.Dial(ctx, e.url, token, device, onOther)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = c.Close() })
	return c
}

// invoiceOps makes the ops creating n invoices on device (two each:
// extract, then a set of 11 header fields), as batches of wire.MaxBatch.
func invoiceOps(b *testing.B, device, user string, first, n int) [][]wire.Op {
	b.Helper()
	d := &rawclient.Device{ID: device, User: user}
	var all []wire.Op
	for i := first; i < first+n; i++ {
		ops, err := d.NewInvoice(fmt.Sprintf("inv-%s-%07d", device, i), rawclient.Fields(i))
		if err != nil {
			b.Fatal(err)
		}
		all = append(all, ops...)
	}
	var batches [][]wire.Op
	for len(all) > 0 {
		k := min(len(all), wire.MaxBatch)
		batches = append(batches, all[:k])
		all = all[k:]
	}
	return batches
}
