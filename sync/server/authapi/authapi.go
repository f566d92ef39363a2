// Package authapi serves the sync server's plain HTTP auth endpoints
// (httpapi.PathLogin, PathRefresh, PathLogout): password and API-key
// login with lockout and rate limits that tighten under attack, rotating
// refresh tokens with reuse detection, logout, and the security events
// those raise (new device, failure burst, refresh-token reuse). It also
// has the admin actions that must revoke at once (DisableUser, SetRole).
//
// Every refusal of a credential is the same 401 unauthorized body, so an
// attacker cannot tell an unknown user from a wrong password, a disabled
// account or a revoked key (security checklist #11).
package authapi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/smartap/desktop/sync/auth"
	"github.com/smartap/desktop/sync/httpapi"
	"github.com/smartap/desktop/sync/server/events"
	"github.com/smartap/desktop/sync/serverstore"
)

// Store is what the endpoints need from the server store.
type Store interface {
	auth.TokenStore
	GetUser(ctx context.Context, name string) (serverstore.User, error)
	GetAPIKey(ctx context.Context, id string) (serverstore.APIKey, error)
	SeeDevice(ctx context.Context, user, device string, at time.Time) (bool, error)
	Devices(ctx context.Context, user string) ([]serverstore.Device, error)
}

// Publisher takes security events; *events.Bus is one.
type Publisher interface {
	Publish(ctx context.Context, e events.Event) error
}

// Metrics counts requests by endpoint ("login", "refresh", "logout") and
// result (the httpapi code, or "ok"); *metrics.Metrics is one.
type Metrics interface {
	AuthAttempt(endpoint, result string)
}

// BurstPolicy: Failures refused logins for one user name or one address
// within Window raise one FailureBurst event.
type BurstPolicy struct {
	Failures int
	Window   time.Duration
}

// DefaultBurst is the production failure-burst threshold.
var DefaultBurst = BurstPolicy{Failures: 10, Window: 5 * time.Minute}

// Config configures a Service. Zero policies take the auth package's
// production defaults.
type Config struct {
	Store     Store
	Passwords *auth.Passwords
	Access    *auth.AccessTokens
	Events    Publisher
	Metrics   Metrics      // may be nil
	Log       *slog.Logger // may be nil
	Clock     auth.Clock   // nil: time.Now

	Lockout  auth.LockoutPolicy
	IPRate   auth.RateConfig // login per address
	UserRate auth.RateConfig // login per user name
	// RefreshRate limits refresh and logout per address (refresh tokens
	// carry 256 random bits, so this is about load, not guessing).
	RefreshRate auth.RateConfig
	Burst       BurstPolicy
	// IdleTTL and AbsoluteTTL are the refresh lifetimes (0: auth defaults).
	IdleTTL, AbsoluteTTL time.Duration
	// CheckpointKey is the audit-checkpoint public key in
	// checkpoint.FormatPublicKey form; login and refresh answers carry it
	// and PathCheckpointKey serves it, so a client can pin it. "" leaves
	// both out.
	CheckpointKey string
}

// Service holds the endpoints' state (lockout and limiter memory is per
// process: with several replicas each keeps its own, which only makes an
// attacker spread over replicas, never lets one through a lock there).
type Service struct {
	cfg       Config
	authn     *auth.Authenticator
	refresher *auth.Refresher
	refreshIP *auth.Limiter
	bursts    *burst
	log       *slog.Logger
}

