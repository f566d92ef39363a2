package authapi

import (
	"sync"
	"time"
)

// burst counts refused logins per key in fixed windows and reports the
// one failure that reaches the threshold, so a long attack raises one
// event per window instead of one per attempt.
type burst struct {
	p  BurstPolicy
	mu sync.Mutex
	m  map[string]*burstWindow
}

type burstWindow struct {
	start time.Time
	n     int
}

// maxBurstKeys bounds memory under a spray of random names or addresses.
const maxBurstKeys = 100_000

func newBurst(p BurstPolicy) *burst { return &burst{p: p, m: map[string]*burstWindow{}} }

// fail records one failure for key at now and reports whether it is the
// Failures-th of the current window.
func (b *burst) fail(key string, now time.Time) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	w := b.m[key]
	if w == nil || now.Sub(w.start) >= b.p.Window || now.Before(w.start) {
		if w == nil && len(b.m) >= maxBurstKeys {
			b.sweep(now)
		}
		w = &burstWindow{start: now}
		b.m[key] = w
	}
	w.n++
	return w.n == b.p.Failures
}

func (b *burst) sweep(now time.Time) {
	for k, w := range b.m {
		if now.Sub(w.start) >= b.p.Window {
			delete(b.m, k)
		}
	}
}
