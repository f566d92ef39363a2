package checkpoint_test

import (
	"errors"
	"testing"

	"github.com/smartap/desktop/sync/checkpoint"
	"github.com/smartap/desktop/sync/wire"
)

// TestVerify covers each way a checkpoint can be wrong, each with the one
// sentinel it must produce.
func TestVerify(t *testing.T) {
	pub, priv := testKey(1)
	otherPub, otherPriv := testKey(2)
	ops := auditOps(t, "dev-1", 0, 9)
	l := logOf(t, ops[:5])
	old, err := checkpoint.Verify(pub, team, mustCP(t, l, priv, 0, nil), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range ops[5:] {
		if _, _, err := l.Append(op); err != nil {
			t.Fatal(err)
		}
	}
	good := mustCP(t, l, priv, 5, ptr[uint64](3))
	// A log that shares nothing after leaf 2: same size, other history.
	forked := logOf(t, append(append([]wire.Op{}, ops[:2]...), auditOps(t, "dev-9", 100, 7)...))
	forkCP := mustCP(t, forked, priv, 5, ptr[uint64](0))

	mod := func(f func(*wire.Checkpoint)) wire.Checkpoint {
		c := good
		c.Inclusion = &wire.Inclusion{Index: good.Inclusion.Index, Hashes: append([]wire.Hash{}, good.Inclusion.Hashes...)}
		c.Consistency = &wire.Consistency{OldSize: good.Consistency.OldSize, Hashes: append([]wire.Hash{}, good.Consistency.Hashes...)}
		c.Signature = append([]byte{}, good.Signature...)
		f(&c)
		return c
	}
	changed := ops[3]
	changed.User = "mallory"
	bigger := checkpoint.Verified{Team: team, Size: 12, Root: good.Root}
	sameSizeOtherRoot := checkpoint.Verified{Team: team, Size: 9, Root: wire.Hash{1}}
	empty := checkpoint.Verified{Team: team}

	tests := []struct {
		name string
		pub  []byte
		team string
		cp   wire.Checkpoint
		leaf *wire.Op
		old  *checkpoint.Verified
		want error
	}{
		{"valid", pub, team, good, &ops[3], &old, nil},
		{"valid without leaf or old", pub, team, good, nil, nil, nil},
		{"valid from the empty tree", pub, team, good, &ops[3], &empty, nil},
		{"valid same head again", pub, team, good, nil, &checkpoint.Verified{Team: team, Size: 9, Root: good.Root}, nil},
		{"other key", otherPub, team, good, &ops[3], &old, checkpoint.ErrSignature},
		{"signed by another key", pub, team, mustCP(t, l, otherPriv, 5, ptr[uint64](3)), &ops[3], &old, checkpoint.ErrSignature},
		{"other team", pub, "team-2", good, nil, nil, checkpoint.ErrSignature},
		{"flipped signature bit", pub, team, mod(func(c *wire.Checkpoint) { c.Signature[7] ^= 1 }), nil, nil, checkpoint.ErrSignature},
		{"short signature", pub, team, mod(func(c *wire.Checkpoint) { c.Signature = c.Signature[:10] }), nil, nil, checkpoint.ErrSignature},
		{"size changed after signing", pub, team, mod(func(c *wire.Checkpoint) { c.Size = 8 }), nil, nil, checkpoint.ErrSignature},
		{"root changed after signing", pub, team, mod(func(c *wire.Checkpoint) { c.Root[0] ^= 1 }), nil, nil, checkpoint.ErrSignature},
		{"changed leaf", pub, team, good, &changed, nil, checkpoint.ErrNotIncluded},
		{"leaf not in the log", pub, team, good, &auditOps(t, "dev-3", 500, 1)[0], nil, checkpoint.ErrNotIncluded},
		{"other leaf's index", pub, team, mod(func(c *wire.Checkpoint) { c.Inclusion.Index = 4 }), &ops[3], nil, checkpoint.ErrNotIncluded},
		{"index past size", pub, team, mod(func(c *wire.Checkpoint) { c.Inclusion.Index = 9 }), &ops[3], nil, checkpoint.ErrNotIncluded},
		{"tampered inclusion hash", pub, team, mod(func(c *wire.Checkpoint) { c.Inclusion.Hashes[0][5] ^= 1 }), &ops[3], nil, checkpoint.ErrNotIncluded},
		{"inclusion proof cut", pub, team, mod(func(c *wire.Checkpoint) { c.Inclusion.Hashes = c.Inclusion.Hashes[1:] }), &ops[3], nil, checkpoint.ErrNotIncluded},
		{"no inclusion proof", pub, team, mod(func(c *wire.Checkpoint) { c.Inclusion = nil }), &ops[3], nil, checkpoint.ErrNotIncluded},
		{"truncated log", pub, team, good, nil, &bigger, checkpoint.ErrNotConsistent},
		{"forked log, same size", pub, team, good, nil, &sameSizeOtherRoot, checkpoint.ErrNotConsistent},
		{"forked log with its own proof", pub, team, forkCP, nil, &old, checkpoint.ErrNotConsistent},
		{"no consistency proof", pub, team, mod(func(c *wire.Checkpoint) { c.Consistency = nil }), nil, &old, checkpoint.ErrNotConsistent},
		{"proof from another size", pub, team, mod(func(c *wire.Checkpoint) { c.Consistency.OldSize = 4 }), nil, &old, checkpoint.ErrNotConsistent},
		{"tampered consistency hash", pub, team, mod(func(c *wire.Checkpoint) { c.Consistency.Hashes[0][0] ^= 1 }), nil, &old, checkpoint.ErrNotConsistent},
		{"short key", pub[:31], team, good, nil, nil, checkpoint.ErrKey},
		{"team with newline", pub, "team\n1", good, nil, nil, checkpoint.ErrMalformed},
		{"old of another team", pub, team, good, nil, &checkpoint.Verified{Team: "team-2", Size: 5, Root: old.Root}, checkpoint.ErrMalformed},
		{"size past int64", pub, team, mod(func(c *wire.Checkpoint) { c.Size = 1 << 63 }), nil, nil, checkpoint.ErrMalformed},
	}
	sentinels := []error{checkpoint.ErrSignature, checkpoint.ErrNotIncluded, checkpoint.ErrNotConsistent, checkpoint.ErrMalformed, checkpoint.ErrKey}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := checkpoint.Verify(tt.pub, tt.team, tt.cp, tt.leaf, tt.old)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Verify: %v", err)
				}
				if v != (checkpoint.Verified{Team: team, Size: tt.cp.Size, Root: tt.cp.Root}) {
					t.Errorf("Verified = %+v", v)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			for _, s := range sentinels {
				if s != tt.want && errors.Is(err, s) {
					t.Errorf("err %v also matches %v", err, s)
				}
			}
			if v != (checkpoint.Verified{}) {
				t.Errorf("a failed Verify returned %+v", v)
			}
		})
	}
}

func mustCP(t testing.TB, l *checkpoint.Log, priv []byte, old uint64, leaf *uint64) wire.Checkpoint {
	t.Helper()
	cp, err := l.Checkpoint(priv, old, leaf)
	if err != nil {
		t.Fatal(err)
	}
	return cp
}
