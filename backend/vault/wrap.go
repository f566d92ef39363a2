package vault

import (
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/chacha20poly1305"

	"github.com/smartap/desktop/backend/secret"
)

// KDFParams are the Argon2id costs stored in each password envelope, so
// they can be raised for new envelopes while old ones stay readable.
type KDFParams struct {
	Time      uint32 `json:"time"` // passes over memory
	MemoryKiB uint32 `json:"memory_kib"`
	Threads   uint8  `json:"threads"`
}

var (
	// DefaultKDF is what new envelopes use (RFC 9106's second option).
	DefaultKDF = KDFParams{Time: 3, MemoryKiB: 64 * 1024, Threads: 4}
	// MinKDF is the OWASP minimum. Wrap and Unwrap refuse anything weaker,
	// so an edited envelope cannot downgrade the work an attacker must do.
	MinKDF = KDFParams{Time: 2, MemoryKiB: 19 * 1024, Threads: 1}
	// maxKDF bounds what Unwrap will attempt, so a corrupt envelope cannot
	// make it allocate gigabytes or spin for minutes.
	maxKDF = KDFParams{Time: 64, MemoryKiB: 2 * 1024 * 1024, Threads: 64}
)

func (p KDFParams) check() error {
	if p.Time > maxKDF.Time || p.MemoryKiB > maxKDF.MemoryKiB || p.Threads > maxKDF.Threads {
		return fmt.Errorf("%w: KDF parameters %+v exceed %+v", ErrMalformed, p, maxKDF)
	}
	if p.Time < MinKDF.Time || p.MemoryKiB < MinKDF.MemoryKiB || p.Threads < MinKDF.Threads {
		return fmt.Errorf("%w: %+v, minimum %+v", ErrWeakParams, p, MinKDF)
	}
	return nil
}

// Envelope layout, version 1 (all integers big-endian):
//
//	password: 0x01 | 0x01 (Argon2id) | time u32 | memKiB u32 | threads u8 | salt 16 | nonce 24 | ciphertext 32+16
//	recovery: 0x01 | 0x02 (HKDF only) | nonce 24 | ciphertext 32+16
const (
	envVersion  byte = 1
	kdfArgon2id byte = 1
	kdfRecovery byte = 2

	saltSize      = 16
	paramsSize    = 4 + 4 + 1
	wrapHeaderLen = 2 + paramsSize + saltSize
	sealedLen     = chacha20poly1305.NonceSizeX + KeySize + chacha20poly1305.Overhead
	wrapLen       = wrapHeaderLen + sealedLen

	infoWrap = "smartap/wrap/v1"
)

// wrapped is a parsed password envelope.
type wrapped struct {
	params KDFParams
	salt   []byte
	header []byte // version through salt, bound into the associated data
	sealed []byte // nonce | ciphertext
}

// Wrap seals the data key for one user of one data folder. The wrapping key
// is HKDF-SHA256(ikm = device || Argon2id(pw, salt, p), salt = folderID,
// info = "smartap/wrap/v1"); the associated data binds folderID, userID and
// the header, so a copy moved to another user or folder fails to open.
func Wrap(dek, device secret.Bytes, pw secret.Password, folderID, userID string, p KDFParams) ([]byte, error) {
	if err := checkWrapInputs(dek, device, folderID, userID); err != nil {
		return nil, err
	}
	if pw.Len() == 0 {
		return nil, errors.New("vault: password is empty")
	}
	if err := p.check(); err != nil {
		return nil, err
	}
	salt, err := randomBytes(saltSize)
	if err != nil {
		return nil, err
	}
	header := make([]byte, 0, wrapLen)
	header = append(header, envVersion, kdfArgon2id)
	header = appendParams(header, p)
	header = append(header, salt...)
	kek, err := wrapKey(device, pw, folderID, p, salt)
	if err != nil {
		return nil, err
	}
	defer clear(kek)
	return sealKey(header, kek, dek, wrapAD(folderID, userID, header))
}

// Unwrap opens an envelope made by Wrap. A wrong password and a wrong device
// secret both give ErrWrongKey, so the answer tells an attacker nothing
// about which of the two they hold.
func Unwrap(env []byte, device secret.Bytes, pw secret.Password, folderID, userID string) (secret.Bytes, error) {
	w, err := parseWrapped(env)
	if err != nil {
		return secret.Bytes{}, err
	}
	if err := checkKey("device secret", device); err != nil {
		return secret.Bytes{}, err
	}
	kek, err := wrapKey(device, pw, folderID, w.params, w.salt)
	if err != nil {
		return secret.Bytes{}, err
	}
	defer clear(kek)
	return openKey(w.sealed, kek, wrapAD(folderID, userID, w.header))
}

