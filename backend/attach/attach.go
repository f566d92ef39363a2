package attach

import (
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/crypto/chacha20poly1305"

	"github.com/smartap/desktop/backend/atomicfile"
	"github.com/smartap/desktop/backend/secret"
)

// KeySize is the size of the attachment subkey.
const KeySize = chacha20poly1305.KeySize

// DefaultLimit is the default largest attachment, in bytes (ARCHITECTURE §3).
const DefaultLimit int64 = 50 << 20

// NameLen is the length of every attachment name: hex of a SHA-256 HMAC.
const NameLen = 2 * sha256.Size

const (
	sealInfo   = "smartap/attach/v1 seal"
	nameLabel  = "name"
	tempPrefix = ".put-"
	tempSuffix = ".tmp"
	// staleAfter is how old a temp file must be before Open removes it: old
	// enough that no Put still running in this or another process owns it.
	staleAfter = time.Hour
)

var (
	// ErrTooLarge means the content is longer than the limit given to Put.
	ErrTooLarge = errors.New("attach: content exceeds the size limit")
	// ErrNotFound means no attachment has that name.
	ErrNotFound = errors.New("attach: no such attachment")
	// ErrBadName means the name cannot be an attachment name. It wraps
	// ErrNotFound: no attachment can have it.
	ErrBadName = fmt.Errorf("%w: invalid name", ErrNotFound)
	// ErrCorrupt means the file was damaged or tampered with, belongs to
	// another key, or does not hold the content its name stands for.
	ErrCorrupt = errors.New("attach: attachment is corrupt or was tampered with")
	// ErrBadKey means the key is not KeySize bytes.
	ErrBadKey = errors.New("attach: key must be 32 bytes")
)

// Ref describes a stored attachment.
type Ref struct {
	Name   string   // file name in the store; see the package doc
	Size   int64    // plaintext length in bytes
	SHA256 [32]byte // SHA-256 of the plaintext, for exact-duplicate checks
}

// Store is a folder of sealed attachments. Safe for concurrent use.
type Store struct {
	dir     string
	aead    cipher.AEAD
	nameKey secret.Bytes

	// rand supplies nonce prefixes; tests inject fixed bytes.
	rand io.Reader
	// beforeRename is a test hook between fsync and rename (checklist #36).
	beforeRename func(tmp string) error
}

// Open opens the store in dir, creating it 0700 if missing. key is the
// 32-byte attachment subkey of the data key; the store keeps its own copy,
// so the caller may wipe key afterwards.
func Open(dir string, key secret.Bytes) (*Store, error) {
	if key.Len() != KeySize {
		return nil, fmt.Errorf("%w, got %d", ErrBadKey, key.Len())
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("attach: create %s: %w", dir, err)
	}
	aead, err := newAEAD(key)
	if err != nil {
		return nil, err
	}
	s := &Store{
		dir:     filepath.Clean(dir),
		aead:    aead,
		nameKey: secret.New(append([]byte(nil), key.Reveal()...)),
		rand:    rand.Reader,
	}
	if err := s.sweep(time.Now()); err != nil {
		return nil, err
	}
	return s, nil
}

func newAEAD(key secret.Bytes) (cipher.AEAD, error) {
	k, err := hkdf.Expand(sha256.New, key.Reveal(), sealInfo, KeySize)
	if err != nil {
		return nil, fmt.Errorf("attach: derive sealing key: %w", err)
	}
	defer clear(k)
	aead, err := chacha20poly1305.NewX(k)
	if err != nil {
		return nil, fmt.Errorf("attach: %w", err)
	}
	return aead, nil
}

// sweep removes temp files a crashed Put left behind. They hold only sealed
// bytes, so this is about disk space, not secrecy; failures are ignored.
func (s *Store) sweep(now time.Time) error {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return fmt.Errorf("attach: list %s: %w", s.dir, err)
	}
	for _, e := range entries {
		if !isTempName(e.Name()) {
			continue
		}
		info, err := e.Info()
		if err != nil || now.Sub(info.ModTime()) < staleAfter {
			continue
		}
		_ = os.Remove(filepath.Join(s.dir, e.Name()))
	}
	return nil
}

func isTempName(n string) bool {
	return strings.HasPrefix(n, tempPrefix) && strings.HasSuffix(n, tempSuffix)
}

// nameOf maps a plaintext digest to its file name.
func (s *Store) nameOf(sum []byte) string {
	return hex.EncodeToString(s.nameMAC(sum))
}

func (s *Store) nameMAC(sum []byte) []byte {
	m := hmac.New(sha256.New, s.nameKey.Reveal())
	m.Write([]byte(nameLabel))
	m.Write(sum)
	return m.Sum(nil)
}

// validName accepts exactly NameLen lowercase hex characters. Nothing else
// can be a name, so no separator, "..", drive letter or NUL reaches the file
// system (checklist #27). Uppercase is refused so each name has one spelling
// (case-insensitive file systems would otherwise alias them).
func validName(name string) bool {
	if len(name) != NameLen {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// lookup validates name and checks that it is a regular file in the store.
func (s *Store) lookup(name string) (string, error) {
	if !validName(name) {
		return "", ErrBadName
	}
	p := filepath.Join(s.dir, name)
	fi, err := os.Lstat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("%w: %s", ErrNotFound, name)
	}
	if err != nil {
		return "", fmt.Errorf("attach: stat %s: %w", name, err)
	}
	if !fi.Mode().IsRegular() {
		// A symlink or device planted in the folder is not ours.
		return "", fmt.Errorf("%w: %s is not a regular file", ErrNotFound, name)
	}
	return p, nil
}

// Has reports whether an attachment with this name is stored.
func (s *Store) Has(name string) bool {
	_, err := s.lookup(name)
	return err == nil
}

// Delete removes an attachment. Deleting a missing one returns ErrNotFound.
func (s *Store) Delete(name string) error {
	p, err := s.lookup(name)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%w: %s", ErrNotFound, name)
		}
		return fmt.Errorf("attach: delete %s: %w", name, err)
	}
	// Make the removal durable, like the rename that created the file.
	if err := atomicfile.SyncDir(s.dir); err != nil {
		return fmt.Errorf("attach: delete %s: %w", name, err)
	}
	return nil
}

// Format keeps key material out of fmt output, even with %+v or %#v
// (checklist #6).
func (s Store) Format(f fmt.State, _ rune) { _, _ = fmt.Fprintf(f, "attach.Store(%s)", s.dir) }

// LogValue keeps key material out of slog output.
func (s Store) LogValue() slog.Value { return slog.StringValue("attach.Store(" + s.dir + ")") }
