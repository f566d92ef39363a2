// Package server is the sync server's websocket endpoint (ARCHITECTURE §7,
// docs/SYNC.md): sessions, ingest with the authority check, the team's
// merged state, pull and live fan-out, bootstrap snapshots, attachments,
// audit checkpoints and security alerts to admins.
//
// One Server serves every team of one store. Per team it keeps, in memory,
// the merged state of every invoice, rebuilt from the store's log on first
// use and then advanced op by op in server order; several Server processes
// may share one PostgreSQL store (each keeps its own cache and catches up
// from the log; ingest is made atomic by serverstore.AppendAfter).
package server

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"github.com/smartap/desktop/sync/auth"
	"github.com/smartap/desktop/sync/httpapi"
	"github.com/smartap/desktop/sync/server/events"
	"github.com/smartap/desktop/sync/serverstore"
)

// Metrics receives the server's counters; sync/server/metrics implements
// it with Prometheus. Every method must be cheap and safe for concurrent
// use: they are called on the hot path.
type Metrics interface {
	// Connections is +1 when a websocket session starts, -1 when it ends.
	Connections(delta int)
	// Op counts one pushed op by result: "accepted", "duplicate" (acked
	// with its original sequence) or "rejected".
	Op(result string)
	// Reject counts one Reject frame by its code (forbidden, clock_skew,
	// invalid_input, invalid_transition, unavailable).
	Reject(code string)
	// FanoutLatency is the time from an op's commit (as this process saw
	// it) to the live page carrying it being written to one connection.
	FanoutLatency(d time.Duration)
	// Closed counts a session the server closed, by websocket close code
	// (4001 revoked, 4003 protocol, 4008 rate limited, 1008 policy, 1009
	// too big, ...).
	Closed(code int)
}

// Results passed to Metrics.Op.
const (
	OpAccepted  = "accepted"
	OpDuplicate = "duplicate"
	OpRejected  = "rejected"
)

type noMetrics struct{}

func (noMetrics) Connections(int)             {}
func (noMetrics) Op(string)                   {}
func (noMetrics) Reject(string)               {}
func (noMetrics) FanoutLatency(time.Duration) {}
func (noMetrics) Closed(int)                  {}

// Limits bound each connection. Zero fields take the defaults below.
type Limits struct {
	// FrameRate is the sustained number of frames per second a client may
	// send; FrameBurst how many it may send at once. Beyond: close 4008.
	FrameRate  float64
	FrameBurst int
	// OpRate is the sustained number of pushed ops per second; OpBurst the
	// most at once (at least wire.MaxBatch). Beyond: close 4008.
	OpRate  float64
	OpBurst int
	// PingInterval is how often the server pings; a connection silent for
	// two intervals (no frame, no pong) is closed.
	PingInterval time.Duration
	// RecheckInterval is how often a live session's user is re-read from
	// the store (role change, disable: close 4001). Every push re-checks too.
	RecheckInterval time.Duration
	// PollInterval is how often, with a store that reports other
	// replicas' appends (pgstore), the loaded teams are also caught up by
	// polling, in case a notification was lost.
	PollInterval time.Duration
	// HelloTimeout bounds the wait for the first frame.
	HelloTimeout time.Duration
	// WriteTimeout bounds one frame write.
	WriteTimeout time.Duration
}

// DefaultLimits are the limits used for zero fields.
var DefaultLimits = Limits{
	FrameRate: 100, FrameBurst: 200, OpRate: 5000, OpBurst: 2000,
	PingInterval: 30 * time.Second, RecheckInterval: 5 * time.Second,
	HelloTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second, PollInterval: 5 * time.Second,
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	if l.FrameRate <= 0 {
		l.FrameRate = d.FrameRate
	}
	if l.FrameBurst <= 0 {
		l.FrameBurst = max(d.FrameBurst, int(2*l.FrameRate))
	}
	if l.OpRate <= 0 {
		l.OpRate = d.OpRate
	}
	l.OpBurst = max(l.OpBurst, 500) // one full batch must always fit
	if l.PingInterval <= 0 {
		l.PingInterval = d.PingInterval
	}
	if l.RecheckInterval <= 0 {
		l.RecheckInterval = d.RecheckInterval
	}
	if l.PollInterval <= 0 {
		l.PollInterval = d.PollInterval
	}
	if l.HelloTimeout <= 0 {
		l.HelloTimeout = d.HelloTimeout
	}
	if l.WriteTimeout <= 0 {
		l.WriteTimeout = d.WriteTimeout
	}
	return l
}

