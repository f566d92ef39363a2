package serverstore

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"

	"github.com/smartap/desktop/sync/wire"
)

// ErrHashMismatch: an upload reached its size but its content does not
// hash to the attachment's name. The partial upload is discarded, so the
// sender starts again from offset 0.
var ErrHashMismatch = errors.New("serverstore: attachment content does not match its hash")

// Attachments stores attachment originals by content hash, per team (a
// hash known in one team reveals nothing of another's files). Uploads are
// resumable: the store keeps what arrived, in order, and says how far it
// got. Content lives in the database (rows of at most wire.MaxChunk bytes),
// so every replica sharing a PostgreSQL database serves every upload.
type Attachments interface {
	// PutChunk stores data at offset of the attachment (team, hash) of the
	// given total size. A chunk that does not start exactly where the held
	// bytes end is not stored (a resend of held bytes, or a gap): the
	// returned Upload says where to resume. When the held bytes reach size
	// the content is checked against hash: ErrHashMismatch (the upload is
	// dropped) or Complete. Chunks for a complete attachment change
	// nothing. ErrInvalid for a size above wire.MaxAttachment, a size that
	// differs from the upload's, or data past size; ErrNotFound for an
	// unknown team.
	PutChunk(ctx context.Context, team string, hash wire.Hash, size, offset uint64, data []byte) (Upload, error)
	// Attachment reports an upload's progress, or ErrNotFound.
	Attachment(ctx context.Context, team string, hash wire.Hash) (Upload, error)
	// ReadAttachment returns up to max bytes from offset of a complete
	// attachment (fewer only at the end; none at or past the size).
	// ErrNotFound if the attachment is unknown or not complete.
	ReadAttachment(ctx context.Context, team string, hash wire.Hash, offset uint64, max int) ([]byte, error)
}

// Upload is the state of one attachment upload.
type Upload struct {
	Size     uint64
	Held     uint64 // bytes stored, from offset 0; the next offset wanted
	Complete bool   // Held == Size and the content matched the hash
}

// CheckChunk validates PutChunk's arguments.
func CheckChunk(team string, size, offset uint64, data []byte) error {
	switch {
	case team == "":
		return fmt.Errorf("%w: empty team id", ErrInvalid)
	case size > wire.MaxAttachment:
		return fmt.Errorf("%w: attachment of %d bytes (at most %d)", ErrInvalid, size, wire.MaxAttachment)
	case len(data) > wire.MaxChunk:
		return fmt.Errorf("%w: chunk of %d bytes (at most %d)", ErrInvalid, len(data), wire.MaxChunk)
	case offset > size || uint64(len(data)) > size-offset:
		return fmt.Errorf("%w: chunk at %d of %d bytes ends past the size %d", ErrInvalid, offset, len(data), size)
	}
	return nil
}

// VerifyContent hashes the chunks read by next (nil at the end) and
// compares with want.
func VerifyContent(want wire.Hash, next func() ([]byte, error)) error {
	h := sha256.New()
	for {
		b, err := next()
		if err != nil {
			return err
		}
		if b == nil {
			break
		}
		h.Write(b)
	}
	if wire.Hash(h.Sum(nil)) != want {
		return fmt.Errorf("attachment %s: %w", want, ErrHashMismatch)
	}
	return nil
}

// Slice returns the part of a chunk stored at off that lies in [from, to).
func Slice(chunk []byte, off, from, to uint64) []byte {
	lo, hi := max(off, from), min(off+uint64(len(chunk)), to)
	if lo >= hi {
		return nil
	}
	return chunk[lo-off : hi-off]
}
