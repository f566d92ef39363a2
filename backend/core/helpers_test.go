package core

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/smartap/desktop/backend/secret"
	"github.com/smartap/desktop/backend/vault"
)

const adminPW = "correct horse battery staple"

// fakeClock is the injected clock: tests move time instead of sleeping.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type env struct {
	dir   string
	kc    vault.Keychain
	clock *fakeClock
}

func newEnv(t *testing.T) *env {
	t.Helper()
	dir := t.TempDir()
	kc, err := vault.OpenKeychain("file:" + filepath.Join(dir, "keys", "device.key"))
	if err != nil {
		t.Fatal(err)
	}
	return &env{dir: filepath.Join(dir, "data"), kc: kc, clock: &fakeClock{t: time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)}}
}

func (e *env) open(t *testing.T) *Core {
	t.Helper()
	c, err := Open(context.Background(), Options{DataDir: e.dir, Keychain: e.kc, KDF: vault.MinKDF, Now: e.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// initAdmin sets up a folder with admin "alice" and returns the session.
func (e *env) initAdmin(t *testing.T) (*Core, *Session, string) {
	t.Helper()
	c := e.open(t)
	s, rk, err := c.Init(context.Background(), "alice", secret.NewPassword(adminPW))
	if err != nil {
		t.Fatal(err)
	}
	return c, s, rk
}

func secretPW(s string) secret.Password { return secret.NewPassword(s) }
