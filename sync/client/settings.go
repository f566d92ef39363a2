package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/smartap/desktop/backend/atomicfile"
)

// SettingsFile is the name of the sync settings in the data folder. It
// holds no secret: the refresh token is in the keychain under Account.
const SettingsFile = "sync.json"

// Settings is what `smartap login` remembers for `sync` and the window.
type Settings struct {
	Server string `json:"server"`
	User   string `json:"user"`
	// Account is the keychain account of the refresh token
	// (RefreshAccount of the folder's device id, server and user).
	Account string `json:"account"`
	// CheckpointKey is the server's pinned audit checkpoint key (the text
	// form of checkpoint.FormatPublicKey), "" when none was given.
	CheckpointKey string `json:"checkpoint_key,omitempty"`
}

// ErrNoSettings: this data folder has not logged in to a server.
var ErrNoSettings = errors.New("sync: no sync server configured for this data folder (run smartap login --server URL)")

// LoadSettings reads dataDir's sync settings; ErrNoSettings when absent.
func LoadSettings(dataDir string) (Settings, error) {
	p := filepath.Join(dataDir, SettingsFile)
	b, err := os.ReadFile(p) // #nosec G304 -- the user's own data folder
	if errors.Is(err, fs.ErrNotExist) {
		return Settings{}, ErrNoSettings
	}
	if err != nil {
		return Settings{}, fmt.Errorf("read %s: %w", p, err)
	}
	var s Settings
	if err := json.Unmarshal(b, &s); err != nil || s.Server == "" || s.User == "" || s.Account == "" {
		return Settings{}, fmt.Errorf("%s is damaged (log in again): %v", p, err)
	}
	return s, nil
}

// SaveSettings writes dataDir's sync settings (0600, atomically).
func SaveSettings(dataDir string, s Settings) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("encode sync settings: %w", err)
	}
	return atomicfile.WriteFile(filepath.Join(dataDir, SettingsFile), b, 0o600)
}

// RemoveSettings forgets the server; absent is fine.
func RemoveSettings(dataDir string) error {
	err := os.Remove(filepath.Join(dataDir, SettingsFile))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove sync settings: %w", err)
	}
	return nil
}

// CheckpointPath is where FileCheckpoints keeps verified heads.
func CheckpointPath(dataDir string) string { return filepath.Join(dataDir, "sync-checkpoints.json") }

// LastRunFile keeps the outcome of the last sync in the data folder, so
// `smartap sync status` can show it after the syncing process ended.
const LastRunFile = "sync-last.json"

// LastRun is the outcome of the last sync of this data folder.
type LastRun struct {
	LastSync  time.Time `json:"last_sync,omitzero"`
	LastError string    `json:"last_error"`
}

// LoadLastRun reads dataDir's last sync outcome (zero when none).
func LoadLastRun(dataDir string) LastRun {
	var lr LastRun
	b, err := os.ReadFile(filepath.Join(dataDir, LastRunFile)) // #nosec G304 -- the user's own data folder
	if err == nil {
		_ = json.Unmarshal(b, &lr) // a damaged file only loses a status line
	}
	return lr
}

func saveLastRun(dataDir string, lr LastRun) error {
	b, err := json.Marshal(lr)
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(filepath.Join(dataDir, LastRunFile), b, 0o600)
}
