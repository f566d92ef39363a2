package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"

	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/sync/auth"
	"github.com/smartap/desktop/sync/wire"
)

// Close codes of the protocol (docs/SYNC.md).
const (
	CloseRevoked     = 4001 // token revoked, expired, role changed or user disabled: refresh and reconnect
	CloseSkew        = 4002 // reserved: the whole session is skewed (ops are refused one by one today)
	CloseProtocol    = 4003 // a frame the protocol does not allow here
	CloseRateLimited = 4008 // frame or op rate above the connection's limit
)

// sendQueue is how many outgoing frames may wait for the writer. Replies
// block when it is full (back-pressure on the reader); unsolicited frames
// (exceptions, alerts) close a connection that lets it fill up.
const sendQueue = 256

// conn is one websocket session. The reader runs in the HTTP handler's
// goroutine; one writer goroutine owns every data write.
type conn struct {
	s  *Server
	ws *websocket.Conn
	id session

	// Set by the hello before joined is set, read-only afterwards; the
	// writer reads team only once joined is true.
	device string
	team   *team
	joined atomic.Bool

	claimsMu sync.Mutex
	claims   auth.Claims // the latest token presented (expiry)
	role     atomic.Value

	send     chan wire.Message
	wake     chan struct{} // cap 1: new ops committed in the team
	done     chan struct{} // closed when the session is closing
	finished chan struct{} // closed when run has returned
	once     sync.Once
	closing  atomic.Bool
	msgID    atomic.Uint64
	lastSent atomic.Uint64 // last sequence sent to the client (pages)

	frames, ops *bucket
	snap        *snapshot // bootstrap in progress (reader only)
}

func newConn(s *Server, ws *websocket.Conn, id session) *conn {
	now := s.cfg.Now
	c := &conn{s: s, ws: ws, id: id, claims: id.claims,
		send: make(chan wire.Message, sendQueue), wake: make(chan struct{}, 1),
		done: make(chan struct{}), finished: make(chan struct{}),
		frames: newBucket(s.lim.FrameRate, s.lim.FrameBurst, now),
		ops:    newBucket(s.lim.OpRate, s.lim.OpBurst, now),
	}
	c.role.Store(id.user.Role)
	return c
}

func (c *conn) user() string               { return c.id.user.Name }
func (c *conn) currentRole() identity.Role { return c.role.Load().(identity.Role) }

// run serves the session until it ends.
func (c *conn) run() {
	defer close(c.finished)
	var writer sync.WaitGroup
	writer.Go(c.writeLoop)
	c.readLoop()
	c.closeWith(websocket.CloseNormalClosure, "")
	if c.joined.Load() {
		c.team.leave(c)
	}
	writer.Wait()
	_ = c.ws.Close()
	c.s.unregister(c)
}

// readLoop reads frames until the connection fails or is closed.
func (c *conn) readLoop() {
	idle := 2 * c.s.lim.PingInterval
	c.ws.SetPongHandler(func(string) error {
		// Before the hello only the hello timeout counts: answering pings
		// must not keep an unauthenticated-in-protocol session open.
		if c.joined.Load() && !c.closing.Load() {
			_ = c.ws.SetReadDeadline(time.Now().Add(idle))
		}
		return nil
	})
	_ = c.ws.SetReadDeadline(time.Now().Add(c.s.lim.HelloTimeout))
	first := true
	for {
		buf := framePool.Get().(*bytes.Buffer)
		err := c.readFrame(buf)
		if err == nil {
			c.frame(buf.Bytes(), &first)
		}
		framePool.Put(buf)
		if err != nil {
			var ne net.Error
			if first && errors.As(err, &ne) && ne.Timeout() {
				c.closeWith(websocket.ClosePolicyViolation, "no hello in time")
			}
			if errors.Is(err, websocket.ErrReadLimit) {
				// gorilla has sent 1009; read on briefly so the client
				// gets it instead of a reset.
				c.s.metrics.Closed(websocket.CloseMessageTooBig)
				c.closing.Store(true)
				c.signalDone()
				drain(c.ws.NetConn())
			}
			return
		}
	}
}

// framePool holds read buffers: a push frame is up to wire.MaxFrame, and
// io.ReadAll (websocket.ReadMessage) would grow a new one by doubling for
// every frame. Decoded messages never point into the buffer (strings are
// copied), so it is reused as soon as the frame is handled; idle sessions
// hold none.
var framePool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// readFrame reads the next data frame into buf.
func (c *conn) readFrame(buf *bytes.Buffer) error {
	buf.Reset()
	_, r, err := c.ws.NextReader()
	if err != nil {
		return err
	}
	_, err = buf.ReadFrom(r)
	return err
}

// frame handles one frame read by readLoop.
func (c *conn) frame(frame []byte, first *bool) {
	if c.closing.Load() {
		return // waiting for the client's close reply
	}
	idle := 2 * c.s.lim.PingInterval
	if !*first {
		_ = c.ws.SetReadDeadline(time.Now().Add(idle))
	}
	if !c.frames.take(1) {
		c.closeWith(CloseRateLimited, "frame rate limit exceeded")
		return
	}
	m, err := wire.Decode(frame)
	if err != nil {
		c.closeWith(CloseProtocol, err.Error())
		return
	}
	if *first {
		*first = false
		if c.hello(m) {
			_ = c.ws.SetReadDeadline(time.Now().Add(idle))
		}
		return
	}
	c.handle(m)
}

