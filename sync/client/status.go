package client

import (
	"context"
	"errors"
	"time"

	"github.com/smartap/desktop/sync/wire"
)

// Status is what the window's indicator and `smartap sync status` show.
type Status struct {
	Server     string
	User       string
	Team       string
	Online     bool
	Pending    int
	Cursor     wire.Cursor
	LastSync   time.Time // zero: never in this process
	LastError  string    // plain words; never a token or transport dump
	Exceptions int
	Rejections int
}

// EventKind names a status event.
type EventKind string

// Event kinds.
const (
	EventStatus    EventKind = "status"
	EventException EventKind = "exception"
	EventRejection EventKind = "rejection"
	EventAlert     EventKind = "alert"
)

// Event is sent to Config.OnEvent: always the current Status, plus the new
// exception, rejection or alert for those kinds.
type Event struct {
	Kind      EventKind
	Status    Status
	Exception *wire.Exception
	Rejection *wire.Reject
	Alert     *wire.Alert
}

// Status returns the current status.
func (c *Client) Status() Status {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.status
}

func (c *Client) emit(e Event) {
	e.Status = c.Status()
	if c.cfg.OnEvent != nil {
		c.cfg.OnEvent(e)
	}
}

func (c *Client) update(f func(*Status)) {
	c.mu.Lock()
	f(&c.status)
	c.mu.Unlock()
	c.emit(Event{Kind: EventStatus})
}

func (c *Client) setOnline(w wire.Welcome) {
	// Connected again: the last failure is history.
	c.update(func(s *Status) { s.Online, s.Team, s.LastError = true, w.Team, "" })
}

func (c *Client) setOffline(lastErr string) {
	c.update(func(s *Status) {
		s.Online = false
		if lastErr != "" {
			s.LastError = lastErr
		}
	})
}

// synced records a completed round: the cursor, the time and the counts.
func (c *Client) synced(ctx context.Context, cur wire.Cursor) {
	counts := c.counts(ctx)
	c.update(func(s *Status) {
		s.Cursor, s.LastSync, s.LastError = cur, c.cfg.Now(), ""
		counts(s)
	})
	c.persist()
}

// persist writes the last sync time and error for later status commands.
func (c *Client) persist() {
	if c.cfg.DataDir == "" {
		return
	}
	st := c.Status()
	if err := saveLastRun(c.cfg.DataDir, LastRun{LastSync: st.LastSync, LastError: st.LastError}); err != nil {
		c.cfg.Logger.Warn("sync: cannot save the last sync status", "err", err)
	}
}

// refreshCounts re-reads the pending, exception and rejection counts.
func (c *Client) refreshCounts(ctx context.Context) {
	c.update(c.counts(ctx))
}

func (c *Client) counts(ctx context.Context) func(*Status) {
	r := c.cfg.Replica
	n, errP := r.PendingCount(ctx)
	ex, errE := r.Exceptions(ctx)
	rj, errR := r.Rejections(ctx)
	return func(s *Status) {
		if errP == nil {
			s.Pending = n
		}
		if errE == nil {
			s.Exceptions = len(ex)
		}
		if errR == nil {
			s.Rejections = len(rj)
		}
	}
}

// finish records the outcome of a connection in the status.
func (c *Client) finish(err error) {
	if err == nil {
		return
	}
	c.cfg.Logger.Warn("sync stopped", "err", err)
	c.setOffline(Describe(err))
	c.persist()
}

// Describe turns a sync error into plain words for the status line; the
// details stay in the log.
func Describe(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, errTokenRevoked):
		return "The server ended the session (sign-in or role changed); reconnecting."
	case errors.Is(err, ErrNotLoggedIn), errors.Is(err, ErrUnauthorized):
		return "Not signed in to the sync server: log in again."
	case errors.Is(err, ErrClockSkew):
		return "This computer's clock is off; correct the date and time to sync."
	case errors.Is(err, ErrLocked):
		return "The server account is locked for now after failed sign-ins."
	case errors.Is(err, ErrForbidden):
		return "The sync server refused this user or device."
	case errors.Is(err, ErrRateLimited):
		return "Too many requests to the sync server; retrying later."
	case errors.Is(err, ErrCheckpoint):
		return "The server's audit log failed verification: it is not an extension of what this desktop saw before."
	case errors.Is(err, ErrProtocol):
		return "The sync server answered something this version does not understand."
	case errors.Is(err, ErrBadServer):
		return "The sync server address is not usable (https is required)."
	case errors.Is(err, context.DeadlineExceeded):
		return "The sync server did not answer in time."
	default:
		return "The sync server cannot be reached; retrying."
	}
}

// RefreshLocal reads the pending count, cursor, exceptions and rejections
// from the replica without contacting the server (for status commands).
func (c *Client) RefreshLocal(ctx context.Context) error {
	cur, err := c.cfg.Replica.Cursor(ctx)
	if err != nil {
		return err
	}
	counts := c.counts(ctx)
	c.update(func(s *Status) {
		s.Cursor = cur
		counts(s)
	})
	return nil
}

// Reachable reports whether the server answers its health check now.
func (c *Client) Reachable(ctx context.Context) bool {
	return c.auth.Health(ctx) == nil
}
