package checkpoint_test

import (
	"encoding/json"
	"testing"

	"github.com/smartap/desktop/sync/checkpoint"
	"github.com/smartap/desktop/sync/wire"
)

// FuzzVerify feeds arbitrary checkpoint bodies, leaves and old heads to
// Verify. It must never panic, and whatever it accepts must be a head the
// log really signed, with the leaf at its real index and the old head a
// real earlier one: the fuzzer holds no key, so anything else accepted
// would be a forgery.
func FuzzVerify(f *testing.F) {
	pub, priv := testKey(4)
	ops := auditOps(f, "dev-1", 0, 12)
	l := checkpoint.NewLog(team)
	heads := []checkpoint.Verified{{Team: team}}
	for _, op := range ops {
		if _, _, err := l.Append(op); err != nil {
			f.Fatal(err)
		}
		heads = append(heads, checkpoint.Verified{Team: team, Size: l.Size(), Root: mustCP(f, l, priv, 0, nil).Root})
	}
	for _, c := range []struct{ size, leaf, old int }{{12, 3, 5}, {1, 0, 0}, {7, 6, 7}, {12, 11, 1}} {
		sub := logOf(f, ops[:c.size])
		leaf := uint64(c.leaf)
		cp := mustCP(f, sub, priv, uint64(c.old), &leaf)
		b, err := json.Marshal(cp)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, uint8(c.leaf), uint8(c.old), true)
	}
	f.Add([]byte(`{"size":0,"root":"`+heads[0].Root.String()+`","sig":""}`), uint8(0), uint8(0), false)

	f.Fuzz(func(t *testing.T, body []byte, leafAt, oldAt uint8, withLeaf bool) {
		var cp wire.Checkpoint
		if err := json.Unmarshal(body, &cp); err != nil {
			return
		}
		var leaf *wire.Op
		if withLeaf {
			leaf = &ops[int(leafAt)%len(ops)]
		}
		old := heads[int(oldAt)%len(heads)]
		v, err := checkpoint.Verify(pub, team, cp, leaf, &old)
		if err != nil {
			return
		}
		if cp.Size >= uint64(len(heads)) || heads[cp.Size].Root != cp.Root || v != heads[cp.Size] {
			t.Fatalf("accepted a head the log never signed: size %d root %s", cp.Size, cp.Root)
		}
		if cp.Size < old.Size {
			t.Fatalf("accepted a shrink from %d to %d", old.Size, cp.Size)
		}
		if leaf != nil {
			if i, _ := l.Index(leaf.ID); cp.Inclusion == nil || cp.Inclusion.Index != i {
				t.Fatalf("accepted op %s at the wrong leaf", leaf.ID)
			}
		}
	})
}
