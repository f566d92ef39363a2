package auth

import (
	"context"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

type jwtFixture struct {
	clk      *fakeClock
	k1, k2   SigningKey
	tokens   *AccessTokens
	versions map[string]int64
}

func newKey(t testing.TB, id string) SigningKey {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return SigningKey{ID: id, Key: priv}
}

func newJWTFixture(t testing.TB) *jwtFixture {
	t.Helper()
	f := &jwtFixture{clk: newFakeClock(), k1: newKey(t, "k1"), k2: newKey(t, "k2"), versions: map[string]int64{"u1": 3}}
	ks, err := NewKeySet(f.k1)
	if err != nil {
		t.Fatal(err)
	}
	f.tokens, err = NewAccessTokens(AccessConfig{
		Keys: ks, Issuer: "https://sync.smartap.test", Audience: "smartap-sync",
		Clock: f.clk.Now,
		Versions: func(_ context.Context, sub string) (int64, error) {
			v, ok := f.versions[sub]
			if !ok {
				return 0, ErrNotFound
			}
			return v, nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *jwtFixture) claims() map[string]any {
	now := f.clk.Now().Unix()
	return map[string]any{
		"iss": "https://sync.smartap.test", "aud": "smartap-sync", "sub": "u1", "team": "t1",
		"role": "approver", "exp": now + 900, "nbf": now, "iat": now, "jti": "j1", "tv": 3,
	}
}

func hdr(kv ...string) map[string]any {
	h := map[string]any{}
	for i := 0; i < len(kv); i += 2 {
		h[kv[i]] = kv[i+1]
	}
	return h
}

// forge builds a compact JWS from arbitrary header and claims; sign gets
// the signing input and returns the signature bytes (nil for none).
func forge(t testing.TB, h, c map[string]any, sign func(in []byte) []byte) string {
	t.Helper()
	hj, _ := json.Marshal(h)
	cj, _ := json.Marshal(c)
	in := b64.EncodeToString(hj) + "." + b64.EncodeToString(cj)
	return in + "." + b64.EncodeToString(sign([]byte(in)))
}

func edSigner(k SigningKey) func([]byte) []byte {
	return func(in []byte) []byte { return ed25519.Sign(k.Key, in) }
}

func with(c map[string]any, k string, v any) map[string]any {
	out := map[string]any{}
	for kk, vv := range c {
		out[kk] = vv
	}
	if v == nil {
		delete(out, k)
	} else {
		out[k] = v
	}
	return out
}

func TestAccessTokenValid(t *testing.T) {
	f := newJWTFixture(t)
	tok, issued, err := f.tokens.Issue(Principal{UserID: "u1", Team: "t1", Role: "approver", TokenVersion: 3})
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.tokens.Verify(context.Background(), tok)
	if err != nil {
		t.Fatal(err)
	}
	if got != issued || got.Role != "approver" || got.ExpiresAt-got.IssuedAt != int64(DefaultTTL/time.Second) {
		t.Fatalf("claims %+v, issued %+v", got, issued)
	}
	hj, _ := b64.DecodeString(strings.Split(tok, ".")[0])
	if string(hj) != `{"alg":"EdDSA","typ":"at+jwt","kid":"k1"}` {
		t.Fatalf("header %s", hj)
	}
	if _, _, err := f.tokens.Issue(Principal{UserID: "u1", Role: "root"}); err == nil {
		t.Fatal("issued a token with an unknown role")
	}
}

// security checklist #13, #14, #15, #21: forged and wrong tokens are rejected.
func TestAccessTokenRejects(t *testing.T) {
	f := newJWTFixture(t)
	pub := f.k1.Key.Public().(ed25519.PublicKey)
	good := hdr("alg", "EdDSA", "typ", "at+jwt", "kid", "k1")
	c := f.claims()
	k1 := edSigner(f.k1)
	none := func([]byte) []byte { return nil }
	now := f.clk.Now().Unix()
	valid := forge(t, good, c, k1)
	parts := strings.Split(valid, ".")
	tampered, _ := json.Marshal(with(c, "role", "admin"))

	tests := []struct {
		name  string
		token string
		want  error
	}{
		// security checklist #13: alg allowlist.
		{"alg none", forge(t, with(good, "alg", "none"), c, none), ErrInvalidToken},
		{"alg None, real signature", forge(t, with(good, "alg", "None"), c, k1), ErrInvalidToken},
		{"alg missing", forge(t, with(good, "alg", nil), c, k1), ErrInvalidToken},
		{"HS256 with public key as secret", forge(t, with(good, "alg", "HS256"), c, func(in []byte) []byte {
			m := hmac.New(sha256.New, pub)
			m.Write(in)
			return m.Sum(nil)
		}), ErrInvalidToken},
		{"RS256 header", forge(t, with(good, "alg", "RS256"), c, func([]byte) []byte { return make([]byte, 256) }), ErrInvalidToken},
		{"ES256 header, EdDSA signature", forge(t, with(good, "alg", "ES256"), c, k1), ErrInvalidToken},
		{"unsigned (empty signature)", parts[0] + "." + parts[1] + ".", ErrInvalidToken},
		{"two segments", parts[0] + "." + parts[1], ErrInvalidToken},
		// security checklist #14: key sources in the header, unknown kid.
		{"unknown kid", forge(t, with(good, "kid", "k9"), c, edSigner(newKey(t, "k9"))), ErrInvalidToken},
		{"missing kid", forge(t, with(good, "kid", nil), c, k1), ErrInvalidToken},
		{"known kid, foreign key", forge(t, good, c, edSigner(newKey(t, "x"))), ErrInvalidToken},
		{"jku header", forge(t, with(good, "jku", "https://evil.test/jwks"), c, k1), ErrInvalidToken},
		{"jwk header", forge(t, with(good, "jwk", map[string]string{"kty": "OKP"}), c, k1), ErrInvalidToken},
		{"x5u header", forge(t, with(good, "x5u", "https://evil.test/cert"), c, k1), ErrInvalidToken},
		{"crit header", forge(t, with(good, "crit", []string{"exp"}), c, k1), ErrInvalidToken},
		// security checklist #14: claims.
		{"wrong aud", forge(t, good, with(c, "aud", "other-service"), k1), ErrInvalidToken},
		{"aud as array", forge(t, good, with(c, "aud", []string{"smartap-sync"}), k1), ErrInvalidToken},
		{"wrong iss", forge(t, good, with(c, "iss", "https://evil.test"), k1), ErrInvalidToken},
		{"expired beyond leeway", forge(t, good, with(c, "exp", now-31), k1), ErrExpired},
		{"nbf in the future", forge(t, good, with(c, "nbf", now+120), k1), ErrInvalidToken},
		{"iat in the future", forge(t, good, with(c, "iat", now+120), k1), ErrInvalidToken},
		{"missing exp", forge(t, good, with(c, "exp", nil), k1), ErrInvalidToken},
		{"missing sub", forge(t, good, with(c, "sub", nil), k1), ErrInvalidToken},
		{"unknown role", forge(t, good, with(c, "role", "root"), k1), ErrInvalidToken},
		{"role not canonical", forge(t, good, with(c, "role", "Admin"), k1), ErrInvalidToken},
		{"tampered payload", parts[0] + "." + b64.EncodeToString(tampered) + "." + parts[2], ErrInvalidToken},
		{"padded base64", parts[0] + "=." + parts[1] + "." + parts[2], ErrInvalidToken},
		{"oversize", strings.Repeat("a", maxAccessLen+1), ErrInvalidToken},
		// security checklist #15: token-type confusion.
		{"typ JWT", forge(t, with(good, "typ", "JWT"), c, k1), ErrTokenType},
		{"typ missing", forge(t, with(good, "typ", nil), c, k1), ErrTokenType},
		{"typ refresh+jwt", forge(t, with(good, "typ", "rt+jwt"), c, k1), ErrTokenType},
		{"refresh token as access token", RefreshPrefix + b64.EncodeToString(make([]byte, 32)), ErrTokenType},
		// security checklist #21: token version.
		{"stale token version", forge(t, good, with(c, "tv", 2), k1), ErrRevoked},
		{"deleted user", forge(t, good, with(c, "sub", "u-gone"), k1), ErrRevoked},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := f.tokens.Verify(context.Background(), tc.token); !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
	// Control: the same forge path with nothing wrong verifies, so each
	// rejection above is due to its one defect.
	if _, err := f.tokens.Verify(context.Background(), valid); err != nil {
		t.Fatalf("control token rejected: %v", err)
	}
	if _, err := f.tokens.Verify(context.Background(), forge(t, good, with(c, "exp", now-29), k1)); err != nil {
		t.Fatalf("expired within leeway rejected: %v", err)
	}
}

// security checklist #14: exp enforced as time passes with the fake clock.
func TestAccessTokenExpiresWithClock(t *testing.T) {
	f := newJWTFixture(t)
	tok, _, _ := f.tokens.Issue(Principal{UserID: "u1", Role: "clerk", TokenVersion: 3})
	f.clk.Advance(DefaultTTL + DefaultLeeway)
	if _, err := f.tokens.Verify(context.Background(), tok); err != nil {
		t.Fatalf("at exp+leeway: %v", err)
	}
	f.clk.Advance(time.Second)
	if _, err := f.tokens.Verify(context.Background(), tok); !errors.Is(err, ErrExpired) {
		t.Fatalf("past exp+leeway: %v", err)
	}
}

// security checklist #21: bumping the version kills live tokens at once.
func TestAccessTokenVersionBump(t *testing.T) {
	f := newJWTFixture(t)
	tok, _, _ := f.tokens.Issue(Principal{UserID: "u1", Role: "admin", TokenVersion: 3})
	f.versions["u1"] = 4 // demoted
	if _, err := f.tokens.Verify(context.Background(), tok); !errors.Is(err, ErrRevoked) {
		t.Fatalf("err = %v, want ErrRevoked", err)
	}
}

func TestKeyRotation(t *testing.T) {
	f := newJWTFixture(t)
	ctx := context.Background()
	p := Principal{UserID: "u1", Role: "clerk", TokenVersion: 3}
	old, _, _ := f.tokens.Issue(p)
	ks2, err := f.tokens.keys.Load().Rotate(f.k2)
	if err != nil {
		t.Fatal(err)
	}
	f.tokens.SetKeys(ks2)
	cur, _, _ := f.tokens.Issue(p)
	if !strings.Contains(mustHeader(t, cur), `"kid":"k2"`) {
		t.Fatal("new tokens not signed with the new key")
	}
	for _, tok := range []string{old, cur} {
		if _, err := f.tokens.Verify(ctx, tok); err != nil {
			t.Fatalf("during overlap: %v", err)
		}
	}
	ks3, _ := ks2.Rotate(newKey(t, "k3"))
	f.tokens.SetKeys(ks3)
	if _, err := f.tokens.Verify(ctx, old); !errors.Is(err, ErrInvalidToken) {
		t.Fatalf("k1 token after two rotations: %v", err)
	}
	if _, err := f.tokens.Verify(ctx, cur); err != nil {
		t.Fatalf("k2 token after one more rotation: %v", err)
	}
	if _, err := NewKeySet(f.k1, VerifyKey{ID: "k1", Key: f.k2.Key.Public().(ed25519.PublicKey)}); err == nil {
		t.Fatal("duplicate kid accepted")
	}
}

func mustHeader(t *testing.T, tok string) string {
	t.Helper()
	h, err := b64.DecodeString(strings.Split(tok, ".")[0])
	if err != nil {
		t.Fatal(err)
	}
	return string(h)
}

// security checklist #40: the verifier survives arbitrary input and only
// our own, unmodified tokens ever verify.
func FuzzVerifyJWT(f *testing.F) {
	fx := newJWTFixture(f)
	valid, _, err := fx.tokens.Issue(Principal{UserID: "u1", Role: "clerk", TokenVersion: 3})
	if err != nil {
		f.Fatal(err)
	}
	p := strings.Split(valid, ".")
	for _, s := range []string{valid, "", ".", "..", "a.b.c", p[0] + ".." + p[2], p[0] + "." + p[1] + ".",
		forge(f, hdr("alg", "none"), fx.claims(), func([]byte) []byte { return nil }),
		RefreshPrefix + "AAAA", strings.Repeat(".", 1000)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if _, err := fx.tokens.Verify(context.Background(), s); err == nil && s != valid {
			t.Fatalf("fuzzed token verified: %q", s)
		}
	})
}
