package vault

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
)

// The tests here swap package globals (osKeyring, probeTimeout) or the
// environment, so none of them runs in parallel.

// fakeKeyring mimics go-keyring: string values, keyring.ErrNotFound.
type fakeKeyring struct {
	mu     sync.Mutex
	items  map[string]string
	getErr error
	block  chan struct{} // when set, Get waits for it to close
}

func (f *fakeKeyring) Get(s, u string) (string, error) {
	if f.block != nil {
		<-f.block
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.getErr != nil {
		return "", f.getErr
	}
	v, ok := f.items[s+"\x00"+u]
	if !ok {
		return "", keyring.ErrNotFound
	}
	return v, nil
}

func (f *fakeKeyring) Set(s, u, p string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.items[s+"\x00"+u] = p
	return nil
}

func (f *fakeKeyring) Delete(s, u string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.items[s+"\x00"+u]; !ok {
		return keyring.ErrNotFound
	}
	delete(f.items, s+"\x00"+u)
	return nil
}

func withFakeKeyring(t *testing.T, f *fakeKeyring) {
	t.Helper()
	if f.items == nil {
		f.items = map[string]string{}
	}
	old, oldTimeout := osKeyring, probeTimeout
	osKeyring = f
	// Make the bus check pass on Linux; the fake never dials it.
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/fake-bus-for-tests")
	t.Cleanup(func() { osKeyring, probeTimeout = old, oldTimeout })
}

// The OS keychain adapter over a fake go-keyring: base64 storage and error
// mapping, with no D-Bus needed.
func TestOSKeychainAdapterContract(t *testing.T) {
	f := &fakeKeyring{}
	withFakeKeyring(t, f)
	kc, err := OpenKeychain("os")
	if err != nil {
		t.Fatal(err)
	}
	testKeychainContract(t, kc, "smartap-test", "contract:")
	f.items["smartap-test\x00junk"] = "not base64!"
	if _, err := kc.Get("smartap-test", "junk"); err == nil || strings.Contains(err.Error(), "not base64!") {
		t.Fatalf("foreign item: %v", err)
	}
}

func TestOSKeychainProbe(t *testing.T) {
	tests := []struct {
		name    string
		fake    *fakeKeyring
		wantErr bool
		msg     string
	}{
		{"answers not found", &fakeKeyring{}, false, ""},
		{"answers with an item", &fakeKeyring{items: map[string]string{Service + "\x00" + probeAccount: "x"}}, false, ""},
		{"no secret service", &fakeKeyring{getErr: errors.New("The name org.freedesktop.secrets was not provided")}, true, "org.freedesktop.secrets"},
		{"hangs on a prompt", &fakeKeyring{block: make(chan struct{})}, true, "did not answer"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			withFakeKeyring(t, tc.fake)
			probeTimeout = 50 * time.Millisecond
			if tc.fake.block != nil {
				t.Cleanup(func() { close(tc.fake.block) })
			}
			kc, err := OpenKeychain("")
			if !tc.wantErr {
				if err != nil || kc.Describe() != osKeychainName() {
					t.Fatalf("OpenKeychain: %v", err)
				}
				return
			}
			checkNoKeychainErr(t, err)
			if !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("error %q does not say %q", err, tc.msg)
			}
		})
	}
}

func checkNoKeychainErr(t *testing.T, err error) {
	t.Helper()
	if !errors.Is(err, ErrNoKeychain) {
		t.Fatalf("err = %v, want ErrNoKeychain", err)
	}
	if !strings.Contains(err.Error(), EnvKeychain+"=file:") {
		t.Fatalf("error %q does not tell the user about %s=file:PATH", err, EnvKeychain)
	}
}

// TestOSKeychainReal uses the real Secret Service. CI runs it inside
// dbus-run-session with gnome-keyring unlocked and SMARTAP_TEST_KEYRING=1;
// then an unreachable keychain is a failure, not a skip.
func TestOSKeychainReal(t *testing.T) {
	if os.Getenv("SMARTAP_TEST_KEYRING") != "1" {
		t.Skip("set SMARTAP_TEST_KEYRING=1 (inside dbus-run-session with gnome-keyring unlocked) to test the real OS keychain")
	}
	kc, err := OpenKeychain("os")
	if err != nil {
		t.Fatalf("SMARTAP_TEST_KEYRING=1 but the OS keychain is unavailable: %v", err)
	}
	run := randomHex(t)
	testKeychainContract(t, kc, "smartap-test", "contract-"+run+":")

	folder := "test-" + run
	t.Cleanup(func() { _ = kc.Delete(Service, DeviceAccount(folder)) })
	s, err := DeviceSecret(kc, folder, true)
	if err != nil {
		t.Fatal(err)
	}
	again, err := DeviceSecret(kc, folder, false)
	if err != nil || !again.Equal(s) {
		t.Fatalf("device secret did not survive in the OS keychain: %v", err)
	}
}

func randomHex(t *testing.T) string {
	t.Helper()
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

const helperEnv = "VAULT_TEST_HELPER"

// TestHelperOpenOSKeychain runs only as a subprocess of the tests below, in
// an environment of their making: godbus caches its session bus, so a
// broken bus can only be shown to a fresh process.
func TestHelperOpenOSKeychain(t *testing.T) {
	if os.Getenv(helperEnv) != "open-os" {
		return
	}
	start := time.Now()
	_, err := OpenKeychain("os")
	checkNoKeychainErr(t, err)
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("took %s to find no keychain", d)
	}
}

func runOpenOSHelper(t *testing.T, env ...string) {
	t.Helper()
	if !usesDBus() {
		t.Skip("no D-Bus keychain on " + runtime.GOOS)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperOpenOSKeychain$", "-test.count=1", "-test.v")
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DBUS_SESSION_BUS_ADDRESS=") && !strings.HasPrefix(kv, "PATH=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, helperEnv+"=open-os")
	cmd.Env = append(cmd.Env, env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("helper: %v\n%s", err, out)
	}
}

func usesDBus() bool {
	switch runtime.GOOS {
	case "linux", "freebsd", "openbsd", "netbsd", "dragonfly":
		return true
	}
	return false
}

// A bus address that leads nowhere must give ErrNoKeychain with the hint,
// quickly, and never a silent fallback.
func TestOpenOSKeychainBogusBus(t *testing.T) {
	runOpenOSHelper(t, "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent", "PATH="+os.Getenv("PATH"))
}

// Without any session bus, godbus would run dbus-launch and leave a bus
// daemon behind. A fake dbus-launch on PATH shows whether it was called.
func TestOpenOSKeychainNoBusDoesNotAutolaunch(t *testing.T) {
	if !usesDBus() {
		t.Skip("no D-Bus keychain on " + runtime.GOOS)
	}
	runDir := filepath.Join("/run/user", strconv.Itoa(os.Getuid()))
	for _, name := range []string{"bus", "dbus-session"} {
		if _, err := os.Stat(filepath.Join(runDir, name)); err == nil {
			t.Skipf("a session bus is discoverable at %s/%s", runDir, name)
		}
	}
	bin := t.TempDir()
	marker := filepath.Join(bin, "launched")
	script := "#!/bin/sh\necho launched > '" + marker + "'\nexit 1\n" // builtins only: PATH holds nothing else
	if err := os.WriteFile(filepath.Join(bin, "dbus-launch"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	runOpenOSHelper(t, "PATH="+bin)
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("OpenKeychain ran dbus-launch")
	}
}
