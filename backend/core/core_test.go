package core

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/backend/secret"
	"github.com/smartap/desktop/backend/vault"
	"github.com/smartap/desktop/backend/vendor"
)

var ctx = context.Background()

func TestInitUnlockRoundTrip(t *testing.T) {
	e := newEnv(t)
	c, s, rk := e.initAdmin(t)
	if rk == "" || s.User().Role != identity.Admin {
		t.Fatalf("init: rk=%q user=%+v", rk, s.User())
	}
	if _, _, err := c.Init(ctx, "bob", secret.NewPassword(adminPW)); apperr.CodeOf(err) != apperr.Conflict {
		t.Fatalf("second init: %v", err)
	}
	s.Lock()
	c.Close()
	c2 := e.open(t)
	s2, err := c2.Unlock(ctx, "Alice", secret.NewPassword(adminPW))
	if err != nil {
		t.Fatal(err)
	}
	if s2.User().Name != "alice" || s2.User().Role != identity.Admin {
		t.Fatalf("unlocked as %+v", s2.User())
	}
	if c2.LastUser(ctx) != "alice" {
		t.Fatalf("last user %q", c2.LastUser(ctx))
	}
}

func TestInitRejectsBadInput(t *testing.T) {
	e := newEnv(t)
	c := e.open(t)
	for _, tc := range []struct{ name, pw string }{{"", adminPW}, {"a b", adminPW}, {"alice", "short"}} {
		if _, _, err := c.Init(ctx, tc.name, secret.NewPassword(tc.pw)); apperr.CodeOf(err) != apperr.InvalidInput {
			t.Errorf("Init(%q, %q) = %v", tc.name, tc.pw, err)
		}
	}
	if ok, _ := c.Initialized(ctx); ok {
		t.Fatal("bad input initialised the folder")
	}
}

// security checklist #1: no plaintext content in the database, its WAL or journal.
func TestNoPlaintextOnDisk(t *testing.T) {
	e := newEnv(t)
	c, s, _ := e.initAdmin(t)
	const name, vat, iban = "ZZMARKERVENDORNAME", "DE999888777", "DE89370400440532013000"
	v, err := s.AddVendor(ctx, vendor.Input{Name: name + " GmbH", VATID: vat, Bank: vendor.BankDetails{IBAN: iban, BIC: "COBADEFFXXX", AccountName: "ZZMARKERACCOUNT"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetVendorBank(ctx, v.ID, vendor.BankDetails{IBAN: "FR1420041010050500013M02606"}); err != nil {
		t.Fatal(err)
	}
	dek := append([]byte(nil), s.dek.Reveal()...)
	// Read the files while the database is open (WAL not yet checkpointed)
	// and again after close.
	check := func(when string) {
		files, _ := filepath.Glob(filepath.Join(e.dir, "*"))
		if len(files) == 0 {
			t.Fatal("no files")
		}
		for _, f := range files {
			raw, err := os.ReadFile(f)
			if err != nil {
				continue
			}
			for _, m := range []string{name, vat, iban, "FR1420041010050500013M02606", "ZZMARKERACCOUNT", "COBADEFF"} {
				if bytes.Contains(raw, []byte(m)) {
					t.Errorf("%s: %s contains %q", when, filepath.Base(f), m)
				}
			}
			// security checklist #2: the data key never appears unwrapped.
			if bytes.Contains(raw, dek) {
				t.Errorf("%s: %s contains the raw data key", when, filepath.Base(f))
			}
		}
	}
	check("open")
	s.Lock()
	c.Close()
	check("closed")
}

// security checklist #2: the keychain secret and the password are each needed.
func TestUnlockNeedsKeychainAndPassword(t *testing.T) {
	e := newEnv(t)
	c, s, _ := e.initAdmin(t)
	s.Lock()
	if _, err := c.Unlock(ctx, "alice", secret.NewPassword("wrong password!!")); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("wrong password: %v", err)
	}
	// Another keychain (a copy of the folder on another machine) opens nothing.
	other, err := vault.OpenKeychain("file:" + filepath.Join(t.TempDir(), "other.key"))
	if err != nil {
		t.Fatal(err)
	}
	c2, err := Open(ctx, Options{DataDir: e.dir, Keychain: other, KDF: vault.MinKDF, Now: e.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	_, err = c2.Unlock(ctx, "alice", secret.NewPassword(adminPW))
	if apperr.CodeOf(err) != apperr.Unavailable || !strings.Contains(err.Error(), "device secret") {
		t.Fatalf("missing device secret: %v", err)
	}
	// A keychain with a different secret under the same name: wrong key.
	folderID, _, _ := c.folderInfo(ctx)
	if _, err := vault.DeviceSecret(other, folderID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := c2.Unlock(ctx, "alice", secret.NewPassword(adminPW)); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("other device secret: %v", err)
	}
}

func TestLockWipesKeys(t *testing.T) {
	e := newEnv(t)
	_, s, _ := e.initAdmin(t)
	dek := s.dek.Reveal() // shares the backing array
	s.Lock()
	if !bytes.Equal(dek, make([]byte, len(dek))) {
		t.Fatal("data key not zeroed")
	}
	if !s.Locked() {
		t.Fatal("not locked")
	}
	if _, err := s.Vendors(ctx); !errors.Is(err, ErrSessionLocked) {
		t.Fatalf("call after lock: %v", err)
	}
}

func TestRecoveryKey(t *testing.T) {
	e := newEnv(t)
	c, s, rk := e.initAdmin(t)
	if _, err := s.AddVendor(ctx, vendor.Input{Name: "Kept Vendor"}); err != nil {
		t.Fatal(err)
	}
	s.Lock()
	if _, err := c.Recover(ctx, "alice", strings.ToLower(rk), secret.NewPassword("a brand new password")); err != nil {
		t.Fatalf("recover: %v", err)
	}
	s2, err := c.Unlock(ctx, "alice", secret.NewPassword("a brand new password"))
	if err != nil {
		t.Fatal(err)
	}
	vs, err := s2.Vendors(ctx)
	if err != nil || len(vs) != 1 {
		t.Fatalf("data after recovery: %v %v", vs, err)
	}
	if _, err := c.Unlock(ctx, "alice", secret.NewPassword(adminPW)); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("old password still works: %v", err)
	}
	otherDisplay, _, _ := vault.NewRecoveryKey()
	if _, err := c.Recover(ctx, "alice", otherDisplay, secret.NewPassword("another new password")); apperr.CodeOf(err) != apperr.Forbidden {
		t.Fatalf("foreign recovery key: %v", err)
	}
}
