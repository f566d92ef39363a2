package vault

import (
	"crypto/hkdf"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"errors"
	"fmt"
	"strings"

	"github.com/smartap/desktop/backend/secret"
)

// A recovery key is printed once at set-up. Its display form is Crockford
// base32 (no I, L, O, U, so fewer look-alikes) of the 32 key bytes followed by
// a 3-byte checksum: 35 bytes make exactly 56 characters, shown as 14 groups
// of 4. The checksum turns a typo into ErrInvalidRecoveryKey instead of a
// confusing "wrong key".
const (
	recoveryChecksumSize = 3
	recoveryChars        = (KeySize + recoveryChecksumSize) * 8 / 5
	recoveryGroup        = 4

	infoRecovery       = "smartap/recovery/v1"
	recoveryChecksumID = "smartap/recovery-key/v1"
	recoveryHeaderLen  = 2
	recoveryLen        = recoveryHeaderLen + sealedLen
)

var crockford = base32.NewEncoding("0123456789ABCDEFGHJKMNPQRSTVWXYZ").WithPadding(base32.NoPadding)

// NewRecoveryKey makes a random recovery key and its display form
// ("ABCD-EFGH-..."), which the caller shows once and never stores.
func NewRecoveryKey() (display string, key secret.Bytes, err error) {
	b, err := randomBytes(KeySize)
	if err != nil {
		return "", secret.Bytes{}, err
	}
	key = secret.New(b)
	return formatRecoveryKey(key), key, nil
}

func formatRecoveryKey(key secret.Bytes) string {
	raw := append(append([]byte(nil), key.Reveal()...), recoveryChecksum(key.Reveal())...)
	enc := crockford.EncodeToString(raw)
	clear(raw)
	var sb strings.Builder
	for i := 0; i < len(enc); i += recoveryGroup {
		if i > 0 {
			sb.WriteByte('-')
		}
		sb.WriteString(enc[i : i+recoveryGroup])
	}
	return sb.String()
}

func recoveryChecksum(key []byte) []byte {
	h := sha256.New()
	h.Write([]byte(recoveryChecksumID))
	h.Write(key)
	return h.Sum(nil)[:recoveryChecksumSize]
}

// ParseRecoveryKey reads a recovery key as typed by a user: case, spaces and
// dashes do not matter, and the look-alikes I, L (for 1) and O (for 0) are
// accepted. Errors never quote the input, which is nearly the whole key.
func ParseRecoveryKey(display string) (secret.Bytes, error) {
	norm, err := normalizeRecoveryKey(display)
	if err != nil {
		return secret.Bytes{}, err
	}
	raw, err := crockford.DecodeString(norm)
	if err != nil || len(raw) != KeySize+recoveryChecksumSize {
		// Unreachable after normalization; kept so a future change fails safe.
		return secret.Bytes{}, fmt.Errorf("%w: cannot decode", ErrInvalidRecoveryKey)
	}
	key, sum := raw[:KeySize], raw[KeySize:]
	if subtle.ConstantTimeCompare(sum, recoveryChecksum(key)) != 1 {
		clear(raw)
		return secret.Bytes{}, fmt.Errorf("%w: checksum does not match, a character is mistyped", ErrInvalidRecoveryKey)
	}
	clear(sum)
	return secret.New(raw[:KeySize:KeySize]), nil
}

// normalizeRecoveryKey maps a typed key onto the canonical alphabet. Only the
// group of a bad character is reported, never the character.
func normalizeRecoveryKey(s string) (string, error) {
	var sb strings.Builder
	sb.Grow(recoveryChars)
	pos := 0
	for _, r := range s {
		switch {
		case r == '-' || r == ' ' || r == '\t' || r == '\n' || r == '\r':
			continue
		case sb.Len() >= recoveryChars:
			return "", fmt.Errorf("%w: too long, want %d characters", ErrInvalidRecoveryKey, recoveryChars)
		}
		pos++
		c, ok := crockfordChar(r)
		if !ok {
			return "", fmt.Errorf("%w: group %d has a character that is not a recovery key letter",
				ErrInvalidRecoveryKey, (pos-1)/recoveryGroup+1)
		}
		sb.WriteByte(c)
	}
	if sb.Len() != recoveryChars {
		return "", fmt.Errorf("%w: %d characters, want %d", ErrInvalidRecoveryKey, sb.Len(), recoveryChars)
	}
	return sb.String(), nil
}

func crockfordChar(r rune) (byte, bool) {
	if r >= 'a' && r <= 'z' {
		r -= 'a' - 'A'
	}
	switch r {
	case 'I', 'L':
		return '1', true
	case 'O':
		return '0', true
	case 'U':
		return 0, false
	}
	if (r >= '0' && r <= '9') || (r >= 'A' && r <= 'Z') {
		return byte(r), true // #nosec G115 -- r is ASCII, checked above
	}
	return 0, false
}

// WrapRecovery seals the data key under a recovery key alone. The recovery
// key has 256 bits of entropy, so HKDF suffices and no password stretching
// or device secret is needed: it still opens the folder after the keychain
// is lost.
func WrapRecovery(dek, recovery secret.Bytes, folderID string) ([]byte, error) {
	if err := checkRecoveryInputs(recovery, folderID); err != nil {
		return nil, err
	}
	if err := checkKey("data key", dek); err != nil {
		return nil, err
	}
	header := make([]byte, 0, recoveryLen)
	header = append(header, envVersion, kdfRecovery)
	kek, err := recoveryKEK(recovery, folderID)
	if err != nil {
		return nil, err
	}
	defer clear(kek)
	return sealKey(header, kek, dek, recoveryAD(folderID, header))
}

// UnwrapRecovery opens an envelope made by WrapRecovery.
func UnwrapRecovery(env []byte, recovery secret.Bytes, folderID string) (secret.Bytes, error) {
	if err := checkHead(env, kdfRecovery); err != nil {
		return secret.Bytes{}, err
	}
	if len(env) != recoveryLen {
		return secret.Bytes{}, fmt.Errorf("%w: recovery envelope is %d bytes, want %d", ErrMalformed, len(env), recoveryLen)
	}
	if err := checkRecoveryInputs(recovery, folderID); err != nil {
		return secret.Bytes{}, err
	}
	kek, err := recoveryKEK(recovery, folderID)
	if err != nil {
		return secret.Bytes{}, err
	}
	defer clear(kek)
	header := env[:recoveryHeaderLen]
	return openKey(env[recoveryHeaderLen:], kek, recoveryAD(folderID, header))
}

func checkRecoveryInputs(recovery secret.Bytes, folderID string) error {
	if err := checkKey("recovery key", recovery); err != nil {
		return err
	}
	if folderID == "" {
		return errors.New("vault: folder id is required")
	}
	return nil
}

func recoveryKEK(recovery secret.Bytes, folderID string) ([]byte, error) {
	kek, err := hkdf.Key(sha256.New, recovery.Reveal(), []byte(folderID), infoRecovery, KeySize)
	if err != nil {
		return nil, fmt.Errorf("vault: hkdf: %w", err)
	}
	return kek, nil
}

func recoveryAD(folderID string, header []byte) []byte {
	ad := make([]byte, 0, 32+len(folderID))
	ad = append(ad, infoRecovery...)
	ad = appendField(ad, folderID)
	return append(ad, header...)
}
