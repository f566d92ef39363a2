//go:build unix

package client

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// lockRefresh takes an exclusive lock on dataDir's sync.lock so that two
// SmartAP processes on one folder (the window and the CLI) never spend the
// same refresh token: the server would see a reuse and revoke the family,
// signing the user out. The lock ends with the returned function.
func lockRefresh(dataDir string) (func(), error) {
	p := filepath.Join(dataDir, "sync.lock")
	f, err := os.OpenFile(p, os.O_CREATE|os.O_RDWR, 0o600) // #nosec G304 -- the user's own data folder
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", p, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil { // #nosec G115 -- a file descriptor fits in int
		_ = f.Close()
		return nil, fmt.Errorf("lock %s: %w", p, err)
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN) // #nosec G115 -- a file descriptor fits in int
		_ = f.Close()
	}, nil
}
