package authapi_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/sync/auth"
	"github.com/smartap/desktop/sync/httpapi"
	"github.com/smartap/desktop/sync/server/authapi"
	"github.com/smartap/desktop/sync/server/events"
	"github.com/smartap/desktop/sync/serverstore"
)

const ip1, ip2 = "192.0.2.1", "192.0.2.2"

func TestLoginIssuesWorkingTokens(t *testing.T) {
	e := newEnv(t, nil)
	e.addUser("anna", "team-a", identity.Approver)
	tk := e.login("Anna ", password, "dev-1", ip1).tokens(t) // names are case- and space-folded
	if tk.User != "anna" || tk.Team != "team-a" || tk.Role != "approver" || tk.ExpiresIn != int64(auth.DefaultTTL/time.Second) {
		t.Fatalf("tokens = %+v", tk)
	}
	if !strings.HasPrefix(tk.RefreshToken, auth.RefreshPrefix) {
		t.Fatalf("refresh token %q lacks the refresh prefix", tk.RefreshToken)
	}
	c, err := e.access.Verify(ctx, tk.AccessToken)
	if err != nil || c.Subject != "anna" || c.Team != "team-a" || c.Role != identity.Approver {
		t.Fatalf("access token: %+v, %v", c, err)
	}
	// #13: the header names EdDSA and the access-token type, nothing else.
	hdr, _ := base64.RawURLEncoding.DecodeString(strings.Split(tk.AccessToken, ".")[0])
	var h map[string]string
	if err := json.Unmarshal(hdr, &h); err != nil || h["alg"] != "EdDSA" || h["typ"] != "at+jwt" || len(h) != 3 {
		t.Fatalf("token header %s", hdr)
	}
}

// Security checklist #11: unknown user, wrong password and a disabled
// account get byte-identical answers, and the unknown user costs a bcrypt
// comparison like the others (auth.Passwords.VerifyUnknown).
func TestSameAnswerForUnknownUserAndWrongPassword(t *testing.T) {
	e := newEnv(t, nil)
	e.addUser("anna", "team-a", identity.Clerk)
	e.addUser("dora", "team-a", identity.Clerk)
	if _, err := e.store.Disable(ctx, "dora"); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ name, user, pw string }{
		{"wrong password", "anna", "wrong password!"},
		{"unknown user", "nobody", "wrong password!"},
		{"disabled user, right password", "dora", password},
	}
	var first answer
	for i, c := range cases {
		a := e.login(c.user, c.pw, "dev-1", ip1)
		wantStatus(t, a, http.StatusUnauthorized, httpapi.CodeUnauthorized)
		if i == 0 {
			first = a
			continue
		}
		if !bytes.Equal(a.body, first.body) || a.header.Get("Content-Type") != first.header.Get("Content-Type") {
			t.Fatalf("%s: answer %q differs from %q", c.name, a.body, first.body)
		}
	}
}

// #10: lockout after Threshold failures, with Retry-After; the lock
// doubles on further failures; other accounts are unaffected; the right
// password works again once the lock has passed.
func TestLockoutWithBackoff(t *testing.T) {
	e := newEnv(t, func(c *authapi.Config) {
		c.Lockout = auth.LockoutPolicy{Threshold: 3, BaseLock: time.Minute, MaxLock: time.Hour, ResetAfter: time.Hour}
	})
	e.addUser("anna", "team-a", identity.Clerk)
	e.addUser("ben", "team-a", identity.Clerk)
	for range 3 {
		wantStatus(t, e.login("anna", "wrong", "dev-1", ip1), http.StatusUnauthorized, httpapi.CodeUnauthorized)
	}
	a := e.login("anna", password, "dev-1", ip1)
	wantStatus(t, a, http.StatusTooManyRequests, httpapi.CodeLocked)
	if got := a.header.Get("Retry-After"); got != "60" {
		t.Fatalf("Retry-After %q, want 60", got)
	}
	e.login("ben", password, "dev-1", ip2).tokens(t) // another account is not locked
	e.clock.Advance(61 * time.Second)
	// One more failure after the lock: the next lock is twice as long.
	wantStatus(t, e.login("anna", "wrong", "dev-1", ip1), http.StatusUnauthorized, httpapi.CodeUnauthorized)
	a = e.login("anna", password, "dev-1", ip1)
	wantStatus(t, a, http.StatusTooManyRequests, httpapi.CodeLocked)
	if got := a.header.Get("Retry-After"); got != "120" {
		t.Fatalf("Retry-After after a further failure %q, want 120", got)
	}
	e.clock.Advance(121 * time.Second)
	e.login("anna", password, "dev-1", ip1).tokens(t)
}

