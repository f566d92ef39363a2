package client

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/gorilla/websocket"

	"github.com/smartap/desktop/sync/httpapi"
	"github.com/smartap/desktop/sync/wire"
)

// fakeServer speaks the protocol the way docs/SYNC.md describes, minus
// merging and authority, so the client's flows can be tested before and
// apart from the real server. The end-to-end tests use the real one.
type fakeServer struct {
	t   *testing.T
	srv *httptest.Server

	mu       sync.Mutex
	index    string
	log      []wire.Sequenced
	byID     map[string]uint64
	refresh  map[string]bool // valid refresh tokens (one per device family)
	access   map[string]bool // valid access tokens
	refreshN int
	files    map[wire.Hash][]byte
	conns    map[*fakeConn]bool
	// dropAfterCommit closes the connection after storing a push, before
	// acknowledging it (a cut between commit and ack).
	dropAfterCommit int
	forbidden       string // entity id whose ops are rejected
	hellos          int
	// snapPages is how many pages a snapshot has (0: 2); bootstraps counts
	// the bootstrap requests.
	snapPages, bootstraps int
}

type fakeConn struct {
	ws   *websocket.Conn
	wmu  sync.Mutex
	sent uint64
	n    int
}

func newFakeServer(t *testing.T) *fakeServer {
	f := &fakeServer{t: t, index: "idx1", byID: map[string]uint64{}, refresh: map[string]bool{}, access: map[string]bool{},
		files: map[wire.Hash][]byte{}, conns: map[*fakeConn]bool{}}
	mux := http.NewServeMux()
	mux.HandleFunc(httpapi.PathRefresh, f.handleRefresh)
	mux.HandleFunc(httpapi.PathSync, f.handleSync)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeServer) handleRefresh(w http.ResponseWriter, r *http.Request) {
	var req httpapi.RefreshRequest
	_ = json.NewDecoder(r.Body).Decode(&req)
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.refresh[req.RefreshToken] {
		w.WriteHeader(http.StatusUnauthorized)
		_ = json.NewEncoder(w).Encode(httpapi.Error{Code: httpapi.CodeUnauthorized, Message: "bad token"})
		return
	}
	f.refreshN++
	delete(f.refresh, req.RefreshToken)
	rt, at := fmt.Sprintf("r%d", f.refreshN), fmt.Sprintf("a%d", f.refreshN)
	f.refresh[rt], f.access[at] = true, true
	_ = json.NewEncoder(w).Encode(httpapi.Tokens{AccessToken: at, RefreshToken: rt, ExpiresIn: 900, User: "alice", Team: "t1"})
}

var upgrader = websocket.Upgrader{Subprotocols: []string{httpapi.Subprotocol}}

func (f *fakeServer) handleSync(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	ok := f.access[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
	f.mu.Unlock()
	if !ok {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &fakeConn{ws: ws}
	f.mu.Lock()
	f.conns[c] = true
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		delete(f.conns, c)
		f.mu.Unlock()
		_ = ws.Close()
	}()
	for {
		_, data, err := ws.ReadMessage()
		if err != nil {
			return
		}
		m, err := wire.Decode(data)
		if err != nil {
			f.t.Errorf("fake server: bad frame: %v", err)
			return
		}
		if !f.handle(c, m) {
			return
		}
	}
}

func (c *fakeConn) send(id string, b wire.Body) {
	frame, err := wire.Encode(wire.Message{ID: id, Body: b})
	if err != nil {
		panic(err)
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.ws.WriteMessage(websocket.TextMessage, frame)
}

func (c *fakeConn) fresh() string { c.n++; return fmt.Sprintf("s%d", c.n) }

// closeWith closes the connection with a protocol close code.
func (c *fakeConn) closeWith(code int, text string) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(code, text))
	_ = c.ws.Close()
}

func (f *fakeServer) head() wire.Cursor {
	return wire.Cursor{Index: f.index, Seq: uint64(len(f.log))}
}

