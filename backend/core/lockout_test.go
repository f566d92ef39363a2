package core

import (
	"errors"
	"testing"
	"time"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/backend/secret"
)

// security checklist #10 and #11: lockout after 5 failures with growing
// back-off, persisted across restarts, per account; unknown users get the
// same answers as known ones.
func TestLockoutAndBackoff(t *testing.T) {
	e := newEnv(t)
	c, s, _ := e.initAdmin(t)
	if _, err := s.AddUser(ctx, "bob", identity.Clerk, secret.NewPassword("bob's password 1")); err != nil {
		t.Fatal(err)
	}
	s.Lock()
	bad := secret.NewPassword("not the password")
	for i := 1; i < MaxFailures; i++ {
		if _, err := c.Unlock(ctx, "alice", bad); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("failure %d: %v", i, err)
		}
	}
	_, err := c.Unlock(ctx, "alice", bad)
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Code != apperr.Locked || ae.RetryAfter != LockoutBase {
		t.Fatalf("5th failure: %v", err)
	}
	// Even the right password is refused while locked, and a restart does not reset it.
	c.Close()
	c = e.open(t)
	if _, err := c.Unlock(ctx, "alice", secret.NewPassword(adminPW)); apperr.CodeOf(err) != apperr.Locked {
		t.Fatalf("right password while locked: %v", err)
	}
	// Other accounts are unaffected.
	if _, err := c.Unlock(ctx, "bob", secret.NewPassword("bob's password 1")); err != nil {
		t.Fatalf("bob locked out by alice's failures: %v", err)
	}
	// After the lock expires, one more failure locks for twice as long.
	e.clock.Advance(LockoutBase + time.Second)
	_, err = c.Unlock(ctx, "alice", bad)
	if !errors.As(err, &ae) || ae.Code != apperr.Locked || ae.RetryAfter != 2*LockoutBase {
		t.Fatalf("6th failure: %v", err)
	}
	e.clock.Advance(2*LockoutBase + time.Second)
	if _, err := c.Unlock(ctx, "alice", secret.NewPassword(adminPW)); err != nil {
		t.Fatalf("after back-off: %v", err)
	}
	// Success resets the counter.
	if _, err := c.Unlock(ctx, "alice", bad); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("counter not reset: %v", err)
	}
}

func TestUnknownUserLooksLikeWrongPassword(t *testing.T) {
	e := newEnv(t)
	c, s, _ := e.initAdmin(t)
	s.Lock()
	_, errUnknown := c.Unlock(ctx, "mallory", secret.NewPassword("whatever password"))
	_, errWrong := c.Unlock(ctx, "alice", secret.NewPassword("whatever password"))
	cu, mu, _ := apperr.Public(errUnknown)
	cw, mw, _ := apperr.Public(errWrong)
	if cu != cw || mu != mw || cu != apperr.Forbidden {
		t.Fatalf("unknown user %s %q vs wrong password %s %q", cu, mu, cw, mw)
	}
	for i := 0; i < MaxFailures; i++ {
		_, errUnknown = c.Unlock(ctx, "mallory", secret.NewPassword("whatever password"))
	}
	if apperr.CodeOf(errUnknown) != apperr.Locked {
		t.Fatalf("unknown names must lock out like known ones: %v", errUnknown)
	}
}

func TestBackoffGrowsAndCaps(t *testing.T) {
	for _, tc := range []struct {
		failures int
		want     time.Duration
	}{{4, 0}, {5, 30 * time.Second}, {6, time.Minute}, {7, 2 * time.Minute}, {12, 64 * time.Minute / 1}, {40, time.Hour}} {
		want := min(tc.want, LockoutMax)
		if got := lockoutFor(tc.failures); got != want {
			t.Errorf("lockoutFor(%d) = %v, want %v", tc.failures, got, want)
		}
	}
}
