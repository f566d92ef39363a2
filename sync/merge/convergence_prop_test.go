package merge

import (
	"fmt"
	"strings"
	"testing"
)

// TestConvergence is the convergence property: 3–5 replicas make random
// commands and field corrections for two invoices; pushes, acks and log
// entries are dropped (and resent), duplicated, reordered and cut off by
// partitions; the server assigns the total order and refuses skewed clocks.
// After a final reliable sync every replica has the server's digest.
// Seeds: 200 by default, 5000 with "-args -long", one with "-args -seed=N".
func TestConvergence(t *testing.T) {
	seeds := uint64(shortSeeds)
	if *long {
		seeds = longSeeds
	}
	first := uint64(1)
	if *oneSeed != 0 {
		first, seeds = *oneSeed, 1
	}
	st := &simStats{}
	for seed := first; seed < first+seeds; seed++ {
		if err := runSeed(t, seed, st); err != nil {
			t.Fatalf("seed %d: %v (rerun with: go test ./sync/merge -run TestConvergence -args -seed=%d)", seed, err, seed)
		}
	}
	t.Logf("%d seeds: %+v", seeds, *st)
	// The property is only worth something if the runs hit the hard cases.
	if *oneSeed == 0 && (st.duplicates == 0 || st.drops == 0 || st.transitionEx == 0 || st.correctionEx == 0 || st.refusedSkew == 0) {
		t.Fatalf("simulation did not exercise every case: %+v", *st)
	}
}

func runSeed(t *testing.T, seed uint64, st *simStats) error {
	s := newSim(seed, st)
	for range steps {
		s.step(t, seed)
	}
	s.settle(t, seed)

	for _, d := range s.devs {
		if len(d.outbox) != 0 || len(d.pending) != 0 || d.next != len(s.log) {
			return fmt.Errorf("%s not settled: outbox %d, pending %d, at %d of %d", d.name, len(d.outbox), len(d.pending), d.next, len(s.log))
		}
		for _, e := range simEntities {
			if got, want := Digest(d.confirmed[e]), Digest(s.server[e]); got != want {
				return fmt.Errorf("%s diverged on %s: %s != server %s", d.name, e, got[:12], want[:12])
			}
		}
	}
	// One fast clock is refused and blocks nobody: every other device's op
	// is in the log, and none of the fast device's is.
	for _, d := range s.devs {
		for i := 1; i <= d.made; i++ {
			id := fmt.Sprintf("%s-%d", d.name, i)
			if s.inLog[id] == d.fast {
				return fmt.Errorf("op %s (fast clock %v) in log: %v", id, d.fast, s.inLog[id])
			}
		}
	}
	// Replaying the log with every op twice changes nothing (idempotency).
	replay := fresh()
	for _, op := range s.log {
		for range 2 {
			replay[op.Entity], _ = Apply(replay[op.Entity], op)
		}
	}
	if err := checkInPlace(s.log); err != nil {
		return err
	}
	for _, e := range simEntities {
		if Digest(replay[e]) != Digest(s.server[e]) {
			return fmt.Errorf("replay with duplicates diverged on %s", e)
		}
		if err := checkExceptions(s.server[e], s.log); err != nil {
			return fmt.Errorf("%s: %w", e, err)
		}
		for _, ex := range s.server[e].Exceptions {
			if ex.Kind == ConflictingTransition {
				st.transitionEx++
			} else {
				st.correctionEx++
			}
		}
	}
	return nil
}

// checkExceptions: each exception names two logged ops of the entity, ids
// are unique, and corrections only conflict across devices.
func checkExceptions(s State, log []Op) error {
	dev := map[string]string{}
	for _, op := range log {
		if op.Entity == s.Entity {
			dev[op.ID] = op.Device
			if _, ok := s.AppliedOps[op.ID]; !ok {
				return fmt.Errorf("logged op %s not recorded", op.ID)
			}
		}
	}
	ids := map[string]bool{}
	for _, ex := range s.Exceptions {
		if ids[ex.ID] || ex.ID != ExceptionID(ex.Kind, ex.Winner, ex.Loser) {
			return fmt.Errorf("bad or repeated exception id %+v", ex)
		}
		ids[ex.ID] = true
		if dev[ex.Winner] == "" || dev[ex.Loser] == "" || ex.Message == "" {
			return fmt.Errorf("exception names unknown ops: %+v", ex)
		}
		if ex.Kind == ConflictingCorrection && (dev[ex.Winner] == dev[ex.Loser] || len(ex.Lost) == 0 ||
			!strings.Contains(ex.Message, ex.Fields[0])) {
			return fmt.Errorf("bad correction exception: %+v", ex)
		}
	}
	return nil
}
