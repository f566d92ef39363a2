package vault

import (
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"time"

	"github.com/zalando/go-keyring"
)

// osKeychain keeps items in the OS keychain through go-keyring: Secret
// Service over D-Bus on Linux, Keychain on macOS, Credential Manager on
// Windows. Values are stored base64-encoded because some backends treat
// the value as text and would mangle arbitrary bytes.
type osKeychain struct{}

var _ Keychain = osKeychain{}

// osBackend is the go-keyring API; tests replace it to reach the probe's
// timeout and error paths without a broken keychain.
type osBackend interface {
	Get(service, user string) (string, error)
	Set(service, user, password string) error
	Delete(service, user string) error
}

type goKeyring struct{}

func (goKeyring) Get(s, u string) (string, error) { return keyring.Get(s, u) }
func (goKeyring) Set(s, u, p string) error        { return keyring.Set(s, u, p) }
func (goKeyring) Delete(s, u string) error        { return keyring.Delete(s, u) }

var (
	osKeyring osBackend = goKeyring{}
	// probeTimeout bounds the start-up check: a locked keychain may wait for
	// a prompt nobody can answer (headless), and go-keyring has no timeout.
	probeTimeout = 30 * time.Second
)

// probeAccount is never written; looking it up proves the service answers.
const probeAccount = "probe:never-stored"

func openOSKeychain() (Keychain, error) {
	if err := sessionBusReachable(); err != nil {
		return nil, noKeychain(err)
	}
	if err := probeOSKeychain(); err != nil {
		return nil, noKeychain(err)
	}
	return osKeychain{}, nil
}

func noKeychain(cause error) error {
	return fmt.Errorf("%w (%w): set %s=file:PATH to keep the device secret in a key file that only you can read",
		ErrNoKeychain, cause, EnvKeychain)
}

// probeOSKeychain looks up an item that does not exist: "not found" proves
// the keychain answers, anything else (no bus, no Secret Service, locked
// and dismissed) means it cannot be used. Reading leaves nothing behind.
func probeOSKeychain() error {
	kr, timeout := osKeyring, probeTimeout
	done := make(chan error, 1)
	go func() {
		_, err := kr.Get(Service, probeAccount)
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || errors.Is(err, keyring.ErrNotFound) {
			return nil
		}
		return err
	case <-time.After(timeout):
		// The goroutine stays blocked inside go-keyring; there is no way to
		// cancel it, and the caller is about to report an error anyway.
		return fmt.Errorf("%s did not answer within %s (locked, waiting for a prompt?)", osKeychainName(), timeout)
	}
}

func (osKeychain) Get(service, account string) ([]byte, error) {
	if err := checkItemName(service, account); err != nil {
		return nil, err
	}
	s, err := osKeyring.Get(service, account)
	if errors.Is(err, keyring.ErrNotFound) {
		return nil, fmt.Errorf("%w: %s %s", ErrNotFound, service, account)
	}
	if err != nil {
		return nil, fmt.Errorf("vault: %s get: %w", osKeychainName(), err)
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("vault: %s item %s %s is not base64", osKeychainName(), service, account)
	}
	return b, nil
}

func (osKeychain) Set(service, account string, secret []byte) error {
	if err := checkItemName(service, account); err != nil {
		return err
	}
	if err := osKeyring.Set(service, account, base64.StdEncoding.EncodeToString(secret)); err != nil {
		return fmt.Errorf("vault: %s set: %w", osKeychainName(), err)
	}
	return nil
}

func (osKeychain) Delete(service, account string) error {
	if err := checkItemName(service, account); err != nil {
		return err
	}
	err := osKeyring.Delete(service, account)
	if err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return fmt.Errorf("vault: %s delete: %w", osKeychainName(), err)
	}
	return nil
}

func (osKeychain) Describe() string   { return osKeychainName() }
func (k osKeychain) String() string   { return k.Describe() }
func (k osKeychain) GoString() string { return k.Describe() }

func osKeychainName() string {
	switch runtime.GOOS {
	case "darwin", "ios":
		return "OS keychain (macOS Keychain)"
	case "windows":
		return "OS keychain (Windows Credential Manager)"
	default:
		return "OS keychain (Secret Service)"
	}
}
