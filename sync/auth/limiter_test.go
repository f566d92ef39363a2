package auth

import (
	"context"
	"errors"
	"testing"
	"time"
)

func wantRetry(t *testing.T, err, kind error, after time.Duration) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Fatalf("err = %v, want %v", err, kind)
	}
	if d, ok := RetryAfter(err); !ok || d != after {
		t.Fatalf("RetryAfter = %v, %v; want %v", d, ok, after)
	}
}

// security checklist #10: N failures lock with Retry-After, back-off
// grows and is capped, other accounts are unaffected, success resets.
func TestLockout(t *testing.T) {
	clk := newFakeClock()
	l := NewLockout(LockoutPolicy{Threshold: 3, BaseLock: time.Minute, MaxLock: 4 * time.Minute, ResetAfter: time.Hour}, clk.Now)
	for i := range 2 {
		l.Failure("alice")
		if err := l.Check("alice"); err != nil {
			t.Fatalf("locked after %d failures: %v", i+1, err)
		}
	}
	steps := []struct {
		wait time.Duration // before the failure
		lock time.Duration // resulting lock
	}{
		{0, time.Minute},
		{time.Minute, 2 * time.Minute},
		{2 * time.Minute, 4 * time.Minute},
		{4 * time.Minute, 4 * time.Minute}, // capped: lockout-DoS cannot lock for good
	}
	for i, s := range steps {
		clk.Advance(s.wait)
		if err := l.Check("alice"); err != nil {
			t.Fatalf("step %d: still locked after the lock expired: %v", i, err)
		}
		l.Failure("alice")
		wantRetry(t, l.Check("alice"), ErrLocked, s.lock)
		if err := l.Check("bob"); err != nil {
			t.Fatalf("other account affected: %v", err)
		}
	}
	clk.Advance(30 * time.Second)
	wantRetry(t, l.Check("alice"), ErrLocked, 4*time.Minute-30*time.Second)

	clk.Advance(4 * time.Minute)
	l.Success("alice")
	l.Failure("alice")
	if err := l.Check("alice"); err != nil {
		t.Fatalf("success did not reset the count: %v", err)
	}
	// Failures spread beyond ResetAfter never add up to a lock.
	l2 := NewLockout(LockoutPolicy{Threshold: 2, BaseLock: time.Minute, MaxLock: time.Hour, ResetAfter: time.Hour}, clk.Now)
	l2.Failure("carol")
	clk.Advance(2 * time.Hour)
	l2.Failure("carol")
	if err := l2.Check("carol"); err != nil {
		t.Fatalf("stale failure counted: %v", err)
	}
}

// security checklist #12: burst past the limit → rate limited with
// Retry-After, the clock refills it, failures tighten it, keys independent.
func TestLimiter(t *testing.T) {
	cfg := RateConfig{Burst: 3, Every: time.Second, MaxPenalty: 3, PenaltyDecay: time.Minute}
	tests := []struct {
		name      string
		failures  int
		wantRetry time.Duration
	}{
		{"no failures", 0, time.Second},
		{"one failure doubles", 1, 2 * time.Second},
		{"two failures", 2, 4 * time.Second},
		{"capped at 2^MaxPenalty", 10, 8 * time.Second},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clk := newFakeClock()
			l := NewLimiter(cfg, clk.Now)
			for range tc.failures {
				l.Failure("1.2.3.4")
			}
			for i := range cfg.Burst {
				if err := l.Allow("1.2.3.4"); err != nil {
					t.Fatalf("request %d: %v", i, err)
				}
			}
			wantRetry(t, l.Allow("1.2.3.4"), ErrRateLimited, tc.wantRetry)
			if err := l.Allow("5.6.7.8"); err != nil {
				t.Fatalf("other key limited: %v", err)
			}
			clk.Advance(tc.wantRetry)
			if err := l.Allow("1.2.3.4"); err != nil {
				t.Fatalf("not refilled after Retry-After: %v", err)
			}
		})
	}
	t.Run("penalty decays", func(t *testing.T) {
		clk := newFakeClock()
		l := NewLimiter(cfg, clk.Now)
		for range 5 {
			l.Failure("k")
		}
		clk.Advance(time.Minute)
		for range cfg.Burst {
			_ = l.Allow("k")
		}
		wantRetry(t, l.Allow("k"), ErrRateLimited, time.Second)
	})
}

type authFixture struct {
	clk  *fakeClock
	a    *Authenticator
	seen []string // hashes compared, to prove the dummy is used
}

