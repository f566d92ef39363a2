package server

import (
	"context"
	"time"

	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/sync/server/events"
	"github.com/smartap/desktop/sync/wire"
)

// forwardAlerts sends each security event as an Alert to the connected
// admins of its team until the server closes.
func (s *Server) forwardAlerts(ch <-chan events.Event, cancel func()) {
	defer cancel()
	for {
		select {
		case <-s.ctx.Done():
			return
		case e, ok := <-ch:
			if !ok {
				return
			}
			s.alert(e)
		}
	}
}

func (s *Server) alert(e events.Event) {
	s.mu.Lock()
	t := s.teams[e.Team]
	s.mu.Unlock()
	if t == nil || e.Team == "" {
		return
	}
	at := e.At.UnixMilli()
	if at <= 0 {
		at = s.nowMs()
	}
	a := wire.Alert{Kind: e.Kind, User: e.User, Device: e.Device, Detail: truncate(e.Detail, wire.MaxText), At: at}
	if a.Detail == "" {
		a.Detail = e.Kind
	}
	if wire.Validate(a) != nil {
		a.User, a.Device = truncate(a.User, 64), truncate(a.Device, 64)
	}
	for _, c := range t.members() {
		if c.currentRole() == identity.Admin {
			c.notify(a)
		}
	}
}

// listener is a store that reports other replicas' appends (pgstore).
type listener interface {
	Listen(ctx context.Context, fn func(team string, head uint64)) error
}

// follow listens for appends by any replica and brings the loaded teams up
// to date, which wakes their connections. After the listener fails it
// reconnects with back-off and catches every loaded team up, since
// notifications may have been missed meanwhile.
func (s *Server) follow(l listener) {
	backoff := 100 * time.Millisecond
	for s.ctx.Err() == nil {
		start := time.Now()
		_ = l.Listen(s.ctx, func(team string, head uint64) { s.refresh(team, head) })
		if s.ctx.Err() != nil {
			return
		}
		if time.Since(start) > time.Minute {
			backoff = 100 * time.Millisecond
		}
		select {
		case <-s.ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 10*time.Second)
		s.refreshAll()
	}
}

// poll catches the loaded teams up every PollInterval: the safety net
// under LISTEN/NOTIFY, whose notifications are lost while the listening
// connection is down.
func (s *Server) poll() {
	tick := time.NewTicker(s.lim.PollInterval)
	defer tick.Stop()
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-tick.C:
			s.refreshAll()
		}
	}
}

func (s *Server) refreshAll() {
	s.mu.Lock()
	ids := make([]string, 0, len(s.teams))
	for id := range s.teams {
		ids = append(ids, id)
	}
	s.mu.Unlock()
	for _, id := range ids {
		ctx, cancel := context.WithTimeout(s.ctx, 30*time.Second)
		head, err := s.cfg.Store.Head(ctx, id)
		cancel()
		if err == nil {
			s.refresh(id, head)
		}
	}
}

// refresh catches a loaded team up to at least head and announces.
func (s *Server) refresh(id string, head uint64) {
	s.mu.Lock()
	t := s.teams[id]
	s.mu.Unlock()
	if t == nil {
		return // nobody here follows this team; it loads on first use
	}
	if head != 0 && t.cursor().Seq >= head {
		return // our own append, or already caught up
	}
	ctx, cancel := context.WithTimeout(s.ctx, 30*time.Second)
	defer cancel()
	t.mu.Lock()
	exs, err := t.catchUp(ctx, s.cfg.Store)
	t.mu.Unlock()
	if err == nil || len(exs) > 0 {
		t.announce(exs)
	}
}
