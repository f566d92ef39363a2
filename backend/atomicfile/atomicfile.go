// Package atomicfile writes files so that a crash or kill at any moment
// leaves either the old file or the new one, never a torn mix (security
// checklist #36): temp file in the same folder, fsync, rename, fsync folder.
package atomicfile

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// beforeRename is a test hook: a fault injected here must leave the old file.
var beforeRename = func(tmp string) error { return nil }

// WriteFile writes data to path atomically with the given permissions.
func WriteFile(path string, data []byte, perm os.FileMode) error {
	return Write(path, perm, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// Write streams the new content through fill and then puts it in place
// atomically. If fill fails, nothing at path changes.
func Write(path string, perm os.FileMode, fill func(io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("atomicfile: create temp in %s: %w", dir, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	if err = f.Chmod(perm); err != nil {
		return fmt.Errorf("atomicfile: chmod: %w", err)
	}
	if err = fill(f); err != nil {
		return fmt.Errorf("atomicfile: write %s: %w", filepath.Base(path), err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("atomicfile: sync: %w", err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("atomicfile: close: %w", err)
	}
	if err = beforeRename(tmp); err != nil {
		return err
	}
	if err = os.Rename(tmp, path); err != nil {
		return fmt.Errorf("atomicfile: rename: %w", err)
	}
	return SyncDir(dir)
}

// SyncDir fsyncs a folder so a rename or create in it survives a power cut.
func SyncDir(dir string) error {
	d, err := os.Open(dir) // #nosec G304 -- the folder of a file we just wrote
	if err != nil {
		return fmt.Errorf("atomicfile: open dir: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("atomicfile: sync dir: %w", err)
	}
	return nil
}
