package client

import (
	"context"
	"fmt"
	"time"

	"github.com/smartap/desktop/sync/wire"
)

// session is the protocol state of one connection. Only its goroutine
// reads the inbound channel and writes frames.
type session struct {
	c       *Client
	cn      *conn
	r       Replica
	welcome wire.Welcome
	cur     wire.Cursor // the replica's cursor, mirrored
	// needPull is set when a live page did not follow the cursor.
	needPull bool
	// bootstrapped limits bootstraps to one per connection: a server that
	// keeps changing its index id is broken, not something to chase.
	bootstrapped bool
	// lastAudit is the last acknowledged audit op of this connection, for
	// the checkpoint's inclusion proof.
	lastAudit *wire.Op
}

// next returns the next inbound message, bounded by the request timeout.
func (s *session) next(ctx context.Context) (wire.Message, error) {
	t := time.NewTimer(s.c.cfg.RequestTimeout)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return wire.Message{}, ctx.Err()
	case <-t.C:
		return wire.Message{}, fmt.Errorf("%w: no answer within %s", ErrUnavailable, s.c.cfg.RequestTimeout)
	case in, ok := <-s.cn.in:
		if !ok {
			return wire.Message{}, fmt.Errorf("%w: connection closed", ErrUnavailable)
		}
		return in.msg, in.err
	}
}

// await reads messages until handle reports done. Messages that are not
// the awaited answer (match false) are handled as unsolicited ones.
func (s *session) await(ctx context.Context, match func(wire.Message) bool, handle func(wire.Message) (bool, error)) error {
	for {
		m, err := s.next(ctx)
		if err != nil {
			return err
		}
		if !match(m) {
			if err := s.unsolicited(ctx, m); err != nil {
				return err
			}
			continue
		}
		done, err := handle(m)
		if err != nil || done {
			return err
		}
	}
}

// byID matches answers to the request with message id id.
func byID(id string) func(wire.Message) bool {
	return func(m wire.Message) bool { return m.ID == id }
}

// unsolicited handles what the server sends on its own: live pages,
// exceptions and security alerts. Anything else out of turn is ignored
// with a log line (e.g. a late answer to a request that timed out).
func (s *session) unsolicited(ctx context.Context, m wire.Message) error {
	switch b := m.Body.(type) {
	case wire.Page:
		return s.livePage(ctx, b)
	case wire.Exception:
		return s.exception(ctx, b)
	case wire.Alert:
		a := b
		s.c.emit(Event{Kind: EventAlert, Alert: &a})
		return nil
	default:
		s.c.cfg.Logger.Debug("sync: ignoring unexpected message", "type", m.Body.Type(), "id", m.ID)
		return nil
	}
}

func (s *session) exception(ctx context.Context, e wire.Exception) error {
	if err := s.r.Exception(ctx, e); err != nil {
		return fmt.Errorf("record exception %s: %w", e.ID, err)
	}
	s.c.refreshCounts(ctx)
	s.c.emit(Event{Kind: EventException, Exception: &e})
	return nil
}

// hello opens the session and checks that the server speaks for our user.
func (s *session) hello(ctx context.Context, access string) error {
	id, err := s.cn.send(wire.Hello{Device: s.r.Device(), Client: s.c.cfg.Version, Token: wire.Secret(access)})
	if err != nil {
		return err
	}
	err = s.await(ctx, byID(id), func(m wire.Message) (bool, error) {
		w, ok := m.Body.(wire.Welcome)
		if !ok {
			return false, fmt.Errorf("%w: %s instead of welcome", ErrProtocol, m.Body.Type())
		}
		if w.User != s.c.cfg.User {
			return false, fmt.Errorf("%w: server speaks for user %q, not %q", ErrProtocol, w.User, s.c.cfg.User)
		}
		s.welcome = w
		return true, nil
	})
	if err != nil {
		return fmt.Errorf("hello: %w", err)
	}
	if b, ok := s.r.(Binder); ok {
		if err := b.Bind(ctx, s.welcome.User); err != nil {
			return fmt.Errorf("bind the server user: %w", err)
		}
	}
	if s.cur, err = s.r.Cursor(ctx); err != nil {
		return fmt.Errorf("read the sync cursor: %w", err)
	}
	return nil
}

// syncAll is one full round: bootstrap if needed, push, pull to the head,
// attachments, and a checkpoint when audit ops went up.
func (s *session) syncAll(ctx context.Context) error {
	if s.cur.Index == "" || s.cur.Index != s.welcome.Head.Index {
		if err := s.bootstrap(ctx); err != nil {
			return err
		}
	}
	if err := s.pushAll(ctx); err != nil {
		return err
	}
	if err := s.pullAll(ctx); err != nil {
		return err
	}
	if err := s.uploadAll(ctx); err != nil {
		return err
	}
	if err := s.downloadAll(ctx); err != nil {
		return err
	}
	return s.checkpoint(ctx)
}

// watch keeps the connection: live pages and exceptions as they come,
// pushes when the outbox grows (Notify or poll).
func (s *session) watch(ctx context.Context) error {
	t := time.NewTicker(s.c.cfg.Poll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case in, ok := <-s.cn.in:
			if !ok {
				return fmt.Errorf("%w: connection closed", ErrUnavailable)
			}
			if in.err != nil {
				return in.err
			}
			if err := s.unsolicited(ctx, in.msg); err != nil {
				return err
			}
			if s.needPull {
				if err := s.pullAll(ctx); err != nil {
					return err
				}
			}
			s.c.synced(ctx, s.cur)
		case <-s.c.notify:
			if err := s.round(ctx); err != nil {
				return err
			}
		case <-t.C:
			n, err := s.r.PendingCount(ctx)
			if err != nil {
				return fmt.Errorf("count pending ops: %w", err)
			}
			if n > 0 || s.needPull {
				if err := s.round(ctx); err != nil {
					return err
				}
			}
		}
	}
}

// round pushes and pulls after a local change.
func (s *session) round(ctx context.Context) error {
	if err := s.syncAll(ctx); err != nil {
		return err
	}
	s.c.synced(ctx, s.cur)
	return nil
}