func (f *fakeServer) handle(c *fakeConn, m wire.Message) bool {
	switch b := m.Body.(type) {
	case wire.Hello:
		f.mu.Lock()
		f.hellos++
		h := f.head()
		f.mu.Unlock()
		c.send(m.ID, wire.Welcome{Server: "fake", Team: "t1", User: "alice", Head: h})
	case wire.Push:
		return f.push(c, m.ID, b)
	case wire.Pull:
		f.mu.Lock()
		p := f.page(b.After, int(b.Limit))
		f.mu.Unlock()
		c.send(m.ID, p)
	case wire.Bootstrap:
		f.mu.Lock()
		at := f.head()
		f.bootstraps++
		last := uint32(max(f.snapPages, 2) - 1) // #nosec G115 -- small test counts
		f.mu.Unlock()
		if b.At != nil {
			at = *b.At
		}
		// Like the real server: a page past the last is an empty last page.
		c.send(m.ID, wire.Snapshot{At: at, Page: b.Page, Last: b.Page >= last, Records: []wire.Record{}})
	case wire.Chunk:
		f.mu.Lock()
		cur := f.files[b.Hash]
		if uint64(len(cur)) == b.Offset {
			f.files[b.Hash] = append(cur, b.Data...)
		}
		next := uint64(len(f.files[b.Hash]))
		f.mu.Unlock()
		c.send(m.ID, wire.ChunkWant{Hash: b.Hash, Offset: next})
	case wire.ChunkWant:
		f.mu.Lock()
		data := f.files[b.Hash]
		f.mu.Unlock()
		for off := b.Offset; ; {
			end := min(off+4, uint64(len(data)))
			c.send(m.ID, wire.Chunk{Hash: b.Hash, Offset: off, Size: uint64(len(data)), Data: data[off:end], Final: end == uint64(len(data))})
			if off = end; off == uint64(len(data)) {
				break
			}
		}
	}
	return true
}

func (f *fakeServer) page(after wire.Cursor, limit int) wire.Page {
	if after.Index != f.index {
		return wire.Page{Next: wire.Cursor{Index: f.index}}
	}
	ops := f.log[min(after.Seq, uint64(len(f.log))):]
	more := len(ops) > limit
	ops = ops[:min(limit, len(ops))]
	next := after
	if len(ops) > 0 {
		next.Seq = ops[len(ops)-1].Seq
	}
	return wire.Page{Ops: append([]wire.Sequenced(nil), ops...), Next: next, More: more}
}

func (f *fakeServer) push(c *fakeConn, id string, p wire.Push) bool {
	var acks []wire.Acked
	f.mu.Lock()
	for _, op := range p.Ops {
		if op.Entity.ID == f.forbidden {
			c.send(id, wire.Reject{Op: op.ID, Code: "forbidden", Message: "not allowed", Rule: "role.clerk"})
			continue
		}
		seq, dup := f.byID[op.ID]
		if !dup {
			seq = uint64(len(f.log)) + 1
			f.log = append(f.log, wire.Sequenced{Seq: seq, Op: op})
			f.byID[op.ID] = seq
		}
		acks = append(acks, wire.Acked{Op: op.ID, Seq: seq})
	}
	drop := f.dropAfterCommit > 0
	if drop {
		f.dropAfterCommit--
	}
	f.mu.Unlock()
	if drop {
		_ = c.ws.Close()
		return false
	}
	if len(acks) > 0 {
		c.send(id, wire.Ack{Index: f.index, Ops: acks})
	}
	f.fanOut()
	return true
}

// fanOut sends every connection the ops it has not been sent.
func (f *fakeServer) fanOut() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for c := range f.conns {
		p := f.page(wire.Cursor{Index: f.index, Seq: c.sent}, wire.MaxPage)
		if len(p.Ops) == 0 {
			continue
		}
		c.sent = p.Next.Seq
		c.send(c.fresh(), p)
	}
}

// broadcast sends an unsolicited message to every connection.
func (f *fakeServer) broadcast(b wire.Body) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for c := range f.conns {
		c.send(c.fresh(), b)
	}
}

// newLogin registers a fresh refresh token (a login) and returns it.
func (f *fakeServer) newLogin() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.refreshN++
	rt := fmt.Sprintf("login%d", f.refreshN)
	f.refresh[rt] = true
	return rt
}

// revokeAccess makes every access token issued so far invalid.
func (f *fakeServer) revokeAccess() {
	f.mu.Lock()
	defer f.mu.Unlock()
	clear(f.access)
}

func (f *fakeServer) url() string { return strings.TrimRight(f.srv.URL, "/") }
