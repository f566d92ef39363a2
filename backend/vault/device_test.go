package vault

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smartap/desktop/backend/secret"
)

func TestDeviceSecret(t *testing.T) {
	t.Parallel()
	kc := openTestFile(t, filepath.Join(t.TempDir(), "k"))
	if _, err := DeviceSecret(kc, "f1", false); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing secret without create: %v, want ErrNotFound", err)
	}
	s1, err := DeviceSecret(kc, "f1", true)
	if err != nil || s1.Len() != KeySize {
		t.Fatalf("create: %v (len %d)", err, s1.Len())
	}
	again, err := DeviceSecret(kc, "f1", false)
	if err != nil || !again.Equal(s1) {
		t.Fatalf("load: %v", err)
	}
	// create=true must never replace an existing secret: that would lock
	// every user of the folder out.
	kept, err := DeviceSecret(kc, "f1", true)
	if err != nil || !kept.Equal(s1) {
		t.Fatalf("create over an existing secret replaced it (%v)", err)
	}
	s2, err := DeviceSecret(kc, "f2", true)
	if err != nil || s2.Equal(s1) {
		t.Fatalf("second folder shares the device secret (%v)", err)
	}
	stored, err := kc.Get(Service, DeviceAccount("f1"))
	if err != nil || !bytes.Equal(stored, s1.Reveal()) {
		t.Fatalf("stored under %s/%s: %v", Service, DeviceAccount("f1"), err)
	}
}

func TestDeviceSecretFailures(t *testing.T) {
	t.Parallel()
	boom := errors.New("dbus gone")
	short := newMemKeychain()
	short.items[Service+"\x00"+DeviceAccount("f")] = []byte("short")
	mangling := newMemKeychain()
	mangling.mangle = true
	broken := newMemKeychain()
	broken.getErr = boom
	tests := []struct {
		name   string
		kc     Keychain
		folder string
		want   error
	}{
		{"wrong size stored", short, "f", nil},
		{"keychain returns other bytes", mangling, "f", nil},
		{"keychain failing", broken, "f", boom},
		{"no folder", newMemKeychain(), "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := DeviceSecret(tc.kc, tc.folder, true)
			if err == nil || !s.IsZero() {
				t.Fatal("DeviceSecret succeeded")
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if errors.Is(err, ErrNotFound) {
				t.Fatalf("a failing keychain must not look like a missing secret: %v", err)
			}
		})
	}
}

// Security checklist #2, end to end: after set-up the data key is on disk
// only wrapped; the key file holds the device secret and nothing else that
// opens the data; losing the keychain is a typed error.
func TestSetUpKeepsDataKeyWrapped(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	kc := openTestFile(t, filepath.Join(dir, "smartap.keys"))
	dev, err := DeviceSecret(kc, "f", true)
	if err != nil {
		t.Fatal(err)
	}
	dek := mustRandom(t)
	env, err := Wrap(dek, dev, secret.NewPassword(testPW), "f", "u", testKDF)
	if err != nil {
		t.Fatal(err)
	}
	file, err := os.ReadFile(filepath.Join(dir, "smartap.keys"))
	if err != nil {
		t.Fatal(err)
	}
	for where, b := range map[string][]byte{"envelope": env, "key file": file} {
		if form := leaks(string(b), dek.Reveal()); form != "" {
			t.Fatalf("%s contains the data key (%q)", where, form)
		}
	}
	lost := openTestFile(t, filepath.Join(t.TempDir(), "new.keys"))
	_, err = DeviceSecret(lost, "f", false)
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "key file") {
		t.Fatalf("lost keychain: %v, want ErrNotFound naming the keychain", err)
	}
	if _, err := Unwrap(env, key(0x20), secret.NewPassword(testPW), "f", "u"); !errors.Is(err, ErrWrongKey) {
		t.Fatalf("another device secret: %v, want ErrWrongKey", err)
	}
}
