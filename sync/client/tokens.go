package client

import (
	"errors"
	"fmt"

	"github.com/smartap/desktop/backend/vault"
)

// The refresh token lives in the OS keychain (or the key file the user
// chose with SMARTAP_KEYCHAIN), never in the data folder or a log; the
// access token lives only in memory.

// RefreshAccount is the keychain account of the refresh token for one data
// folder, server and user, so two folders or two servers never share one.
func RefreshAccount(folderID, server, user string) string {
	return "sync-refresh:" + folderID + ":" + user + "@" + server
}

// Credentials is where one login's refresh token is kept.
type Credentials struct {
	Keychain vault.Keychain
	Account  string // RefreshAccount(...)
}

// Load returns the stored refresh token; ErrNotLoggedIn when there is none.
func (c Credentials) Load() (string, error) {
	b, err := c.Keychain.Get(vault.Service, c.Account)
	if errors.Is(err, vault.ErrNotFound) {
		return "", fmt.Errorf("%w (no sign-in stored in the %s): run smartap login", ErrNotLoggedIn, c.Keychain.Describe())
	}
	if err != nil {
		return "", fmt.Errorf("read the sign-in from the %s: %w", c.Keychain.Describe(), err)
	}
	defer clear(b)
	if len(b) == 0 {
		return "", fmt.Errorf("%w: empty sign-in in the %s", ErrNotLoggedIn, c.Keychain.Describe())
	}
	return string(b), nil
}

// Save stores (replaces) the refresh token.
func (c Credentials) Save(refresh string) error {
	b := []byte(refresh)
	defer clear(b)
	if err := c.Keychain.Set(vault.Service, c.Account, b); err != nil {
		return fmt.Errorf("store the sign-in in the %s: %w", c.Keychain.Describe(), err)
	}
	return nil
}

// Delete removes the refresh token; absent is fine.
func (c Credentials) Delete() error {
	if err := c.Keychain.Delete(vault.Service, c.Account); err != nil {
		return fmt.Errorf("remove the sign-in from the %s: %w", c.Keychain.Describe(), err)
	}
	return nil
}
