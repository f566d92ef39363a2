package client

import (
	"context"
	"fmt"

	"github.com/smartap/desktop/sync/wire"
)

// pageAction is what to do with a page given the cursor.
type pageAction int

const (
	pageIgnore   pageAction = iota // nothing new
	pageApply                      // ops follow the cursor: apply them
	pageGap                        // ops start past the cursor: pull instead
	pageNewIndex                   // another sequence space: bootstrap
)

// planPage decides how a page relates to the cursor. Server sequences are
// gapless, so a page follows the cursor when its first new op has sequence
// cursor+1; ops at or before the cursor were applied already and are
// dropped (applying is idempotent, but there is no reason to).
func planPage(cur wire.Cursor, p wire.Page) (pageAction, []wire.Sequenced) {
	if cur.Index == "" || p.Next.Index != cur.Index {
		return pageNewIndex, nil
	}
	ops := p.Ops
	for len(ops) > 0 && ops[0].Seq <= cur.Seq {
		ops = ops[1:]
	}
	switch {
	case len(ops) == 0 && p.Next.Seq <= cur.Seq:
		return pageIgnore, nil
	case len(ops) == 0 || ops[0].Seq != cur.Seq+1:
		return pageGap, nil
	}
	return pageApply, ops
}

// livePage handles an unsolicited page: applied when it follows the
// cursor, else remembered as a reason to pull.
func (s *session) livePage(ctx context.Context, p wire.Page) error {
	act, ops := planPage(s.cur, p)
	switch act {
	case pageApply:
		if err := s.apply(ctx, ops, p.Next); err != nil {
			return err
		}
		s.needPull = s.needPull || p.More
	case pageGap, pageNewIndex:
		s.needPull = true
	}
	return nil
}

func (s *session) apply(ctx context.Context, ops []wire.Sequenced, next wire.Cursor) error {
	if err := s.r.ApplyPage(ctx, ops, next); err != nil {
		return fmt.Errorf("apply ops %d..%d: %w", ops[0].Seq, ops[len(ops)-1].Seq, err)
	}
	s.cur = next
	return nil
}

// maxGaps bounds pull answers that do not follow the cursor in a row; a
// correct server never sends one, so this only stops a loop.
const maxGaps = 3

// pullAll pulls pages until the server has no more, bootstrapping if the
// server's index changed.
func (s *session) pullAll(ctx context.Context) error {
	gaps := 0
	for {
		p, err := s.pull(ctx)
		if err != nil {
			return err
		}
		act, ops := planPage(s.cur, p)
		switch act {
		case pageNewIndex:
			if err := s.bootstrap(ctx); err != nil {
				return err
			}
			continue
		case pageGap:
			if gaps++; gaps > maxGaps {
				return fmt.Errorf("%w: pull after %d answered a page that does not follow it (next %d)", ErrProtocol, s.cur.Seq, p.Next.Seq)
			}
			continue
		case pageApply:
			if err := s.apply(ctx, ops, p.Next); err != nil {
				return err
			}
		}
		gaps = 0
		if !p.More {
			s.needPull = false
			return nil
		}
	}
}

func (s *session) pull(ctx context.Context) (wire.Page, error) {
	id, err := s.cn.send(wire.Pull{After: s.cur, Limit: wire.MaxPage})
	if err != nil {
		return wire.Page{}, err
	}
	var page wire.Page
	err = s.await(ctx, byID(id), func(m wire.Message) (bool, error) {
		p, ok := m.Body.(wire.Page)
		if !ok {
			return false, fmt.Errorf("%w: %s answering a pull", ErrProtocol, m.Body.Type())
		}
		page = p
		return true, nil
	})
	return page, err
}

// bootstrapWindow is how many snapshot pages are asked for ahead of the
// one being applied: the server builds and sends the next pages while
// this client applies one, so a bootstrap costs no round trip per page.
// Pages are answered in order; asking past the last page is answered with
// an empty last page, which is drained.
const bootstrapWindow = 4

// bootstrap loads a snapshot page by page (all from one snapshot: the
// later requests name the first page's cursor); the last page sets the
// cursor, and the caller pulls the tail from there.
func (s *session) bootstrap(ctx context.Context) error {
	if s.bootstrapped {
		return fmt.Errorf("%w: the server changed its index id twice in one session", ErrProtocol)
	}
	s.bootstrapped = true
	s.c.cfg.Logger.Info("sync bootstrap", "from", s.cur.String(), "server", s.welcome.Head.String())
	id, err := s.cn.send(wire.Bootstrap{Page: 0})
	if err != nil {
		return err
	}
	first, err := s.snapshot(ctx, id, nil, 0)
	if err != nil {
		return err
	}
	if err := s.applySnapshot(ctx, first); err != nil {
		return err
	}
	at := first.At
	if !first.Last {
		if err := s.bootstrapRest(ctx, at); err != nil {
			return err
		}
	}
	s.cur = at
	return nil
}

// bootstrapRest loads pages 1 to the last of the snapshot at, keeping
// bootstrapWindow requests in flight.
func (s *session) bootstrapRest(ctx context.Context, at wire.Cursor) error {
	type asked struct {
		id   string
		page uint32
	}
	var inflight []asked
	next := uint32(1)
	ask := func() error {
		id, err := s.cn.send(wire.Bootstrap{At: &at, Page: next})
		inflight = append(inflight, asked{id, next})
		next++
		return err
	}
	for range bootstrapWindow {
		if err := ask(); err != nil {
			return err
		}
	}
	for {
		a := inflight[0]
		inflight = inflight[1:]
		snap, err := s.snapshot(ctx, a.id, &at, a.page)
		if err != nil {
			return err
		}
		if snap.Last {
			// Drain the answers to the requests past the last page.
			for _, a := range inflight {
				if _, err := s.snapshot(ctx, a.id, &at, a.page); err != nil {
					return err
				}
			}
			return s.applySnapshot(ctx, snap)
		}
		if err := ask(); err != nil {
			return err
		}
		if err := s.applySnapshot(ctx, snap); err != nil {
			return err
		}
	}
}

func (s *session) applySnapshot(ctx context.Context, snap wire.Snapshot) error {
	if err := s.r.ApplySnapshot(ctx, snap); err != nil {
		return fmt.Errorf("apply snapshot page %d: %w", snap.Page, err)
	}
	return nil
}

// snapshot awaits the answer to bootstrap request id, for page of the
// snapshot at (nil: a new snapshot).
func (s *session) snapshot(ctx context.Context, id string, at *wire.Cursor, page uint32) (wire.Snapshot, error) {
	var snap wire.Snapshot
	err := s.await(ctx, byID(id), func(m wire.Message) (bool, error) {
		sn, ok := m.Body.(wire.Snapshot)
		switch {
		case !ok:
			return false, fmt.Errorf("%w: %s answering a bootstrap", ErrProtocol, m.Body.Type())
		case sn.Page != page || at != nil && sn.At != *at:
			return false, fmt.Errorf("%w: snapshot page %d at %s, asked for page %d", ErrProtocol, sn.Page, sn.At.String(), page)
		}
		snap = sn
		return true, nil
	})
	return snap, err
}
