package server

import (
	"context"
	"errors"
	"time"

	"github.com/smartap/desktop/sync/wire"
)

// pull answers a Pull with a Page. A cursor of another index gets an empty
// page whose next cursor is (current index, 0): the client must bootstrap.
func (c *conn) pull(ctx context.Context, id string, p wire.Pull) {
	t := c.team
	if p.After.Index != t.index {
		c.reply(id, wire.Page{Ops: []wire.Sequenced{}, Next: wire.Cursor{Index: t.index}})
		return
	}
	ctx, cancel := c.deadline(ctx)
	defer cancel()
	page, err := c.page(ctx, p.After.Seq, int(p.Limit))
	if err != nil {
		c.closeWith(1011, "the log is unavailable; retry later")
		return
	}
	c.advance(page.Next.Seq)
	c.reply(id, page)
}

// page reads up to limit ops after seq from the store, cut so the frame
// fits wire.MaxFrame.
func (c *conn) page(ctx context.Context, after uint64, limit int) (wire.Page, error) {
	for {
		sp, err := c.s.cfg.Store.Pull(ctx, c.team.id, after, limit)
		if err != nil {
			return wire.Page{}, err
		}
		page := wire.Page{Ops: make([]wire.Sequenced, 0, len(sp.Entries)), Next: sp.Next, More: sp.More}
		for _, e := range sp.Entries {
			page.Ops = append(page.Ops, wire.Sequenced{Seq: e.Seq, Op: e.Op})
		}
		if fits(page) || limit == 1 {
			return page, nil
		}
		limit = max(1, len(sp.Entries)/2)
	}
}

// fits reports whether a page encodes within wire.MaxFrame.
func fits(b wire.Body) bool {
	_, err := wire.Encode(wire.Message{ID: "s0", Body: b})
	return !errors.Is(err, wire.ErrTooLarge)
}

// advance records that the client has been sent everything up to seq.
func (c *conn) advance(seq uint64) {
	for {
		cur := c.lastSent.Load()
		if seq <= cur || c.lastSent.CompareAndSwap(cur, seq) {
			return
		}
	}
}

// sendLive writes unsolicited pages of what committed after the last
// sequence sent, from the team's recent entries when they reach back far
// enough, else from the store. Runs in the writer.
func (c *conn) sendLive(ctx context.Context) error {
	t := c.team
	for {
		after := c.lastSent.Load()
		if after >= t.cursor().Seq {
			return nil
		}
		recent, covered := t.since(after, wire.MaxPage)
		if !covered || len(recent) == 0 {
			ctx, cancel := c.deadline(ctx)
			p, err := c.page(ctx, after, wire.MaxPage)
			cancel()
			if err != nil || len(p.Ops) == 0 {
				return err
			}
			if err := c.write(wire.Message{ID: c.freshID(), Body: p}); err != nil {
				return err
			}
			c.advance(p.Next.Seq)
			continue
		}
		page := wire.Page{Ops: make([]wire.Sequenced, 0, len(recent)), Next: wire.Cursor{Index: t.index}}
		for _, l := range recent {
			page.Ops = append(page.Ops, wire.Sequenced{Seq: l.entry.Seq, Op: l.entry.Op})
		}
		frame, err := c.encodePage(page, t.cursor().Seq)
		if err != nil {
			return err
		}
		if err := c.writeFrame(frame.bytes); err != nil {
			return err
		}
		c.s.metrics.FanoutLatency(time.Since(recent[0].at))
		c.advance(frame.next)
	}
}

type encoded struct {
	bytes []byte
	next  uint64
}

// encodePage encodes a page of ops, halving it until it fits a frame
// (encoding once in the common case).
func (c *conn) encodePage(page wire.Page, head uint64) (encoded, error) {
	for {
		page.Next.Seq = page.Ops[len(page.Ops)-1].Seq
		page.More = page.Next.Seq < head
		b, err := wire.Encode(wire.Message{ID: c.freshID(), Body: page})
		if errors.Is(err, wire.ErrTooLarge) && len(page.Ops) > 1 {
			page.Ops = page.Ops[:len(page.Ops)/2]
			continue
		}
		return encoded{bytes: b, next: page.Next.Seq}, err
	}
}
