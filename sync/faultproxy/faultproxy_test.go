package faultproxy_test

import (
	"bytes"
	"crypto/rand"
	"errors"
	"io"
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/smartap/desktop/sync/faultproxy"
)

// echoServer echoes every connection and reports each server-side
// connection's read error on errs.
func echoServer(t *testing.T) (addr string, errs chan error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	errs = make(chan error, 16)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				_, err := io.Copy(c, c)
				errs <- err
			}()
		}
	}()
	t.Cleanup(func() { _ = ln.Close() })
	return ln.Addr().String(), errs
}

func proxyTo(t *testing.T, addr string) *faultproxy.Proxy {
	t.Helper()
	p, err := faultproxy.New(addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close() })
	return p
}

func dial(t *testing.T, p *faultproxy.Proxy) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// waitFor polls cond: a wait for an event, never a timing assertion.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for range 5000 {
		if cond() {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatalf("gave up waiting for %s", what)
}

func TestForwardsBytesUnchanged(t *testing.T) {
	addr, _ := echoServer(t)
	p := proxyTo(t, addr)
	c := dial(t, p)
	data := make([]byte, 1<<20)
	_, _ = rand.Read(data)
	go func() { _, _ = c.Write(data) }()
	got := make([]byte, len(data))
	if _, err := io.ReadFull(c, got); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, data) {
		t.Fatal("bytes changed in transit")
	}
	// The counter moves after each write returns, so it may trail the reader.
	waitFor(t, "the byte count", func() bool { return p.Forwarded() == 2*int64(len(data)) })
	if p.Conns() != 1 || p.Accepted() != 1 {
		t.Errorf("forwarded %d, conns %d, accepted %d", p.Forwarded(), p.Conns(), p.Accepted())
	}
}

// Half close passes through: the client closes its write side and still
// reads the whole answer.
func TestHalfClose(t *testing.T) {
	addr, _ := echoServer(t)
	c := dial(t, proxyTo(t, addr))
	if _, err := c.Write([]byte("ping")); err != nil {
		t.Fatal(err)
	}
	if err := c.(*net.TCPConn).CloseWrite(); err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(c)
	if err != nil || string(got) != "ping" {
		t.Fatalf("got %q, %v", got, err)
	}
}

func roundTrip(t *testing.T, c net.Conn, msg string) {
	t.Helper()
	if _, err := c.Write([]byte(msg)); err != nil {
		t.Fatal(err)
	}
	got := make([]byte, len(msg))
	if _, err := io.ReadFull(c, got); err != nil || string(got) != msg {
		t.Fatalf("echo %q: %q, %v", msg, got, err)
	}
}

func TestCutAndReset(t *testing.T) {
	tests := []struct {
		name  string
		fault func(*faultproxy.Proxy)
		want  func(error) bool
	}{
		{"cut", (*faultproxy.Proxy).Cut, func(err error) bool { return errors.Is(err, io.EOF) }},
		{"reset", (*faultproxy.Proxy).Reset, func(err error) bool { return errors.Is(err, syscall.ECONNRESET) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr, serverErrs := echoServer(t)
			p := proxyTo(t, addr)
			c := dial(t, p)
			roundTrip(t, c, "hello")
			tt.fault(p)
			if _, err := c.Read(make([]byte, 1)); !tt.want(err) {
				t.Errorf("client read err = %v", err)
			}
			// io.Copy reports a clean EOF as nil.
			if err := <-serverErrs; tt.name == "cut" && err != nil || tt.name == "reset" && !errors.Is(err, syscall.ECONNRESET) {
				t.Errorf("server side err = %v", err)
			}
			waitFor(t, "the link to go", func() bool { return p.Conns() == 0 })
			// New connections still work after the fault.
			roundTrip(t, dial(t, p), "again")
		})
	}
}

func TestDropAfter(t *testing.T) {
	for _, f := range []faultproxy.Fault{faultproxy.Cut, faultproxy.Reset} {
		addr, _ := echoServer(t)
		p := proxyTo(t, addr)
		c := dial(t, p)
		roundTrip(t, c, "warm-up") // budgets count from the call on
		p.DropAfter(150, f)
		if _, err := c.Write(bytes.Repeat([]byte("x"), 100)); err != nil {
			t.Fatal(err)
		}
		// 100 bytes to the server, then 50 of the 100 echoed ones.
		got, err := io.ReadAll(c)
		if len(got) != 50 {
			t.Errorf("fault %d: client got %d bytes, want 50 (err %v)", f, len(got), err)
		}
		if f == faultproxy.Reset && !errors.Is(err, syscall.ECONNRESET) || f == faultproxy.Cut && err != nil {
			t.Errorf("fault %d: err = %v", f, err)
		}
		p.DropAfter(-1, faultproxy.Cut)
		roundTrip(t, dial(t, p), "no budget now")
	}
}

