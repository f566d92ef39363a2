package faulttest

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/smartap/desktop/sync/faultproxy"
	"github.com/smartap/desktop/sync/faulttest/rawclient"
)

const (
	team       = "acme"
	passphrase = "fault test password, long enough"
	// patience bounds every wait on a process or the server: a guard
	// against hangs, never an assertion about speed.
	patience = 60 * time.Second
)

// syncServer is the smartap-sync binary on a SQLite store, behind a
// faultproxy whose address stays the same across restarts.
type syncServer struct {
	t     *testing.T
	dir   string
	spec  string
	Proxy *faultproxy.Proxy
	// Pub is the server's checkpoint public key (from its key file).
	Pub ed25519.PublicKey

	mu   sync.Mutex
	cmd  *exec.Cmd
	addr string // the process's own address (no proxy)
	logs *bytes.Buffer
}

// newSyncServer creates the store with team acme and the users (all
// clerks, password passphrase) and starts the server.
func newSyncServer(t *testing.T, users ...string) *syncServer {
	t.Helper()
	dir := t.TempDir()
	s := &syncServer{t: t, dir: dir, spec: "sqlite:" + filepath.Join(dir, "server.db")}
	s.admin(nil, "team", "create", team)
	for _, u := range users {
		s.admin([]string{"SMARTAP_NEW_PASSWORD=" + passphrase}, "user", "add", u, "--team", team, "--role", "clerk")
	}
	var err error
	if s.Proxy, err = faultproxy.New("127.0.0.1:1"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Proxy.Close() })
	s.Pub = readCheckpointKey(t, filepath.Join(dir, "smartap-sync.keys"))
	s.Start()
	t.Cleanup(s.Kill)
	return s
}

func (s *syncServer) admin(env []string, args ...string) {
	s.t.Helper()
	cmd := exec.Command(filepath.Join(bins, "smartap-sync"), append(args, "--store", s.spec)...) // #nosec G204 -- the test's own binary
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		s.t.Fatalf("smartap-sync %v: %v\n%s", args, err, out)
	}
}

// adminOut runs an admin command and returns its output.
func (s *syncServer) adminOut(args ...string) string {
	s.t.Helper()
	cmd := exec.Command(filepath.Join(bins, "smartap-sync"), append(args, "--store", s.spec)...) // #nosec G204 -- the test's own binary
	out, err := cmd.CombinedOutput()
	if err != nil {
		s.t.Fatalf("smartap-sync %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// readCheckpointKey derives the public key from the server's key file.
func readCheckpointKey(t *testing.T, path string) ed25519.PublicKey {
	t.Helper()
	b, err := os.ReadFile(path) // #nosec G304 -- the test's own temp folder
	if err != nil {
		t.Fatalf("server key file: %v", err)
	}
	var k struct {
		Seed []byte `json:"checkpoint_seed"`
	}
	if err := json.Unmarshal(b, &k); err != nil || len(k.Seed) != ed25519.SeedSize {
		t.Fatalf("server key file has no checkpoint seed: %v", err)
	}
	return ed25519.NewKeyFromSeed(k.Seed).Public().(ed25519.PublicKey)
}

// URL is the server's address through the proxy.
func (s *syncServer) URL() string { return "http://" + s.Proxy.Addr() }

// DirectURL is the running process's own address (no proxy).
func (s *syncServer) DirectURL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return "http://" + s.addr
}

// Start runs the server process and points the proxy at it.
func (s *syncServer) Start() {
	s.t.Helper()
	cmd := exec.Command(filepath.Join(bins, "smartap-sync"), "serve", "--listen", "127.0.0.1:0", // #nosec G204 -- the test's own binary
		"--store", s.spec, "--insecure-loopback", "--name", "faulttest")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		s.t.Fatal(err)
	}
	logs := &bytes.Buffer{}
	var logMu sync.Mutex
	if err := cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	addrc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			logMu.Lock()
			logs.WriteString(line + "\n")
			logMu.Unlock()
			if _, rest, ok := strings.Cut(line, "listening on "); ok {
				addr, _, _ := strings.Cut(rest, " ")
				addrc <- addr
			}
		}
		_, _ = io.Copy(io.Discard, stderr)
		close(addrc)
	}()
	select {
	case addr, ok := <-addrc:
		if !ok {
			_ = cmd.Wait()
			s.t.Fatalf("smartap-sync serve exited:\n%s", logs.String())
		}
		s.mu.Lock()
		s.cmd, s.addr, s.logs = cmd, addr, logs
		s.mu.Unlock()
		s.Proxy.SetTarget(addr)
	case <-time.After(patience):
		_ = cmd.Process.Kill()
		s.t.Fatal("smartap-sync serve did not start listening")
	}
}

// Kill ends the server with SIGKILL (a crash) and reaps it; the proxy's
// live connections are reset, as a dead host's would be.
func (s *syncServer) Kill() {
	s.mu.Lock()
	cmd := s.cmd
	s.cmd = nil
	s.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Signal(syscall.SIGKILL)
	_ = cmd.Wait()
	s.Proxy.Reset()
}

// Login signs user in (through the proxy) and returns an access token.
func (s *syncServer) Login(user, device string) string {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	tk, err := rawclient.Login(ctx, s.URL(), user, passphrase, device)
	if err != nil {
		s.t.Fatal(err)
	}
	return tk.AccessToken
}

// Dial opens a protocol session (via the proxy unless direct).
func (s *syncServer) Dial(token, device string, direct bool) (*rawclient.Conn, error) {
	base := s.URL()
	if direct {
		base = s.DirectURL()
	}
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	return rawclient.Dial(ctx, rawclient.WSURL(base), token, device, nil)
}
