package auth

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"log/slog"
	"math/bits"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

type refreshFixture struct {
	clk    *fakeClock
	store  *MemStore
	r      *Refresher
	mu     sync.Mutex
	events []SecurityEvent
}

func newRefreshFixture(t *testing.T) *refreshFixture {
	t.Helper()
	f := &refreshFixture{clk: newFakeClock(), store: NewMemStore()}
	var err error
	f.r, err = NewRefresher(RefreshConfig{
		Store: f.store, Clock: f.clk.Now, IdleTTL: 4 * time.Hour, AbsoluteTTL: 10 * time.Hour,
		OnEvent: func(e SecurityEvent) { f.mu.Lock(); f.events = append(f.events, e); f.mu.Unlock() },
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *refreshFixture) start(t *testing.T, user string) Issued {
	t.Helper()
	is, err := f.r.Start(context.Background(), user)
	if err != nil {
		t.Fatal(err)
	}
	return is
}

func wantErrIs(t *testing.T, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("err = %v, want %v", err, want)
	}
}

// security checklist #16: RT1 → RT2; reusing RT1 revokes the family, so RT2
// dies too, and a security event is raised.
func TestRefreshRotationAndReuse(t *testing.T) {
	f := newRefreshFixture(t)
	ctx := context.Background()
	rt1 := f.start(t, "u1")
	other := f.start(t, "u1") // a second device: must survive
	rt2, err := f.r.Refresh(ctx, rt1.Token)
	if err != nil {
		t.Fatal(err)
	}
	if rt2.Token == rt1.Token || rt2.FamilyID != rt1.FamilyID || rt2.UserID != "u1" {
		t.Fatalf("rotation: %v → %v", rt1, rt2)
	}
	// RT2 was used, so RT1 coming back is reuse (even within the grace).
	rt3, err := f.r.Refresh(ctx, rt2.Token)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.r.Refresh(ctx, rt1.Token)
	wantErrIs(t, err, ErrReuse)
	_, err = f.r.Refresh(ctx, rt3.Token)
	wantErrIs(t, err, ErrRevoked)
	if len(f.events) != 1 || f.events[0] != (SecurityEvent{Kind: EventRefreshReuse, UserID: "u1", FamilyID: rt1.FamilyID, At: f.clk.Now()}) {
		t.Fatalf("events = %+v", f.events)
	}
	fam, _ := f.store.GetFamily(ctx, rt1.FamilyID)
	if fam.Reason != EventRefreshReuse {
		t.Fatalf("family %+v", fam)
	}
	if _, err := f.r.Refresh(ctx, other.Token); err != nil {
		t.Fatalf("other family affected: %v", err)
	}
}

// security checklist #16: two concurrent presentations of one token — one
// wins, the other is treated as reuse and the family dies.
func TestRefreshConcurrentReuse(t *testing.T) {
	f := newRefreshFixture(t)
	rt := f.start(t, "u1")
	errs := make([]error, 8)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Go(func() { _, errs[i] = f.r.Refresh(context.Background(), rt.Token) })
	}
	wg.Wait()
	ok, reuse := 0, 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, ErrReuse), errors.Is(err, ErrRevoked):
			reuse++
		default:
			t.Fatal(err)
		}
	}
	// One rotation wins; at most one more is answered by the reuse grace
	// (burning the first winner's token); the rest are reuse and kill the
	// family.
	fam, _ := f.store.GetFamily(context.Background(), rt.FamilyID)
	if ok < 1 || ok > 2 || !fam.Revoked() {
		t.Fatalf("ok=%d reuse=%d family=%+v", ok, reuse, fam)
	}
}

// A client that crashed or lost the answer after the server rotated its
// token retries with the spent one: within the grace, and while the
// successor is unused, it gets a fresh token and no alarm is raised. The
// successor it never received is burned, so presenting it later is reuse;
// a second retry, a retry after the grace, or one after the successor was
// used are reuse too.
func TestRefreshReuseGrace(t *testing.T) {
	ctx := context.Background()
	t.Run("lost answer", func(t *testing.T) {
		f := newRefreshFixture(t)
		rt1 := f.start(t, "u1")
		lost, err := f.r.Refresh(ctx, rt1.Token)
		if err != nil {
			t.Fatal(err)
		}
		f.clk.Advance(30 * time.Second)
		retry, err := f.r.Refresh(ctx, rt1.Token)
		if err != nil || retry.Token == lost.Token || retry.FamilyID != rt1.FamilyID {
			t.Fatalf("retry within the grace: %v, %v", retry, err)
		}
		if len(f.events) != 0 {
			t.Fatalf("events = %+v", f.events)
		}
		if _, err := f.r.Refresh(ctx, retry.Token); err != nil {
			t.Fatalf("the retried token does not refresh: %v", err)
		}
		_, err = f.r.Refresh(ctx, lost.Token)
		wantErrIs(t, err, ErrReuse)
	})
	for name, tc := range map[string]struct {
		wait     time.Duration
		useNext  bool
		retryTwo bool
	}{
		"after the grace":        {wait: DefaultReuseGrace + time.Second},
		"successor already used": {useNext: true},
		"second retry":           {retryTwo: true},
	} {
		t.Run(name, func(t *testing.T) {
			f := newRefreshFixture(t)
			rt1 := f.start(t, "u1")
			rt2, err := f.r.Refresh(ctx, rt1.Token)
			if err != nil {
				t.Fatal(err)
			}
			if tc.useNext {
				if _, err := f.r.Refresh(ctx, rt2.Token); err != nil {
					t.Fatal(err)
				}
			}
			if tc.retryTwo {
				if _, err := f.r.Refresh(ctx, rt1.Token); err != nil {
					t.Fatal(err)
				}
			}
			f.clk.Advance(tc.wait)
			_, err = f.r.Refresh(ctx, rt1.Token)
			wantErrIs(t, err, ErrReuse)
			if len(f.events) != 1 || f.events[0].Kind != EventRefreshReuse {
				t.Fatalf("events = %+v", f.events)
			}
		})
	}
}