func TestPauseHoldsBytes(t *testing.T) {
	addr, _ := echoServer(t)
	p := proxyTo(t, addr)
	c := dial(t, p)
	roundTrip(t, c, "before")
	p.Pause()
	if _, err := c.Write([]byte("held")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the chunk to be held", func() bool { return p.Held() == 1 })
	before := p.Forwarded()
	if err := c.SetReadDeadline(time.Now()); err != nil {
		t.Fatal(err)
	}
	if n, err := c.Read(make([]byte, 8)); n != 0 || !errors.Is(err, syscall.ETIMEDOUT) && !isTimeout(err) {
		t.Fatalf("read while paused: %d, %v", n, err)
	}
	if p.Forwarded() != before || p.Conns() != 1 {
		t.Fatalf("paused proxy forwarded bytes or dropped the link")
	}
	if err := c.SetReadDeadline(time.Time{}); err != nil {
		t.Fatal(err)
	}
	p.Resume()
	got := make([]byte, 4)
	if _, err := io.ReadFull(c, got); err != nil || string(got) != "held" {
		t.Fatalf("after resume: %q, %v", got, err)
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// A delay is a lower bound on the round trip; sleeping guarantees it, so
// this cannot flake (no upper bound is asserted).
func TestDelay(t *testing.T) {
	addr, _ := echoServer(t)
	p := proxyTo(t, addr)
	p.SetDelay(30 * time.Millisecond)
	c := dial(t, p)
	start := time.Now()
	roundTrip(t, c, "slow")
	if d := time.Since(start); d < 60*time.Millisecond {
		t.Errorf("round trip took %v, less than two delays", d)
	}
}

func TestRefuseAndRetarget(t *testing.T) {
	addr, _ := echoServer(t)
	p := proxyTo(t, addr)
	p.Refuse(true)
	if err := dialAndRead(p); !errors.Is(err, syscall.ECONNRESET) {
		t.Errorf("refused conn: err = %v", err)
	}
	p.Refuse(false)
	// A target that is down also looks like a reset to the client.
	dead, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	deadAddr := dead.Addr().String()
	_ = dead.Close()
	p.SetTarget(deadAddr)
	if err := dialAndRead(p); !errors.Is(err, syscall.ECONNRESET) {
		t.Errorf("dead target: err = %v", err)
	}
	addr2, _ := echoServer(t)
	p.SetTarget(addr2)
	roundTrip(t, dial(t, p), "back")
}

func TestCloseEndsLinksAndWaits(t *testing.T) {
	addr, _ := echoServer(t)
	p, err := faultproxy.New(addr)
	if err != nil {
		t.Fatal(err)
	}
	c := dial(t, p)
	roundTrip(t, c, "x")
	p.Pause() // Close must not hang on held traffic
	_, _ = c.Write([]byte("y"))
	waitFor(t, "held", func() bool { return p.Held() == 1 })
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Read(make([]byte, 1)); err == nil {
		t.Error("link survived Close")
	}
	if _, err := net.Dial("tcp", p.Addr()); err == nil {
		t.Error("proxy still accepts after Close")
	}
}

// dialAndRead connects and reads one byte. The proxy's RST can arrive
// while connect completes or at the first read: either is a refusal.
func dialAndRead(p *faultproxy.Proxy) error {
	c, err := net.Dial("tcp", p.Addr())
	if err != nil {
		return err
	}
	defer c.Close()
	_, err = c.Read(make([]byte, 1))
	return err
}

// Pausing the way back holds the server's answer while the request still
// reaches it: the state between "the server did it" and "the client knows".
func TestPauseOneDirection(t *testing.T) {
	addr, _ := echoServer(t)
	p := proxyTo(t, addr)
	c := dial(t, p)
	p.PauseDir(faultproxy.ToClient)
	if _, err := c.Write([]byte("ack?")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the echo to be held", func() bool { return p.Held() == 1 })
	waitFor(t, "the request to be counted", func() bool { return p.Forwarded() >= 4 })
	if p.Forwarded() != 4 {
		t.Fatalf("forwarded %d bytes, want the 4 of the request only", p.Forwarded())
	}
	p.Reset()
	if n, err := c.Read(make([]byte, 4)); !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("held answer was delivered or the link survived: %d %v", n, err)
	}
	p.Resume()
	roundTrip(t, dial(t, p), "fine")
}
