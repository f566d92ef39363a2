package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/smartap/desktop/sync/serverstore"
	"github.com/smartap/desktop/sync/wire"
)

// PutChunk runs in one write transaction: read the upload, store the
// chunk if it continues the held bytes, and verify the hash when complete.
func (s *Store) PutChunk(ctx context.Context, team string, hash wire.Hash, size, offset uint64, data []byte) (serverstore.Upload, error) {
	if err := serverstore.CheckChunk(team, size, offset, data); err != nil {
		return serverstore.Upload{}, err
	}
	h := hash.String()
	var up serverstore.Upload
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := teamExists(ctx, tx, team); err != nil {
			return err
		}
		var err error
		up, err = loadUpload(ctx, tx, team, h)
		switch {
		case errors.Is(err, serverstore.ErrNotFound):
			up = serverstore.Upload{Size: size}
			if _, err := tx.ExecContext(ctx, `INSERT INTO attachments (team, hash, size, created_at) VALUES (?, ?, ?, ?)`,
				team, h, size, micro(now())); err != nil {
				return err
			}
		case err != nil:
			return err
		case up.Size != size:
			return fmt.Errorf("%w: attachment %s is %d bytes, not %d", serverstore.ErrInvalid, h, up.Size, size)
		}
		if up.Complete || offset != up.Held {
			return nil
		}
		if len(data) > 0 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO attachment_chunks (team, hash, off, len, data) VALUES (?, ?, ?, ?, ?)`,
				team, h, offset, len(data), data); err != nil {
				return err
			}
			up.Held += uint64(len(data))
		}
		if up.Held == up.Size {
			if err := verify(ctx, tx, team, hash); err != nil {
				return err
			}
			up.Complete = true
		}
		_, err = tx.ExecContext(ctx, `UPDATE attachments SET held = ?, complete = ? WHERE team = ? AND hash = ?`,
			up.Held, up.Complete, team, h)
		return err
	})
	if errors.Is(err, serverstore.ErrHashMismatch) {
		// The transaction rolled back the last chunk only; drop the upload.
		if derr := s.dropUpload(ctx, team, h); derr != nil {
			return serverstore.Upload{}, errors.Join(err, derr)
		}
	}
	return up, err
}

func (s *Store) dropUpload(ctx context.Context, team, h string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM attachment_chunks WHERE team = ? AND hash = ?`, team, h); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM attachments WHERE team = ? AND hash = ?`, team, h)
		return err
	})
}

func verify(ctx context.Context, tx *sql.Tx, team string, hash wire.Hash) error {
	rows, err := tx.QueryContext(ctx, `SELECT data FROM attachment_chunks WHERE team = ? AND hash = ? ORDER BY off`, team, hash.String())
	if err != nil {
		return err
	}
	defer rows.Close()
	return serverstore.VerifyContent(hash, func() ([]byte, error) {
		if !rows.Next() {
			return nil, rows.Err()
		}
		var b []byte
		if err := rows.Scan(&b); err != nil {
			return nil, err
		}
		if b == nil {
			b = []byte{}
		}
		return b, nil
	})
}

func loadUpload(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, team, h string) (serverstore.Upload, error) {
	var up serverstore.Upload
	err := q.QueryRowContext(ctx, `SELECT size, held, complete FROM attachments WHERE team = ? AND hash = ?`, team, h).
		Scan(&up.Size, &up.Held, &up.Complete)
	if errors.Is(err, sql.ErrNoRows) {
		return up, fmt.Errorf("attachment %s: %w", h, serverstore.ErrNotFound)
	}
	return up, err
}

func (s *Store) Attachment(ctx context.Context, team string, hash wire.Hash) (serverstore.Upload, error) {
	return loadUpload(ctx, s.db, team, hash.String())
}

func (s *Store) ReadAttachment(ctx context.Context, team string, hash wire.Hash, offset uint64, max int) ([]byte, error) {
	up, err := s.Attachment(ctx, team, hash)
	if err != nil {
		return nil, err
	}
	if !up.Complete {
		return nil, fmt.Errorf("attachment %s is incomplete: %w", hash, serverstore.ErrNotFound)
	}
	if offset >= up.Size || max <= 0 {
		return []byte{}, nil
	}
	end := min(up.Size, offset+uint64(max))
	rows, err := s.db.QueryContext(ctx, `SELECT off, data FROM attachment_chunks
		WHERE team = ? AND hash = ? AND off < ? AND off + len > ? ORDER BY off`, team, hash.String(), end, offset)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]byte, 0, end-offset)
	for rows.Next() {
		var off uint64
		var b []byte
		if err := rows.Scan(&off, &b); err != nil {
			return nil, err
		}
		out = append(out, serverstore.Slice(b, off, offset, end)...)
	}
	return out, rows.Err()
}
