package auth

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/smartap/desktop/backend/identity"
)

// Access tokens are JWS compact serializations signed with Ed25519
// (RFC 8037). Only this one algorithm is ever accepted (#13).
const (
	algEdDSA      = "EdDSA"
	TypAccess     = "at+jwt" // RFC 9068
	maxAccessLen  = 4096     // ours are ~400 bytes; bound parsing work
	DefaultLeeway = 30 * time.Second
	DefaultTTL    = 15 * time.Minute
)

var b64 = base64.RawURLEncoding.Strict()

// SigningKey is a private key with its key id.
type SigningKey struct {
	ID  string
	Key ed25519.PrivateKey
}

// VerifyKey is a public key with its key id.
type VerifyKey struct {
	ID  string
	Key ed25519.PublicKey
}

// KeySet is an immutable set: one current signing key plus previous public
// keys still accepted for verification during rotation.
type KeySet struct {
	current SigningKey
	verify  map[string]ed25519.PublicKey
}

// NewKeySet builds a set; key ids must be non-empty and unique.
func NewKeySet(current SigningKey, previous ...VerifyKey) (*KeySet, error) {
	if current.ID == "" || len(current.Key) != ed25519.PrivateKeySize {
		return nil, errors.New("auth: invalid current signing key")
	}
	ks := &KeySet{current: current, verify: map[string]ed25519.PublicKey{
		current.ID: current.Key.Public().(ed25519.PublicKey),
	}}
	for _, p := range previous {
		if p.ID == "" || len(p.Key) != ed25519.PublicKeySize {
			return nil, errors.New("auth: invalid previous key")
		}
		if _, dup := ks.verify[p.ID]; dup {
			return nil, fmt.Errorf("auth: duplicate key id %q", p.ID)
		}
		ks.verify[p.ID] = p.Key
	}
	return ks, nil
}

// Rotate returns a new set signing with next and still verifying the old
// current key. Older previous keys are dropped: access tokens live minutes,
// so one generation of overlap covers every token still valid.
func (ks *KeySet) Rotate(next SigningKey) (*KeySet, error) {
	return NewKeySet(next, VerifyKey{ID: ks.current.ID, Key: ks.current.Key.Public().(ed25519.PublicKey)})
}

// CurrentID is the kid new tokens are signed with.
func (ks *KeySet) CurrentID() string { return ks.current.ID }

// Claims are the access-token claims.
type Claims struct {
	Issuer       string        `json:"iss"`
	Audience     string        `json:"aud"`
	Subject      string        `json:"sub"`
	Team         string        `json:"team"`
	Role         identity.Role `json:"role"`
	ExpiresAt    int64         `json:"exp"`
	NotBefore    int64         `json:"nbf"`
	IssuedAt     int64         `json:"iat"`
	ID           string        `json:"jti"`
	TokenVersion int64         `json:"tv"`
}

// Principal is who a token is issued for.
type Principal struct {
	UserID       string
	Team         string
	Role         identity.Role
	TokenVersion int64
}

// VersionLookup returns the user's current token version. It is bumped on
// role change or disable so old tokens die at once (#21). Returning an
// error (e.g. user deleted or disabled) also rejects the token.
type VersionLookup func(ctx context.Context, userID string) (int64, error)

// AccessConfig configures AccessTokens.
type AccessConfig struct {
	Keys     *KeySet
	Issuer   string
	Audience string
	TTL      time.Duration // default DefaultTTL
	Leeway   time.Duration // default DefaultLeeway; clock skew between replicas
	Clock    Clock
	Versions VersionLookup
}

// AccessTokens issues and verifies access tokens. Keys can be swapped at
// run time with SetKeys.
type AccessTokens struct {
	cfg  AccessConfig
	keys atomic.Pointer[KeySet]
}

// NewAccessTokens validates cfg.
func NewAccessTokens(cfg AccessConfig) (*AccessTokens, error) {
	if cfg.Keys == nil || cfg.Issuer == "" || cfg.Audience == "" || cfg.Versions == nil {
		return nil, errors.New("auth: access config needs keys, issuer, audience and version lookup")
	}
	if cfg.TTL <= 0 {
		cfg.TTL = DefaultTTL
	}
	if cfg.Leeway <= 0 {
		cfg.Leeway = DefaultLeeway
	}
	a := &AccessTokens{cfg: cfg}
	a.keys.Store(cfg.Keys)
	return a, nil
}

// SetKeys installs a rotated key set.
func (a *AccessTokens) SetKeys(ks *KeySet) { a.keys.Store(ks) }

type header struct {
	Alg string `json:"alg"`
	Typ string `json:"typ"`
	Kid string `json:"kid"`
}

