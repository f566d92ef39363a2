// Package rawclient is a minimal client of the sync protocol for the fault
// tests (sync/faulttest) and the sync benchmarks (bench): it speaks
// sync/wire frames over one websocket and nothing else, so a test sees
// exactly which ops the server acknowledged, with which sequence, and
// when every frame arrived. The desktop's real client is sync/client.
package rawclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"github.com/smartap/desktop/sync/httpapi"
	"github.com/smartap/desktop/sync/wire"
)

// ErrClosed: the connection ended while a request waited for its answer.
var ErrClosed = errors.New("rawclient: connection closed")

// Conn is one session (after hello/welcome). Safe for concurrent use.
type Conn struct {
	ws      *websocket.Conn
	Welcome wire.Welcome

	wmu  sync.Mutex // one writer at a time (gorilla's rule)
	mu   sync.Mutex
	next int
	wait map[string]chan wire.Message
	err  error         // why the reader stopped
	done chan struct{} // closed when the reader stops
	// onOther receives frames that answer no pending request (live pages,
	// exceptions, alerts) with their arrival time; nil drops them.
	onOther func(wire.Message, time.Time)
}

// Login signs in over HTTP (httpapi.PathLogin) and returns the tokens.
func Login(ctx context.Context, base, user, password, device string) (httpapi.Tokens, error) {
	body, _ := json.Marshal(httpapi.LoginRequest{User: user, Password: password, Device: device}) // #nosec G117 -- a login request carries the password to the server by design
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(base, "/")+httpapi.PathLogin, bytes.NewReader(body))
	if err != nil {
		return httpapi.Tokens{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return httpapi.Tokens{}, fmt.Errorf("rawclient: login: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var e httpapi.Error
		_ = json.NewDecoder(resp.Body).Decode(&e)
		return httpapi.Tokens{}, fmt.Errorf("rawclient: login as %s: HTTP %d %s: %s", user, resp.StatusCode, e.Code, e.Message)
	}
	var t httpapi.Tokens
	if err := json.NewDecoder(resp.Body).Decode(&t); err != nil {
		return httpapi.Tokens{}, fmt.Errorf("rawclient: login answer: %w", err)
	}
	return t, nil
}

// WSURL turns http://HOST into ws://HOST/v1/sync.
func WSURL(base string) string {
	return "ws" + strings.TrimPrefix(strings.TrimSuffix(base, "/"), "http") + httpapi.PathSync
}

// Dial connects to the sync endpoint with an access token, says hello as
// device and waits for the welcome. onOther (may be nil) receives every
// frame that answers no request.
func Dial(ctx context.Context, wsURL, token, device string, onOther func(wire.Message, time.Time)) (*Conn, error) {
	d := websocket.Dialer{Subprotocols: []string{httpapi.Subprotocol}, HandshakeTimeout: 10 * time.Second}
	ws, resp, err := d.DialContext(ctx, wsURL, http.Header{"Authorization": {"Bearer " + token}})
	if err != nil {
		code := 0
		if resp != nil {
			code = resp.StatusCode
			_ = resp.Body.Close()
		}
		return nil, fmt.Errorf("rawclient: dial %s (HTTP %d): %w", wsURL, code, err)
	}
	ws.SetReadLimit(wire.MaxFrame)
	c := &Conn{ws: ws, wait: map[string]chan wire.Message{}, done: make(chan struct{}), onOther: onOther}
	go c.read()
	ms, err := c.request(ctx, wire.Hello{Device: device, Client: "rawclient/1", Token: wire.Secret(token)}, 1)
	if err != nil {
		_ = ws.Close()
		return nil, err
	}
	w, ok := ms[0].Body.(wire.Welcome)
	if !ok {
		_ = ws.Close()
		return nil, fmt.Errorf("rawclient: %s instead of a welcome", ms[0].Body.Type())
	}
	c.Welcome = w
	return c, nil
}

// Close closes the connection.
func (c *Conn) Close() error { return c.ws.Close() }

// Done is closed when the connection has ended; Err says why.
func (c *Conn) Done() <-chan struct{} { return c.done }

// Err is why the connection ended (nil while it is open).
func (c *Conn) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

func (c *Conn) read() {
	defer close(c.done)
	for {
		_, b, err := c.ws.ReadMessage()
		at := time.Now()
		if err != nil {
			c.mu.Lock()
			c.err = err
			c.mu.Unlock()
			return
		}
		m, err := wire.Decode(b)
		if err != nil {
			c.mu.Lock()
			c.err = fmt.Errorf("rawclient: server sent an invalid frame: %w", err)
			c.mu.Unlock()
			_ = c.ws.Close()
			return
		}
		c.mu.Lock()
		ch := c.wait[m.ID]
		c.mu.Unlock()
		switch {
		case ch != nil:
			ch <- m
		case c.onOther != nil:
			c.onOther(m, at)
		}
	}
}

// send writes body under a fresh id, registering a waiter for n answers.
func (c *Conn) send(b wire.Body, n int) (string, chan wire.Message, error) {
	c.mu.Lock()
	c.next++
	id := "r" + strconv.Itoa(c.next)
	ch := make(chan wire.Message, n)
	c.wait[id] = ch
	c.mu.Unlock()
	frame, err := wire.Encode(wire.Message{ID: id, Body: b})
	if err == nil {
		c.wmu.Lock()
		err = c.ws.WriteMessage(websocket.TextMessage, frame)
		c.wmu.Unlock()
	}
	if err != nil {
		c.forget(id)
		return "", nil, fmt.Errorf("rawclient: send %s: %w", b.Type(), err)
	}
	return id, ch, nil
}

func (c *Conn) forget(id string) {
	c.mu.Lock()
	delete(c.wait, id)
	c.mu.Unlock()
}

// request sends b and waits for n frames under its id.
func (c *Conn) request(ctx context.Context, b wire.Body, n int) ([]wire.Message, error) {
	id, ch, err := c.send(b, n)
	if err != nil {
		return nil, err
	}
	defer c.forget(id)
	out := make([]wire.Message, 0, n)
	for len(out) < n {
		select {
		case m := <-ch:
			out = append(out, m)
		case <-c.done:
			return out, fmt.Errorf("%w: waiting for the answer to %s: %v", ErrClosed, b.Type(), c.Err())
		case <-ctx.Done():
			return out, ctx.Err()
		}
	}
	return out, nil
}