func newAuthFixture(t *testing.T) *authFixture {
	t.Helper()
	f := &authFixture{clk: newFakeClock()}
	p := newPasswords(t)
	inner := p.compare
	p.compare = func(h, pw []byte) error {
		f.seen = append(f.seen, string(h))
		return inner(h, pw)
	}
	hash, err := p.Hash("right password")
	if err != nil {
		t.Fatal(err)
	}
	accounts := map[string]Account{
		"alice": {UserID: "u-alice", Role: "clerk", PasswordHash: hash},
		"dave":  {UserID: "u-dave", Role: "clerk", PasswordHash: hash, Disabled: true},
	}
	f.a = &Authenticator{
		Passwords: p,
		Lockout:   NewLockout(LockoutPolicy{Threshold: 3, BaseLock: time.Minute, MaxLock: time.Hour, ResetAfter: time.Hour}, f.clk.Now),
		PerIP:     NewLimiter(RateConfig{Burst: 100, Every: time.Second, MaxPenalty: 4, PenaltyDecay: time.Hour}, f.clk.Now),
		PerUser:   NewLimiter(RateConfig{Burst: 50, Every: time.Second, MaxPenalty: 4, PenaltyDecay: time.Hour}, f.clk.Now),
		Lookup: func(_ context.Context, u string) (Account, error) {
			if a, ok := accounts[u]; ok {
				return a, nil
			}
			return Account{}, ErrNotFound
		},
	}
	return f
}

// security checklist #11: unknown user, wrong password and disabled
// account give the identical error, and unknown users cost a bcrypt compare
// against the dummy hash.
func TestAuthenticateSameAnswer(t *testing.T) {
	f := newAuthFixture(t)
	ctx := context.Background()
	tests := []struct{ name, user, pw string }{
		{"wrong password", "alice", "wrong"},
		{"unknown user", "mallory", "wrong"},
		{"disabled account, right password", "dave", "right password"},
		{"empty user", "", "x"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f.seen = nil
			_, err := f.a.Authenticate(ctx, tc.user, tc.pw, "10.0.0.1")
			if err != ErrInvalidCredentials { //nolint:errorlint // identity, not just Is: the very same value
				t.Fatalf("err = %v, want exactly ErrInvalidCredentials", err)
			}
			if len(f.seen) != 1 {
				t.Fatalf("%d bcrypt compares, want 1", len(f.seen))
			}
			if tc.user == "mallory" && f.seen[0] != string(f.a.Passwords.dummy) {
				t.Fatal("unknown user not compared against the dummy hash")
			}
		})
	}
	if a, err := f.a.Authenticate(ctx, " Alice ", "right password", "10.0.0.1"); err != nil || a.UserID != "u-alice" {
		t.Fatalf("good login: %+v, %v", a, err)
	}
}

// security checklist #10, #11, #12 end to end: a lock applies to unknown
// names the same way, case variants share it, and the IP limit tightens.
func TestAuthenticateLockAndLimit(t *testing.T) {
	f := newAuthFixture(t)
	ctx := context.Background()
	for _, user := range []string{"alice", "ghost"} {
		for range 3 {
			_, _ = f.a.Authenticate(ctx, user, "wrong", "10.0.0.2")
		}
		_, err := f.a.Authenticate(ctx, user, "right password", "10.0.0.2")
		wantRetry(t, err, ErrLocked, time.Minute)
	}
	_, err := f.a.Authenticate(ctx, "ALICE", "right password", "10.0.0.3")
	wantRetry(t, err, ErrLocked, time.Minute)
	f.clk.Advance(time.Minute)
	if _, err := f.a.Authenticate(ctx, "alice", "right password", "10.0.0.3"); err != nil {
		t.Fatalf("after lock expiry: %v", err)
	}

	// Password spraying from one IP at one try a second: without failures
	// the bucket (burst 100, 1/s) would never run dry; failures slow the
	// refill to 1/16 s, so it does.
	ip := "10.9.9.9"
	limited := 0
	for i := range 150 {
		_, err := f.a.Authenticate(ctx, "spray"+string(rune('a'+i%26)), "x", ip)
		if errors.Is(err, ErrRateLimited) {
			limited++
		}
		f.clk.Advance(time.Second)
	}
	if limited == 0 {
		t.Fatal("IP never rate limited under spraying")
	}
	if _, err := f.a.Authenticate(ctx, "alice", "right password", "10.0.0.4"); err != nil {
		t.Fatalf("other IP affected: %v", err)
	}
}
