package checkpoint_test

import (
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/smartap/desktop/sync/checkpoint"
	"github.com/smartap/desktop/sync/wire"
)

// TestProofProperties: for random log sizes, every leaf's inclusion proof
// and every older head's consistency proof verify; flipping one bit of
// any proof hash makes them fail with the right sentinel. The seed is
// printed on failure.
func TestProofProperties(t *testing.T) {
	seed := rand.Uint64()
	rng := rand.New(rand.NewPCG(seed, 0))
	t.Logf("seed %d", seed)
	pub, priv := testKey(3)
	ops := auditOps(t, "dev-1", 0, 70)
	heads := make([]checkpoint.Verified, len(ops)+1) // heads[n] = head of n leaves
	heads[0] = checkpoint.Verified{Team: team}
	l := checkpoint.NewLog(team)
	for i, op := range ops {
		if _, _, err := l.Append(op); err != nil {
			t.Fatal(err)
		}
		heads[i+1] = checkpoint.Verified{Team: team, Size: uint64(i + 1), Root: mustCP(t, l, priv, 0, nil).Root}
	}
	for range 300 {
		size := 1 + rng.IntN(len(ops))
		sub := logOf(t, ops[:size])
		leaf := uint64(rng.IntN(size))
		old := heads[rng.IntN(size+1)]
		cp := mustCP(t, sub, priv, old.Size, &leaf)
		if _, err := checkpoint.Verify(pub, team, cp, &ops[leaf], &old); err != nil {
			t.Fatalf("seed %d: size %d leaf %d old %d: %v", seed, size, leaf, old.Size, err)
		}
		if len(cp.Inclusion.Hashes) > 0 {
			bad := cp
			bad.Inclusion = &wire.Inclusion{Index: leaf, Hashes: flip(rng, cp.Inclusion.Hashes)}
			if _, err := checkpoint.Verify(pub, team, bad, &ops[leaf], nil); !errors.Is(err, checkpoint.ErrNotIncluded) {
				t.Fatalf("seed %d: tampered inclusion (size %d leaf %d) err = %v", seed, size, leaf, err)
			}
		}
		if cp.Consistency != nil && len(cp.Consistency.Hashes) > 0 {
			bad := cp
			bad.Consistency = &wire.Consistency{OldSize: old.Size, Hashes: flip(rng, cp.Consistency.Hashes)}
			if _, err := checkpoint.Verify(pub, team, bad, nil, &old); !errors.Is(err, checkpoint.ErrNotConsistent) {
				t.Fatalf("seed %d: tampered consistency (%d→%d) err = %v", seed, old.Size, size, err)
			}
		}
		// Any other leaf at this index is refused.
		if other := uint64(rng.IntN(len(ops))); other != leaf {
			if _, err := checkpoint.Verify(pub, team, cp, &ops[other], nil); !errors.Is(err, checkpoint.ErrNotIncluded) {
				t.Fatalf("seed %d: op %d accepted at leaf %d: %v", seed, other, leaf, err)
			}
		}
	}
}

// flip returns a copy of hs with one random bit flipped.
func flip(rng *rand.Rand, hs []wire.Hash) []wire.Hash {
	out := append([]wire.Hash{}, hs...)
	i := rng.IntN(len(out))
	out[i][rng.IntN(len(out[i]))] ^= 1 << rng.IntN(8)
	return out
}
