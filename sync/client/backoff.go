package client

import (
	"math/rand/v2"
	"time"
)

// Backoff spaces reconnect attempts: exponential growth with full jitter
// (a uniform delay in [0, min(Max, Base·2^attempt))) so that many desktops
// cut off by one server restart do not all come back in the same instant.
type Backoff struct {
	Base time.Duration // first ceiling; zero: 500 ms
	Max  time.Duration // cap of the ceiling; zero: 60 s
	// Rand returns a uniform number in [0, n); nil: math/rand/v2.
	Rand func(n int64) int64
}

// Ceiling is the upper bound of the delay before attempt (0-based).
func (b Backoff) Ceiling(attempt int) time.Duration {
	base, limit := b.Base, b.Max
	if base <= 0 {
		base = 500 * time.Millisecond
	}
	if limit <= 0 {
		limit = time.Minute
	}
	c := base
	for i := 0; i < attempt && c < limit; i++ {
		c *= 2 // stops doubling at the cap, so it cannot overflow
	}
	return min(c, limit)
}

// Delay is the wait before attempt: uniform in [0, Ceiling(attempt)).
func (b Backoff) Delay(attempt int) time.Duration {
	c := int64(b.Ceiling(attempt))
	if c <= 0 {
		return 0
	}
	r := b.Rand
	if r == nil {
		r = rand.Int64N // #nosec G404 -- jitter, not a secret
	}
	return time.Duration(r(c))
}
