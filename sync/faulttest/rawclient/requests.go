package rawclient

import (
	"context"
	"fmt"

	"github.com/smartap/desktop/sync/wire"
)

// Answer is the server's answer to one push: the acked ops with their
// sequences and the refused ones.
type Answer struct {
	Index   string
	Acks    map[string]uint64
	Rejects map[string]wire.Reject
}

// Push sends ops and waits until every op is acked or refused. On an
// error, Answer holds what arrived before it.
func (c *Conn) Push(ctx context.Context, ops []wire.Op) (Answer, error) {
	a := Answer{Acks: map[string]uint64{}, Rejects: map[string]wire.Reject{}}
	id, ch, err := c.send(wire.Push{Ops: ops}, len(ops)+1)
	if err != nil {
		return a, err
	}
	defer c.forget(id)
	for len(a.Acks)+len(a.Rejects) < len(ops) {
		select {
		case m := <-ch:
			switch b := m.Body.(type) {
			case wire.Ack:
				a.Index = b.Index
				for _, o := range b.Ops {
					a.Acks[o.Op] = o.Seq
				}
			case wire.Reject:
				a.Rejects[b.Op] = b
			default:
				return a, fmt.Errorf("rawclient: %s answering a push", b.Type())
			}
		case <-c.done:
			return a, fmt.Errorf("%w: %d of %d ops answered: %v", ErrClosed, len(a.Acks)+len(a.Rejects), len(ops), c.Err())
		case <-ctx.Done():
			return a, ctx.Err()
		}
	}
	return a, nil
}

// Pull asks for one page after a cursor.
func (c *Conn) Pull(ctx context.Context, after wire.Cursor, limit uint32) (wire.Page, error) {
	ms, err := c.request(ctx, wire.Pull{After: after, Limit: limit}, 1)
	if err != nil {
		return wire.Page{}, err
	}
	p, ok := ms[0].Body.(wire.Page)
	if !ok {
		return wire.Page{}, fmt.Errorf("rawclient: %s answering a pull", ms[0].Body.Type())
	}
	return p, nil
}

// PullAll pulls every op after a cursor and returns them with the cursor
// after the last.
func (c *Conn) PullAll(ctx context.Context, after wire.Cursor) ([]wire.Sequenced, wire.Cursor, error) {
	var all []wire.Sequenced
	for {
		p, err := c.Pull(ctx, after, wire.MaxPage)
		if err != nil {
			return all, after, err
		}
		all = append(all, p.Ops...)
		after = p.Next
		if !p.More {
			return all, after, nil
		}
	}
}

// bootstrapWindow is how many snapshot pages Bootstrap asks for ahead,
// as sync/client does: no round trip per page.
const bootstrapWindow = 4

// Bootstrap fetches every snapshot page; onPage (may be nil) sees each.
// It returns the number of records and the cursor to pull from.
func (c *Conn) Bootstrap(ctx context.Context, onPage func(wire.Snapshot)) (int, wire.Cursor, error) {
	ms, err := c.request(ctx, wire.Bootstrap{}, 1)
	if err != nil {
		return 0, wire.Cursor{}, err
	}
	s, ok := ms[0].Body.(wire.Snapshot)
	if !ok || s.Page != 0 {
		return 0, wire.Cursor{}, fmt.Errorf("rawclient: %s answering a bootstrap for page 0", ms[0].Body.Type())
	}
	if onPage != nil {
		onPage(s)
	}
	records, at := len(s.Records), s.At
	if s.Last {
		return records, at, nil
	}
	type asked struct {
		id   string
		ch   chan wire.Message
		page uint32
	}
	var inflight []asked
	defer func() {
		for _, a := range inflight {
			c.forget(a.id)
		}
	}()
	next := uint32(1)
	for last := false; !last || len(inflight) > 0; {
		for !last && len(inflight) < bootstrapWindow {
			id, ch, err := c.send(wire.Bootstrap{At: &at, Page: next}, 1)
			if err != nil {
				return records, wire.Cursor{}, err
			}
			inflight = append(inflight, asked{id, ch, next})
			next++
		}
		a := inflight[0]
		var m wire.Message
		select {
		case m = <-a.ch:
		case <-c.done:
			return records, wire.Cursor{}, fmt.Errorf("%w: waiting for a snapshot page: %v", ErrClosed, c.Err())
		case <-ctx.Done():
			return records, wire.Cursor{}, ctx.Err()
		}
		c.forget(a.id)
		inflight = inflight[1:]
		s, ok := m.Body.(wire.Snapshot)
		if !ok || s.At != at || s.Page != a.page {
			return records, wire.Cursor{}, fmt.Errorf("rawclient: %s (page %d) answering a bootstrap for page %d", m.Body.Type(), s.Page, a.page)
		}
		if last {
			continue // an empty page past the last one, asked ahead
		}
		if onPage != nil {
			onPage(s)
		}
		records += len(s.Records)
		last = s.Last
	}
	return records, at, nil
}

// Checkpoint asks for a signed checkpoint.
func (c *Conn) Checkpoint(ctx context.Context, w wire.CheckpointWant) (wire.Checkpoint, error) {
	ms, err := c.request(ctx, w, 1)
	if err != nil {
		return wire.Checkpoint{}, err
	}
	cp, ok := ms[0].Body.(wire.Checkpoint)
	if !ok {
		return wire.Checkpoint{}, fmt.Errorf("rawclient: %s answering a checkpoint request", ms[0].Body.Type())
	}
	return cp, nil
}