// security checklist #17: absolute and idle lifetimes on the fake clock.
func TestRefreshLifetimes(t *testing.T) {
	ctx := context.Background()
	t.Run("absolute lifetime is not extended by rotation", func(t *testing.T) {
		f := newRefreshFixture(t)
		rt := f.start(t, "u1")
		var err error
		for range 3 { // 3h, 6h, 9h: each within the 4h idle window
			f.clk.Advance(3 * time.Hour)
			if rt, err = f.r.Refresh(ctx, rt.Token); err != nil {
				t.Fatal(err)
			}
		}
		if want := f.clk.Now().Add(time.Hour); !rt.ExpiresAt.Equal(want) {
			t.Fatalf("idle deadline %v not capped at family end %v", rt.ExpiresAt, want)
		}
		f.clk.Advance(time.Hour) // 10h: family over
		_, err = f.r.Refresh(ctx, rt.Token)
		wantErrIs(t, err, ErrExpired)
	})
	t.Run("idle lifetime", func(t *testing.T) {
		f := newRefreshFixture(t)
		rt := f.start(t, "u1")
		f.clk.Advance(4*time.Hour - time.Second)
		rt2, err := f.r.Refresh(ctx, rt.Token)
		if err != nil {
			t.Fatal(err)
		}
		f.clk.Advance(4 * time.Hour)
		_, err = f.r.Refresh(ctx, rt2.Token)
		wantErrIs(t, err, ErrExpired)
		fam, _ := f.store.GetFamily(ctx, rt.FamilyID)
		if !fam.Revoked() {
			t.Fatal("expired family not revoked in the store")
		}
	})
}

// security checklist #17: logout, disable and password change revoke.
func TestRefreshRevocation(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		revoke func(f *refreshFixture, rt Issued) error
	}{
		{"logout", func(f *refreshFixture, rt Issued) error { return f.r.Logout(ctx, rt.Token) }},
		{"disable", func(f *refreshFixture, rt Issued) error { _, err := f.r.RevokeUser(ctx, "u1", "disabled"); return err }},
		{"password change", func(f *refreshFixture, rt Issued) error {
			_, err := f.r.RevokeUser(ctx, "u1", "password_change")
			return err
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newRefreshFixture(t)
			rt := f.start(t, "u1")
			bob := f.start(t, "u2")
			if err := tc.revoke(f, rt); err != nil {
				t.Fatal(err)
			}
			_, err := f.r.Refresh(ctx, rt.Token)
			wantErrIs(t, err, ErrRevoked)
			if _, err := f.r.Refresh(ctx, bob.Token); err != nil {
				t.Fatalf("other user affected: %v", err)
			}
		})
	}
	f := newRefreshFixture(t)
	a, b := f.start(t, "u1"), f.start(t, "u1")
	if n, err := f.r.RevokeUser(ctx, "u1", "disabled"); err != nil || n != 2 {
		t.Fatalf("RevokeUser = %d, %v; want both families", n, err)
	}
	for _, rt := range []Issued{a, b} {
		_, err := f.r.Refresh(ctx, rt.Token)
		wantErrIs(t, err, ErrRevoked)
	}
}

