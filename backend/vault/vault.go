// Package vault owns the keys of a data folder (ARCHITECTURE.md §4).
//
// Each data folder has one random data key (DEK). It is stored only wrapped
// (security checklist #2): once per local user, under a key derived from the
// device secret in the OS keychain together with Argon2id of the user's
// password, so the database file alone, the keychain alone or the password
// alone opens nothing; and optionally once under a recovery key shown at
// set-up, so a lost keychain is survivable. The services use Subkey to get
// one independent key per purpose from the DEK and never the DEK itself.
//
// Every envelope starts with a version byte and a KDF id and is pinned by
// golden vectors in testdata (checklist #5).
package vault

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"

	"github.com/smartap/desktop/backend/secret"
)

// Service is the keychain service name under which vault keeps its items.
const Service = "smartap"

// EnvKeychain names the environment variable holding the keychain spec given
// to OpenKeychain ("os" or "file:PATH").
const EnvKeychain = "SMARTAP_KEYCHAIN"

// KeySize is the size of data keys, device secrets, recovery keys and subkeys.
const KeySize = 32

var (
	// ErrNotFound means the keychain holds no item for that service and account.
	ErrNotFound = errors.New("vault: not found in keychain")
	// ErrNoKeychain means no OS keychain service can be reached.
	ErrNoKeychain = errors.New("vault: no OS keychain available")
	// ErrBadSpec means OpenKeychain was given a spec it does not understand.
	ErrBadSpec = errors.New("vault: invalid keychain spec")
	// ErrInsecureFile means a key file can be read or written by other users.
	ErrInsecureFile = errors.New("vault: key file is accessible to other users")
	// ErrWrongKey means the password, the device secret or the recovery key
	// does not open the envelope. Which one is deliberately not said.
	ErrWrongKey = errors.New("vault: wrong password or key")
	// ErrVersion means an envelope or key file was written by an unknown
	// version or with an unknown KDF.
	ErrVersion = errors.New("vault: unknown format version")
	// ErrWeakParams means KDF parameters are below MinKDF.
	ErrWeakParams = errors.New("vault: KDF parameters below the minimum")
	// ErrMalformed means an envelope is truncated or otherwise not well formed.
	ErrMalformed = errors.New("vault: malformed envelope")
	// ErrInvalidRecoveryKey means a typed recovery key has a typo.
	ErrInvalidRecoveryKey = errors.New("vault: invalid recovery key")
)

// randReader is where every random byte of this package comes from; the
// golden tests swap it for a fixed stream.
var randReader io.Reader = rand.Reader

func randomBytes(n int) ([]byte, error) {
	b := make([]byte, n)
	if _, err := io.ReadFull(randReader, b); err != nil {
		return nil, fmt.Errorf("vault: reading random bytes: %w", err)
	}
	return b, nil
}

// NewDataKey makes a random data key for a new data folder.
func NewDataKey() (secret.Bytes, error) {
	b, err := randomBytes(KeySize)
	if err != nil {
		return secret.Bytes{}, err
	}
	return secret.New(b), nil
}

// checkKey refuses key material of the wrong size before it reaches a cipher,
// where it would fail with a less useful message (or, for HKDF, not at all).
func checkKey(what string, k secret.Bytes) error {
	if k.Len() != KeySize {
		return fmt.Errorf("vault: %s is %d bytes, want %d", what, k.Len(), KeySize)
	}
	return nil
}
