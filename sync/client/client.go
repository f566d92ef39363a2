// Package client is the desktop's sync client (ARCHITECTURE §7, issue 5):
// it signs in over HTTPS, keeps the refresh token in the OS keychain and
// the access token only in memory, and talks the sync protocol
// (sync/wire) over one websocket: hello, push the outbox, pull from the
// cursor, live pages, bootstrap, attachments and audit checkpoints.
//
// The local side is a Replica, which exists only while a session is
// unlocked: sync runs between unlock and lock, never on a locked folder.
// Run keeps a connection open and reconnects with capped exponential
// back-off and full jitter; SyncOnce pushes everything, pulls to the head
// and returns.
package client

import (
	"context"
	"crypto/ed25519"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"sync"
	"time"

	"github.com/smartap/desktop/sync/wire"
)

// Config configures a Client.
type Config struct {
	Server  string // https://HOST[:PORT] (http only to loopback)
	User    string // the server user name
	Creds   Credentials
	Replica Replica
	Version string      // app version for the hello; "" = "smartap"
	TLS     *tls.Config // nil: system roots; always verified
	Backoff Backoff
	// Poll is how often watch mode looks at the outbox when nobody called
	// Notify; zero: 2 s.
	Poll time.Duration
	// RequestTimeout bounds the wait for an answer; zero: 60 s.
	RequestTimeout time.Duration
	// CheckpointKey is the server's pinned checkpoint key; nil: audit
	// checkpoints are not requested (and Status says so).
	CheckpointKey ed25519.PublicKey
	// Checkpoints keeps the last verified checkpoint per team; needed with
	// CheckpointKey.
	Checkpoints CheckpointStore
	OnEvent     func(Event) // called from the sync goroutine; keep it short
	// DataDir, when set, receives the last sync time and error
	// (LastRunFile) for `smartap sync status`.
	DataDir string
	Logger  *slog.Logger
	Now     func() time.Time
}

// Client syncs one Replica with one server as one user.
type Client struct {
	cfg  Config
	auth *Auth
	base *url.URL

	notify chan struct{}

	tokMu  sync.Mutex // serialises refreshes: a refresh token is single-use
	access string
	expiry time.Time

	mu        sync.Mutex
	status    Status
	downloads map[wire.Hash]uint64 // resume offsets of interrupted downloads
}

// New checks cfg and returns a Client; nothing is contacted yet.
func New(cfg Config) (*Client, error) {
	if cfg.Replica == nil || cfg.Creds.Keychain == nil || cfg.User == "" {
		return nil, errors.New("sync client: replica, keychain and user are required")
	}
	if cfg.CheckpointKey != nil && cfg.Checkpoints == nil {
		return nil, errors.New("sync client: a checkpoint key needs a checkpoint store")
	}
	auth, err := NewAuth(cfg.Server, cfg.TLS)
	if err != nil {
		return nil, err
	}
	if cfg.Poll <= 0 {
		cfg.Poll = 2 * time.Second
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = time.Minute
	}
	if cfg.Version == "" {
		cfg.Version = "smartap"
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	c := &Client{cfg: cfg, auth: auth, base: auth.base, notify: make(chan struct{}, 1),
		downloads: map[wire.Hash]uint64{}}
	c.status = Status{Server: auth.Server(), User: cfg.User}
	if cfg.DataDir != "" {
		lr := LoadLastRun(cfg.DataDir)
		c.status.LastSync, c.status.LastError = lr.LastSync, lr.LastError
	}
	return c, nil
}

// Notify tells a running watch loop that the outbox grew, so it pushes now
// instead of at the next poll. It never blocks.
func (c *Client) Notify() {
	select {
	case c.notify <- struct{}{}:
	default:
	}
}

// SyncOnce connects, pushes every pending op, pulls to the head, moves
// attachments, verifies a checkpoint when audit ops were pushed, and
// returns. A refused access token is refreshed once.
func (c *Client) SyncOnce(ctx context.Context) error {
	err := c.connectAndRun(ctx, false)
	if errors.Is(err, errTokenRevoked) {
		c.dropAccess()
		err = c.connectAndRun(ctx, false)
	}
	c.finish(err)
	return publicErr(err)
}

// Run syncs until ctx is cancelled, reconnecting with back-off. It returns
// nil on cancel, or an error when only the user can fix it (signed out,
// refused, a failed checkpoint).
func (c *Client) Run(ctx context.Context) error {
	attempt := 0
	for {
		online, err := c.session(ctx, true)
		if ctx.Err() != nil {
			c.setOffline("")
			return nil
		}
		c.finish(err)
		if permanent(err) {
			return publicErr(err)
		}
		if errors.Is(err, errTokenRevoked) {
			c.dropAccess()
		}
		if online {
			attempt = 0
		}
		wait := max(c.cfg.Backoff.Delay(attempt), RetryAfter(err))
		attempt++
		c.cfg.Logger.Info("sync reconnecting", "in", wait, "err", err)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			c.setOffline("")
			return nil
		case <-t.C:
		}
	}
}

func (c *Client) connectAndRun(ctx context.Context, watch bool) error {
	_, err := c.session(ctx, watch)
	return err
}

// publicErr hides the internal token-revoked sentinel behind the public one.
func publicErr(err error) error {
	if errors.Is(err, errTokenRevoked) {
		return fmt.Errorf("%w: %w", ErrUnauthorized, err)
	}
	return err
}

// session runs one connection. online reports whether the hello was
// answered (the back-off restarts then).
func (c *Client) session(ctx context.Context, watch bool) (online bool, err error) {
	access, err := c.accessToken(ctx)
	if err != nil {
		return false, err
	}
	cn, err := c.dial(ctx, access)
	if err != nil {
		return false, err
	}
	defer cn.close()
	s := &session{c: c, cn: cn, r: c.cfg.Replica}
	if err := s.hello(ctx, access); err != nil {
		return false, err
	}
	c.setOnline(s.welcome)
	if err := s.syncAll(ctx); err != nil {
		return true, err
	}
	c.synced(ctx, s.cur)
	if !watch {
		return true, nil
	}
	return true, s.watch(ctx)
}