// #12: per-address and per-user limits answer 429 rate_limited with
// Retry-After; failures make the address's refill slower (the limit
// tightens while failures keep coming); time restores it.
func TestRateLimitsTighten(t *testing.T) {
	rate := auth.RateConfig{Burst: 3, Every: 10 * time.Second, MaxPenalty: 6, PenaltyDecay: time.Hour}
	e := newEnv(t, func(c *authapi.Config) {
		c.IPRate = rate
		c.UserRate = auth.RateConfig{Burst: 100, Every: time.Second, MaxPenalty: 1, PenaltyDecay: time.Hour}
		c.Lockout = auth.LockoutPolicy{Threshold: 100, BaseLock: time.Second, MaxLock: time.Second, ResetAfter: time.Hour}
	})
	e.addUser("anna", "team-a", identity.Clerk)
	// Address 1 only succeeds: the 4th request waits one plain interval.
	for range 3 {
		e.login("anna", password, "dev-1", ip1).tokens(t)
	}
	a := e.login("anna", password, "dev-1", ip1)
	wantStatus(t, a, http.StatusTooManyRequests, httpapi.CodeRateLimited)
	calm := a.header.Get("Retry-After")
	// Address 2 only fails: three strikes make the interval 2^3 times longer.
	for range 3 {
		wantStatus(t, e.login("anna", "wrong", "dev-1", ip2), http.StatusUnauthorized, "")
	}
	a = e.login("anna", password, "dev-1", ip2)
	wantStatus(t, a, http.StatusTooManyRequests, httpapi.CodeRateLimited)
	if calm != "10" || a.header.Get("Retry-After") != "80" {
		t.Fatalf("Retry-After %s after successes and %s after failures; want 10 and 80", calm, a.header.Get("Retry-After"))
	}
	e.clock.Advance(10 * time.Second)
	e.login("anna", password, "dev-1", ip1).tokens(t)
	wantStatus(t, e.login("anna", password, "dev-1", ip2), http.StatusTooManyRequests, httpapi.CodeRateLimited)
	e.clock.Advance(70 * time.Second)
	e.login("anna", password, "dev-1", ip2).tokens(t)
}

func TestPerUserRateLimitAcrossAddresses(t *testing.T) {
	e := newEnv(t, func(c *authapi.Config) {
		c.UserRate = auth.RateConfig{Burst: 2, Every: time.Minute, MaxPenalty: 6, PenaltyDecay: time.Hour}
		c.Lockout = auth.LockoutPolicy{Threshold: 100, BaseLock: time.Second, MaxLock: time.Second, ResetAfter: time.Hour}
	})
	e.addUser("anna", "team-a", identity.Clerk)
	for _, ip := range []string{"198.51.100.1", "198.51.100.2"} {
		wantStatus(t, e.login("anna", "wrong", "dev-1", ip), http.StatusUnauthorized, "")
	}
	a := e.login("anna", password, "dev-1", "198.51.100.3")
	wantStatus(t, a, http.StatusTooManyRequests, httpapi.CodeRateLimited)
	if a.header.Get("Retry-After") == "" {
		t.Fatal("no Retry-After")
	}
	e.clock.Advance(time.Hour)
	e.login("anna", password, "dev-1", "198.51.100.3").tokens(t)
}

func TestNewDeviceEvent(t *testing.T) {
	e := newEnv(t, nil)
	e.addUser("anna", "team-a", identity.Clerk)
	live, cancel := e.bus.Subscribe("team-a")
	defer cancel()
	e.login("anna", password, "dev-1", ip1).tokens(t) // the first device of an account is not news
	e.login("anna", password, "dev-1", ip1).tokens(t)
	if got := e.events(events.NewDevice); len(got) != 0 {
		t.Fatalf("events after the first device: %+v", got)
	}
	e.login("anna", password, "dev-2", ip2).tokens(t)
	got := e.events(events.NewDevice)
	if len(got) != 1 || got[0].User != "anna" || got[0].Team != "team-a" || got[0].Device != "dev-2" || got[0].IP != ip2 {
		t.Fatalf("new-device events %+v", got)
	}
	select {
	case ev := <-live:
		if ev.Kind != events.NewDevice {
			t.Fatalf("live event %+v", ev)
		}
	default:
		t.Fatal("the new-device event was not delivered live to the team's subscribers")
	}
}

