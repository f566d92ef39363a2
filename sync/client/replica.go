package client

import (
	"context"
	"time"

	"github.com/smartap/desktop/sync/wire"
)

// Replica is the desktop's side of sync: the sealed local store with its
// outbox, cursor and merged state. It exists only while a session is
// unlocked (the keys that open the store live only there), so a Client runs
// only between unlock and lock. backend/core implements it; the client
// never sees invoice data other than as wire ops.
type Replica interface {
	// Device is this data folder's device id (op.Device).
	Device() string
	// Pending returns up to n outbox ops not yet acknowledged, oldest first.
	Pending(ctx context.Context, n int) ([]wire.Op, error)
	PendingCount(ctx context.Context) (int, error)
	// Acked records the server sequences of committed ops; idempotent.
	Acked(ctx context.Context, index string, acks []wire.Acked) error
	// Rejected drops a refused op from the outbox, undoes it locally and
	// keeps a rejection record for people to see.
	Rejected(ctx context.Context, r wire.Reject) error
	// Cursor is the last applied server position; zero if never synced.
	Cursor(ctx context.Context) (wire.Cursor, error)
	// ApplyPage applies ops that follow the cursor and moves the cursor to
	// next, in one local transaction.
	ApplyPage(ctx context.Context, ops []wire.Sequenced, next wire.Cursor) error
	// ApplySnapshot applies one snapshot page; page 0 starts a fresh
	// bootstrap and the last page sets the cursor to s.At.
	ApplySnapshot(ctx context.Context, s wire.Snapshot) error
	// Exception records a server-resolved conflict; idempotent by id.
	Exception(ctx context.Context, e wire.Exception) error
	// Uploads lists originals the server may not have yet.
	Uploads(ctx context.Context) ([]Attachment, error)
	ReadAttachment(ctx context.Context, h wire.Hash, off uint64, n int) ([]byte, error)
	// Missing lists originals referenced by synced invoices but not held.
	Missing(ctx context.Context) ([]wire.Hash, error)
	// WriteAttachment stores downloaded content; resumable, and it verifies
	// the sha256 when final is set.
	WriteAttachment(ctx context.Context, h wire.Hash, off uint64, data []byte, final bool) error
	Exceptions(ctx context.Context) ([]ExceptionView, error)
	Rejections(ctx context.Context) ([]RejectionView, error)
}

// Uploader is optionally implemented by a Replica that can remember which
// originals the server confirmed, so they are not offered again.
type Uploader interface {
	Uploaded(ctx context.Context, h wire.Hash) error
}

// Binder is optionally implemented by a Replica whose ops must carry the
// server's user id: the client binds it after every hello, from the
// server's Welcome (the access token's subject).
type Binder interface {
	Bind(ctx context.Context, serverUser string) error
}

// Attachment is an original document by content hash.
type Attachment struct {
	Hash wire.Hash
	Size uint64
}

// ExceptionView is a stored exception for people: a business conflict the
// server resolved (e.g. approve vs reject).
type ExceptionView struct {
	ID      string    `json:"id"`
	Invoice string    `json:"invoice_id"`
	Kind    string    `json:"kind"`
	Message string    `json:"message"`
	Winner  string    `json:"winner"`
	Loser   string    `json:"loser"`
	Seq     uint64    `json:"seq"`
	At      time.Time `json:"at"`
}

// RejectionView is a stored rejection of one of this device's ops.
type RejectionView struct {
	Op      string    `json:"op"`
	Invoice string    `json:"invoice_id"`
	Code    string    `json:"code"`
	Message string    `json:"message"`
	Rule    string    `json:"rule"`
	At      time.Time `json:"at"`
}
