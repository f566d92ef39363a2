package authapi_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/sync/auth"
	"github.com/smartap/desktop/sync/httpapi"
	"github.com/smartap/desktop/sync/server/authapi"
	"github.com/smartap/desktop/sync/server/events"
)

// #16: refresh rotates; presenting a spent token whose successor was used
// is reuse: 401, the whole family dies (the newer tokens too), and a
// refresh_reuse event is recorded for the user's team and delivered live.
// (A retry whose successor is unused is the reuse grace: sync/auth.)
func TestRefreshRotationAndReuse(t *testing.T) {
	e := newEnv(t, nil)
	e.addUser("anna", "team-a", identity.Clerk)
	live, cancel := e.bus.Subscribe("team-a")
	defer cancel()
	rt1 := e.login("anna", password, "dev-1", ip1).tokens(t).RefreshToken
	tk2 := e.refresh(rt1, ip1).tokens(t)
	if tk2.RefreshToken == rt1 || tk2.User != "anna" {
		t.Fatalf("refresh did not rotate: %+v", tk2)
	}
	if _, err := e.access.Verify(ctx, tk2.AccessToken); err != nil {
		t.Fatalf("refreshed access token: %v", err)
	}
	tk3 := e.refresh(tk2.RefreshToken, ip1).tokens(t)
	wantStatus(t, e.refresh(rt1, ip1), http.StatusUnauthorized, httpapi.CodeUnauthorized)
	wantStatus(t, e.refresh(tk3.RefreshToken, ip1), http.StatusUnauthorized, httpapi.CodeUnauthorized)
	got := e.events(events.RefreshReuse)
	if len(got) != 1 || got[0].User != "anna" || got[0].Team != "team-a" {
		t.Fatalf("reuse events %+v", got)
	}
	if strings.Contains(got[0].Detail, rt1[len(auth.RefreshPrefix):]) {
		t.Fatal("the event carries the token")
	}
	select {
	case ev := <-live:
		if ev.Kind != events.RefreshReuse {
			t.Fatalf("live event %+v", ev)
		}
	default:
		t.Fatal("reuse event not delivered live")
	}
}

// #15: an access token on the refresh endpoint and junk are refused.
func TestRefreshRefusesOtherTokens(t *testing.T) {
	e := newEnv(t, nil)
	e.addUser("anna", "team-a", identity.Clerk)
	tk := e.login("anna", password, "dev-1", ip1).tokens(t)
	for name, tok := range map[string]string{
		"access token":       tk.AccessToken,
		"junk":               "not-a-token",
		"unknown rt":         auth.RefreshPrefix + strings.Repeat("A", 43),
		"truncated rt":       tk.RefreshToken[:len(tk.RefreshToken)-1],
		"refresh as logout?": "",
	} {
		a := e.refresh(tok, ip2)
		if tok == "" {
			wantStatus(t, a, http.StatusBadRequest, httpapi.CodeInvalidInput)
			continue
		}
		if a.status != http.StatusUnauthorized {
			t.Fatalf("%s: status %d, want 401", name, a.status)
		}
	}
	// #15 the other way: the refresh token is not an access token.
	if _, err := e.access.Verify(ctx, tk.RefreshToken); !errors.Is(err, auth.ErrTokenType) {
		t.Fatalf("refresh token as access token: %v", err)
	}
	e.refresh(tk.RefreshToken, ip1).tokens(t) // the refusals above did not spend it
}

// #17: logout revokes at once; the absolute lifetime ends a family even
// when it keeps rotating.
func TestLogoutAndLifetime(t *testing.T) {
	e := newEnv(t, func(c *authapi.Config) {
		c.IdleTTL, c.AbsoluteTTL = time.Hour, 3*time.Hour
	})
	e.addUser("anna", "team-a", identity.Clerk)
	rt := e.login("anna", password, "dev-1", ip1).tokens(t).RefreshToken
	a := e.post(httpapi.PathLogout, ip1, httpapi.RefreshRequest{RefreshToken: rt})
	wantStatus(t, a, http.StatusNoContent, "")
	wantStatus(t, e.refresh(rt, ip1), http.StatusUnauthorized, httpapi.CodeUnauthorized)
	wantStatus(t, e.post(httpapi.PathLogout, ip1, httpapi.RefreshRequest{RefreshToken: "junk"}),
		http.StatusUnauthorized, httpapi.CodeUnauthorized)

	rt = e.login("anna", password, "dev-1", ip1).tokens(t).RefreshToken
	for range 3 { // rotate within the idle limit, up to 2h30m of the 3h
		e.clock.Advance(50 * time.Minute)
		rt = e.refresh(rt, ip1).tokens(t).RefreshToken
	}
	e.clock.Advance(31 * time.Minute) // idle limit not reached, absolute one is
	wantStatus(t, e.refresh(rt, ip1), http.StatusUnauthorized, httpapi.CodeUnauthorized)
	rt = e.login("anna", password, "dev-1", ip1).tokens(t).RefreshToken
	e.clock.Advance(61 * time.Minute) // idle limit
	wantStatus(t, e.refresh(rt, ip1), http.StatusUnauthorized, httpapi.CodeUnauthorized)
}

