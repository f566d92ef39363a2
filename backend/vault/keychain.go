package vault

import (
	"errors"
	"fmt"
	"strings"

	"github.com/smartap/desktop/backend/secret"
)

// Keychain holds the per-data-folder device secret.
//
// Error contract, the same for every implementation:
//   - Get returns an error wrapping ErrNotFound when no item exists.
//   - Set replaces an existing item.
//   - Delete of an absent item is not an error, so clean-up can be retried.
//   - Describe names where secrets live, for messages to the user
//     ("OS keychain (Secret Service)", "key file /path"); it never shows a secret.
type Keychain interface {
	Get(service, account string) ([]byte, error)
	Set(service, account string, secret []byte) error
	Delete(service, account string) error
	Describe() string
}

const fileSpecPrefix = "file:"

// OpenKeychain opens the keychain named by spec (usually the value of
// SMARTAP_KEYCHAIN):
//
//   - "" or "os": the OS keychain, checked to be reachable now. When it is
//     not (headless Linux without a Secret Service), the error wraps
//     ErrNoKeychain and tells the user to set SMARTAP_KEYCHAIN=file:PATH:
//     there is deliberately no silent fallback to a file.
//   - "file:PATH": a key file at PATH that only its owner may read.
//
// Anything else gives ErrBadSpec.
func OpenKeychain(spec string) (Keychain, error) {
	switch {
	case spec == "" || spec == "os":
		return openOSKeychain()
	case strings.HasPrefix(spec, fileSpecPrefix):
		return openFileKeychain(strings.TrimPrefix(spec, fileSpecPrefix))
	default:
		return nil, fmt.Errorf("%w %q: use \"os\" or \"file:PATH\" in %s", ErrBadSpec, spec, EnvKeychain)
	}
}

func checkItemName(service, account string) error {
	if service == "" || account == "" {
		return errors.New("vault: keychain service and account are required")
	}
	return nil
}

// DeviceAccount is the keychain account of a data folder's device secret.
func DeviceAccount(folderID string) string { return "device:" + folderID }

// DeviceSecret loads the device secret of data folder folderID from kc.
// With create=true a missing secret is made and stored; an existing one is
// never replaced, since that would lock every user out of the folder.
// Without create, a missing secret gives an error wrapping ErrNotFound (the
// caller can then offer the recovery key).
func DeviceSecret(kc Keychain, folderID string, create bool) (secret.Bytes, error) {
	if folderID == "" {
		return secret.Bytes{}, errors.New("vault: folder id is required")
	}
	account := DeviceAccount(folderID)
	raw, err := kc.Get(Service, account)
	switch {
	case err == nil:
		return deviceFromStored(kc, raw)
	case !errors.Is(err, ErrNotFound):
		return secret.Bytes{}, fmt.Errorf("vault: reading device secret from %s: %w", kc.Describe(), err)
	case !create:
		return secret.Bytes{}, fmt.Errorf("vault: no device secret for this data folder in %s: %w", kc.Describe(), err)
	}
	return createDeviceSecret(kc, account)
}

func deviceFromStored(kc Keychain, raw []byte) (secret.Bytes, error) {
	if len(raw) != KeySize {
		n := len(raw)
		clear(raw)
		return secret.Bytes{}, fmt.Errorf("vault: device secret in %s is %d bytes, want %d", kc.Describe(), n, KeySize)
	}
	return secret.New(raw), nil
}

// createDeviceSecret stores a new secret and reads it back: a keychain that
// accepts a value and then returns something else must fail now, at set-up,
// not later when the data key can no longer be unwrapped.
func createDeviceSecret(kc Keychain, account string) (secret.Bytes, error) {
	s, err := NewDataKey()
	if err != nil {
		return secret.Bytes{}, err
	}
	if err := kc.Set(Service, account, s.Reveal()); err != nil {
		s.Wipe()
		return secret.Bytes{}, fmt.Errorf("vault: storing device secret in %s: %w", kc.Describe(), err)
	}
	back, err := kc.Get(Service, account)
	if err != nil {
		s.Wipe()
		return secret.Bytes{}, fmt.Errorf("vault: reading back device secret from %s: %w", kc.Describe(), err)
	}
	stored := secret.New(back)
	defer stored.Wipe()
	if !stored.Equal(s) {
		s.Wipe()
		return secret.Bytes{}, fmt.Errorf("vault: %s returned a different device secret than was stored", kc.Describe())
	}
	return s, nil
}
