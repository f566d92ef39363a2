package vault

import (
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/binary"
	"fmt"

	"github.com/smartap/desktop/backend/secret"
)

// Purposes for Subkey. Bump the version suffix to rotate a subkey's meaning:
// a new purpose string gives an unrelated key.
const (
	PurposeSeal        = "seal/v1"
	PurposeBlindIndex  = "blind-index/v1"
	PurposeAttachments = "attachments/v1"
	PurposeAuditKey    = "audit-key/v1"
)

const subkeyInfoPrefix = "smartap/subkey/"

// Subkey derives the key for one purpose from the data key with
// HKDF-SHA256 (no salt, info "smartap/subkey/"+purpose). Keys for different
// purposes are independent: knowing one says nothing about the others or
// the data key.
//
// It panics on a data key that is not KeySize bytes or an empty purpose:
// both are programming errors, and a silently weak key would be worse.
func Subkey(dek secret.Bytes, purpose string) secret.Bytes {
	if err := checkKey("data key", dek); err != nil {
		panic(err)
	}
	if purpose == "" {
		panic("vault: Subkey needs a purpose")
	}
	k, err := hkdf.Key(sha256.New, dek.Reveal(), nil, subkeyInfoPrefix+purpose, KeySize)
	if err != nil {
		// Only reachable with an absurd length or in FIPS-only mode with a
		// short secret, neither of which happens here.
		panic(fmt.Sprintf("vault: hkdf: %v", err))
	}
	return secret.New(k)
}

// appendField appends a length-prefixed field so that associated data made
// of several strings never lets ("ab","c") collide with ("a","bc").
func appendField(b []byte, s string) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(len(s))) // #nosec G115 -- ids are short
	return append(b, s...)
}
