package faulttest

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/smartap/desktop/sync/faultproxy"
)

// TestProxyFaultsConverge runs two desktops' syncs through the proxy while
// it delays, cuts and resets them (after a random number of bytes, or
// while their traffic is paused), with concurrent edits of one invoice on
// both sides in every round. Whatever failed, syncing without faults
// afterwards must bring both desktops to the same state, with every
// outbox empty and no op twice in the server's log.
func TestProxyFaultsConverge(t *testing.T) {
	rng := seeded(t)
	s := newSyncServer(t, "carl", "cleo", "olga")
	carl, cleo := newDesktop(t, s, "carl"), newDesktop(t, s, "cleo")
	var ids []string
	for _, f := range corpusFiles[:2] {
		ids = append(ids, carl.must("import", corpusFile(t, f)))
	}
	carl.syncRecover(s)
	cleo.syncRecover(s)
	// Every fault once, in a random order.
	faults := []string{"delay", "cut", "reset", "pause-reset"}
	rng.Shuffle(len(faults), func(i, j int) { faults[i], faults[j] = faults[j], faults[i] })
	for round, fault := range faults {
		id := ids[rng.IntN(len(ids))]
		carl.must("set", id, fmt.Sprintf("buyer_reference=CARL-%d", round))
		cleo.must("set", id, fmt.Sprintf("payment_terms=%d days", 10+round))
		t.Logf("round %d: %s", round, fault)
		for _, d := range []*desktop{carl, cleo} {
			syncUnderFault(t, rng, s, d, fault)
		}
	}
	for _, d := range []*desktop{carl, cleo, carl} {
		var st status
		if err := json.Unmarshal([]byte(d.syncRecover(s)), &st); err != nil {
			t.Fatal(err)
		}
		if st.Pending != 0 || st.Rejections != 0 {
			t.Fatalf("%s after the faults: %+v", d.user, st)
		}
	}
	noDuplicates(t, s, s.Login("olga", "dev-w"))
	sameState(t, ids, carl, cleo)
}

// syncUnderFault runs one `smartap sync` of d with the fault on, then
// clears the fault. The sync may fail; it must not hang.
func syncUnderFault(t *testing.T, rng *rand.Rand, s *syncServer, d *desktop, fault string) {
	t.Helper()
	p := s.Proxy
	defer func() {
		p.SetDelay(0)
		p.DropAfter(-1, faultproxy.Cut)
		p.Resume()
	}()
	switch fault {
	case "delay":
		p.SetDelay(time.Duration(1+rng.IntN(15)) * time.Millisecond)
		d.syncRecover(s) // a slow network only slows the sync
		return
	case "cut", "reset":
		f := faultproxy.Cut
		if fault == "reset" {
			f = faultproxy.Reset
		}
		p.DropAfter(int64(200+rng.IntN(30_000)), f)
		code, _, errs := d.run("sync")
		t.Logf("  %s: sync under %s: exit %d %s", d.user, fault, code, firstLine(errs))
	case "pause-reset":
		p.Pause()
		cmd := d.command("sync")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(patience)
		for p.Held() == 0 && time.Now().Before(deadline) {
			time.Sleep(2 * time.Millisecond)
		}
		p.Reset()
		p.Resume()
		_ = cmd.Wait()
	}
}

func firstLine(s string) string {
	for i := range len(s) {
		if s[i] == '\n' {
			return s[:i]
		}
	}
	return s
}
