package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/smartap/desktop/backend/atomicfile"
)

// serverKeys are the secrets every replica of one deployment must share:
// the access-token signing key (a token issued by one replica verifies on
// all), the password pepper (a hash made by one verifies on all) and the
// audit-checkpoint signing key (one log, one signer).
type serverKeys struct {
	Version        int    `json:"version"`
	JWTKeyID       string `json:"jwt_key_id"`
	JWTSeed        []byte `json:"jwt_seed"`        // Ed25519 seed, 32 bytes
	Pepper         []byte `json:"password_pepper"` // 32 bytes
	CheckpointSeed []byte `json:"checkpoint_seed"` // Ed25519 seed, 32 bytes
}

const keysVersion = 1

var errKeyFile = errors.New("key file")

func (k serverKeys) jwtKey() ed25519.PrivateKey { return ed25519.NewKeyFromSeed(k.JWTSeed) }
func (k serverKeys) checkpointKey() ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(k.CheckpointSeed)
}

func newKeys() (serverKeys, error) {
	k := serverKeys{Version: keysVersion, JWTSeed: make([]byte, ed25519.SeedSize),
		Pepper: make([]byte, 32), CheckpointSeed: make([]byte, ed25519.SeedSize)}
	id := make([]byte, 8)
	for _, b := range [][]byte{k.JWTSeed, k.Pepper, k.CheckpointSeed, id} {
		if _, err := rand.Read(b); err != nil {
			return serverKeys{}, fmt.Errorf("generate server keys: %w", err)
		}
	}
	k.JWTKeyID = hex.EncodeToString(id)
	return k, nil
}

func (k serverKeys) check() error {
	switch {
	case k.Version != keysVersion:
		return fmt.Errorf("%w: version %d, this build knows %d", errKeyFile, k.Version, keysVersion)
	case k.JWTKeyID == "" || len(k.JWTSeed) != ed25519.SeedSize || len(k.CheckpointSeed) != ed25519.SeedSize:
		return fmt.Errorf("%w: signing keys missing or malformed", errKeyFile)
	case len(k.Pepper) < 32:
		return fmt.Errorf("%w: password pepper missing or short", errKeyFile)
	}
	return nil
}

// loadOrCreateKeys reads the key file at path, creating it on first start.
// Creation is crash-safe and first-writer-wins: the new keys are written
// and fsynced to a uniquely named temporary file that is then hard-linked
// into place, which fails if the file already exists. A replica that
// loses the race reads the winner's keys; a crash before the link leaves
// at most a hidden temporary file, never a partial key file. created
// reports whether this call made the file.
func loadOrCreateKeys(path string) (k serverKeys, created bool, err error) {
	k, err = readKeys(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return k, false, err
	}
	fresh, err := newKeys()
	if err != nil {
		return serverKeys{}, false, err
	}
	b, err := json.MarshalIndent(fresh, "", "  ")
	if err != nil {
		return serverKeys{}, false, err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return serverKeys{}, false, fmt.Errorf("create key folder: %w", err)
	}
	tmp, err := writeTemp(dir, "."+filepath.Base(path)+".new-*", b)
	if err != nil {
		return serverKeys{}, false, err
	}
	defer func() { _ = os.Remove(tmp) }()
	switch err := os.Link(tmp, path); {
	case err == nil:
		if err := atomicfile.SyncDir(dir); err != nil {
			return serverKeys{}, false, err
		}
		return fresh, true, nil
	case errors.Is(err, fs.ErrExist):
		k, err := readKeys(path)
		return k, false, err
	default:
		return serverKeys{}, false, fmt.Errorf("install key file: %w", err)
	}
}

// writeTemp writes data to a new uniquely named 0600 file in dir and
// fsyncs it; racing creators never share a temporary file.
func writeTemp(dir, pattern string, data []byte) (path string, err error) {
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return "", fmt.Errorf("create key file: %w", err)
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(f.Name())
		}
	}()
	if err = f.Chmod(0o600); err != nil {
		return "", fmt.Errorf("create key file: %w", err)
	}
	if _, err = f.Write(data); err != nil {
		return "", fmt.Errorf("write key file: %w", err)
	}
	if err = f.Sync(); err != nil {
		return "", fmt.Errorf("sync key file: %w", err)
	}
	if err = f.Close(); err != nil {
		return "", fmt.Errorf("close key file: %w", err)
	}
	return f.Name(), nil
}

// readKeys reads and checks the key file; it refuses a file that others
// than the owner may read, since the keys mint tokens for every account.
func readKeys(path string) (serverKeys, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return serverKeys{}, err
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return serverKeys{}, fmt.Errorf("%w %s: permissions %v let others read it; run chmod 600 %s",
			errKeyFile, path, fi.Mode().Perm(), path)
	}
	b, err := os.ReadFile(path) // #nosec G304 -- the operator's own key file path
	if err != nil {
		return serverKeys{}, fmt.Errorf("read key file: %w", err)
	}
	var k serverKeys
	if err := json.Unmarshal(b, &k); err != nil {
		return serverKeys{}, fmt.Errorf("%w %s: %w", errKeyFile, path, err)
	}
	if err := k.check(); err != nil {
		return serverKeys{}, fmt.Errorf("%s: %w", path, err)
	}
	return k, nil
}
