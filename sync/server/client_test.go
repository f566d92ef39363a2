package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/gorilla/websocket"

	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/sync/httpapi"
	"github.com/smartap/desktop/sync/merge"
	"github.com/smartap/desktop/sync/opcodec"
	"github.com/smartap/desktop/sync/wire"
)

// client is one test device connected to a server.
type client struct {
	t      testing.TB
	ws     *websocket.Conn
	user   string
	device string
	next   int
	clock  *clock
	hlc    merge.HLC
	frames chan frame
}

type frame struct {
	m   wire.Message
	err error
}

// dialRaw dials with the given header and subprotocols; it returns the
// connection or the HTTP response of a refused handshake.
func dialRaw(url string, h http.Header, protos []string) (*websocket.Conn, *http.Response, error) {
	d := websocket.Dialer{Subprotocols: protos, HandshakeTimeout: 10 * time.Second}
	return d.Dial(url, h)
}

func bearer(tok string) http.Header { return http.Header{"Authorization": {"Bearer " + tok}} }

// connect dials as user on device and completes the hello.
func (e *env) connect(url, user, device string) (*client, wire.Welcome) {
	e.t.Helper()
	tok := e.token(user)
	ws, resp, err := dialRaw(url, bearer(tok), []string{httpapi.Subprotocol})
	if err != nil {
		e.t.Fatalf("dial as %s: %v (%v)", user, err, status(resp))
	}
	c := &client{t: e.t, ws: ws, user: user, device: device, clock: e.clock,
		hlc: merge.HLC{Device: device}, frames: make(chan frame, 1024)}
	go c.readAll()
	e.t.Cleanup(func() { _ = ws.Close() })
	c.send(wire.Hello{Device: device, Client: "test/1", Token: wire.Secret(tok)})
	w, ok := c.recv().Body.(wire.Welcome)
	if !ok {
		e.t.Fatalf("no welcome for %s", user)
	}
	return c, w
}

func status(r *http.Response) string {
	if r == nil {
		return "no response"
	}
	var b httpapi.Error
	_ = json.NewDecoder(r.Body).Decode(&b)
	return fmt.Sprintf("%d %s: %s", r.StatusCode, b.Code, b.Message)
}

func (c *client) readAll() {
	for {
		_, b, err := c.ws.ReadMessage()
		if err != nil {
			c.frames <- frame{err: err}
			close(c.frames)
			return
		}
		m, err := wire.Decode(b)
		if err != nil {
			c.frames <- frame{err: fmt.Errorf("server sent an invalid frame: %w", err)}
			continue
		}
		c.frames <- frame{m: m}
	}
}

// send sends body and returns its message id.
func (c *client) send(b wire.Body) string {
	c.t.Helper()
	c.next++
	id := fmt.Sprintf("c%d", c.next)
	frame, err := wire.Encode(wire.Message{ID: id, Body: b})
	if err != nil {
		c.t.Fatal(err)
	}
	if err := c.ws.WriteMessage(websocket.TextMessage, frame); err != nil {
		c.t.Fatal(err)
	}
	return id
}

// patience bounds every wait for the server; it is a hang guard, not an
// assertion about speed.
const patience = 20 * time.Second

// recv returns the next frame, failing on a closed connection.
func (c *client) recv() wire.Message {
	c.t.Helper()
	select {
	case f, ok := <-c.frames:
		if !ok || f.err != nil {
			c.t.Fatalf("%s: connection ended: %v", c.user, f.err)
		}
		return f.m
	case <-time.After(patience):
		c.t.Fatalf("%s: nothing from the server", c.user)
	}
	return wire.Message{}
}

// recvType skips frames until one of type T arrives.
func recvType[T wire.Body](c *client) T {
	c.t.Helper()
	for {
		if b, ok := c.recv().Body.(T); ok {
			return b
		}
	}
}

// tryRecv waits up to d for a frame of type T, skipping others; false if
// none came (for polling until an asynchronous set-up is done).
func tryRecv[T wire.Body](c *client, d time.Duration) (T, bool) {
	c.t.Helper()
	var zero T
	deadline := time.After(d)
	for {
		select {
		case f, ok := <-c.frames:
			if !ok || f.err != nil {
				c.t.Fatalf("%s: connection ended: %v", c.user, f.err)
			}
			if b, ok := f.m.Body.(T); ok {
				return b, true
			}
		case <-deadline:
			return zero, false
		}
	}
}

