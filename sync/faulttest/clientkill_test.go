package faulttest

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"
)

// TestClientSIGKILL kills the desktop CLI with SIGKILL while `smartap
// sync` runs, at random moments, in a loop with new local changes in
// between; then syncs to the end. The device's outbox must empty, the
// server's log must hold no op twice, and a second desktop must show
// exactly what the killed one shows (nothing lost on either side, no
// remote op applied twice locally).
func TestClientSIGKILL(t *testing.T) {
	rng := seeded(t)
	s := newSyncServer(t, "carl", "cleo", "olga")
	carl := newDesktop(t, s, "carl")
	var ids []string
	for _, f := range corpusFiles {
		ids = append(ids, carl.must("import", corpusFile(t, f)))
	}
	for round := range 4 {
		id := ids[rng.IntN(len(ids))]
		carl.must("set", id, fmt.Sprintf("buyer_reference=ROUND-%d", round))
		carl.killDuring(time.Duration(rng.IntN(600))*time.Millisecond, "sync")
	}
	out := carl.syncRecover(s)
	var st status
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatal(err)
	}
	if st.Pending != 0 || st.Rejections != 0 || st.LastError != "" {
		t.Fatalf("after the kills and a full sync: %+v", st)
	}
	n := noDuplicates(t, s, s.Login("olga", "dev-w"))
	cleo := newDesktop(t, s, "cleo")
	cleo.must("sync")
	carl.must("sync")
	sameState(t, ids, carl, cleo)
	t.Logf("%d ops in the log after 4 killed syncs", n)
}
