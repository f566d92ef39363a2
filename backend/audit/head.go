package audit

import (
	"crypto/ed25519"
	"encoding/binary"
	"errors"
	"fmt"
)

// Head is a device's signed statement "my log ends at Seq with Hash". It is
// what makes a truncated tail detectable and what the server anchors.
type Head struct {
	Device string
	Seq    uint64
	Hash   [32]byte
	Sig    []byte // Ed25519 over headMessage
}

// headDomain separates head signatures from anything else the device key
// signs (sync frames, enrolment), so no other signed message can be replayed
// as a head.
const headDomain = "smartap/audit-head/v1\x00"

var (
	// ErrBadSignature means the head's signature does not verify.
	ErrBadSignature = errors.New("audit: head signature does not verify")
	// ErrBadKey means the public key is not an Ed25519 public key.
	ErrBadKey = errors.New("audit: malformed public key")
)

// headMessage is the signed encoding: domain | uint32 len(device) | device |
// uint64 seq | hash. The length prefix keeps device ids from running into
// the seq.
func headMessage(device string, seq uint64, hash [32]byte) []byte {
	out := make([]byte, 0, len(headDomain)+4+len(device)+8+32)
	out = append(out, headDomain...)
	out = appendString(out, device)
	out = binary.BigEndian.AppendUint64(out, seq)
	return append(out, hash[:]...)
}

// SignHead signs the head of device's log whose last entry is last (the
// zero Entry for an empty log). Like ed25519.Sign it panics on a malformed
// private key: that is a programming error, not a runtime condition.
func SignHead(priv ed25519.PrivateKey, device string, last Entry) Head {
	return Head{
		Device: device,
		Seq:    last.Seq,
		Hash:   last.Hash,
		Sig:    ed25519.Sign(priv, headMessage(device, last.Seq, last.Hash)),
	}
}

// VerifyHead checks h's signature. It returns ErrBadKey for a malformed key
// (ed25519.Verify would panic) and ErrBadSignature for a forged or altered
// head.
func VerifyHead(pub ed25519.PublicKey, h Head) error {
	if len(pub) != ed25519.PublicKeySize {
		return fmt.Errorf("%w: %d bytes, want %d", ErrBadKey, len(pub), ed25519.PublicKeySize)
	}
	if !ed25519.Verify(pub, headMessage(h.Device, h.Seq, h.Hash), h.Sig) {
		return ErrBadSignature
	}
	return nil
}