// Config configures a Server.
type Config struct {
	// Store is the team log, users (with their cost centres and approval
	// limits: Profile), and attachments. Required. If it also has
	// Listen(ctx, fn(team, head)) error (pgstore), the server follows other
	// replicas' appends with it; a wrapper that embeds the Store interface
	// hides Listen and must pass it through.
	Store serverstore.Store
	// Tokens verifies access tokens (signature, claims, token version).
	// Required.
	Tokens *auth.AccessTokens
	// Events is subscribed for Alert frames to connected admins. Optional.
	Events *events.Bus
	// Metrics receives counters. Optional.
	Metrics Metrics
	// Detector watches accepted approvals and exports for anomalies
	// (mass export, off-hours approvals). Optional.
	Detector Detector
	// Origins lists the allowed Origin header values, exactly as browsers
	// send them ("https://app.example.com"). A request without Origin (a
	// desktop client) is always allowed; one with an unlisted Origin is 403.
	Origins []string
	// Now is the server clock (skew checks, token expiry). Default time.Now.
	Now func() time.Time
	// Limits bound each connection.
	Limits Limits
	// CheckpointKey signs audit checkpoints. Required (Ed25519 private key).
	CheckpointKey ed25519.PrivateKey
	// Name is the server name sent in Welcome. Required.
	Name string
}

// Server is the /v1/sync websocket endpoint. Create it with New; it is an
// http.Handler.
type Server struct {
	cfg      Config
	lim      Limits
	metrics  Metrics
	upgrader websocket.Upgrader

	ctx    context.Context // ends at Close
	cancel context.CancelFunc
	bg     sync.WaitGroup

	// raced counts appends refused with ErrHeadMoved (another replica
	// committed first), for tests and diagnostics.
	raced atomic.Int64

	mu     sync.Mutex
	teams  map[string]*team
	conns  map[*conn]struct{}
	closed bool
}

// ErrConfig: New was given an incomplete Config.
var ErrConfig = errors.New("server: invalid config")

// New checks cfg and starts the background work (alerts from the event
// bus, following other replicas). Close stops it.
func New(cfg Config) (*Server, error) {
	switch {
	case cfg.Store == nil || cfg.Tokens == nil:
		return nil, fmt.Errorf("%w: a store and an access token verifier are required", ErrConfig)
	case len(cfg.CheckpointKey) != ed25519.PrivateKeySize:
		return nil, fmt.Errorf("%w: the checkpoint key must be an Ed25519 private key (%d bytes), got %d",
			ErrConfig, ed25519.PrivateKeySize, len(cfg.CheckpointKey))
	case cfg.Name == "":
		return nil, fmt.Errorf("%w: a server name is required", ErrConfig)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{cfg: cfg, lim: cfg.Limits.withDefaults(), metrics: cfg.Metrics,
		teams: map[string]*team{}, conns: map[*conn]struct{}{}}
	if s.metrics == nil {
		s.metrics = noMetrics{}
	}
	s.upgrader = websocket.Upgrader{
		Subprotocols:     []string{httpapi.Subprotocol},
		CheckOrigin:      func(r *http.Request) bool { return s.originAllowed(r.Header.Get("Origin")) },
		HandshakeTimeout: 10 * time.Second,
		ReadBufferSize:   16 << 10,
		WriteBufferSize:  16 << 10,
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	if cfg.Events != nil {
		ch, cancel := cfg.Events.Subscribe("")
		s.bg.Go(func() { s.forwardAlerts(ch, cancel) })
	}
	if l, ok := cfg.Store.(listener); ok {
		s.bg.Go(func() { s.follow(l) })
		s.bg.Go(s.poll)
	}
	return s, nil
}

// Close closes every session (1001 going away), stops the background work
// and waits for it. It does not close the store.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	conns := make([]*conn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, c := range conns {
		c.closeWith(websocket.CloseGoingAway, "server shutting down")
	}
	s.cancel()
	for _, c := range conns {
		<-c.finished
	}
	s.bg.Wait()
	return nil
}

// Mount registers the server's endpoints on mux: httpapi.PathSync (the
// websocket) and httpapi.PathHealth (200 "ok" while the store answers,
// 503 otherwise). cmd/smartap-sync adds login, refresh, logout and
// metrics beside them.
func (s *Server) Mount(mux *http.ServeMux) {
	mux.Handle(httpapi.PathSync, s)
	mux.HandleFunc(httpapi.PathHealth, s.serveHealth)
}

// Healthy reports whether the store answers.
func (s *Server) Healthy(ctx context.Context) error {
	if p, ok := s.cfg.Store.(interface{ Ping(context.Context) error }); ok {
		return p.Ping(ctx)
	}
	// An unknown team is a cheap round trip that must answer ErrNotFound.
	_, err := s.cfg.Store.Head(ctx, " healthz")
	if err == nil || errors.Is(err, serverstore.ErrNotFound) {
		return nil
	}
	return fmt.Errorf("server: store: %w", err)
}

func (s *Server) serveHealth(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	if err := s.Healthy(ctx); err != nil {
		writeError(w, http.StatusServiceUnavailable, httpapi.CodeUnavailable, "the store does not answer")
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok"))
}

func (s *Server) originAllowed(origin string) bool {
	if origin == "" {
		return true
	}
	for _, o := range s.cfg.Origins {
		if o == origin {
			return true
		}
	}
	return false
}

func (s *Server) nowMs() int64 { return s.cfg.Now().UnixMilli() }

// Detector is told about every accepted approval and export with the
// server's receive time (events.Detector implements it).
type Detector interface {
	Observe(ctx context.Context, team, user string, kind events.OpKind, at time.Time) error
}
