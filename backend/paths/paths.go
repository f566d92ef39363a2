// Package paths knows where SmartAP keeps its data on each OS.
package paths

import (
	"os"
	"path/filepath"
	"runtime"
)

// EnvDataDir overrides the default data folder.
const EnvDataDir = "SMARTAP_DATA_DIR"

// DefaultDataDir is the per-user data folder: $SMARTAP_DATA_DIR, else
// $XDG_DATA_HOME/smartap or ~/.local/share/smartap on Linux,
// ~/Library/Application Support/SmartAP on macOS, %LOCALAPPDATA%\SmartAP on Windows.
func DefaultDataDir(getenv func(string) string) string {
	if d := getenv(EnvDataDir); d != "" {
		return d
	}
	home, _ := os.UserHomeDir()
	switch runtime.GOOS {
	case "windows":
		if d := getenv("LOCALAPPDATA"); d != "" {
			return filepath.Join(d, "SmartAP")
		}
		return filepath.Join(home, "AppData", "Local", "SmartAP")
	case "darwin":
		return filepath.Join(home, "Library", "Application Support", "SmartAP")
	default:
		if d := getenv("XDG_DATA_HOME"); d != "" {
			return filepath.Join(d, "smartap")
		}
		return filepath.Join(home, ".local", "share", "smartap")
	}
}
