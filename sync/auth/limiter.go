package auth

import (
	"sync"
	"time"
)

// maxTracked bounds the per-key maps: an attacker spraying random
// usernames or IPs must not grow memory without limit. Past it, stale
// entries are swept.
const maxTracked = 100_000

// LockoutPolicy configures per-account lockout (#10).
type LockoutPolicy struct {
	Threshold  int           // failures before the first lock
	BaseLock   time.Duration // first lock; doubles with each further failure
	MaxLock    time.Duration // cap, so an attacker can only delay, never lock a user out for good (lockout-DoS)
	ResetAfter time.Duration // failures are forgotten after this long without one
}

// DefaultLockout is the production policy.
var DefaultLockout = LockoutPolicy{Threshold: 5, BaseLock: time.Minute, MaxLock: time.Hour, ResetAfter: 24 * time.Hour}

type lockState struct {
	failures    int
	last        time.Time
	lockedUntil time.Time
}

// Lockout tracks consecutive failures per account key. Keys are any
// string (normally the normalized username), including names that do not
// exist, so a lock does not reveal whether an account is real (#11).
type Lockout struct {
	mu    sync.Mutex
	p     LockoutPolicy
	clock Clock
	m     map[string]*lockState
}

// NewLockout returns a Lockout with policy p and clock c.
func NewLockout(p LockoutPolicy, c Clock) *Lockout {
	return &Lockout{p: p, clock: c, m: map[string]*lockState{}}
}

// Check returns a *RetryError wrapping ErrLocked while key is locked.
func (l *Lockout) Check(key string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.m[key]
	now := l.clock.now()
	if s != nil && now.Before(s.lockedUntil) {
		return &RetryError{Err: ErrLocked, RetryAfter: s.lockedUntil.Sub(now)}
	}
	return nil
}

// Failure records a failed attempt and locks the key once the threshold is
// reached; every further failure doubles the lock, up to MaxLock.
func (l *Lockout) Failure(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.now()
	s := l.m[key]
	if s == nil {
		l.sweep(now)
		s = &lockState{}
		l.m[key] = s
	}
	if now.Sub(s.last) > l.p.ResetAfter {
		s.failures = 0
	}
	s.failures++
	s.last = now
	if s.failures >= l.p.Threshold {
		d := l.p.BaseLock
		for i := l.p.Threshold; i < s.failures && d < l.p.MaxLock; i++ {
			d *= 2
		}
		s.lockedUntil = now.Add(min(d, l.p.MaxLock))
	}
}

// Success clears the key's history.
func (l *Lockout) Success(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.m, key)
}

func (l *Lockout) sweep(now time.Time) {
	if len(l.m) < maxTracked {
		return
	}
	for k, s := range l.m {
		if !now.Before(s.lockedUntil) && now.Sub(s.last) > l.p.ResetAfter {
			delete(l.m, k)
		}
	}
}

// RateConfig configures a token-bucket Limiter (#12).
type RateConfig struct {
	Burst int           // bucket size
	Every time.Duration // one token refills per Every, when there are no failures
	// Each recorded failure doubles the refill interval, up to
	// 2^MaxPenalty, so the limit tightens while an attack goes on.
	MaxPenalty int
	// PenaltyDecay: failures stop counting after this quiet period.
	PenaltyDecay time.Duration
}

// DefaultIPRate and DefaultUserRate are the production login limits.
var (
	DefaultIPRate   = RateConfig{Burst: 20, Every: 3 * time.Second, MaxPenalty: 6, PenaltyDecay: 15 * time.Minute}
	DefaultUserRate = RateConfig{Burst: 10, Every: 6 * time.Second, MaxPenalty: 6, PenaltyDecay: 15 * time.Minute}
)

type bucket struct {
	tokens     float64
	last       time.Time
	strikes    int
	lastStrike time.Time
}

// Limiter is a per-key token bucket whose refill slows with failures.
type Limiter struct {
	mu    sync.Mutex
	cfg   RateConfig
	clock Clock
	m     map[string]*bucket
}

// NewLimiter returns a Limiter with cfg and clock c.
func NewLimiter(cfg RateConfig, c Clock) *Limiter {
	return &Limiter{cfg: cfg, clock: c, m: map[string]*bucket{}}
}

func (l *Limiter) get(key string, now time.Time) *bucket {
	b := l.m[key]
	if b == nil {
		if len(l.m) >= maxTracked {
			for k, o := range l.m {
				if now.Sub(o.last) > l.cfg.PenaltyDecay {
					delete(l.m, k)
				}
			}
		}
		b = &bucket{tokens: float64(l.cfg.Burst), last: now}
		l.m[key] = b
		return b
	}
	if b.strikes > 0 && now.Sub(b.lastStrike) >= l.cfg.PenaltyDecay {
		b.strikes = 0
	}
	if el := now.Sub(b.last); el > 0 {
		b.tokens = min(float64(l.cfg.Burst), b.tokens+float64(el)/float64(l.interval(b)))
		b.last = now
	}
	return b
}

func (l *Limiter) interval(b *bucket) time.Duration {
	return l.cfg.Every << min(b.strikes, l.cfg.MaxPenalty)
}

// Allow takes one token for key or returns a *RetryError wrapping
// ErrRateLimited with the time until the next token.
func (l *Limiter) Allow(key string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.now()
	b := l.get(key, now)
	if b.tokens >= 1 {
		b.tokens--
		return nil
	}
	wait := time.Duration((1 - b.tokens) * float64(l.interval(b)))
	return &RetryError{Err: ErrRateLimited, RetryAfter: wait}
}

// Failure records a failed attempt for key, slowing its refill.
func (l *Limiter) Failure(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.now()
	b := l.get(key, now)
	b.strikes++
	b.lastStrike = now
}

// Reset forgets key (after a successful login for the per-user limiter;
// never for the per-IP one, where an attacker could reset it with their
// own valid account).
func (l *Limiter) Reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.m, key)
}
