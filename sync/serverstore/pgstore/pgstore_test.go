package pgstore_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/smartap/desktop/sync/serverstore"
	"github.com/smartap/desktop/sync/serverstore/pgstore"
	"github.com/smartap/desktop/sync/serverstore/pgstore/pgtest"
	"github.com/smartap/desktop/sync/serverstore/storetest"
	"github.com/smartap/desktop/sync/wire"
)

func open(t *testing.T, dbURL string) *pgstore.Store {
	t.Helper()
	s, err := pgstore.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func newStore(t *testing.T) serverstore.Store { return open(t, pgtest.FreshDB(t, "test")) }

// requireServer skips without the variable and fails, up front, when the
// server does not answer.
func requireServer(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, pgtest.URL(t))
	if err != nil {
		t.Fatalf("%s is set but the server is unreachable: %v", pgtest.EnvURL, err)
	}
	_ = c.Close(ctx)
}

func TestConformance(t *testing.T) {
	requireServer(t)
	storetest.Run(t, newStore)
}

// Two stores (two replicas) on one database: concurrent appends through
// both still give one gap-free sequence, and a committed append reaches
// the other replica's listener.
func TestReplicas(t *testing.T) {
	requireServer(t)
	ctx := context.Background()
	dbURL := pgtest.FreshDB(t, "test")
	a, b := open(t, dbURL), open(t, dbURL)
	if _, err := a.CreateTeam(ctx, "team-a"); err != nil {
		t.Fatal(err)
	}
	lctx, stop := context.WithCancel(ctx)
	heads := make(chan uint64, 100)
	listening := make(chan error, 1)
	go func() { listening <- b.Listen(lctx, func(team string, h uint64) { heads <- h }) }()
	// LISTEN takes effect asynchronously; wait until a notification arrives.
	deadline := time.After(10 * time.Second)
	for ready := false; !ready; {
		if _, err := a.Append(ctx, "team-a", []wire.Op{storetest.NewOp(0)}); err != nil {
			t.Fatal(err)
		}
		select {
		case <-heads:
			ready = true
		case <-time.After(50 * time.Millisecond):
		case <-deadline:
			t.Fatal("no notification from the other replica")
		}
	}
	start, err := a.Head(ctx, "team-a")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 8 {
		s := a
		if i%2 == 1 {
			s = b
		}
		wg.Go(func() {
			for j := range 5 {
				if _, err := s.Append(ctx, "team-a", []wire.Op{storetest.NewOp(j), storetest.NewOp(j)}); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	want := start + 8*5*2
	if h, err := b.Head(ctx, "team-a"); err != nil || h != want {
		t.Fatalf("head %d, %v; want %d", h, err, want)
	}
	for got := uint64(0); got != want; {
		select {
		case got = <-heads:
		case <-time.After(10 * time.Second):
			t.Fatalf("listener saw head %d, want %d", got, want)
		}
	}
	stop()
	if err := <-listening; err == nil {
		t.Fatal("Listen returned nil after cancel")
	}
}