// Issue signs a token for p.
func (a *AccessTokens) Issue(p Principal) (string, Claims, error) {
	if p.UserID == "" {
		return "", Claims{}, errors.New("auth: empty subject")
	}
	if _, err := identity.ParseRole(string(p.Role)); err != nil {
		return "", Claims{}, err
	}
	var jti [16]byte
	if _, err := rand.Read(jti[:]); err != nil {
		return "", Claims{}, err
	}
	now := a.cfg.Clock.now()
	c := Claims{
		Issuer: a.cfg.Issuer, Audience: a.cfg.Audience,
		Subject: p.UserID, Team: p.Team, Role: p.Role,
		IssuedAt: now.Unix(), NotBefore: now.Unix(), ExpiresAt: now.Add(a.cfg.TTL).Unix(),
		ID: b64.EncodeToString(jti[:]), TokenVersion: p.TokenVersion,
	}
	ks := a.keys.Load()
	tok, err := signJWS(header{Alg: algEdDSA, Typ: TypAccess, Kid: ks.current.ID}, c, ks.current.Key)
	return tok, c, err
}

func signJWS(h header, claims any, key ed25519.PrivateKey) (string, error) {
	hj, err := json.Marshal(h)
	if err != nil {
		return "", err
	}
	cj, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	in := b64.EncodeToString(hj) + "." + b64.EncodeToString(cj)
	return in + "." + b64.EncodeToString(ed25519.Sign(key, []byte(in))), nil
}

// allowedHeader lists the only header parameters we accept. Anything else
// is rejected rather than ignored: jku/jwk/x5u/x5c would point at
// attacker-chosen keys, and crit demands we understand extensions (#14).
var allowedHeader = map[string]bool{"alg": true, "typ": true, "kid": true}

// Verify checks an access token and returns its claims. Order matters:
// header policy, then signature, and only then are the claims parsed.
func (a *AccessTokens) Verify(ctx context.Context, token string) (Claims, error) {
	if strings.HasPrefix(token, RefreshPrefix) {
		return Claims{}, ErrTokenType // #15: a refresh token on the API
	}
	if len(token) > maxAccessLen {
		return Claims{}, ErrInvalidToken
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return Claims{}, ErrInvalidToken
	}
	h, err := parseHeader(parts[0])
	if err != nil {
		return Claims{}, err
	}
	if h.Alg != algEdDSA { // #13: none, HS256, RS256, missing: all rejected
		return Claims{}, fmt.Errorf("%w: alg %q not allowed", ErrInvalidToken, h.Alg)
	}
	if h.Typ != TypAccess {
		return Claims{}, fmt.Errorf("%w: typ %q", ErrTokenType, h.Typ)
	}
	pub, ok := a.keys.Load().verify[h.Kid]
	if !ok {
		return Claims{}, fmt.Errorf("%w: unknown kid", ErrInvalidToken)
	}
	sig, err := b64.DecodeString(parts[2])
	if err != nil || len(sig) != ed25519.SignatureSize ||
		!ed25519.Verify(pub, []byte(parts[0]+"."+parts[1]), sig) {
		return Claims{}, fmt.Errorf("%w: bad signature", ErrInvalidToken)
	}
	cj, err := b64.DecodeString(parts[1])
	if err != nil {
		return Claims{}, ErrInvalidToken
	}
	var c Claims
	if err := json.Unmarshal(cj, &c); err != nil {
		return Claims{}, ErrInvalidToken
	}
	if err := a.checkClaims(c); err != nil {
		return Claims{}, err
	}
	v, err := a.cfg.Versions(ctx, c.Subject)
	if err != nil || v != c.TokenVersion {
		return Claims{}, ErrRevoked // #21: role change or disable
	}
	return c, nil
}

func parseHeader(seg string) (header, error) {
	hj, err := b64.DecodeString(seg)
	if err != nil {
		return header{}, ErrInvalidToken
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(hj, &raw); err != nil {
		return header{}, ErrInvalidToken
	}
	for k := range raw {
		if !allowedHeader[k] {
			return header{}, fmt.Errorf("%w: header %q not allowed", ErrInvalidToken, k)
		}
	}
	var h header
	if err := json.Unmarshal(hj, &h); err != nil {
		return header{}, ErrInvalidToken
	}
	return h, nil
}

func (a *AccessTokens) checkClaims(c Claims) error {
	now := a.cfg.Clock.now()
	lw := a.cfg.Leeway
	switch {
	case c.Issuer != a.cfg.Issuer, c.Audience != a.cfg.Audience:
		return fmt.Errorf("%w: iss/aud", ErrInvalidToken)
	case c.Subject == "", c.ID == "", c.ExpiresAt == 0, c.NotBefore == 0, c.IssuedAt == 0:
		return fmt.Errorf("%w: missing claim", ErrInvalidToken)
	case now.After(time.Unix(c.ExpiresAt, 0).Add(lw)):
		return ErrExpired
	case now.Add(lw).Before(time.Unix(c.NotBefore, 0)), now.Add(lw).Before(time.Unix(c.IssuedAt, 0)):
		return fmt.Errorf("%w: not yet valid", ErrInvalidToken)
	}
	if r, err := identity.ParseRole(string(c.Role)); err != nil || r != c.Role {
		return fmt.Errorf("%w: role", ErrInvalidToken)
	}
	return nil
}