// New checks cfg and builds the Service.
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil || cfg.Passwords == nil || cfg.Access == nil || cfg.Events == nil {
		return nil, errors.New("authapi: config needs a store, passwords, access tokens and an event publisher")
	}
	if cfg.Lockout == (auth.LockoutPolicy{}) {
		cfg.Lockout = auth.DefaultLockout
	}
	if cfg.IPRate == (auth.RateConfig{}) {
		cfg.IPRate = auth.DefaultIPRate
	}
	if cfg.UserRate == (auth.RateConfig{}) {
		cfg.UserRate = auth.DefaultUserRate
	}
	if cfg.RefreshRate == (auth.RateConfig{}) {
		cfg.RefreshRate = auth.DefaultIPRate
	}
	if cfg.Burst.Failures <= 0 || cfg.Burst.Window <= 0 {
		cfg.Burst = DefaultBurst
	}
	s := &Service{cfg: cfg, log: cfg.Log}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	r, err := auth.NewRefresher(auth.RefreshConfig{
		Store: cfg.Store, Clock: cfg.Clock, IdleTTL: cfg.IdleTTL, AbsoluteTTL: cfg.AbsoluteTTL,
		OnEvent: s.onRefreshEvent,
	})
	if err != nil {
		return nil, err
	}
	s.refresher = r
	s.authn = &auth.Authenticator{
		Passwords: cfg.Passwords,
		Lockout:   auth.NewLockout(cfg.Lockout, cfg.Clock),
		PerIP:     auth.NewLimiter(cfg.IPRate, cfg.Clock),
		PerUser:   auth.NewLimiter(cfg.UserRate, cfg.Clock),
		Lookup:    s.lookup,
	}
	s.refreshIP = auth.NewLimiter(cfg.RefreshRate, cfg.Clock)
	s.bursts = newBurst(cfg.Burst)
	return s, nil
}

// Refresher is the service's refresh-token logic (admin revocation uses it).
func (s *Service) Refresher() *auth.Refresher { return s.refresher }

// Mount registers the three endpoints on mux.
func (s *Service) Mount(mux *http.ServeMux) {
	mux.HandleFunc(httpapi.PathLogin, s.handleLogin)
	mux.HandleFunc(httpapi.PathRefresh, s.handleRefresh)
	mux.HandleFunc(httpapi.PathLogout, s.handleLogout)
	if s.cfg.CheckpointKey != "" {
		mux.HandleFunc(httpapi.PathCheckpointKey, s.handleCheckpointKey)
	}
}

// handleCheckpointKey serves the public checkpoint key; it is public, so
// no authentication, but only GET.
func (s *Service) handleCheckpointKey(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		writeError(w, &apiError{status: http.StatusMethodNotAllowed, code: httpapi.CodeInvalidInput, msg: "use GET"})
		return
	}
	writeJSON(w, http.StatusOK, httpapi.CheckpointKey{Key: s.cfg.CheckpointKey})
}

func (s *Service) now() time.Time {
	if s.cfg.Clock != nil {
		return s.cfg.Clock()
	}
	return time.Now()
}

func (s *Service) count(endpoint, result string) {
	if s.cfg.Metrics != nil {
		s.cfg.Metrics.AuthAttempt(endpoint, result)
	}
}

// lookup is the Authenticator's AccountLookup over the store.
func (s *Service) lookup(ctx context.Context, name string) (auth.Account, error) {
	u, err := s.cfg.Store.GetUser(ctx, name)
	if err != nil {
		return auth.Account{}, err // serverstore.ErrNotFound is auth.ErrNotFound
	}
	return account(u), nil
}

func account(u serverstore.User) auth.Account {
	return auth.Account{
		UserID: u.Name, Team: u.Team, Role: u.Role, PasswordHash: u.PasswordHash,
		TokenVersion: u.TokenVersion, Disabled: u.Disabled,
	}
}

// publish sends an event; a failure to record it is logged, never turned
// into a failed login (the live copy and the counter still happen).
func (s *Service) publish(ctx context.Context, e events.Event) {
	if err := s.cfg.Events.Publish(ctx, e); err != nil {
		s.log.Error("record security event", "kind", e.Kind, "err", err)
	}
}

// onRefreshEvent turns the Refresher's reuse signal into a bus event. It
// runs inside Refresh, after the family was revoked.
func (s *Service) onRefreshEvent(ev auth.SecurityEvent) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	e := events.Event{Kind: events.RefreshReuse, User: ev.UserID, At: ev.At.UTC(),
		Detail: "a spent refresh token was presented again; its session (family " + ev.FamilyID + ") is revoked"}
	if u, err := s.cfg.Store.GetUser(ctx, ev.UserID); err == nil {
		e.Team = u.Team
	}
	s.publish(ctx, e)
}
