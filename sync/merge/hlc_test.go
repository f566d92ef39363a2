package merge

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

const min5 = 5 * 60 * 1000 // MaxSkew in ms, written out so the test pins the bound

func TestNow(t *testing.T) {
	tests := []struct {
		name string
		wall int64
		last HLC
		want HLC
	}{
		{"wall ahead takes wall", 1000, HLC{900, 7, "a"}, HLC{1000, 0, "a"}},
		{"same ms ticks", 1000, HLC{1000, 3, "a"}, HLC{1000, 4, "a"}},
		{"wall stepped back keeps last", 500, HLC{1000, 3, "a"}, HLC{1000, 4, "a"}},
		{"logical at limit borrows a ms", 10, HLC{1000, math.MaxUint32, "a"}, HLC{1001, 0, "a"}},
		{"zero last", 1, HLC{Device: "a"}, HLC{1, 0, "a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Now(tt.wall, tt.last); got != tt.want {
				t.Fatalf("Now(%d, %v) = %v, want %v", tt.wall, tt.last, got, tt.want)
			}
		})
	}
}

func TestUpdate(t *testing.T) {
	tests := []struct {
		name         string
		wall         int64
		last, remote HLC
		want         HLC
		err          error
	}{
		{"wall ahead of both", 2000, HLC{1000, 5, "a"}, HLC{1500, 9, "b"}, HLC{2000, 0, "a"}, nil},
		{"remote ahead", 1000, HLC{1000, 5, "a"}, HLC{1500, 9, "b"}, HLC{1500, 10, "a"}, nil},
		{"last ahead", 1000, HLC{1600, 2, "a"}, HLC{1500, 9, "b"}, HLC{1600, 3, "a"}, nil},
		{"last and remote equal wall", 1000, HLC{1600, 2, "a"}, HLC{1600, 9, "b"}, HLC{1600, 10, "a"}, nil},
		{"remote exactly at the bound", 1000, HLC{1000, 0, "a"}, HLC{1000 + min5, 0, "b"}, HLC{1000 + min5, 1, "a"}, nil},
		{"remote 1ms past the bound", 1000, HLC{1000, 0, "a"}, HLC{1001 + min5, 0, "b"}, HLC{1000, 0, "a"}, ErrSkew},
		{"remote a year ahead", 1000, HLC{1000, 0, "a"}, HLC{1000 + 365*24*3600*1000, 0, "b"}, HLC{1000, 0, "a"}, ErrSkew},
		{"remote overflowing", -math.MaxInt64, HLC{1, 0, "a"}, HLC{math.MaxInt64, 0, "b"}, HLC{1, 0, "a"}, ErrSkew},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Update(tt.wall, tt.last, tt.remote)
			if !errors.Is(err, tt.err) || got != tt.want {
				t.Fatalf("Update = %v, %v; want %v, %v", got, err, tt.want, tt.err)
			}
		})
	}
}

// TestClockProperties: every new event orders after everything the device
// has seen, and a clock never runs further ahead of wall time than the
// furthest accepted remote (so one fast clock is bounded by MaxSkew).
func TestClockProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 20000 {
		wall := 1_000_000 + r.Int64N(10_000)
		last := HLC{Wall: 1_000_000 + r.Int64N(10_000), Logical: uint32(r.IntN(3)), Device: "a"}
		remote := HLC{Wall: wall + r.Int64N(2*min5) - min5/2, Logical: uint32(r.IntN(3)), Device: "b"}

		if n := Now(wall, last); Compare(n, last) <= 0 || n.Wall < wall {
			t.Fatalf("case %d: Now(%d, %v) = %v is not after both", i, wall, last, n)
		}
		u, err := Update(wall, last, remote)
		if remote.Wall-wall > min5 {
			if !errors.Is(err, ErrSkew) || u != last {
				t.Fatalf("case %d: Update accepted %v at wall %d: %v, %v", i, remote, wall, u, err)
			}
			continue
		}
		if err != nil || Compare(u, last) <= 0 || Compare(u, remote) <= 0 || u.Device != "a" {
			t.Fatalf("case %d: Update(%d, %v, %v) = %v, %v", i, wall, last, remote, u, err)
		}
		if u.Wall > max(wall, last.Wall)+min5 {
			t.Fatalf("case %d: clock dragged to %v, more than MaxSkew past %d", i, u, wall)
		}
	}
}

// TestCompareTotalOrder checks antisymmetry and transitivity on small
// random clocks, where ties in wall and logical are common.
func TestCompareTotalOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	gen := func() HLC {
		return HLC{Wall: r.Int64N(3), Logical: uint32(r.IntN(3)), Device: string(rune('a' + r.IntN(3)))}
	}
	for range 20000 {
		a, b, c := gen(), gen(), gen()
		if Compare(a, b) != -Compare(b, a) {
			t.Fatalf("not antisymmetric: %v %v", a, b)
		}
		if (Compare(a, b) == 0) != (a == b) {
			t.Fatalf("equal-compare but different clocks: %v %v", a, b)
		}
		if Compare(a, b) <= 0 && Compare(b, c) <= 0 && Compare(a, c) > 0 {
			t.Fatalf("not transitive: %v %v %v", a, b, c)
		}
	}
}
