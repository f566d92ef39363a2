package pdfdoc

import (
	"errors"
	"fmt"
	"os"
	"runtime"
)

// ErrCacheDir is returned by NewEngine for a cache directory others could
// write to.
var ErrCacheDir = errors.New("pdfdoc: unsafe cache directory")

// checkCacheDir creates dir (0700) and refuses it when group or others may
// write to it: wazero loads and runs the machine code stored there without
// verifying it, so a writable cache is a way to run code as the user. On
// Windows the permission bits say nothing about ACLs; the per-user cache
// folder is private by default and is trusted.
func checkCacheDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("pdfdoc: cache dir: %w", err)
	}
	st, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("pdfdoc: cache dir: %w", err)
	}
	if !st.IsDir() {
		return fmt.Errorf("%w: %s is not a directory", ErrCacheDir, dir)
	}
	if runtime.GOOS != "windows" && st.Mode().Perm()&0o022 != 0 {
		return fmt.Errorf("%w: %s is writable by others (%v)", ErrCacheDir, dir, st.Mode().Perm())
	}
	return nil
}
