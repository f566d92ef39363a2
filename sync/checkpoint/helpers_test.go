package checkpoint_test

import (
	"crypto/ed25519"
	"fmt"
	"testing"
	"time"

	"github.com/smartap/desktop/backend/audit"
	"github.com/smartap/desktop/sync/checkpoint"
	"github.com/smartap/desktop/sync/opcodec"
	"github.com/smartap/desktop/sync/wire"
)

const team = "team-1"

// testKey is a fixed key so the golden signature bytes are stable.
func testKey(b byte) (ed25519.PublicKey, ed25519.PrivateKey) {
	seed := make([]byte, ed25519.SeedSize)
	for i := range seed {
		seed[i] = b + byte(i)
	}
	priv := ed25519.NewKeyFromSeed(seed)
	return priv.Public().(ed25519.PublicKey), priv
}

// opID is a deterministic UUID-shaped id: tests stay reproducible.
func opID(n int) string { return fmt.Sprintf("0190f3a2-7c1e-7b2a-9f00-%012x", n) }

// auditOps returns n audit ops of one device's chain.
func auditOps(t testing.TB, device string, first, n int) []wire.Op {
	t.Helper()
	var prev *audit.Entry
	ops := make([]wire.Op, 0, n)
	base := time.UnixMilli(1767225600000).UTC()
	for i := range n {
		e := audit.Next(prev, audit.Entry{Device: device, Actor: "anna", Time: base.Add(time.Duration(i) * time.Second),
			Action: "invoice.approve", Target: fmt.Sprintf("inv-%d", i), Decision: audit.Allowed})
		prev = &e
		clock := wire.HLC{Wall: base.UnixMilli() + int64(i)*1000, Device: device}
		op, err := opcodec.AuditOp(opID(first+i), "anna", clock, e)
		if err != nil {
			t.Fatal(err)
		}
		ops = append(ops, op)
	}
	return ops
}

// invoiceOp is an op that is not a leaf.
func invoiceOp(n int) wire.Op {
	v := "ACME"
	return wire.Op{ID: opID(1_000_000 + n), Device: "dev-1", User: "anna",
		Clock:   wire.HLC{Wall: 1767225600000 + int64(n), Device: "dev-1"},
		Entity:  wire.Entity{Type: "invoice", ID: fmt.Sprintf("inv-%d", n)},
		Changes: []wire.Field{{Name: "seller_name", Value: &v}}}
}

// logOf appends ops to a fresh log.
func logOf(t testing.TB, ops []wire.Op) *checkpoint.Log {
	t.Helper()
	l := checkpoint.NewLog(team)
	for _, op := range ops {
		if _, _, err := l.Append(op); err != nil {
			t.Fatal(err)
		}
	}
	return l
}

func ptr[T any](v T) *T { return &v }