func TestFailureBurstEvent(t *testing.T) {
	e := newEnv(t, func(c *authapi.Config) {
		c.Burst = authapi.BurstPolicy{Failures: 3, Window: time.Minute}
		c.Lockout = auth.LockoutPolicy{Threshold: 2, BaseLock: time.Second, MaxLock: time.Second, ResetAfter: time.Hour}
	})
	e.addUser("anna", "team-a", identity.Clerk)
	// Wrong, wrong, then locked: all three count; a fourth adds nothing.
	for range 4 {
		e.login("anna", "wrong", "dev-1", ip1)
	}
	got := e.events(events.FailureBurst)
	if len(got) != 2 {
		t.Fatalf("failure-burst events %+v, want one for the user and one for the address", got)
	}
	if got[0].User != "anna" || got[0].Team != "team-a" || got[1].User != "" || got[1].IP != ip1 {
		t.Fatalf("failure-burst events %+v", got)
	}
	// A new window raises new events (user and address again).
	e.clock.Advance(2 * time.Minute)
	for range 3 {
		e.login("anna", "wrong", "dev-1", ip1)
	}
	if n := len(e.events(events.FailureBurst)); n != 4 {
		t.Fatalf("%d burst events after a second window, want 4", n)
	}
}

// A burst against a name that does not exist is recorded without the
// name: guesses (or a password typed as user name) stay out of the log.
func TestFailureBurstUnknownUserKeepsNoName(t *testing.T) {
	e := newEnv(t, func(c *authapi.Config) {
		c.Burst = authapi.BurstPolicy{Failures: 2, Window: time.Minute}
	})
	for range 2 {
		e.login("Secret-Typed-As-Name", "x", "dev-1", ip1)
	}
	for _, ev := range e.events(events.FailureBurst) {
		if ev.User != "" || strings.Contains(strings.ToLower(ev.Detail), "secret-typed") {
			t.Fatalf("event keeps the guessed name: %+v", ev)
		}
	}
	if n := len(e.events(events.FailureBurst)); n != 2 {
		t.Fatalf("%d events, want 2 (user key and address)", n)
	}
}

func TestAPIKeyLogin(t *testing.T) {
	e := newEnv(t, nil)
	_, err := e.store.CreateUser(ctx, serverstore.User{Name: "svc-erp", Team: "team-a", Role: identity.Clerk, PasswordHash: "!api-key-only"})
	if err != nil {
		t.Fatal(err)
	}
	key, rec, err := serverstore.NewAPIKey("svc-erp")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.store.CreateAPIKey(ctx, rec); err != nil {
		t.Fatal(err)
	}
	loginKey := func(user, k string) answer {
		return e.post(httpapi.PathLogin, ip1, httpapi.LoginRequest{User: user, APIKey: k, Device: "erp-host"})
	}
	tk := loginKey("", key).tokens(t)
	if tk.User != "svc-erp" || tk.Team != "team-a" || tk.Role != "clerk" {
		t.Fatalf("api key tokens %+v", tk)
	}
	loginKey("svc-erp", key).tokens(t)
	forged := key[:len(key)-2] + "AA"
	if forged == key {
		forged = key[:len(key)-2] + "BA"
	}
	cases := []struct{ name, user, key string }{
		{"wrong secret, right id", "", forged},
		{"malformed", "", "sak_nothing"},
		{"other user named", "anna", key},
	}
	for _, c := range cases {
		wantStatus(t, loginKey(c.user, c.key), http.StatusUnauthorized, httpapi.CodeUnauthorized)
	}
	// No password opens a service account.
	wantStatus(t, e.login("svc-erp", "!api-key-only", "dev-1", ip1), http.StatusUnauthorized, httpapi.CodeUnauthorized)
	if err := e.store.RevokeAPIKey(ctx, rec.ID, e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, loginKey("", key), http.StatusUnauthorized, httpapi.CodeUnauthorized)
}

// #7: hashes made by the production hasher carry cost 12 and a fresh salt.
func TestProductionHashCost(t *testing.T) {
	if testing.Short() {
		t.Skip("two cost-12 hashes")
	}
	h1, err := passwords().Hash(password)
	if err != nil {
		t.Fatal(err)
	}
	h2, err := passwords().Hash(password)
	if err != nil {
		t.Fatal(err)
	}
	cost, err := bcrypt.Cost([]byte(h1))
	if err != nil || cost != 12 || h1 == h2 {
		t.Fatalf("cost %d (%v), equal hashes %v", cost, err, h1 == h2)
	}
	if err := passwords().Verify(h1, password); err != nil {
		t.Fatal(err)
	}
}
