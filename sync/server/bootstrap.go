package server

import (
	"context"
	"slices"
	"strings"

	"github.com/smartap/desktop/sync/authority"
	"github.com/smartap/desktop/sync/opcodec"
	"github.com/smartap/desktop/sync/wire"
)

// pageBudget is the most record bytes (field values) put in one snapshot
// page, leaving room for JSON and escaping within wire.MaxFrame.
const pageBudget = 512 << 10

// snapshot is one bootstrap in progress on a connection: the invoice
// views as of cursor at (immutable values, shared with the team) and where
// each page starts, found as pages are served in order.
type snapshot struct {
	at     wire.Cursor
	views  []authority.View
	starts []int // starts[n] = index in views of page n's first view
}

// bootstrap answers one Bootstrap page. Without At, or with an At that is
// not this connection's snapshot (a new connection, a stale request), the
// server takes a new snapshot and answers its page 0; the client starts
// over from that page's At. After the last page the client pulls from At.
func (c *conn) bootstrap(ctx context.Context, id string, b wire.Bootstrap) {
	page := b.Page
	if b.At == nil || c.snap == nil || *b.At != c.snap.at {
		ctx, cancel := c.deadline(ctx)
		snap, err := c.takeSnapshot(ctx)
		cancel()
		if err != nil {
			c.closeWith(1011, "the log is unavailable; retry later")
			return
		}
		c.snap, page = snap, 0
	}
	out, err := c.snap.page(page)
	if err != nil {
		c.closeWith(1011, "cannot encode the snapshot")
		return
	}
	c.reply(id, out)
}

func (c *conn) takeSnapshot(ctx context.Context) (*snapshot, error) {
	t := c.team
	t.mu.Lock()
	exs, err := t.catchUp(ctx, c.s.cfg.Store)
	if err != nil {
		t.mu.Unlock()
		return nil, err
	}
	snap := &snapshot{at: wire.Cursor{Index: t.index, Seq: t.head}, views: make([]authority.View, 0, len(t.views)), starts: []int{0}}
	for _, v := range t.views {
		snap.views = append(snap.views, v)
	}
	t.mu.Unlock()
	t.announce(exs)
	slices.SortFunc(snap.views, func(a, b authority.View) int { return strings.Compare(a.State.Entity.ID, b.State.Entity.ID) })
	return snap, nil
}

// page builds page n, building the pages before it first if needed.
func (s *snapshot) page(n uint32) (wire.Snapshot, error) {
	for uint32(len(s.starts)) <= n { // #nosec G115 -- page counts are small
		if s.starts[len(s.starts)-1] >= len(s.views) {
			return wire.Snapshot{At: s.at, Page: n, Last: true, Records: []wire.Record{}}, nil
		}
		_, next, err := s.build(s.starts[len(s.starts)-1])
		if err != nil {
			return wire.Snapshot{}, err
		}
		s.starts = append(s.starts, next)
	}
	recs, next, err := s.build(s.starts[n])
	if err != nil {
		return wire.Snapshot{}, err
	}
	if uint32(len(s.starts)) == n+1 { // #nosec G115 -- page counts are small
		s.starts = append(s.starts, next)
	}
	return wire.Snapshot{At: s.at, Page: n, Last: next >= len(s.views), Records: recs}, nil
}

// build encodes the views from index from on, as many as fit one page,
// and returns the records and the index of the first view left out. An
// invoice's records are never split across pages.
func (s *snapshot) build(from int) ([]wire.Record, int, error) {
	recs := []wire.Record{}
	size, i := 0, from
	for ; i < len(s.views); i++ {
		rs, err := opcodec.StateRecords(s.views[i].State)
		if err != nil {
			return nil, 0, err
		}
		n := recordBytes(rs)
		if len(recs) > 0 && (len(recs)+len(rs) > wire.MaxPage || size+n > pageBudget) {
			break
		}
		recs, size = append(recs, rs...), size+n
	}
	return recs, i, nil
}

func recordBytes(rs []wire.Record) int {
	n := 0
	for _, r := range rs {
		n += 96 + len(r.Entity.ID)
		for _, f := range r.Fields {
			n += 32 + len(f.Name)
			if f.Value != nil {
				n += len(*f.Value) + len(*f.Value)/3 // headroom for escaped quotes
			}
		}
	}
	return n
}
