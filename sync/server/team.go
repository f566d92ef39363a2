package server

import (
	"context"
	"encoding/hex"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/smartap/desktop/sync/authority"
	"github.com/smartap/desktop/sync/checkpoint"
	"github.com/smartap/desktop/sync/merge"
	"github.com/smartap/desktop/sync/opcodec"
	"github.com/smartap/desktop/sync/serverstore"
	"github.com/smartap/desktop/sync/wire"
)

// recentMax is how many of the latest log entries a team keeps in memory
// for live pages, so fan-out to many clients costs no store reads.
const recentMax = 2048

// team is one team's in-memory view of its log: the merged invoices, every
// op id's sequence, the audit Merkle log and the latest entries. It is
// built from the store on first use and then advanced entry by entry, in
// sequence order, by whoever holds mu (ingest here, or catching up with
// other replicas' appends).
type team struct {
	id    string
	index string

	mu      sync.Mutex
	head    uint64 // last sequence applied
	views   map[string]authority.View
	seqOf   map[string]uint64
	audit   *checkpoint.Log
	recent  []live
	headPub uint64 // head as published to readers (under connsMu)

	connsMu sync.Mutex
	conns   map[*conn]struct{}
}

// live is a recent entry and when this process applied it.
type live struct {
	entry serverstore.Entry
	at    time.Time
}

// storeCallTimeout bounds one store read while a team is loaded or caught
// up. A load as a whole has no deadline: replaying a long log takes as
// long as it takes, and stopping it at a request's deadline only made the
// next connection start where it stopped.
const storeCallTimeout = 30 * time.Second

// team returns the team's state, loading it from the store on first use
// or catching it up, and the exceptions the entries it caught up with
// created (none on the first load: they are history, in the state). The
// store is read under the server's lifetime, not ctx: a caller that gives
// up (a hello whose client went away) would otherwise stop the load, and
// the next one would start where it stopped. ctx is checked before.
func (s *Server) team(ctx context.Context, id string) (*team, []wire.Exception, error) {
	s.mu.Lock()
	t, ok := s.teams[id]
	if !ok {
		t = &team{id: id, views: map[string]authority.View{}, seqOf: map[string]uint64{},
			audit: checkpoint.NewLog(id), conns: map[*conn]struct{}{}}
		s.teams[id] = t
	}
	s.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return nil, nil, fmt.Errorf("server: team %s: %w", id, err)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	first := t.index == ""
	if first {
		gctx, cancel := context.WithTimeout(s.ctx, storeCallTimeout)
		tm, err := s.cfg.Store.GetTeam(gctx, id)
		cancel()
		if err != nil {
			return nil, nil, fmt.Errorf("server: team %s: %w", id, err)
		}
		t.index = tm.Index
	}
	exs, err := t.catchUp(s.ctx, s.cfg.Store)
	if err != nil {
		return nil, nil, err
	}
	if first {
		exs = nil
	}
	return t, exs, nil
}

// catchUp applies every entry after head; mu is held. It returns the
// exceptions those entries created. (Reading the next page while applying
// one was tried: on SQLite, whose store has one connection, it made loads
// slower, not faster; see BenchmarkTeamLoad.)
func (t *team) catchUp(ctx context.Context, st serverstore.Store) ([]wire.Exception, error) {
	var exs []wire.Exception
	for {
		p, err := t.pull(ctx, st)
		if err != nil {
			return exs, fmt.Errorf("server: catch up team %s after %d: %w", t.id, t.head, err)
		}
		for _, e := range p.Entries {
			ex, err := t.apply(e)
			if err != nil {
				return exs, err
			}
			exs = append(exs, ex...)
		}
		if !p.More || len(p.Entries) == 0 {
			t.publish()
			return exs, nil
		}
	}
}

// pull reads the page after head, within storeCallTimeout.
func (t *team) pull(ctx context.Context, st serverstore.Store) (serverstore.Page, error) {
	ctx, cancel := context.WithTimeout(ctx, storeCallTimeout)
	defer cancel()
	return st.Pull(ctx, t.id, t.head, wire.MaxPage)
}

