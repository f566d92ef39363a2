package server

import (
	"context"
	"fmt"
	"testing"

	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/sync/serverstore"
	"github.com/smartap/desktop/sync/wire"
)

// cancelOnPull cancels the caller's context at the first log read, as a
// hello whose deadline runs out (or whose client leaves) during a long
// first load.
type cancelOnPull struct {
	serverstore.Store
	cancel context.CancelFunc
}

func (c *cancelOnPull) Pull(ctx context.Context, team string, after uint64, limit int) (serverstore.Page, error) {
	c.cancel()
	return c.Store.Pull(ctx, team, after, limit)
}

// The first load of a team reads the whole log even when the request that
// started it gives up: the load used to run under the hello's 30 s
// deadline, and a long log was cut off ("team unavailable").
func TestTeamLoadOutlivesTheRequest(t *testing.T) {
	st := sqliteStore(t)
	e := newEnv(t, st)
	c := &client{t: t, user: "carl", device: "dev-c", clock: e.clock}
	c.hlc.Device = "dev-c"
	var ops []wire.Op
	for i := range 3*wire.MaxPage + 7 {
		ops = append(ops, c.cmd(fmt.Sprintf("inv-%d", i), invoice.StatusReceived, invoice.Extract))
	}
	for len(ops) > 0 {
		n := min(len(ops), wire.MaxBatch)
		if _, err := st.Append(t.Context(), teamID, ops[:n]); err != nil {
			t.Fatal(err)
		}
		ops = ops[n:]
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	s, err := New(Config{Store: &cancelOnPull{Store: e.store, cancel: cancel}, Tokens: e.tokens, CheckpointKey: e.ckey,
		Now: e.clock.now, Name: "load"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tm, _, err := s.team(ctx, teamID)
	if err != nil {
		t.Fatal(err)
	}
	if got := tm.cursor().Seq; got != 3*wire.MaxPage+7 {
		t.Fatalf("loaded up to %d of %d entries", got, 3*wire.MaxPage+7)
	}
}