// security checklist #15: an access token (or anything not ours) on the
// refresh endpoint is refused.
func TestRefreshRejectsWrongTokens(t *testing.T) {
	f := newRefreshFixture(t)
	jf := newJWTFixture(t)
	at, _, _ := jf.tokens.Issue(Principal{UserID: "u1", Role: "clerk", TokenVersion: 3})
	unknown := RefreshPrefix + b64.EncodeToString(bytes.Repeat([]byte{7}, 32))
	tests := []struct {
		name, token string
		want        error
	}{
		{"access token", at, ErrTokenType},
		{"empty", "", ErrInvalidToken},
		{"no prefix", b64.EncodeToString(make([]byte, 32)), ErrInvalidToken},
		{"short", RefreshPrefix + "AAAA", ErrInvalidToken},
		{"bad base64", RefreshPrefix + strings.Repeat("*", 43), ErrInvalidToken},
		{"unknown token", unknown, ErrInvalidToken},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.r.Refresh(context.Background(), tc.token)
			wantErrIs(t, err, tc.want)
			wantErrIs(t, f.r.Logout(context.Background(), tc.token), tc.want)
		})
	}
}

// security checklist #18: 256-bit random tokens; the store keeps only the
// SHA-256, never the token.
func TestRefreshTokenEntropyAndStorage(t *testing.T) {
	f := newRefreshFixture(t)
	const n = 500
	seen := map[string]bool{}
	ones := 0
	var toks []string
	for i := range n {
		rt := f.start(t, fmt.Sprint("u", i%7))
		if !strings.HasPrefix(rt.Token, RefreshPrefix) {
			t.Fatalf("token %q lacks prefix", rt.Token)
		}
		raw, err := b64.DecodeString(strings.TrimPrefix(rt.Token, RefreshPrefix))
		if err != nil || len(raw)*8 < 128 || len(raw) != refreshBytes {
			t.Fatalf("token carries %d bytes (%v), want %d", len(raw), err, refreshBytes)
		}
		for _, b := range raw {
			ones += bits.OnesCount8(b)
		}
		if seen[rt.Token] {
			t.Fatal("duplicate token")
		}
		seen[rt.Token] = true
		toks = append(toks, rt.Token)
	}
	// Crude randomness check: the share of 1 bits is close to one half.
	if frac := float64(ones) / float64(n*refreshBytes*8); frac < 0.48 || frac > 0.52 {
		t.Fatalf("bit balance %.3f: not random", frac)
	}
	fams, recs := f.store.Snapshot()
	dump := fmt.Sprintf("%#v %#v %+v %+v", fams, recs, fams, recs)
	for _, tok := range toks {
		raw, _ := b64.DecodeString(strings.TrimPrefix(tok, RefreshPrefix))
		body := strings.TrimPrefix(tok, RefreshPrefix)
		if strings.Contains(dump, body) || strings.Contains(dump, fmt.Sprintf("%#v", raw)[7:]) {
			t.Fatal("store holds a raw refresh token")
		}
		for _, r := range recs {
			if bytes.Contains(r.Hash[:], raw[:8]) {
				t.Fatal("stored hash contains raw token bytes")
			}
		}
	}
	if len(recs) != n {
		t.Fatalf("%d records", len(recs))
	}
	byHash := map[TokenHash]bool{}
	for _, r := range recs {
		byHash[r.Hash] = true
	}
	for _, tok := range toks {
		if !byHash[HashToken(tok)] {
			t.Fatal("record not keyed by SHA-256 of the token")
		}
	}
}

// security checklist #9: token comparison goes through subtle, and no
// non-test file compares secrets with bytes.Equal or hmac.Equal bypasses.
func TestConstantTimeCompare(t *testing.T) {
	if !tokenEqual([]byte("abc"), []byte("abc")) || tokenEqual([]byte("abc"), []byte("abd")) || tokenEqual([]byte("a"), []byte("ab")) {
		t.Fatal("tokenEqual wrong")
	}
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "refresh.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	ast.Inspect(file, func(n ast.Node) bool {
		fd, ok := n.(*ast.FuncDecl)
		if !ok || fd.Name.Name != "tokenEqual" {
			return true
		}
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			if se, ok := n.(*ast.SelectorExpr); ok {
				if id, ok := se.X.(*ast.Ident); ok && id.Name == "subtle" && se.Sel.Name == "ConstantTimeCompare" {
					found = true
				}
			}
			return true
		})
		return false
	})
	if !found {
		t.Fatal("tokenEqual does not call subtle.ConstantTimeCompare")
	}
	srcs, _ := filepath.Glob("*.go")
	for _, p := range srcs {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		b, _ := os.ReadFile(p)
		if bytes.Contains(b, []byte("bytes.Equal(")) {
			t.Errorf("%s uses bytes.Equal; use tokenEqual for secrets", p)
		}
	}
}

// security checklist #6: an Issued value never prints its token.
func TestIssuedRedacts(t *testing.T) {
	f := newRefreshFixture(t)
	rt := f.start(t, "u1")
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("issued", "rt", rt)
	for _, s := range []string{rt.String(), fmt.Sprint(rt), fmt.Sprintf("%v", rt), buf.String()} {
		if strings.Contains(s, strings.TrimPrefix(rt.Token, RefreshPrefix)) {
			t.Fatalf("token leaked: %s", s)
		}
	}
}
