// Package checkpoint is the server's audit Merkle log and its signed
// checkpoints (ARCHITECTURE §6, security checklist #31): every device's
// audit chain, folded in the team's server order into one RFC 6962 tree
// (golang.org/x/mod/sumdb/tlog), and the device-side verification that its
// own entries are included and that the log only grew.
//
// Leaves. The log has one leaf per audit operation (entity type
// opcodec.EntityAudit) in the team's server order; operations of other
// entity types are not leaves. A leaf's canonical bytes are
// encoding/json.Marshal of the wire.Op as both ends decode it (compact,
// struct field order, command arguments sorted by key, HTML characters
// escaped as \u003c etc., no trailing newline): wire encoding is
// deterministic, so the device that queued the op and the server that
// stored it compute the same bytes. The leaf hash is
// tlog.RecordHash(bytes) = SHA-256(0x00 || bytes).
//
// Signed note. A checkpoint signs, with the server's Ed25519 checkpoint
// key, the bytes
//
//	smartap-checkpoint v1\n<team>\n<size>\n<root>\n
//
// where <size> is the tree size in decimal and <root> is the standard
// base64 (with padding) of the 32-byte tree hash. The team is part of the
// text so that one team's checkpoint never verifies as another's.
//
// Server side: Log (append or catch up from the store, index by op id,
// Checkpoint). Device side: Verify, which returns the Verified head the
// device stores and passes back next time.
package checkpoint
