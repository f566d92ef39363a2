//go:build dev && !production

// This file exists only in dev-mode builds (`wails dev`, or scripts/e2e.sh,
// which builds with -tags dev): the end-to-end tests drive the UI from a
// browser, which cannot operate the native file dialog that ChooseAndImport
// opens. Production builds (-tags desktop,production) never contain it;
// devimport_test.go proves that for the file selection and
// scripts/package.sh for the packaged binaries.

package app

import (
	"context"
	"os"
	"path/filepath"

	"github.com/smartap/desktop/backend/apperr"
)

// EnvDevImportDir names the only folder DevQueueImport takes files from.
// Unset, DevQueueImport refuses: a developer's dev build does not offer
// file reads to the webview unless asked to. DevQueueExport writes there too.
const EnvDevImportDir = "SMARTAP_DEV_IMPORT_DIR"

func devFile(name string) (string, error) {
	dir := os.Getenv(EnvDevImportDir)
	if dir == "" {
		return "", apperr.New(apperr.Unavailable, "test imports and exports are off: %s is not set", EnvDevImportDir)
	}
	if name == "" || name == "." || name == ".." || name != filepath.Base(name) {
		return "", apperr.New(apperr.InvalidInput, "%q is not a plain file name", name)
	}
	return filepath.Join(dir, name), nil
}

// DevQueueExport makes the next ChooseAndExport write to this file (or, for
// UBL, folder) name inside $SMARTAP_DEV_IMPORT_DIR instead of asking in the
// save dialog. Calls are sequential in the tests that use it: the swap of
// the package's dialog function is not guarded against a running export.
func (a *App) DevQueueExport(name string) error {
	path, err := devFile(name)
	if err != nil {
		return err
	}
	if _, _, err := a.sessionFor(); err != nil {
		return err
	}
	real := exportDialog
	exportDialog = func(context.Context, string, string) (string, error) {
		exportDialog = real
		return path, nil
	}
	return nil
}

// DevQueueImport makes the next ChooseAndImport import these files instead
// of opening the dialog, so the rest of the import (the UI's button,
// progress events, per-file results) runs exactly as for a person. It takes
// bare file names inside $SMARTAP_DEV_IMPORT_DIR: as in production, the
// webview never sends a path.
func (a *App) DevQueueImport(names []string) error {
	if _, err := devFile("x"); err != nil {
		return err
	}
	if _, _, err := a.sessionFor(); err != nil {
		return err
	}
	if len(names) == 0 || len(names) > MaxImportFiles {
		return apperr.New(apperr.InvalidInput, "queue 1 to %d files", MaxImportFiles)
	}
	paths := make([]string, 0, len(names))
	for _, n := range names {
		p, err := devFile(n)
		if err != nil {
			return err
		}
		paths = append(paths, p)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	// chooseFiles calls this outside the lock; it answers once, then the
	// real dialog is back.
	a.choose = func() ([]string, error) {
		a.mu.Lock()
		a.choose = nil
		a.mu.Unlock()
		return paths, nil
	}
	return nil
}
