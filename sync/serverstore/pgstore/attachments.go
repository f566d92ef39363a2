package pgstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/smartap/desktop/sync/serverstore"
	"github.com/smartap/desktop/sync/wire"
)

// PutChunk locks the upload row (or the team row while creating it), so
// two replicas receiving chunks of one attachment take turns.
func (s *Store) PutChunk(ctx context.Context, team string, hash wire.Hash, size, offset uint64, data []byte) (serverstore.Upload, error) {
	if err := serverstore.CheckChunk(team, size, offset, data); err != nil {
		return serverstore.Upload{}, err
	}
	h := hash.String()
	var up serverstore.Upload
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var one int
		if err := tx.QueryRow(ctx, `SELECT 1 FROM teams WHERE id = $1 FOR SHARE`, team).Scan(&one); err != nil {
			return notFound(fmt.Sprintf("team %q", team), err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO attachments (team, hash, size, created_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (team, hash) DO NOTHING`, team, h, size, now()); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, `SELECT size, held, complete FROM attachments WHERE team = $1 AND hash = $2 FOR UPDATE`,
			team, h).Scan(&up.Size, &up.Held, &up.Complete)
		switch {
		case err != nil:
			return err
		case up.Size != size:
			return fmt.Errorf("%w: attachment %s is %d bytes, not %d", serverstore.ErrInvalid, h, up.Size, size)
		case up.Complete || offset != up.Held:
			return nil
		}
		if len(data) > 0 {
			if _, err := tx.Exec(ctx, `INSERT INTO attachment_chunks (team, hash, off, len, data) VALUES ($1, $2, $3, $4, $5)`,
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
		_, err = tx.Exec(ctx, `UPDATE attachments SET held = $1, complete = $2 WHERE team = $3 AND hash = $4`,
			up.Held, up.Complete, team, h)
		return err
	})
	if errors.Is(err, serverstore.ErrHashMismatch) {
		// The transaction rolled back the last chunk only; drop the upload.
		if _, derr := s.pool.Exec(ctx, `DELETE FROM attachments WHERE team = $1 AND hash = $2`, team, h); derr != nil {
			return serverstore.Upload{}, errors.Join(err, derr)
		}
	}
	return up, err
}

func verify(ctx context.Context, tx pgx.Tx, team string, hash wire.Hash) error {
	rows, err := tx.Query(ctx, `SELECT data FROM attachment_chunks WHERE team = $1 AND hash = $2 ORDER BY off`, team, hash.String())
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

func (s *Store) Attachment(ctx context.Context, team string, hash wire.Hash) (serverstore.Upload, error) {
	var up serverstore.Upload
	err := s.pool.QueryRow(ctx, `SELECT size, held, complete FROM attachments WHERE team = $1 AND hash = $2`,
		team, hash.String()).Scan(&up.Size, &up.Held, &up.Complete)
	return up, notFound("attachment "+hash.String(), err)
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
	rows, err := s.pool.Query(ctx, `SELECT off, data FROM attachment_chunks
		WHERE team = $1 AND hash = $2 AND off < $3 AND off + len > $4 ORDER BY off`, team, hash.String(), end, offset)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, end-offset)
	var off uint64
	var b []byte
	_, err = pgx.ForEachRow(rows, []any{&off, &b}, func() error {
		out = append(out, serverstore.Slice(b, off, offset, end)...)
		return nil
	})
	return out, err
}
