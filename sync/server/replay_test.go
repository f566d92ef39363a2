package server

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/sync/merge"
	"github.com/smartap/desktop/sync/serverstore"
	"github.com/smartap/desktop/sync/serverstore/pgstore/pgtest"
	"github.com/smartap/desktop/sync/wire"
)

// workload: clerks and approvers push random corrections and commands on
// a few invoices at once, through the given URLs (one per replica). It
// returns nothing; the log is what it leaves.
func workload(t *testing.T, e *env, urls []string, seed uint64) {
	t.Helper()
	who := []struct{ user, role string }{{"carl", "clerk"}, {"cleo", "clerk"}, {"anna", "approver"}, {"bob", "approver"}}
	setup, _ := e.connect(urls[0], "adam", "dev-setup")
	for i := range 4 {
		inv := fmt.Sprintf("inv-%d", i)
		setup.mustAck(setup.cmd(inv, invoice.StatusReceived, invoice.Extract))
	}
	var wg sync.WaitGroup
	for k, w := range who {
		c, _ := e.connect(urls[k%len(urls)], w.user, "dev-"+w.user)
		rng := rand.New(rand.NewPCG(seed, uint64(k)))
		wg.Go(func() {
			for range 15 {
				inv := fmt.Sprintf("inv-%d", rng.IntN(4))
				bases := []invoice.Status{invoice.StatusExtracted, invoice.StatusNeedsReview, invoice.StatusReadyForApproval}
				base := bases[rng.IntN(len(bases))]
				var ops []wire.Op
				switch {
				case w.role == "clerk" && rng.IntN(3) == 0:
					ops = append(ops, c.cmd(inv, base, invoice.Submit))
				case w.role == "clerk":
					ops = append(ops, c.set(inv, base, map[string]string{"seller.name": fmt.Sprint(w.user, rng.IntN(5)), "totals.payable": "10.00"}))
				case rng.IntN(2) == 0:
					ops = append(ops, c.cmd(inv, invoice.StatusReadyForApproval, invoice.Approve))
				default:
					ops = append(ops, c.cmd(inv, invoice.StatusReadyForApproval, invoice.Reject))
				}
				c.push(ops...) // accepted or refused: both are fine here
			}
		})
	}
	wg.Wait()
}

// checkReplay compares every replica's invoices with a fresh server that
// rebuilds them from the log alone.
func checkReplay(t *testing.T, e *env, st serverstore.Store, replicas []*Server, seed uint64) {
	t.Helper()
	fresh := newEnvOn(t, st)
	ref, _ := fresh.serve(Limits{})
	if _, _, err := ref.team(t.Context(), teamID); err != nil {
		t.Fatal(err)
	}
	head, err := st.Head(t.Context(), teamID)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range replicas {
		s.refresh(teamID, head)
	}
	for i := range 4 {
		inv := fmt.Sprintf("inv-%d", i)
		want := merge.Digest(invoiceView(t, ref, inv))
		for r, s := range replicas {
			if got := merge.Digest(invoiceView(t, s, inv)); got != want {
				t.Fatalf("seed %d: replica %d's %s differs from the log's replay", seed, r, inv)
			}
		}
	}
}

func TestStateMatchesReplay(t *testing.T) {
	seed := rand.Uint64()
	t.Logf("seed %d", seed)
	st := sqliteStore(t)
	e := newEnv(t, st)
	s, url := e.serve(Limits{})
	workload(t, e, []string{url}, seed)
	checkReplay(t, e, st, []*Server{s}, seed)
}

// Two replicas on one PostgreSQL database under concurrent pushes: both
// end with the state the log replays to (AppendAfter keeps every decision
// made against the head it was committed after).
func TestPostgresReplicasMatchReplay(t *testing.T) {
	db := pgtest.FreshDB(t, "srv")
	seed := rand.Uint64()
	t.Logf("seed %d", seed)
	st := pgOpen(t, db)
	a := newEnv(t, st)
	b := newEnvOn(t, pgOpen(t, db))
	b.tokens, b.clock = a.tokens, a.clock
	sa, urlA := a.serve(Limits{})
	sb, urlB := b.serve(Limits{})
	workload(t, a, []string{urlA, urlB}, seed)
	checkReplay(t, a, st, []*Server{sa, sb}, seed)
	t.Logf("appends that lost the race to the other replica and were decided again: %d", sa.raced.Load()+sb.raced.Load())
}
