package faulttest

import (
	"context"
	"testing"

	"github.com/smartap/desktop/sync/checkpoint"
	"github.com/smartap/desktop/sync/faulttest/rawclient"
	"github.com/smartap/desktop/sync/wire"
)

// checkCheckpoint asks for a signed checkpoint proving the device's last
// acked audit op is in the Merkle log and that the log extends the last
// verified head; it returns the new head.
func checkCheckpoint(t *testing.T, s *syncServer, c *rawclient.Conn, p *pusher, old *checkpoint.Verified) *checkpoint.Verified {
	t.Helper()
	var leaf *wire.Op
	for i := len(p.audits) - 1; i >= 0; i-- {
		if _, ok := p.acked[p.audits[i].ID]; ok {
			leaf = &p.audits[i]
			break
		}
	}
	want := wire.CheckpointWant{}
	if old != nil {
		want.OldSize = old.Size
	}
	if leaf != nil {
		want.Op = leaf.ID
	}
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	cp, err := c.Checkpoint(ctx, want)
	if err != nil {
		t.Fatal(err)
	}
	v, err := checkpoint.Verify(s.Pub, team, cp, leaf, old)
	if err != nil {
		t.Fatalf("checkpoint after a restart: %v", err)
	}
	return &v
}

// checkLog reads the whole log over a direct connection and checks it
// against what the device was told: sequences 1..N without gaps, no op id
// twice, every acked op at its acked sequence, every op sent present.
func checkLog(t *testing.T, s *syncServer, token string, p *pusher) {
	t.Helper()
	all := pullLog(t, s, token)
	at := map[string]uint64{}
	for i, e := range all {
		if e.Seq != uint64(i+1) {
			t.Fatalf("log entry %d has seq %d: a gap or a repeat", i, e.Seq)
		}
		if prev, dup := at[e.Op.ID]; dup {
			t.Fatalf("op %s stored twice, at %d and %d", e.Op.ID, prev, e.Seq)
		}
		at[e.Op.ID] = e.Seq
	}
	for id, seq := range p.acked {
		if got, ok := at[id]; !ok || got != seq {
			t.Fatalf("acked op %s (seq %d) is at %d in the log (present %v): lost", id, seq, got, ok)
		}
	}
	for id := range p.sent {
		if _, ok := at[id]; !ok {
			t.Fatalf("op %s was sent and re-sent but is not in the log", id)
		}
	}
}

func pullLog(t *testing.T, s *syncServer, token string) []wire.Sequenced {
	t.Helper()
	w, err := s.Dial(token, "dev-w", true)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	all, _, err := w.PullAll(ctx, wire.Cursor{Index: w.Welcome.Head.Index})
	if err != nil {
		t.Fatal(err)
	}
	return all
}