// #17, #21: disabling a user revokes every session at once: refresh
// tokens of all families and live access tokens; login is refused.
func TestDisableRevokesEverything(t *testing.T) {
	e := newEnv(t, nil)
	e.addUser("anna", "team-a", identity.Clerk)
	tk1 := e.login("anna", password, "dev-1", ip1).tokens(t)
	tk2 := e.login("anna", password, "dev-2", ip1).tokens(t)
	n, err := authapi.DisableUser(ctx, e.store, e.bus, "anna", "admin-1", e.clock.Now())
	if err != nil || n != 2 {
		t.Fatalf("DisableUser = %d, %v; want 2 families revoked", n, err)
	}
	for _, tk := range []string{tk1.RefreshToken, tk2.RefreshToken} {
		wantStatus(t, e.refresh(tk, ip1), http.StatusUnauthorized, httpapi.CodeUnauthorized)
	}
	if _, err := e.access.Verify(ctx, tk1.AccessToken); !errors.Is(err, auth.ErrRevoked) {
		t.Fatalf("access token after disable: %v, want revoked", err)
	}
	wantStatus(t, e.login("anna", password, "dev-1", ip1), http.StatusUnauthorized, httpapi.CodeUnauthorized)
	if got := e.events(events.UserDisabled); len(got) != 1 || got[0].User != "anna" || got[0].Team != "team-a" {
		t.Fatalf("disable events %+v", got)
	}
}

// A family that survived a disable (e.g. the revoke step failed) is still
// refused at refresh, because refresh re-reads the account.
func TestRefreshChecksDisabledAccount(t *testing.T) {
	e := newEnv(t, nil)
	e.addUser("anna", "team-a", identity.Clerk)
	rt := e.login("anna", password, "dev-1", ip1).tokens(t).RefreshToken
	if _, err := e.store.Disable(ctx, "anna"); err != nil { // store only: families untouched
		t.Fatal(err)
	}
	wantStatus(t, e.refresh(rt, ip1), http.StatusUnauthorized, httpapi.CodeUnauthorized)
}

// #21: a role change kills access tokens issued before it; the next
// refresh carries the new role.
func TestRoleChange(t *testing.T) {
	e := newEnv(t, nil)
	e.addUser("anna", "team-a", identity.Approver)
	tk := e.login("anna", password, "dev-1", ip1).tokens(t)
	if err := authapi.SetRole(ctx, e.store, e.bus, "anna", identity.Clerk, "admin-1", e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := e.access.Verify(ctx, tk.AccessToken); !errors.Is(err, auth.ErrRevoked) {
		t.Fatalf("old access token after role change: %v", err)
	}
	tk2 := e.refresh(tk.RefreshToken, ip1).tokens(t)
	c, err := e.access.Verify(ctx, tk2.AccessToken)
	if err != nil || c.Role != identity.Clerk || tk2.Role != "clerk" {
		t.Fatalf("refreshed token role %q (%v), body role %q; want clerk", c.Role, err, tk2.Role)
	}
	if got := e.events(events.RoleChanged); len(got) != 1 {
		t.Fatalf("role events %+v", got)
	}
}

// #12 on refresh: refused tokens tighten the address's refresh limit.
func TestRefreshRateLimit(t *testing.T) {
	e := newEnv(t, func(c *authapi.Config) {
		c.RefreshRate = auth.RateConfig{Burst: 2, Every: 10 * time.Second, MaxPenalty: 6, PenaltyDecay: time.Hour}
	})
	for range 2 {
		wantStatus(t, e.refresh("junk", ip1), http.StatusUnauthorized, "")
	}
	a := e.refresh("junk", ip1)
	wantStatus(t, a, http.StatusTooManyRequests, httpapi.CodeRateLimited)
	if a.header.Get("Retry-After") != "40" { // 10 s doubled by two failures
		t.Fatalf("Retry-After %q, want 40", a.header.Get("Retry-After"))
	}
}
