package faulttest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/smartap/desktop/sync/checkpoint"
	"github.com/smartap/desktop/sync/faultproxy"
	"github.com/smartap/desktop/sync/faulttest/rawclient"
	"github.com/smartap/desktop/sync/wire"
)

// pusher is one device pushing batches and remembering what the server
// acknowledged.
type pusher struct {
	t      *testing.T
	dev    *rawclient.Device
	acked  map[string]uint64 // op id → acknowledged sequence
	sent   map[string]wire.Op
	unsure []wire.Op // sent, no answer seen (maybe committed)
	audits []wire.Op // audit ops in the order made
	n      int
}

func newPusher(t *testing.T, device, user string) *pusher {
	return &pusher{t: t, dev: &rawclient.Device{ID: device, User: user},
		acked: map[string]uint64{}, sent: map[string]wire.Op{}}
}

// batch makes k new invoices (two ops each) and one audit op.
func (p *pusher) batch(k int) []wire.Op {
	p.t.Helper()
	var ops []wire.Op
	for range k {
		p.n++
		inv, err := p.dev.NewInvoice(fmt.Sprintf("inv-%s-%d", p.dev.ID, p.n), rawclient.Fields(p.n))
		if err != nil {
			p.t.Fatal(err)
		}
		ops = append(ops, inv...)
	}
	a, err := p.dev.Audit("invoice.import", fmt.Sprintf("batch-%d", p.n))
	if err != nil {
		p.t.Fatal(err)
	}
	p.audits = append(p.audits, a)
	return append(ops, a)
}

// record takes in an answer: acked ops must keep the sequence of an
// earlier ack (a resend is answered with the original), refusals are bugs.
func (p *pusher) record(ops []wire.Op, a rawclient.Answer) {
	p.t.Helper()
	for id, r := range a.Rejects {
		p.t.Fatalf("op %s refused: %s %s", id, r.Code, r.Message)
	}
	var unsure []wire.Op
	for _, op := range ops {
		p.sent[op.ID] = op
		seq, ok := a.Acks[op.ID]
		if !ok {
			unsure = append(unsure, op)
			continue
		}
		if old, seen := p.acked[op.ID]; seen && old != seq {
			p.t.Fatalf("op %s acked with seq %d, earlier with %d: stored twice", op.ID, seq, old)
		}
		p.acked[op.ID] = seq
	}
	p.unsure = unsure
}

// TestServerSIGKILL kills the server process while a device pushes: in
// half the rounds exactly between the commit and the ack (the proxy holds
// the server's answers until the test has seen the ops in the log, then
// the server is killed), in the others at a random moment. After every
// restart the device re-sends whatever was not acked. Finally the log
// must hold every op exactly once, every acked op at its acked sequence,
// with no gaps, and a signed checkpoint must prove the device's audit
// entries are included and that the Merkle log only grew across the
// crashes.
func TestServerSIGKILL(t *testing.T) {
	rng := seeded(t)
	s := newSyncServer(t, "carl", "olga")
	token := s.Login("carl", "dev-1")
	watcher := s.Login("olga", "dev-w")
	p := newPusher(t, "dev-1", "carl")
	var verified *checkpoint.Verified
	betweenCommitAndAck := 0
	for round := range 6 {
		c, err := s.Dial(token, "dev-1", false)
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		// Resend what the last crash left unanswered, plus new work.
		resend := p.unsure
		p.record(resend, mustPush(t, c, resend))
		verified = checkCheckpoint(t, s, c, p, verified)
		ops := p.batch(1 + rng.IntN(40))
		if round%2 == 0 {
			betweenCommitAndAck += killAfterCommit(t, s, c, watcher, ops, p)
		} else {
			killAnytime(t, rng, s, c, ops, p)
		}
		_ = c.Close()
		s.Start()
	}
	c, err := s.Dial(token, "dev-1", false)
	if err != nil {
		t.Fatal(err)
	}
	p.record(p.unsure, mustPush(t, c, p.unsure))
	checkCheckpoint(t, s, c, p, verified)
	checkLog(t, s, watcher, p)
	if betweenCommitAndAck == 0 {
		t.Fatal("no round killed the server between a commit and its ack")
	}
	t.Logf("%d ops acked, %d of them committed but unacknowledged when the server was killed", len(p.acked), betweenCommitAndAck)
}

func mustPush(t *testing.T, c *rawclient.Conn, ops []wire.Op) rawclient.Answer {
	t.Helper()
	if len(ops) == 0 {
		return rawclient.Answer{}
	}
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	a, err := c.Push(ctx, ops)
	if err != nil {
		t.Fatalf("push of %d ops: %v", len(ops), err)
	}
	return a
}

// killAfterCommit holds the server's answers in the proxy, pushes, waits
// until a direct connection sees the ops in the log (committed), then
// kills the server: the device never gets the acks. It returns how many
// ops were committed without an ack.
func killAfterCommit(t *testing.T, s *syncServer, c *rawclient.Conn, watcher string, ops []wire.Op, p *pusher) int {
	t.Helper()
	s.Proxy.PauseDir(faultproxy.ToClient)
	done := make(chan rawclient.Answer, 1)
	go func() {
		a, _ := c.Push(context.Background(), ops)
		done <- a
	}()
	w, err := s.Dial(watcher, "dev-w", true)
	if err != nil {
		t.Fatal(err)
	}
	last := ops[len(ops)-1].ID
	deadline := time.Now().Add(patience)
	for !inLog(t, w, last) {
		if time.Now().After(deadline) {
			t.Fatal("the pushed ops never reached the log")
		}
		time.Sleep(5 * time.Millisecond)
	}
	_ = w.Close()
	s.Kill()
	s.Proxy.Resume()
	a := <-done
	if len(a.Acks) != 0 {
		t.Fatalf("%d acks got through a paused proxy", len(a.Acks))
	}
	p.record(ops, a)
	return len(ops)
}

func inLog(t *testing.T, w *rawclient.Conn, id string) bool {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	all, _, err := w.PullAll(ctx, wire.Cursor{Index: w.Welcome.Head.Index})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range all {
		if s.Op.ID == id {
			return true
		}
	}
	return false
}

// killAnytime pushes and kills the server after a random pause (0–30 ms):
// before, during or after the commit.
func killAnytime(t *testing.T, rng *rand.Rand, s *syncServer, c *rawclient.Conn, ops []wire.Op, p *pusher) {
	t.Helper()
	done := make(chan rawclient.Answer, 1)
	go func() {
		// The kill may come before, during or after the send: any error is
		// expected; what counts is which acks arrived.
		a, _ := c.Push(context.Background(), ops)
		done <- a
	}()
	time.Sleep(time.Duration(rng.IntN(30_000)) * time.Microsecond)
	s.Kill()
	p.record(ops, <-done)
}