// apply advances the state by one committed entry; mu is held. Entries
// must come in sequence order without gaps.
func (t *team) apply(e serverstore.Entry) ([]wire.Exception, error) {
	if e.Seq != t.head+1 {
		return nil, fmt.Errorf("server: team %s: entry %d after %d", t.id, e.Seq, t.head)
	}
	t.head = e.Seq
	t.seqOf[e.Op.ID] = e.Seq
	if err := t.audit.Observe([]checkpoint.Entry{{Seq: e.Seq, Op: e.Op}}); err != nil {
		return nil, fmt.Errorf("server: team %s: %w", t.id, err)
	}
	t.recent = append(t.recent, live{entry: e, at: time.Now()})
	if len(t.recent) > 2*recentMax {
		t.recent = slices.Clone(t.recent[len(t.recent)-recentMax:])
	}
	if e.Op.Entity.Type != merge.EntityInvoice {
		return nil, nil
	}
	op, err := opcodec.FromWire(e.Op)
	if err != nil {
		// Ingest refuses undecodable invoice ops, so this is an op from an
		// older server; every replica skips it alike.
		return nil, nil
	}
	v, ok := t.views[op.Entity.ID]
	if !ok {
		v = authority.NewView(op.Entity)
	}
	v, out := v.Apply(op)
	t.views[op.Entity.ID] = v
	exs := make([]wire.Exception, 0, len(out.Exceptions))
	for _, ex := range out.Exceptions {
		exs = append(exs, wireException(ex, e.Seq))
	}
	return exs, nil
}

// reset drops the state so the next catch-up rebuilds it from the log;
// mu is held.
func (t *team) reset() {
	t.head = 0
	t.views, t.seqOf = map[string]authority.View{}, map[string]uint64{}
	t.audit, t.recent = checkpoint.NewLog(t.id), nil
}

// publish makes head visible to the connections' writers.
func (t *team) publish() {
	t.connsMu.Lock()
	t.headPub = t.head
	t.connsMu.Unlock()
}

// view returns the invoice's view (a new one if no op touched it); mu held.
func (t *team) view(id string) authority.View {
	if v, ok := t.views[id]; ok {
		return v
	}
	return authority.NewView(merge.Entity{Type: merge.EntityInvoice, ID: id})
}

// cursor is the team's head as published.
func (t *team) cursor() wire.Cursor {
	t.connsMu.Lock()
	defer t.connsMu.Unlock()
	return wire.Cursor{Index: t.index, Seq: t.headPub}
}

// join adds c to the team's fan-out and returns the head it starts from:
// live pages carry what commits after it.
func (t *team) join(c *conn) wire.Cursor {
	t.connsMu.Lock()
	defer t.connsMu.Unlock()
	t.conns[c] = struct{}{}
	c.lastSent.Store(t.headPub)
	return wire.Cursor{Index: t.index, Seq: t.headPub}
}

func (t *team) leave(c *conn) {
	t.connsMu.Lock()
	delete(t.conns, c)
	t.connsMu.Unlock()
}

// members returns the team's connections.
func (t *team) members() []*conn {
	t.connsMu.Lock()
	defer t.connsMu.Unlock()
	out := make([]*conn, 0, len(t.conns))
	for c := range t.conns {
		out = append(out, c)
	}
	return out
}

// announce wakes every connection for live pages and sends the exceptions.
func (t *team) announce(exs []wire.Exception) {
	for _, c := range t.members() {
		for _, ex := range exs {
			c.notify(ex)
		}
		c.wakeUp()
	}
}

// since returns up to limit recent entries after seq, and whether the
// recent window covers seq (otherwise the caller reads the store).
func (t *team) since(after uint64, limit int) ([]live, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if after >= t.head {
		return nil, true
	}
	if len(t.recent) == 0 {
		return nil, false
	}
	first := t.recent[0].entry.Seq
	if after+1 < first {
		return nil, false
	}
	i := int(after + 1 - first) // #nosec G115 -- bounded by len(recent) below
	if i >= len(t.recent) {
		return nil, true
	}
	return slices.Clone(t.recent[i:min(len(t.recent), i+limit)]), true
}

// wireException converts a merge exception for the wire. Merge ids are
// 32 hex digits; the wire wants the UUID text form of the same 128 bits.
func wireException(ex merge.Exception, seq uint64) wire.Exception {
	return wire.Exception{ID: uuidForm(ex.ID), Seq: seq,
		Entity: wire.Entity{Type: ex.Entity.Type, ID: ex.Entity.ID},
		Kind:   string(ex.Kind), Winner: ex.Winner, Loser: ex.Loser, Message: truncate(ex.Message, wire.MaxText)}
}

func uuidForm(h string) string {
	if b, err := hex.DecodeString(h); err != nil || len(b) != 16 {
		return h
	}
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
