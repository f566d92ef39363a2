package client

import (
	"testing"
	"time"
)

func TestBackoffCeilingGrowsAndCaps(t *testing.T) {
	b := Backoff{Base: 100 * time.Millisecond, Max: time.Second}
	for _, tc := range []struct {
		attempt int
		want    time.Duration
	}{
		{0, 100 * time.Millisecond}, {1, 200 * time.Millisecond}, {2, 400 * time.Millisecond},
		{3, 800 * time.Millisecond}, {4, time.Second}, {60, time.Second}, {1 << 30, time.Second},
	} {
		if got := b.Ceiling(tc.attempt); got != tc.want {
			t.Errorf("Ceiling(%d) = %v, want %v", tc.attempt, got, tc.want)
		}
	}
	if got := (Backoff{}).Ceiling(100); got != time.Minute {
		t.Errorf("default cap = %v", got)
	}
}

// Full jitter: the delay is drawn from the whole range [0, ceiling), so the
// random source must be asked for exactly the ceiling.
func TestBackoffFullJitter(t *testing.T) {
	var asked []int64
	b := Backoff{Base: time.Second, Max: 8 * time.Second, Rand: func(n int64) int64 { asked = append(asked, n); return n - 1 }}
	for a := 0; a < 5; a++ {
		if d := b.Delay(a); d != b.Ceiling(a)-1 {
			t.Errorf("Delay(%d) = %v", a, d)
		}
	}
	want := []int64{1e9, 2e9, 4e9, 8e9, 8e9}
	for i := range want {
		if asked[i] != want[i] {
			t.Fatalf("rand asked for %v, want %v", asked, want)
		}
	}
	b.Rand = nil
	for a := 0; a < 50; a++ {
		if d := b.Delay(a); d < 0 || d >= b.Ceiling(a) {
			t.Fatalf("Delay(%d) = %v outside [0, %v)", a, d, b.Ceiling(a))
		}
	}
}
