package faulttest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/smartap/desktop/sync/faulttest/rawclient"
	"github.com/smartap/desktop/sync/merge"
	"github.com/smartap/desktop/sync/wire"
)

// TestClockSkew: a device whose clock runs ahead of the server's by more
// than merge.MaxSkew has every op refused with code clock_skew and a
// message that tells the user to fix the clock; nothing of it is stored;
// its session stays usable; and another device pushing at the same time,
// on the same invoice, is acknowledged as if the fast one did not exist.
// A device just inside the bound is accepted.
func TestClockSkew(t *testing.T) {
	s := newSyncServer(t, "carl", "cleo")
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	ahead := func(d time.Duration) func() time.Time { return func() time.Time { return time.Now().Add(d) } }
	fastDev := &rawclient.Device{ID: "dev-fast", User: "carl", Now: ahead(merge.MaxSkew + 2*time.Minute)}
	okDev := &rawclient.Device{ID: "dev-ok", User: "cleo"}
	nearDev := &rawclient.Device{ID: "dev-near", User: "cleo", Now: ahead(merge.MaxSkew - time.Minute)}

	fast, err := s.Dial(s.Login("carl", "dev-fast"), "dev-fast", false)
	if err != nil {
		t.Fatal(err)
	}
	cleoTok := s.Login("cleo", "dev-ok")
	ok, err := s.Dial(cleoTok, "dev-ok", false)
	if err != nil {
		t.Fatal(err)
	}
	fastOps := must2[[]wire.Op](t)(fastDev.NewInvoice("inv-shared", rawclient.Fields(1)))
	fastAudit := must2[wire.Op](t)(fastDev.Audit("invoice.import", "inv-shared"))
	okOps := must2[[]wire.Op](t)(okDev.NewInvoice("inv-shared", rawclient.Fields(2)))

	type result struct {
		a   rawclient.Answer
		err error
	}
	fastDone := make(chan result, 1)
	go func() {
		a, err := fast.Push(ctx, append(fastOps, fastAudit))
		fastDone <- result{a, err}
	}()
	okAns, err := ok.Push(ctx, okOps)
	if err != nil || len(okAns.Acks) != len(okOps) {
		t.Fatalf("the device with a good clock: %+v, %v", okAns, err)
	}
	fr := <-fastDone
	if fr.err != nil || len(fr.a.Acks) != 0 || len(fr.a.Rejects) != 3 {
		t.Fatalf("the fast device: %+v, %v", fr.a, fr.err)
	}
	for id, r := range fr.a.Rejects {
		if r.Code != "clock_skew" || !strings.Contains(strings.ToLower(r.Message), "clock") {
			t.Errorf("op %s: %s %q: want clock_skew with a message about the clock", id, r.Code, r.Message)
		}
	}
	// The fast device's session is still open and answers; a device
	// whose clock is within the bound is accepted.
	if _, err := fast.Pull(ctx, wire.Cursor{Index: fast.Welcome.Head.Index}, 10); err != nil {
		t.Fatalf("the fast device's session ended: %v", err)
	}
	near, err := s.Dial(cleoTok, "dev-near", false)
	if err != nil {
		t.Fatal(err)
	}
	nearAudit := must2[wire.Op](t)(nearDev.Audit("invoice.view", "inv-shared"))
	if a, err := near.Push(ctx, []wire.Op{nearAudit}); err != nil || len(a.Acks) != 1 {
		t.Fatalf("a device %v ahead: %+v, %v", merge.MaxSkew-time.Minute, a, err)
	}
	for _, e := range pullLog(t, s, cleoTok) {
		if e.Op.Device == "dev-fast" {
			t.Fatalf("the fast device's op %s was stored", e.Op.ID)
		}
	}
}

// must2 unwraps a (value, error) pair.
func must2[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}
