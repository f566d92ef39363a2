package authapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
	"unicode"

	"github.com/smartap/desktop/sync/auth"
	"github.com/smartap/desktop/sync/httpapi"
	"github.com/smartap/desktop/sync/server/events"
	"github.com/smartap/desktop/sync/serverstore"
)

// MaxDeviceLen bounds a device id (ours are UUIDs).
const MaxDeviceLen = 128

func (s *Service) handleLogin(w http.ResponseWriter, r *http.Request) {
	var req httpapi.LoginRequest
	if e := decode(w, r, &req); e != nil {
		s.answerError(w, "login", e)
		return
	}
	if e := checkLogin(req); e != nil {
		s.answerError(w, "login", e)
		return
	}
	ctx, ip := r.Context(), clientIP(r)
	var acct auth.Account
	var err error
	if req.APIKey != "" {
		acct, err = s.apiKeyLogin(ctx, req, ip)
	} else {
		acct, err = s.authn.Authenticate(ctx, req.User, req.Password, ip)
	}
	if err != nil {
		s.answerError(w, "login", s.loginFailure(ctx, req.User, ip, err))
		return
	}
	tokens, err := s.grant(ctx, acct, req.Device, ip)
	if err != nil {
		s.log.Error("login: grant tokens", "user", acct.UserID, "err", err)
		s.answerError(w, "login", errInternal)
		return
	}
	s.count("login", "ok")
	writeJSON(w, http.StatusOK, tokens)
}

func (s *Service) answerError(w http.ResponseWriter, endpoint string, e *apiError) {
	s.count(endpoint, e.code)
	writeError(w, e)
}

// checkLogin refuses malformed requests before any credential work; the
// answers depend only on the request's shape, never on who exists.
func checkLogin(req httpapi.LoginRequest) *apiError {
	switch {
	case req.APIKey != "" && req.Password != "":
		return badInput("send a password or an api_key, not both")
	case req.APIKey == "" && (req.User == "" || req.Password == ""):
		return badInput("user and password are required")
	case req.Device == "":
		return badInput("device is required")
	case len(req.Device) > MaxDeviceLen:
		return badInput("device is longer than %d bytes", MaxDeviceLen)
	}
	for _, c := range req.Device {
		if !unicode.IsPrint(c) || c == unicode.ReplacementChar {
			return badInput("device contains a control or invalid character")
		}
	}
	return nil
}

// apiKeyLogin authenticates a service account. Keys carry 256 random bits,
// so guessing is hopeless; the per-address limit still applies (load),
// and every refusal is the same ErrInvalidCredentials.
func (s *Service) apiKeyLogin(ctx context.Context, req httpapi.LoginRequest, ip string) (auth.Account, error) {
	if err := s.authn.PerIP.Allow(ip); err != nil {
		return auth.Account{}, err
	}
	fail := func() (auth.Account, error) {
		s.authn.PerIP.Failure(ip)
		return auth.Account{}, auth.ErrInvalidCredentials
	}
	id, err := serverstore.ParseAPIKey(req.APIKey)
	if err != nil {
		return fail()
	}
	k, err := s.cfg.Store.GetAPIKey(ctx, id)
	if errors.Is(err, serverstore.ErrNotFound) {
		return fail()
	}
	if err != nil {
		return auth.Account{}, fmt.Errorf("load api key: %w", err)
	}
	if !k.Matches(req.APIKey) || k.Revoked() {
		return fail()
	}
	if req.User != "" && auth.NormalizeUsername(req.User) != k.User {
		return fail()
	}
	if err := s.authn.PerUser.Allow(k.User); err != nil {
		return auth.Account{}, err
	}
	u, err := s.cfg.Store.GetUser(ctx, k.User)
	if errors.Is(err, serverstore.ErrNotFound) {
		return fail()
	}
	if err != nil {
		return auth.Account{}, fmt.Errorf("load service account: %w", err)
	}
	if u.Disabled {
		return fail()
	}
	return account(u), nil
}

