// Package faultproxy is a loopback TCP proxy for tests that injects network
// faults between a client and a server: delay, cut (both sides see a clean
// close), reset (both sides get a TCP RST), drop after a byte budget, pause
// (bytes are held, connections stay open) and refusing new connections.
// The test drives it while traffic flows; every fault applies to the live
// connections at once.
package faultproxy

import (
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Fault is how a connection ends when the proxy ends it.
type Fault int

const (
	// Cut closes both sides normally (FIN): peers read EOF.
	Cut Fault = iota
	// Reset aborts both sides (SO_LINGER 0, RST): peers read ECONNRESET.
	Reset
)

// Proxy forwards connections from Addr to a target address.
type Proxy struct {
	target string
	ln     net.Listener
	wg     sync.WaitGroup

	mu     sync.Mutex
	links  map[*link]struct{}
	closed bool
	delay  time.Duration
	budget int64 // bytes until drop for new links; < 0: none
	drop   Fault
	refuse bool
	gates  [2]chan struct{} // per Direction: closed while running, open (blocking) while paused

	accepted  atomic.Int64
	forwarded atomic.Int64
	held      atomic.Int64
}

// New listens on a random loopback port and forwards to target.
func New(target string) (*Proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("faultproxy: listen: %w", err)
	}
	p := &Proxy{target: target, ln: ln, links: map[*link]struct{}{}, budget: -1}
	for d := range p.gates {
		p.gates[d] = make(chan struct{})
		close(p.gates[d])
	}
	p.wg.Add(1)
	go p.accept()
	return p, nil
}

// Addr is the proxy's listening address (host:port).
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// SetTarget changes where new connections go (e.g. a restarted server on
// another port); live connections keep their server.
func (p *Proxy) SetTarget(addr string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.target = addr
}

// SetDelay holds every chunk of bytes for d before forwarding it, in both
// directions (0: none).
func (p *Proxy) SetDelay(d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.delay = d
}

// DropAfter ends every connection, live and new, with fault f once n more
// bytes (both directions together) have passed through it; n < 0 turns
// dropping off.
func (p *Proxy) DropAfter(n int64, f Fault) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.budget, p.drop = n, f
	for l := range p.links {
		l.setBudget(n, f)
	}
}

// Direction is one way through the proxy.
type Direction int

const (
	// ToServer is client → server.
	ToServer Direction = iota
	// ToClient is server → client: pausing it holds the server's answers
	// (e.g. an ack after the server committed) while requests still flow.
	ToClient
)

// Pause holds all traffic: bytes read are not forwarded until Resume.
func (p *Proxy) Pause() {
	p.PauseDir(ToServer)
	p.PauseDir(ToClient)
}

// PauseDir holds the traffic of one direction until Resume.
func (p *Proxy) PauseDir(d Direction) {
	p.mu.Lock()
	defer p.mu.Unlock()
	select {
	case <-p.gates[d]:
		p.gates[d] = make(chan struct{})
	default: // already paused
	}
}

// Resume forwards the held bytes and all traffic again, both directions.
func (p *Proxy) Resume() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, g := range p.gates {
		select {
		case <-g:
		default:
			close(g)
		}
	}
}

// Refuse makes the proxy reset new connections right after accepting them
// (a server that is down); false accepts them again.
func (p *Proxy) Refuse(on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.refuse = on
}

// Cut ends every live connection with a clean close on both sides.
func (p *Proxy) Cut() { p.endAll(Cut) }

// Reset ends every live connection with a TCP RST on both sides.
func (p *Proxy) Reset() { p.endAll(Reset) }

func (p *Proxy) endAll(f Fault) {
	p.mu.Lock()
	links := make([]*link, 0, len(p.links))
	for l := range p.links {
		links = append(links, l)
	}
	p.mu.Unlock()
	for _, l := range links {
		l.end(f)
	}
}

// Conns is the number of live connections.
func (p *Proxy) Conns() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.links)
}

// Accepted is the number of connections accepted so far (refused included).
func (p *Proxy) Accepted() int64 { return p.accepted.Load() }

// Forwarded is the number of bytes forwarded so far, both directions.
func (p *Proxy) Forwarded() int64 { return p.forwarded.Load() }

// Held is the number of chunks read and waiting for Resume.
func (p *Proxy) Held() int64 { return p.held.Load() }

// Close stops accepting, resets every live connection and waits for the
// proxy's goroutines.
func (p *Proxy) Close() error {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	err := p.ln.Close()
	p.Reset() // before Resume: held bytes must die with their links
	p.Resume()
	p.wg.Wait()
	return err
}

func (p *Proxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			if !errors.Is(err, net.ErrClosed) {
				// Accept errors on loopback are transient (e.g. EMFILE):
				// keep serving rather than silently stop the proxy.
				time.Sleep(10 * time.Millisecond)
				continue
			}
			return
		}
		p.accepted.Add(1)
		p.wg.Add(1)
		go p.serve(c.(*net.TCPConn))
	}
}

func (p *Proxy) serve(client *net.TCPConn) {
	defer p.wg.Done()
	p.mu.Lock()
	target, refuse, closed := p.target, p.refuse, p.closed
	p.mu.Unlock()
	if refuse || closed {
		abort(client)
		return
	}
	s, err := net.Dial("tcp", target)
	if err != nil {
		abort(client) // the server is down: the client sees a reset, as with a real refusal
		return
	}
	l := &link{p: p, a: client, b: s.(*net.TCPConn), budget: -1, done: make(chan struct{})}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		l.end(Reset)
		return
	}
	l.setBudget(p.budget, p.drop)
	p.links[l] = struct{}{}
	p.mu.Unlock()
	l.run()
	p.mu.Lock()
	delete(p.links, l)
	p.mu.Unlock()
}

// abort closes c with a RST.
func abort(c *net.TCPConn) {
	_ = c.SetLinger(0)
	_ = c.Close()
}
