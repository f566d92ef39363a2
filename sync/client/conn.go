package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"github.com/smartap/desktop/sync/httpapi"
	"github.com/smartap/desktop/sync/wire"
)

// Close codes of the protocol (docs/SYNC.md).
const (
	CloseTokenRevoked = 4001 // token revoked or role changed: refresh, reconnect
	CloseClockSkew    = 4002 // the whole session's clock is off
	CloseProtocol     = 4003
	CloseRateLimited  = 4008
)

// writeTimeout bounds one frame write; a peer that stops reading must not
// hang the sync loop.
const writeTimeout = 30 * time.Second

// conn is one websocket connection: a reader goroutine decodes frames into
// a channel; only the session goroutine writes.
type conn struct {
	ws   *websocket.Conn
	in   chan inbound
	done chan struct{}
	seq  atomic.Uint64
}

type inbound struct {
	msg wire.Message
	err error
}

// dial opens the websocket with the access token in the Authorization
// header (verified by the server before the upgrade).
func (c *Client) dial(ctx context.Context, access string) (*conn, error) {
	d := websocket.Dialer{
		TLSClientConfig:  clientTLS(c.cfg.TLS),
		Subprotocols:     []string{httpapi.Subprotocol},
		HandshakeTimeout: 30 * time.Second,
		Proxy:            http.ProxyFromEnvironment,
	}
	h := http.Header{}
	h.Set("Authorization", "Bearer "+access)
	ws, resp, err := d.DialContext(ctx, wsEndpoint(c.base, httpapi.PathSync), h)
	if err != nil {
		return nil, dialError(resp, err)
	}
	if resp != nil && resp.Body != nil {
		_ = resp.Body.Close()
	}
	if ws.Subprotocol() != httpapi.Subprotocol {
		_ = ws.Close()
		return nil, fmt.Errorf("%w: server chose subprotocol %q, want %q", ErrProtocol, ws.Subprotocol(), httpapi.Subprotocol)
	}
	ws.SetReadLimit(wire.MaxFrame)
	cn := &conn{ws: ws, in: make(chan inbound, 16), done: make(chan struct{})}
	go cn.read()
	return cn, nil
}

// dialError classifies a failed handshake; a 401 means the access token
// was refused (expired, revoked), which a refresh may fix.
func dialError(resp *http.Response, err error) error {
	if resp == nil {
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusUnauthorized {
		return fmt.Errorf("%w: the server refused the access token", errTokenRevoked)
	}
	se := &ServerError{Status: resp.StatusCode, Code: codeForStatus(resp.StatusCode), Message: http.StatusText(resp.StatusCode)}
	if s, perr := strconv.Atoi(resp.Header.Get("Retry-After")); perr == nil && s > 0 {
		se.RetryAfter = time.Duration(s) * time.Second
	}
	return fmt.Errorf("connect: %w", se)
}

func (cn *conn) read() {
	defer close(cn.in)
	for {
		_, data, err := cn.ws.ReadMessage()
		var in inbound
		if err != nil {
			in.err = closeError(err)
		} else if in.msg, in.err = wire.Decode(data); in.err != nil {
			in.err = fmt.Errorf("%w: %w", ErrProtocol, in.err)
		}
		select {
		case cn.in <- in:
		case <-cn.done:
			return
		}
		if in.err != nil {
			return
		}
	}
}

// closeError maps the server's close codes to what the loop does next.
func closeError(err error) error {
	var ce *websocket.CloseError
	if !errors.As(err, &ce) {
		return fmt.Errorf("%w: connection lost: %w", ErrUnavailable, err)
	}
	switch ce.Code {
	case CloseTokenRevoked:
		return fmt.Errorf("%w: %s", errTokenRevoked, ce.Text)
	case CloseClockSkew:
		return fmt.Errorf("%w (%s): correct the date and time", ErrClockSkew, ce.Text)
	case CloseProtocol:
		return fmt.Errorf("%w: server closed: %s", ErrProtocol, ce.Text)
	case CloseRateLimited:
		return fmt.Errorf("%w: server closed: %s", ErrRateLimited, ce.Text)
	default:
		return fmt.Errorf("%w: server closed (%d %s)", ErrUnavailable, ce.Code, ce.Text)
	}
}

// send encodes and writes one message under a fresh id and returns the id.
func (cn *conn) send(b wire.Body) (string, error) {
	id := "c" + strconv.FormatUint(cn.seq.Add(1), 10)
	frame, err := wire.Encode(wire.Message{ID: id, Body: b})
	if err != nil {
		return "", fmt.Errorf("encode %s: %w", b.Type(), err)
	}
	_ = cn.ws.SetWriteDeadline(time.Now().Add(writeTimeout))
	if err := cn.ws.WriteMessage(websocket.TextMessage, frame); err != nil {
		return "", fmt.Errorf("%w: send %s: %w", ErrUnavailable, b.Type(), err)
	}
	return id, nil
}

// close says goodbye (best effort) and releases the connection; the reader
// goroutine ends on the closed socket.
func (cn *conn) close() {
	msg := websocket.FormatCloseMessage(websocket.CloseNormalClosure, "bye")
	_ = cn.ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(time.Second))
	close(cn.done)
	_ = cn.ws.Close()
}
