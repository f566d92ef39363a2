package llm

import (
	"errors"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/secret"
	"github.com/smartap/desktop/backend/vault"
)

// KeychainAccount is the keychain account (under vault.Service) holding the
// API key of the AI service. The key is stored nowhere else.
const KeychainAccount = "llm-api-key"

// maxKeyLen bounds a stored key; real ones are 32 to a few hundred bytes.
const maxKeyLen = 4096

// SaveKey stores the API key in kc, replacing any earlier one. Surrounding
// whitespace (from pasting) is removed. Errors: invalid_input for an empty
// key or one with characters no HTTP header may carry; unavailable when the
// keychain cannot store it. The key is never part of an error.
func SaveKey(kc vault.Keychain, key string) error {
	if kc == nil {
		return apperr.New(apperr.Unavailable, "There is no keychain to store the API key in.")
	}
	b := []byte(trimASCIISpace(key))
	defer clear(b)
	if err := checkKey(b); err != nil {
		return err
	}
	if err := kc.Set(vault.Service, KeychainAccount, b); err != nil {
		return apperr.Wrap(err, apperr.Unavailable, "Could not store the API key in the %s.", kc.Describe())
	}
	return nil
}

// HasKey reports whether kc holds a usable API key. It never returns the key.
func HasKey(kc vault.Keychain) bool {
	if kc == nil {
		return false
	}
	k, err := loadKey(kc)
	defer k.Wipe()
	return err == nil && !k.IsZero()
}

// DeleteKey removes the API key from kc. Deleting an absent key is not an
// error (vault.Keychain contract), so it can be retried.
func DeleteKey(kc vault.Keychain) error {
	if kc == nil {
		return apperr.New(apperr.Unavailable, "There is no keychain to remove the API key from.")
	}
	if err := kc.Delete(vault.Service, KeychainAccount); err != nil {
		return apperr.Wrap(err, apperr.Unavailable, "Could not remove the API key from the %s.", kc.Describe())
	}
	return nil
}

// loadKey returns the stored key, or a zero secret and nil when there is
// none. A stored value that is not a usable key is an error, so a broken
// item is reported rather than sent.
func loadKey(kc vault.Keychain) (secret.Bytes, error) {
	b, err := kc.Get(vault.Service, KeychainAccount)
	switch {
	case errors.Is(err, vault.ErrNotFound):
		return secret.Bytes{}, nil
	case err != nil:
		return secret.Bytes{}, apperr.Wrap(err, apperr.Unavailable, "Could not read the API key from the %s.", kc.Describe())
	}
	if err := checkKey(b); err != nil {
		clear(b)
		return secret.Bytes{}, apperr.New(apperr.Unavailable,
			"The API key stored in the %s is not usable; enter it again in Settings.", kc.Describe())
	}
	return secret.New(b), nil
}

// checkKey: 1..maxKeyLen printable ASCII characters without spaces, the
// only bytes that can go into an Authorization or api-key header intact.
func checkKey(b []byte) error {
	if len(b) == 0 {
		return apperr.New(apperr.InvalidInput, "The API key is empty.")
	}
	if len(b) > maxKeyLen {
		return apperr.New(apperr.InvalidInput, "The API key is longer than %d characters.", maxKeyLen)
	}
	for _, c := range b {
		if c < 0x21 || c > 0x7e {
			return apperr.New(apperr.InvalidInput,
				"The API key may contain only printable ASCII characters, without spaces.")
		}
	}
	return nil
}

func trimASCIISpace(s string) string {
	isSpace := func(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }
	for len(s) > 0 && isSpace(s[0]) {
		s = s[1:]
	}
	for len(s) > 0 && isSpace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}
