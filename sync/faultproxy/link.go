package faultproxy

import (
	"errors"
	"io"
	"net"
	"sync"
	"time"
)

// link is one proxied connection: client a, server b.
type link struct {
	p    *Proxy
	a, b *net.TCPConn

	mu     sync.Mutex
	budget int64 // bytes left before the drop; < 0: no drop
	drop   Fault
	ended  bool
	done   chan struct{} // closed by end
}

func (l *link) setBudget(n int64, f Fault) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.budget, l.drop = n, f
}

// take reserves up to n bytes of the budget and reports how many may pass
// and whether the link must then be dropped.
func (l *link) take(n int) (int, bool, Fault) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.budget < 0 {
		return n, false, l.drop
	}
	if int64(n) < l.budget {
		l.budget -= int64(n)
		return n, false, l.drop
	}
	allowed := int(l.budget) // #nosec G115 -- below n, an int
	l.budget = 0
	return allowed, true, l.drop
}

// end closes both sides with fault f (once).
func (l *link) end(f Fault) {
	l.mu.Lock()
	if l.ended {
		l.mu.Unlock()
		return
	}
	l.ended = true
	l.mu.Unlock()
	if f == Reset {
		_ = l.a.SetLinger(0)
		_ = l.b.SetLinger(0)
	}
	_ = l.a.Close()
	_ = l.b.Close()
	close(l.done) // after the close: a woken pump must find the sockets gone
}

// run pumps both directions until both are done.
func (l *link) run() {
	var wg sync.WaitGroup
	wg.Go(func() { l.pump(l.a, l.b, ToServer) })
	wg.Go(func() { l.pump(l.b, l.a, ToClient) })
	wg.Wait()
	l.end(Cut)
}

// pump copies src to dst, applying pause, delay and the drop budget. A
// clean EOF is passed on as a half close, so request/response protocols
// that close their write side still work; any error ends the link.
func (l *link) pump(src, dst *net.TCPConn, d Direction) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 && !l.forward(dst, buf[:n], d) {
			return
		}
		if errors.Is(err, io.EOF) {
			_ = dst.CloseWrite()
			return
		}
		if err != nil {
			l.end(Reset)
			return
		}
	}
}

// forward writes one chunk after the pause gate and the delay; false when
// the link ended.
func (l *link) forward(dst *net.TCPConn, chunk []byte, d Direction) bool {
	l.p.mu.Lock()
	gate, delay := l.p.gates[d], l.p.delay
	l.p.mu.Unlock()
	select {
	case <-gate:
	default:
		l.p.held.Add(1)
		select {
		case <-gate:
		case <-l.done:
		}
		l.p.held.Add(-1)
		select {
		case <-l.done:
			return false // held bytes of an ended link are dropped, never delivered
		default:
		}
		l.p.mu.Lock()
		delay = l.p.delay
		l.p.mu.Unlock()
	}
	if delay > 0 {
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-l.done:
			t.Stop()
			return false
		}
	}
	n, drop, f := l.take(len(chunk))
	if n > 0 {
		if _, err := dst.Write(chunk[:n]); err != nil {
			l.end(Reset)
			return false
		}
		l.p.forwarded.Add(int64(n))
	}
	if drop {
		l.end(f)
		return false
	}
	return true
}
