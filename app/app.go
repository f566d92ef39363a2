// Package app is the thin Wails layer: it binds the core services to the
// webview. The webview is treated as an untrusted client: every bound
// method checks that a session is unlocked and the core checks the role,
// exactly as a network API would (ARCHITECTURE.md §8).
package app

import (
	"context"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/core"
	"github.com/smartap/desktop/backend/extract"
	"github.com/smartap/desktop/backend/vault"
)

// DefaultIdle is how long the app stays unlocked without user activity.
const DefaultIdle = 10 * time.Minute

// EventLocked is emitted when the session locks; payload {"reason": "idle"|"logout"|"role_changed"}.
const EventLocked = "session:locked"

// Config configures the app.
type Config struct {
	DataDir  string
	Keychain string           // "", "os" or "file:PATH"
	Idle     time.Duration    // zero: DefaultIdle
	KDF      vault.KDFParams  // zero: vault.DefaultKDF
	Now      func() time.Time // nil: time.Now
	Logger   *slog.Logger
	// PDF starts PDFium on the first PDF read or shown (nil: PDFs cannot
	// be read or shown).
	PDF func(context.Context) (extract.PDF, error)
}

// App is bound to the webview. Only its exported methods are callable
// from JavaScript.
type App struct {
	cfg    Config
	emit   func(event string, data any) // runtime.EventsEmit once started
	rtx    context.Context              // the Wails runtime context, for dialogs
	choose func() ([]string, error)     // tests replace the file dialog

	mu           sync.Mutex
	core         *core.Core
	openErr      error
	session      *core.Session
	lastActivity time.Time
	stopIdle     context.CancelFunc
	tick         time.Duration // idle check interval; tests shorten it

	sync syncRunner // background sync between unlock and lock (sync.go)
}

// New makes the app; startup opens the data folder.
func New(cfg Config) *App {
	if cfg.Idle == 0 {
		cfg.Idle = DefaultIdle
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &App{cfg: cfg, emit: func(string, any) {}}
}

// start opens the data folder and starts the idle watcher. A keychain
// that cannot be reached is not fatal here: set-up and unlock report it.
func (a *App) start(ctx context.Context, emit func(string, any)) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if emit != nil {
		a.emit = emit
	}
	a.rtx = ctx
	kc, err := vault.OpenKeychain(a.cfg.Keychain)
	if err != nil {
		kc = unavailableKeychain{err: err}
	}
	a.core, a.openErr = core.Open(ctx, core.Options{DataDir: a.cfg.DataDir, Keychain: kc, KDF: a.cfg.KDF, Now: a.cfg.Now, Logger: a.cfg.Logger,
		PDF: a.cfg.PDF})
	idleCtx, cancel := context.WithCancel(ctx)
	a.stopIdle = cancel
	go a.watchIdle(idleCtx)
}

// stop locks the session and closes the data folder.
func (a *App) stop() {
	a.lock("shutdown")
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.stopIdle != nil {
		a.stopIdle()
	}
	if a.core != nil {
		_ = a.core.Close()
		a.core = nil
	}
}

func (a *App) watchIdle(ctx context.Context) {
	tick := a.tick
	if tick == 0 {
		tick = idleTick(a.cfg.Idle)
	}
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			a.lockIfIdle()
		}
	}
}

func idleTick(idle time.Duration) time.Duration {
	return max(min(idle/10, 15*time.Second), 10*time.Millisecond)
}

func (a *App) lockIfIdle() {
	a.mu.Lock()
	idle := a.session != nil && a.cfg.Now().Sub(a.lastActivity) >= a.cfg.Idle
	a.mu.Unlock()
	if idle {
		a.lock("idle")
	}
}

// lock wipes the session's keys and tells the window.
func (a *App) lock(reason string) {
	a.mu.Lock()
	s := a.session
	a.session = nil
	a.mu.Unlock()
	if s == nil {
		return
	}
	a.stopSync() // before the keys go: the loop uses the session's replica
	s.Lock()
	a.cfg.Logger.Info("session locked", "reason", reason)
	a.emit(EventLocked, map[string]string{"reason": reason})
}

// sessionFor returns the unlocked session and counts the call as activity.
// An idle-expired session is locked here too, so a call racing the ticker
// cannot slip through.
func (a *App) sessionFor() (*core.Core, *core.Session, error) {
	a.mu.Lock()
	s := a.session
	expired := s != nil && a.cfg.Now().Sub(a.lastActivity) >= a.cfg.Idle
	if s != nil && !expired {
		a.lastActivity = a.cfg.Now()
	}
	c := a.core
	a.mu.Unlock()
	if expired {
		a.lock("idle")
		return nil, nil, core.ErrSessionLocked
	}
	if s == nil {
		return nil, nil, core.ErrSessionLocked
	}
	return c, s, nil
}

func (a *App) opened() (*core.Core, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.openErr != nil {
		return nil, a.openErr
	}
	if a.core == nil {
		return nil, apperr.New(apperr.Unavailable, "the app is still starting")
	}
	return a.core, nil
}

func (a *App) setSession(s *core.Session) {
	a.mu.Lock()
	old := a.session
	a.session, a.lastActivity = s, a.cfg.Now()
	a.mu.Unlock()
	if old != nil && old != s {
		a.stopSync()
		old.Lock()
	}
	a.startSync(s)
	// Argon2id just used 64 MiB (twice at set-up) that the Go runtime would
	// keep from the OS for minutes; hand it back now, in the background,
	// so the window's memory is what the open session needs.
	go debug.FreeOSMemory()
}

// unavailableKeychain stands in when no keychain could be opened, so the
// reason reaches the user at set-up or unlock instead of at start.
type unavailableKeychain struct{ err error }

func (k unavailableKeychain) Get(string, string) ([]byte, error) { return nil, k.err }
func (k unavailableKeychain) Set(string, string, []byte) error   { return k.err }
func (k unavailableKeychain) Delete(string, string) error        { return k.err }
func (k unavailableKeychain) Describe() string                   { return "keychain (unavailable)" }

var _ vault.Keychain = unavailableKeychain{}
