package vault

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
)

// testKeychainContract is the one suite every Keychain implementation must
// pass (the error contract on the Keychain interface). account prefixes
// keep runs against a shared OS keychain apart.
func testKeychainContract(t *testing.T, kc Keychain, service, prefix string) {
	t.Helper()
	a, b := prefix+"a", prefix+"b"
	t.Cleanup(func() {
		_ = kc.Delete(service, a)
		_ = kc.Delete(service, b)
	})
	val1 := []byte{0, 1, 2, 0xff, 0xfe, '\n', 0, 'x'}
	val2 := pattern(0xc0, 32)

	if _, err := kc.Get(service, a); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get of a missing item: %v, want ErrNotFound", err)
	}
	mustSet(t, kc, service, a, val1)
	mustGet(t, kc, service, a, val1)
	if _, err := kc.Get(service, b); !errors.Is(err, ErrNotFound) {
		t.Fatalf("another account sees the item: %v", err)
	}
	if _, err := kc.Get(service+"-other", a); !errors.Is(err, ErrNotFound) {
		t.Fatalf("another service sees the item: %v", err)
	}
	mustSet(t, kc, service, b, val2)
	mustSet(t, kc, service, a, val2) // replace
	mustGet(t, kc, service, a, val2)

	if err := kc.Delete(service, a); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := kc.Get(service, a); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get after Delete: %v, want ErrNotFound", err)
	}
	mustGet(t, kc, service, b, val2)
	if err := kc.Delete(service, a); err != nil {
		t.Fatalf("Delete of a missing item must succeed: %v", err)
	}
	for _, bad := range [][2]string{{"", a}, {service, ""}} {
		if err := kc.Set(bad[0], bad[1], val1); err == nil {
			t.Errorf("Set(%q, %q) accepted empty names", bad[0], bad[1])
		}
	}
	desc := kc.Describe()
	if desc == "" {
		t.Error("Describe is empty")
	}
	for _, out := range []string{desc, fmt.Sprintf("%v %+v %#v %s %x", kc, kc, kc, kc, kc)} {
		if form := leaks(out, val2); form != "" {
			t.Errorf("printing the keychain shows a secret (%q): %q", form, out)
		}
	}
}

func mustSet(t *testing.T, kc Keychain, service, account string, v []byte) {
	t.Helper()
	if err := kc.Set(service, account, v); err != nil {
		t.Fatalf("Set(%s, %s): %v", service, account, err)
	}
}

func mustGet(t *testing.T, kc Keychain, service, account string, want []byte) {
	t.Helper()
	got, err := kc.Get(service, account)
	if err != nil {
		t.Fatalf("Get(%s, %s): %v", service, account, err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("Get(%s, %s) = %x, want %x", service, account, got, want)
	}
}

// memKeychain is a fake for DeviceSecret tests: Keychain behaviour that
// real keychains would need faults injected for.
type memKeychain struct {
	items  map[string][]byte
	mangle bool  // return something other than what was stored
	getErr error // fail every Get
}

func newMemKeychain() *memKeychain { return &memKeychain{items: map[string][]byte{}} }

func (m *memKeychain) Get(s, a string) ([]byte, error) {
	if m.getErr != nil {
		return nil, m.getErr
	}
	v, ok := m.items[s+"\x00"+a]
	if !ok {
		return nil, ErrNotFound
	}
	v = bytes.Clone(v)
	if m.mangle {
		v[0] ^= 1
	}
	return v, nil
}

func (m *memKeychain) Set(s, a string, v []byte) error {
	if err := checkItemName(s, a); err != nil {
		return err
	}
	m.items[s+"\x00"+a] = bytes.Clone(v)
	return nil
}

func (m *memKeychain) Delete(s, a string) error { delete(m.items, s+"\x00"+a); return nil }
func (m *memKeychain) Describe() string         { return "memory" }
func (m *memKeychain) String() string           { return "memory" }
func (m *memKeychain) GoString() string         { return "memory" }

func TestMemKeychainContract(t *testing.T) {
	testKeychainContract(t, newMemKeychain(), "smartap-test", "contract:")
}