// closed waits for the connection to end and returns the close code.
func (c *client) closed() (int, string) {
	c.t.Helper()
	deadline := time.After(patience)
	for {
		select {
		case f, ok := <-c.frames:
			if !ok {
				c.t.Fatal("frames closed twice")
			}
			if f.err == nil {
				continue
			}
			var ce *websocket.CloseError
			if errors.As(f.err, &ce) {
				return ce.Code, ce.Text
			}
			c.t.Fatalf("%s: connection ended without a close frame: %v", c.user, f.err)
		case <-deadline:
			c.t.Fatalf("%s: connection not closed", c.user)
		}
	}
}

// answer is everything the server answered to one push.
type answer struct {
	acks    map[string]uint64
	rejects map[string]wire.Reject
}

// push sends ops and collects one answer per op (acks and rejects under
// the push's id), skipping unsolicited frames.
func (c *client) push(ops ...wire.Op) answer {
	c.t.Helper()
	id := c.send(wire.Push{Ops: ops})
	a := answer{acks: map[string]uint64{}, rejects: map[string]wire.Reject{}}
	for len(a.acks)+len(a.rejects) < len(ops) {
		m := c.recv()
		if m.ID != id {
			continue
		}
		switch b := m.Body.(type) {
		case wire.Ack:
			for _, o := range b.Ops {
				a.acks[o.Op] = o.Seq
			}
		case wire.Reject:
			a.rejects[b.Op] = b
		default:
			c.t.Fatalf("unexpected %s under push id", b.Type())
		}
	}
	return a
}

// mustAck pushes ops that must all be acked and returns their sequences.
func (c *client) mustAck(ops ...wire.Op) []uint64 {
	c.t.Helper()
	a := c.push(ops...)
	if len(a.rejects) > 0 {
		c.t.Fatalf("%s: rejected: %+v", c.user, a.rejects)
	}
	seqs := make([]uint64, len(ops))
	for i, op := range ops {
		seqs[i] = a.acks[op.ID]
	}
	return seqs
}

// op builds an invoice op of this client.
func (c *client) op(inv string, base invoice.Status, kind invoice.CommandKind, fields map[string]string) wire.Op {
	c.t.Helper()
	c.hlc = merge.Now(c.clock.wall(0), c.hlc)
	m := merge.Op{ID: uuid.NewString(), Device: c.device, User: c.user, Clock: c.hlc,
		Entity: merge.Entity{Type: merge.EntityInvoice, ID: inv}, BaseStatus: base}
	if fields != nil {
		m.Kind, m.Fields = merge.KindSet, map[string]merge.FieldChange{}
		for k, v := range fields {
			m.Fields[k] = merge.FieldChange{Value: v}
		}
	} else {
		m.Kind, m.Command = merge.KindCommand, invoice.Command{Kind: kind, Reason: "test reason"}
	}
	w, err := opcodec.ToWire(m)
	if err != nil {
		c.t.Fatal(err)
	}
	return w
}

func (c *client) cmd(inv string, base invoice.Status, kind invoice.CommandKind) wire.Op {
	return c.op(inv, base, kind, nil)
}

func (c *client) set(inv string, base invoice.Status, fields map[string]string) wire.Op {
	return c.op(inv, base, "", fields)
}

// ready makes inv ready for approval as c (a clerk): extract, fields,
// submit.
func (c *client) ready(inv string, fields map[string]string) {
	c.t.Helper()
	c.mustAck(c.cmd(inv, invoice.StatusReceived, invoice.Extract),
		c.set(inv, invoice.StatusExtracted, fields),
		c.cmd(inv, invoice.StatusExtracted, invoice.Submit))
}

// invoiceView returns the server's current view of an invoice.
func invoiceView(t testing.TB, s *Server, id string) merge.State {
	t.Helper()
	s.mu.Lock()
	tm := s.teams[teamID]
	s.mu.Unlock()
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return tm.views[id].State
}
