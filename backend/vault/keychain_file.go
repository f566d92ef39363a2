package vault

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/smartap/desktop/backend/atomicfile"
)

// fileKeychain keeps items in one JSON file, for machines without an OS
// keychain. The file is the only protection of the device secret, so it is
// written 0600 in a 0700 folder and refused when others may read it.
//
// It re-reads the file on every call and caches nothing: no secret lives in
// the struct (nothing to leak through a formatter) and a chmod or an edit
// by another process is seen at once. Two processes writing at the same
// moment can lose one update; device secrets are written once, at set-up.
type fileKeychain struct {
	path string
	mu   sync.Mutex // serialises read-modify-write within this process
}

var _ Keychain = (*fileKeychain)(nil)

const (
	keyFileFormat  = "smartap-keychain"
	keyFileVersion = 1
	// maxKeyFile bounds what is read: a key file holds a few short items.
	maxKeyFile = 1 << 20
)

type keyFile struct {
	Format  string        `json:"format"`
	Version int           `json:"version"`
	Items   []keyFileItem `json:"items"`
}

type keyFileItem struct {
	Service string `json:"service"`
	Account string `json:"account"`
	Secret  []byte `json:"secret"` // base64 in JSON
}

func openFileKeychain(path string) (*fileKeychain, error) {
	if path == "" {
		return nil, fmt.Errorf("%w: file: needs a path, as in %s=file:/path/to/smartap.keys", ErrBadSpec, EnvKeychain)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("vault: key file path %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return nil, fmt.Errorf("vault: creating folder for key file: %w", err)
	}
	k := &fileKeychain{path: abs}
	// Read once now so a bad file (wrong mode, not ours) is reported when the
	// user configures it, not at the first unlock.
	if _, err := k.load(); err != nil {
		return nil, err
	}
	return k, nil
}

func (k *fileKeychain) Describe() string { return "key file " + k.path }
func (k *fileKeychain) String() string   { return k.Describe() }
func (k *fileKeychain) GoString() string { return k.Describe() }

func (k *fileKeychain) Get(service, account string) ([]byte, error) {
	if err := checkItemName(service, account); err != nil {
		return nil, err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	f, err := k.load()
	if err != nil {
		return nil, err
	}
	defer f.wipe()
	if i := f.find(service, account); i >= 0 {
		return bytes.Clone(f.Items[i].Secret), nil
	}
	return nil, fmt.Errorf("%w: %s %s in %s", ErrNotFound, service, account, k.Describe())
}

func (k *fileKeychain) Set(service, account string, secret []byte) error {
	if err := checkItemName(service, account); err != nil {
		return err
	}
	return k.update(func(f *keyFile) bool {
		item := keyFileItem{Service: service, Account: account, Secret: bytes.Clone(secret)}
		if i := f.find(service, account); i >= 0 {
			clear(f.Items[i].Secret)
			f.Items[i] = item
		} else {
			f.Items = append(f.Items, item)
		}
		return true
	})
}

func (k *fileKeychain) Delete(service, account string) error {
	if err := checkItemName(service, account); err != nil {
		return err
	}
	return k.update(func(f *keyFile) bool {
		i := f.find(service, account)
		if i < 0 {
			return false
		}
		clear(f.Items[i].Secret)
		f.Items = slices.Delete(f.Items, i, i+1)
		return true
	})
}

// update applies change to the file's items and writes the file back
// atomically when change reports that something changed.
func (k *fileKeychain) update(change func(*keyFile) bool) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	f, err := k.load()
	if err != nil {
		return err
	}
	defer f.wipe()
	if !change(&f) {
		return nil
	}
	slices.SortFunc(f.Items, func(a, b keyFileItem) int {
		return strings.Compare(a.Service+"\x00"+a.Account, b.Service+"\x00"+b.Account)
	})
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return fmt.Errorf("vault: encoding %s: %w", k.Describe(), err)
	}
	defer clear(data)
	if err := atomicfile.WriteFile(k.path, data, 0o600); err != nil {
		return fmt.Errorf("vault: writing %s: %w", k.Describe(), err)
	}
	return nil
}

// load reads and checks the file; a missing file is an empty keychain.
func (k *fileKeychain) load() (keyFile, error) {
	empty := keyFile{Format: keyFileFormat, Version: keyFileVersion}
	fh, err := os.Open(k.path) // #nosec G304 -- the key file the user configured
	if errors.Is(err, fs.ErrNotExist) {
		return empty, nil
	}
	if err != nil {
		return keyFile{}, fmt.Errorf("vault: opening %s: %w", k.Describe(), err)
	}
	defer fh.Close()
	if err := k.checkMode(fh); err != nil {
		return keyFile{}, err
	}
	data, err := io.ReadAll(io.LimitReader(fh, maxKeyFile+1))
	if err != nil {
		return keyFile{}, fmt.Errorf("vault: reading %s: %w", k.Describe(), err)
	}
	defer clear(data)
	return k.decode(data)
}

// checkMode looks at the opened file, not the path, so a swap between the
// check and the read cannot slip another file past it.
func (k *fileKeychain) checkMode(fh *os.File) error {
	st, err := fh.Stat()
	if err != nil {
		return fmt.Errorf("vault: stat %s: %w", k.Describe(), err)
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("vault: %s is not a regular file", k.Describe())
	}
	// Windows has no permission bits (ACLs decide); elsewhere group or other
	// access to the device secret undoes the point of keeping it apart.
	if runtime.GOOS != "windows" && st.Mode().Perm()&0o077 != 0 {
		return fmt.Errorf("%w: %s has mode %04o; run chmod 600 %s",
			ErrInsecureFile, k.Describe(), st.Mode().Perm(), k.path)
	}
	return nil
}

func (k *fileKeychain) decode(data []byte) (keyFile, error) {
	if len(data) > maxKeyFile {
		return keyFile{}, fmt.Errorf("vault: %s is larger than %d bytes; not a key file", k.Describe(), maxKeyFile)
	}
	// Format and version first, so a newer file is reported as such rather
	// than failing the strict decode below on fields it added.
	var head struct {
		Format  string `json:"format"`
		Version int    `json:"version"`
	}
	if err := json.Unmarshal(data, &head); err != nil || head.Format != keyFileFormat {
		// The decoder's message may quote file content: leave it out.
		return keyFile{}, fmt.Errorf("vault: %s is not a SmartAP key file", k.Describe())
	}
	if head.Version != keyFileVersion {
		return keyFile{}, fmt.Errorf("%w: %s has version %d, want %d", ErrVersion, k.Describe(), head.Version, keyFileVersion)
	}
	var f keyFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return keyFile{}, fmt.Errorf("vault: %s is damaged (not valid key file JSON)", k.Describe())
	}
	return f, nil
}

func (f *keyFile) find(service, account string) int {
	return slices.IndexFunc(f.Items, func(it keyFileItem) bool {
		return it.Service == service && it.Account == account
	})
}

func (f *keyFile) wipe() {
	for i := range f.Items {
		clear(f.Items[i].Secret)
	}
}