// loginFailure maps a login error to its answer and feeds the
// failure-burst detector with every refused attempt (wrong password,
// locked, rate limited: an attack that goes on against a lock is still
// a burst).
func (s *Service) loginFailure(ctx context.Context, user, ip string, err error) *apiError {
	e, ok := retry(err)
	switch {
	case ok:
	case errors.Is(err, auth.ErrInvalidCredentials):
		e = errUnauthorized
	default:
		s.log.Error("login", "err", err)
		return errInternal
	}
	now := s.now()
	if user = auth.NormalizeUsername(user); user != "" && s.bursts.fail("user\x00"+user, now) {
		s.userBurst(ctx, user, ip, now)
	}
	if s.bursts.fail("ip\x00"+ip, now) {
		s.publish(ctx, events.Event{Kind: events.FailureBurst, IP: ip, At: now.UTC(),
			Detail: fmt.Sprintf("%d refused logins from this address within %s", s.cfg.Burst.Failures, s.cfg.Burst.Window)})
	}
	return e
}

// userBurst raises a burst for one user name. The name is recorded only
// if the account exists: an attacker's list of guesses (or a password
// typed into the user field) does not belong in the event log.
func (s *Service) userBurst(ctx context.Context, user, ip string, now time.Time) {
	e := events.Event{Kind: events.FailureBurst, IP: ip, At: now.UTC(),
		Detail: fmt.Sprintf("%d refused logins for one user within %s", s.cfg.Burst.Failures, s.cfg.Burst.Window)}
	if u, err := s.cfg.Store.GetUser(ctx, user); err == nil {
		e.Team, e.User = u.Team, u.Name
	} else {
		e.Detail += " (no such user)"
	}
	s.publish(ctx, e)
}

// grant records the device and issues an access token and a new refresh
// family.
func (s *Service) grant(ctx context.Context, acct auth.Account, device, ip string) (httpapi.Tokens, error) {
	now := s.now()
	first, err := s.cfg.Store.SeeDevice(ctx, acct.UserID, device, now)
	if err != nil {
		return httpapi.Tokens{}, fmt.Errorf("record device: %w", err)
	}
	if first {
		s.newDevice(ctx, acct, device, ip, now)
	}
	rt, err := s.refresher.Start(ctx, acct.UserID)
	if err != nil {
		return httpapi.Tokens{}, err
	}
	return s.tokens(acct, rt)
}

// newDevice raises NewDevice unless this is the user's very first device
// (every account has one; only later ones are news).
func (s *Service) newDevice(ctx context.Context, acct auth.Account, device, ip string, now time.Time) {
	devs, err := s.cfg.Store.Devices(ctx, acct.UserID)
	if err != nil {
		s.log.Error("list devices", "user", acct.UserID, "err", err)
	} else if len(devs) <= 1 {
		return
	}
	s.publish(ctx, events.Event{Kind: events.NewDevice, Team: acct.Team, User: acct.UserID, Device: device, IP: ip,
		At: now.UTC(), Detail: "login from a device not seen before for this user"})
}

func (s *Service) tokens(acct auth.Account, rt auth.Issued) (httpapi.Tokens, error) {
	at, claims, err := s.cfg.Access.Issue(auth.Principal{
		UserID: acct.UserID, Team: acct.Team, Role: acct.Role, TokenVersion: acct.TokenVersion,
	})
	if err != nil {
		return httpapi.Tokens{}, fmt.Errorf("issue access token: %w", err)
	}
	return httpapi.Tokens{
		AccessToken: at, RefreshToken: rt.Token, ExpiresIn: claims.ExpiresAt - claims.IssuedAt,
		User: acct.UserID, Team: acct.Team, Role: string(acct.Role), CheckpointKey: s.cfg.CheckpointKey,
	}, nil
}
