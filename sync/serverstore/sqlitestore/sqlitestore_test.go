package sqlitestore_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/smartap/desktop/sync/serverstore"
	"github.com/smartap/desktop/sync/serverstore/sqlitestore"
	"github.com/smartap/desktop/sync/serverstore/storetest"
	"github.com/smartap/desktop/sync/wire"
)

func newStore(t *testing.T) serverstore.Store {
	t.Helper()
	s, err := sqlitestore.Open(context.Background(), filepath.Join(t.TempDir(), "server.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestConformance(t *testing.T) { storetest.Run(t, newStore) }

// Reopening keeps the log, the heads and the index ids, and migrating an
// up-to-date database is a no-op.
func TestReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "server.db")
	s, err := sqlitestore.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	tm, err := s.CreateTeam(ctx, "team-a")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Append(ctx, "team-a", []wire.Op{storetest.NewOp(1), storetest.NewOp(2)}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = sqlitestore.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.GetTeam(ctx, "team-a")
	if err != nil || got.Index != tm.Index {
		t.Fatalf("index after reopen: %+v, %v; want %q", got, err, tm.Index)
	}
	if h, err := s.Head(ctx, "team-a"); err != nil || h != 2 {
		t.Fatalf("head after reopen: %d, %v", h, err)
	}
}