// handle dispatches one message after the hello.
func (c *conn) handle(m wire.Message) {
	ctx := c.s.ctx
	switch b := m.Body.(type) {
	case wire.Hello:
		c.rehello(ctx, m.ID, b)
	case wire.Push:
		c.push(ctx, m.ID, b)
	case wire.Pull:
		c.pull(ctx, m.ID, b)
	case wire.Bootstrap:
		c.bootstrap(ctx, m.ID, b)
	case wire.Chunk:
		c.chunk(ctx, m.ID, b)
	case wire.ChunkWant:
		c.chunkWant(ctx, m.ID, b)
	case wire.CheckpointWant:
		c.checkpoint(ctx, m.ID, b)
	default:
		c.closeWith(CloseProtocol, fmt.Sprintf("a client may not send %s", m.Body.Type()))
	}
}

// writeLoop is the only goroutine writing data frames.
func (c *conn) writeLoop() {
	ping := time.NewTicker(c.s.lim.PingInterval)
	defer ping.Stop()
	recheck := time.NewTicker(c.s.lim.RecheckInterval)
	defer recheck.Stop()
	for {
		select {
		case <-c.done:
			return
		case m := <-c.send:
			if err := c.write(m); err != nil {
				c.closeWith(websocket.CloseInternalServerErr, "write failed")
				return
			}
		case <-c.wake:
			// Replies already queued (acks) go first: a live page may
			// wait for the team lock, and the pusher waits for its ack.
			if err := c.flushReplies(); err != nil {
				c.closeWith(websocket.CloseInternalServerErr, "write failed")
				return
			}
			if err := c.sendLive(c.s.ctx); err != nil {
				c.closeWith(websocket.CloseInternalServerErr, "live page failed")
				return
			}
		case <-ping.C:
			if err := c.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(c.s.lim.WriteTimeout)); err != nil {
				c.closeWith(websocket.CloseGoingAway, "ping failed")
				return
			}
		case <-recheck.C:
			if c.joined.Load() {
				if code, why := c.recheck(c.s.ctx); code != 0 {
					c.closeWith(code, why)
					return
				}
			}
		}
	}
}

// flushReplies writes the frames waiting in the send queue, without
// waiting for more.
func (c *conn) flushReplies() error {
	for {
		select {
		case m := <-c.send:
			if err := c.write(m); err != nil {
				return err
			}
		default:
			return nil
		}
	}
}

func (c *conn) write(m wire.Message) error {
	frame, err := wire.Encode(m)
	if err != nil {
		return fmt.Errorf("server: encode %s: %w", m.Body.Type(), err)
	}
	return c.writeFrame(frame)
}

func (c *conn) writeFrame(frame []byte) error {
	_ = c.ws.SetWriteDeadline(time.Now().Add(c.s.lim.WriteTimeout))
	return c.ws.WriteMessage(websocket.TextMessage, frame)
}

// reply queues m for the writer, waiting while the queue is full.
func (c *conn) reply(id string, b wire.Body) {
	select {
	case c.send <- wire.Message{ID: id, Body: b}:
	case <-c.done:
	}
}

// notify queues an unsolicited frame without waiting; a client too slow to
// take it is closed (it reconnects and pulls what it missed).
func (c *conn) notify(b wire.Body) {
	select {
	case c.send <- wire.Message{ID: c.freshID(), Body: b}:
	case <-c.done:
	default:
		c.closeWith(websocket.CloseTryAgainLater, "client too slow")
	}
}

// wakeUp tells the writer that the team's log grew.
func (c *conn) wakeUp() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

func (c *conn) freshID() string { return "s" + strconv.FormatUint(c.msgID.Add(1), 10) }

// closeWith starts closing the session: a close frame with code, then the
// reader keeps reading (and ignoring) until the client answers the close
// or two seconds pass, so the client sees the code rather than a reset.
func (c *conn) closeWith(code int, reason string) {
	c.once.Do(func() {
		c.closing.Store(true)
		if code != websocket.CloseNormalClosure {
			c.s.metrics.Closed(code)
		}
		msg := websocket.FormatCloseMessage(code, truncate(reason, 120))
		_ = c.ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(time.Second))
		_ = c.ws.SetReadDeadline(time.Now().Add(2 * time.Second))
		close(c.done)
	})
}

// signalDone marks the session closing without sending a close frame
// (gorilla sent one already).
func (c *conn) signalDone() {
	c.once.Do(func() { close(c.done) })
}

// drain reads and drops what the client is still sending, for a moment,
// before the connection is closed: closing a socket with unread data
// makes the kernel reset it, and the reset can overtake the close frame.
func drain(nc net.Conn) {
	_ = nc.SetReadDeadline(time.Now().Add(time.Second))
	_, _ = io.CopyN(io.Discard, nc, 4*wire.MaxFrame)
}

// truncate cuts s to at most n bytes on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// deadline is a context for one store call from a session.
func (c *conn) deadline(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, 30*time.Second)
}
