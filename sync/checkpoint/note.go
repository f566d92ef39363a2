package checkpoint

import (
	"crypto/ed25519"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"github.com/smartap/desktop/sync/wire"
)

// notePrefix versions the signed text; a new layout needs a new prefix.
const notePrefix = "smartap-checkpoint v1\n"

// keyPrefix marks the text form of a checkpoint public key.
const keyPrefix = "ed25519:"

// NoteText returns the bytes a checkpoint signature covers. A team id that
// is empty or contains a newline would make the text ambiguous and is
// refused with ErrMalformed.
func NoteText(team string, size uint64, root wire.Hash) ([]byte, error) {
	if team == "" || strings.ContainsAny(team, "\n\r") {
		return nil, fmt.Errorf("%w: team id %q cannot appear in a checkpoint note", ErrMalformed, team)
	}
	var b strings.Builder
	b.WriteString(notePrefix)
	b.WriteString(team)
	b.WriteByte('\n')
	b.WriteString(strconv.FormatUint(size, 10))
	b.WriteByte('\n')
	b.WriteString(base64.StdEncoding.EncodeToString(root[:]))
	b.WriteByte('\n')
	return []byte(b.String()), nil
}

// Sign signs the note of (team, size, root).
func Sign(signer ed25519.PrivateKey, team string, size uint64, root wire.Hash) ([]byte, error) {
	if len(signer) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("%w: signing key has %d bytes, want %d", ErrKey, len(signer), ed25519.PrivateKeySize)
	}
	msg, err := NoteText(team, size, root)
	if err != nil {
		return nil, err
	}
	return ed25519.Sign(signer, msg), nil
}

// FormatPublicKey returns the text form of a checkpoint public key,
// "ed25519:<standard base64 of the 32 bytes>", as the server publishes it
// and the device pins it.
func FormatPublicKey(pub ed25519.PublicKey) string {
	return keyPrefix + base64.StdEncoding.EncodeToString(pub)
}

// ParsePublicKey parses FormatPublicKey's form; anything else is ErrKey.
func ParsePublicKey(s string) (ed25519.PublicKey, error) {
	rest, ok := strings.CutPrefix(s, keyPrefix)
	if !ok {
		return nil, fmt.Errorf("%w: checkpoint key %q does not start with %q", ErrKey, s, keyPrefix)
	}
	b, err := base64.StdEncoding.Strict().DecodeString(rest)
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("%w: checkpoint key %q is not %d bytes of base64", ErrKey, s, ed25519.PublicKeySize)
	}
	return ed25519.PublicKey(b), nil
}
