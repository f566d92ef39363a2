package client

import (
	"context"
	"errors"
	"os"
	"testing"

	"github.com/google/uuid"

	"github.com/smartap/desktop/backend/vault"
)

// The refresh token in the real OS keychain (Secret Service): stored at
// login, replaced at every refresh, removed at logout. Run under
// scripts/with-keyring.sh, which sets SMARTAP_TEST_KEYRING=1.
func TestRefreshTokenInOSKeychain(t *testing.T) {
	if os.Getenv("SMARTAP_TEST_KEYRING") != "1" {
		t.Skip("set SMARTAP_TEST_KEYRING=1 (scripts/with-keyring.sh) to test the real OS keychain")
	}
	kc, err := vault.OpenKeychain("os")
	if err != nil {
		t.Fatal(err)
	}
	f := newFakeServer(t)
	creds := Credentials{Keychain: kc, Account: RefreshAccount(uuid.NewString(), f.url(), "alice")}
	t.Cleanup(func() { _ = creds.Delete() })
	first := f.newLogin()
	if err := creds.Save(first); err != nil {
		t.Fatal(err)
	}
	c, err := New(Config{Server: f.url(), User: "alice", Creds: creds, Replica: newFakeReplica("dev")})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	got, err := creds.Load()
	f.mu.Lock()
	valid := f.refresh[got]
	f.mu.Unlock()
	if err != nil || got == first || !valid {
		t.Fatalf("OS keychain holds %q (%v): want the rotated, valid token", got, err)
	}
	if err := creds.Delete(); err != nil {
		t.Fatal(err)
	}
	if _, err := creds.Load(); !errors.Is(err, ErrNotLoggedIn) {
		t.Fatalf("after delete: %v", err)
	}
}
