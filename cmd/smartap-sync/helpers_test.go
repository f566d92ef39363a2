package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/smartap/desktop/sync/httpapi"
)

// result is one finished in-process run.
type result struct {
	code           int
	stdout, stderr string
}

// runCLI runs the command in-process with env and stdin.
func runCLI(t *testing.T, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, func(k string) string { return env[k] }, strings.NewReader(stdin), &out, &errb)
	return result{code: code, stdout: out.String(), stderr: errb.String()}
}

func wantCode(t *testing.T, r result, code int) {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", r.code, code, r.stdout, r.stderr)
	}
}

// running is a `serve` running in-process.
type running struct {
	addr string
	stop context.CancelFunc
	done chan int
}

// startServe runs `serve args...` and waits for its "listening on" line.
// If the command exits instead, its code and output are returned through
// the failure.
func startServe(t *testing.T, args ...string) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	s := &running{stop: cancel, done: make(chan int, 1)}
	go func() {
		code := run(ctx, append([]string{"serve"}, args...), func(string) string { return "" }, strings.NewReader(""), io.Discard, pw)
		_ = pw.Close()
		s.done <- code
	}()
	addr := make(chan string, 1)
	var lines []string
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			line := sc.Text()
			if rest, ok := strings.CutPrefix(line, "smartap-sync: listening on "); ok {
				addr <- strings.Fields(rest)[0]
			} else if len(lines) < 50 {
				lines = append(lines, line)
			}
		}
		close(addr)
	}()
	a, ok := <-addr
	if !ok {
		code := <-s.done
		t.Fatalf("serve exited with %d before listening: %s", code, strings.Join(lines, "\n"))
	}
	s.addr = a
	t.Cleanup(func() { s.shutdown(t) })
	return s
}

// shutdown ends the server as SIGTERM would and checks it exits 0.
func (s *running) shutdown(t *testing.T) {
	if s.stop == nil {
		return
	}
	s.stop()
	s.stop = nil
	if code := <-s.done; code != exitOK {
		t.Errorf("serve exited %d after shutdown, want 0", code)
	}
}

// testCert writes a self-signed ECDSA certificate for 127.0.0.1 and
// returns the cert and key paths and a pool trusting it.
func testCert(t *testing.T) (certPath, keyPath string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "smartap-sync test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certPath, keyPath = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certPath, keyPath, pool
}

// client is an HTTP client for one server.
type client struct {
	t    *testing.T
	base string
	http *http.Client
}

func tlsClient(t *testing.T, addr string, pool *x509.CertPool, maxVersion uint16) *client {
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MaxVersion: maxVersion, MinVersion: tls.VersionTLS12}}
	t.Cleanup(tr.CloseIdleConnections)
	return &client{t: t, base: "https://" + addr, http: &http.Client{Transport: tr}}
}

func (c *client) get(path string) (int, string, error) {
	resp, err := c.http.Get(c.base + path)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

// post sends v as JSON and decodes a 2xx answer into out (if not nil).
func (c *client) post(path string, v, out any) int {
	c.t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		c.t.Fatal(err)
	}
	resp, err := c.http.Post(c.base+path, "application/json", bytes.NewReader(b))
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil && resp.StatusCode/100 == 2 {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			c.t.Fatal(err)
		}
	}
	return resp.StatusCode
}

func (c *client) login(req httpapi.LoginRequest) (httpapi.Tokens, int) {
	var tk httpapi.Tokens
	code := c.post(httpapi.PathLogin, req, &tk)
	return tk, code
}
