package server

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/smartap/desktop/sync/httpapi"
	"github.com/smartap/desktop/sync/wire"
)

func TestHandshakeRefusals(t *testing.T) {
	e := newEnv(t, sqliteStore(t))
	_, url := e.serve(Limits{})
	expired := e.token("bob")
	e.clock.add(time.Hour)
	good := e.token("anna")
	if _, err := e.store.Disable(context.Background(), "cleo"); err != nil {
		t.Fatal(err)
	}
	disabled := e.token("carl") // a valid token, then carl is disabled below
	if _, err := e.store.Disable(context.Background(), "carl"); err != nil {
		t.Fatal(err)
	}
	proto := []string{httpapi.Subprotocol}
	withOrigin := func(h http.Header, o string) http.Header { h.Set("Origin", o); return h }
	tests := []struct {
		name   string
		header http.Header
		protos []string
		status int
		code   string
		msg    string
	}{
		{"no token", http.Header{}, proto, 401, httpapi.CodeUnauthorized, "Bearer"},
		{"not bearer", http.Header{"Authorization": {"Basic YWRtaW46YWRtaW4="}}, proto, 401, httpapi.CodeUnauthorized, "Bearer"}, // gitleaks:allow
		{"garbage token", bearer("not.a.token"), proto, 401, httpapi.CodeUnauthorized, "invalid access token"},
		{"forged signature", bearer(good[:len(good)-4] + "AAAA"), proto, 401, httpapi.CodeUnauthorized, "invalid access token"},
		{"expired", bearer(expired), proto, 401, httpapi.CodeUnauthorized, "expired"},
		{"disabled user", bearer(disabled), proto, 401, httpapi.CodeUnauthorized, "revoked"},
		{"foreign origin", withOrigin(bearer(good), "https://evil.example"), proto, 403, httpapi.CodeForbidden, "origin"},
		{"no subprotocol", bearer(good), nil, 400, httpapi.CodeInvalidInput, httpapi.Subprotocol},
		{"wrong subprotocol", bearer(good), []string{"smartap.v0"}, 400, httpapi.CodeInvalidInput, httpapi.Subprotocol},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ws, resp, err := dialRaw(url, tc.header, tc.protos)
			if err == nil {
				ws.Close()
				t.Fatal("handshake accepted")
			}
			got := status(resp)
			if resp.StatusCode != tc.status || !strings.Contains(got, tc.code) || !strings.Contains(got, tc.msg) {
				t.Fatalf("answer %s, want %d %s mentioning %q", got, tc.status, tc.code, tc.msg)
			}
		})
	}
	t.Run("allowed origin", func(t *testing.T) {
		ws, resp, err := dialRaw(url, withOrigin(bearer(good), "https://app.smartap.test"), proto)
		if err != nil {
			t.Fatalf("refused: %v %s", err, status(resp))
		}
		if ws.Subprotocol() != httpapi.Subprotocol {
			t.Fatalf("subprotocol %q", ws.Subprotocol())
		}
		ws.Close()
	})
}

func TestHelloRules(t *testing.T) {
	e := newEnv(t, sqliteStore(t))
	_, url := e.serve(Limits{})
	open := func(user string) *client {
		ws, resp, err := dialRaw(url, bearer(e.token(user)), []string{httpapi.Subprotocol})
		if err != nil {
			t.Fatalf("dial: %v %s", err, status(resp))
		}
		c := &client{t: t, ws: ws, user: user, frames: make(chan frame, 16)}
		go c.readAll()
		t.Cleanup(func() { ws.Close() })
		return c
	}
	t.Run("welcome", func(t *testing.T) {
		_, w := e.connect(url, "anna", "dev-a")
		if w.Team != teamID || w.User != "anna" || w.Server != "test-server" || w.Head.Index == "" || w.Head.Seq != 0 {
			t.Fatalf("welcome %+v", w)
		}
	})
	t.Run("hello with another user's token", func(t *testing.T) {
		c := open("anna")
		c.send(wire.Hello{Device: "dev-a", Client: "t", Token: wire.Secret(e.token("bob"))})
		if code, _ := c.closed(); code != websocket.ClosePolicyViolation {
			t.Fatalf("close %d, want %d", code, websocket.ClosePolicyViolation)
		}
	})
	t.Run("hello with a bad token", func(t *testing.T) {
		c := open("anna")
		c.send(wire.Hello{Device: "dev-a", Client: "t", Token: "nope"})
		if code, _ := c.closed(); code != websocket.ClosePolicyViolation {
			t.Fatalf("close %d", code)
		}
	})
	t.Run("push before hello", func(t *testing.T) {
		c := open("anna")
		c.send(wire.Pull{After: wire.Cursor{Index: "x"}, Limit: 1})
		if code, text := c.closed(); code != websocket.ClosePolicyViolation || !strings.Contains(text, "hello") {
			t.Fatalf("close %d %q", code, text)
		}
	})
	t.Run("server-only message", func(t *testing.T) {
		c, _ := e.connect(url, "anna", "dev-a")
		c.send(wire.Ack{Index: "x", Ops: []wire.Acked{{Op: "0190f3a2-7c1e-7b2a-9f00-000000000009", Seq: 1}}})
		if code, text := c.closed(); code != CloseProtocol || !strings.Contains(text, "ack") {
			t.Fatalf("close %d %q", code, text)
		}
	})
	t.Run("undecodable frame", func(t *testing.T) {
		c, _ := e.connect(url, "anna", "dev-a")
		if err := c.ws.WriteMessage(websocket.TextMessage, []byte(`{"v":1,"type":"teleport","id":"x","body":{}}`)); err != nil {
			t.Fatal(err)
		}
		if code, text := c.closed(); code != CloseProtocol || !strings.Contains(text, "unknown message type") {
			t.Fatalf("close %d %q", code, text)
		}
	})
	t.Run("refreshed token mid-session", func(t *testing.T) {
		c, _ := e.connect(url, "anna", "dev-a")
		c.send(wire.Hello{Device: "dev-a", Client: "t", Token: wire.Secret(e.token("anna"))})
		if _, ok := c.recv().Body.(wire.Welcome); !ok {
			t.Fatal("no welcome for the refreshed token")
		}
		c.send(wire.Hello{Device: "dev-other", Client: "t", Token: wire.Secret(e.token("anna"))})
		if code, _ := c.closed(); code != websocket.ClosePolicyViolation {
			t.Fatalf("device change: close %d", code)
		}
	})
}

func TestHelloTimeout(t *testing.T) {
	e := newEnv(t, sqliteStore(t))
	_, url := e.serve(Limits{HelloTimeout: 50 * time.Millisecond})
	ws, resp, err := dialRaw(url, bearer(e.token("anna")), []string{httpapi.Subprotocol})
	if err != nil {
		t.Fatalf("dial: %v %s", err, status(resp))
	}
	defer ws.Close()
	c := &client{t: t, ws: ws, user: "anna", frames: make(chan frame, 4)}
	go c.readAll()
	if code, text := c.closed(); code != websocket.ClosePolicyViolation || !strings.Contains(text, "hello") {
		t.Fatalf("close %d %q", code, text)
	}
}

func TestHealth(t *testing.T) {
	e := newEnv(t, sqliteStore(t))
	s, url := e.serve(Limits{})
	if err := s.Healthy(context.Background()); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get("http" + strings.TrimSuffix(strings.TrimPrefix(url, "ws"), httpapi.PathSync) + httpapi.PathHealth)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("healthz %d", resp.StatusCode)
	}
	if err := e.store.Store.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Healthy(context.Background()); err == nil {
		t.Fatal("healthy with a closed store")
	}
}