func checkWrapInputs(dek, device secret.Bytes, folderID, userID string) error {
	if err := checkKey("data key", dek); err != nil {
		return err
	}
	if err := checkKey("device secret", device); err != nil {
		return err
	}
	if folderID == "" || userID == "" {
		return errors.New("vault: folder id and user id are required")
	}
	return nil
}

func parseWrapped(env []byte) (wrapped, error) {
	if err := checkHead(env, kdfArgon2id); err != nil {
		return wrapped{}, err
	}
	if len(env) != wrapLen {
		return wrapped{}, fmt.Errorf("%w: password envelope is %d bytes, want %d", ErrMalformed, len(env), wrapLen)
	}
	p := KDFParams{
		Time:      binary.BigEndian.Uint32(env[2:6]),
		MemoryKiB: binary.BigEndian.Uint32(env[6:10]),
		Threads:   env[10],
	}
	if err := p.check(); err != nil {
		return wrapped{}, err
	}
	return wrapped{
		params: p,
		salt:   env[2+paramsSize : wrapHeaderLen],
		header: env[:wrapHeaderLen],
		sealed: env[wrapHeaderLen:],
	}, nil
}

// checkHead checks the version byte and that the KDF id is the one the
// caller can open, naming the right function when a caller mixes them up.
func checkHead(env []byte, want byte) error {
	if len(env) < 2 {
		return fmt.Errorf("%w: %d bytes", ErrMalformed, len(env))
	}
	if env[0] != envVersion {
		return fmt.Errorf("%w: envelope version %d", ErrVersion, env[0])
	}
	switch kdf := env[1]; {
	case kdf == want:
		return nil
	case kdf == kdfArgon2id:
		return fmt.Errorf("%w: a password envelope: open it with Unwrap", ErrMalformed)
	case kdf == kdfRecovery:
		return fmt.Errorf("%w: a recovery envelope: open it with UnwrapRecovery", ErrMalformed)
	default:
		return fmt.Errorf("%w: KDF id %d", ErrVersion, kdf)
	}
}

func appendParams(b []byte, p KDFParams) []byte {
	b = binary.BigEndian.AppendUint32(b, p.Time)
	b = binary.BigEndian.AppendUint32(b, p.MemoryKiB)
	return append(b, p.Threads)
}

func wrapKey(device secret.Bytes, pw secret.Password, folderID string, p KDFParams, salt []byte) ([]byte, error) {
	stretched := argon2.IDKey(pw.Reveal(), salt, p.Time, p.MemoryKiB, p.Threads, KeySize)
	ikm := make([]byte, 0, 2*KeySize)
	ikm = append(append(ikm, device.Reveal()...), stretched...)
	clear(stretched)
	defer clear(ikm)
	kek, err := hkdf.Key(sha256.New, ikm, []byte(folderID), infoWrap, KeySize)
	if err != nil {
		return nil, fmt.Errorf("vault: hkdf: %w", err)
	}
	return kek, nil
}

func wrapAD(folderID, userID string, header []byte) []byte {
	ad := make([]byte, 0, 64+len(folderID)+len(userID))
	ad = append(ad, infoWrap...)
	ad = appendField(ad, folderID)
	ad = appendField(ad, userID)
	return append(ad, header...)
}

// sealKey appends nonce and ciphertext of key to header.
func sealKey(header, kek []byte, key secret.Bytes, ad []byte) ([]byte, error) {
	aead, err := chacha20poly1305.NewX(kek)
	if err != nil {
		return nil, fmt.Errorf("vault: %w", err)
	}
	nonce, err := randomBytes(chacha20poly1305.NonceSizeX)
	if err != nil {
		return nil, err
	}
	out := append(header, nonce...)
	return aead.Seal(out, nonce, key.Reveal(), ad), nil
}

// openKey opens nonce|ciphertext. Every failure is ErrWrongKey: the AEAD
// cannot tell a wrong key from a tampered envelope, and neither should we.
func openKey(sealed, kek, ad []byte) (secret.Bytes, error) {
	aead, err := chacha20poly1305.NewX(kek)
	if err != nil {
		return secret.Bytes{}, fmt.Errorf("vault: %w", err)
	}
	n := chacha20poly1305.NonceSizeX
	key, err := aead.Open(nil, sealed[:n], sealed[n:], ad)
	if err != nil {
		return secret.Bytes{}, ErrWrongKey
	}
	return secret.New(key), nil
}
