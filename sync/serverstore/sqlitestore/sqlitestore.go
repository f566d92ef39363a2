// Package sqlitestore is the SQLite serverstore.Store: the default for a
// single sync server process. WAL with synchronous=FULL, so an Append that
// returned is durable; every write transaction is BEGIN IMMEDIATE, so the
// write lock is taken up front and a read-then-write (head, then insert)
// never fails half-way on a lock upgrade.
package sqlitestore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"net/url"
	"time"

	_ "github.com/mattn/go-sqlite3" // the SQLite driver (cgo)

	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/backend/sqlitedb"
	"github.com/smartap/desktop/sync/auth"
	"github.com/smartap/desktop/sync/serverstore"
	"github.com/smartap/desktop/sync/wire"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Store is a serverstore.Store on one SQLite file.
type Store struct {
	db *sql.DB
}

var (
	_ serverstore.Store = (*Store)(nil)
	_ auth.TokenStore   = (*Store)(nil)
)

// Open opens (creating if needed) the database at path and applies the
// embedded migrations.
func Open(ctx context.Context, path string) (*Store, error) {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	// FULL, not NORMAL: in WAL mode NORMAL syncs the WAL only at
	// checkpoints, so a commit that returned can still be lost to a power
	// cut, and the server acknowledges ops as soon as Append returns.
	// FULL syncs the WAL at every commit: one fsync per Append batch,
	// which is why batches are large rather than the sync weakened.
	q.Set("_synchronous", "FULL")
	q.Set("_foreign_keys", "on")
	q.Set("_busy_timeout", "10000")
	q.Set("_txlock", "immediate") // every write transaction is BEGIN IMMEDIATE
	q.Set("mode", "rwc")
	db, err := sql.Open("sqlite3", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: open %s: %w", path, err)
	}
	// One connection: SQLite has one writer, and a single connection never
	// waits on itself for the write lock. Concurrent callers queue in
	// database/sql, in order.
	db.SetMaxOpenConns(1)
	s := &Store{db: db}
	if err := s.migrate(ctx); err != nil {
		_ = db.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// tx runs fn in one transaction (BEGIN IMMEDIATE); fn's error rolls back.
func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	return sqlitedb.Tx(ctx, s.db, nil, fn)
}

func (s *Store) migrate(ctx context.Context) error {
	if err := sqlitedb.Migrate(ctx, s.db, migrationFS, "migrations"); err != nil {
		return fmt.Errorf("sqlitestore: %w", err)
	}
	return nil
}

// Times are stored as Unix microseconds; the zero time as NULL.

func micro(t time.Time) int64 { return t.UnixMicro() }

func nullMicro(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixMicro(), Valid: true}
}

func fromMicro(v int64) time.Time { return time.UnixMicro(v).UTC() }

func fromNullMicro(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return fromMicro(v.Int64)
}

func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// ---- teams ----

func (s *Store) CreateTeam(ctx context.Context, id string) (serverstore.Team, error) {
	if id == "" {
		return serverstore.Team{}, fmt.Errorf("%w: empty team id", serverstore.ErrInvalid)
	}
	index, err := serverstore.NewIndexID()
	if err != nil {
		return serverstore.Team{}, err
	}
	t := serverstore.Team{ID: id, Index: index, CreatedAt: now()}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO teams (id, index_id, created_at) VALUES (?, ?, ?)
			ON CONFLICT (id) DO NOTHING`, t.ID, t.Index, micro(t.CreatedAt))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return fmt.Errorf("team %q: %w", id, serverstore.ErrExists)
		}
		return nil
	})
	if err != nil {
		return serverstore.Team{}, err
	}
	return t, nil
}

func (s *Store) GetTeam(ctx context.Context, id string) (serverstore.Team, error) {
	t := serverstore.Team{ID: id}
	var created int64
	err := s.db.QueryRowContext(ctx, `SELECT index_id, created_at FROM teams WHERE id = ?`, id).Scan(&t.Index, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return serverstore.Team{}, fmt.Errorf("team %q: %w", id, serverstore.ErrNotFound)
	}
	if err != nil {
		return serverstore.Team{}, err
	}
	t.CreatedAt = fromMicro(created)
	return t, nil
}

// ---- users ----

func (s *Store) CreateUser(ctx context.Context, u serverstore.User) (serverstore.User, error) {
	role, err := serverstore.CheckUser(u)
	if err != nil {
		return serverstore.User{}, err
	}
	u.Role, u.TokenVersion, u.CreatedAt = role, 1, now()
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if err := teamExists(ctx, tx, u.Team); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO users (name, team, password_hash, role, disabled, token_version, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING`,
			u.Name, u.Team, u.PasswordHash, string(u.Role), u.Disabled, u.TokenVersion, micro(u.CreatedAt))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return fmt.Errorf("user %q: %w", u.Name, serverstore.ErrExists)
		}
		return nil
	})
	if err != nil {
		return serverstore.User{}, err
	}
	return u, nil
}

func teamExists(ctx context.Context, tx *sql.Tx, team string) error {
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM teams WHERE id = ?`, team).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("team %q: %w", team, serverstore.ErrNotFound)
	}
	return err
}

func (s *Store) GetUser(ctx context.Context, name string) (serverstore.User, error) {
	u := serverstore.User{Name: name}
	var role string
	var created int64
	err := s.db.QueryRowContext(ctx, `SELECT team, password_hash, role, disabled, token_version, created_at
		FROM users WHERE name = ?`, name).Scan(&u.Team, &u.PasswordHash, &role, &u.Disabled, &u.TokenVersion, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return serverstore.User{}, fmt.Errorf("user %q: %w", name, serverstore.ErrNotFound)
	}
	if err != nil {
		return serverstore.User{}, err
	}
	u.Role, u.CreatedAt = identity.Role(role), fromMicro(created)
	return u, nil
}

func (s *Store) SetRole(ctx context.Context, name string, role identity.Role) (int64, error) {
	role, err := serverstore.CheckRole(role)
	if err != nil {
		return 0, err
	}
	return s.bump(ctx, name, `UPDATE users SET role = ?, token_version = token_version + 1
		WHERE name = ? RETURNING token_version`, string(role), name)
}

func (s *Store) Disable(ctx context.Context, name string) (int64, error) {
	return s.bump(ctx, name, `UPDATE users SET disabled = 1, token_version = token_version + 1
		WHERE name = ? RETURNING token_version`, name)
}

func (s *Store) bump(ctx context.Context, name, query string, args ...any) (int64, error) {
	var v int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, query, args...).Scan(&v)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("user %q: %w", name, serverstore.ErrNotFound)
		}
		return err
	})
	return v, err
}

func (s *Store) TokenVersion(ctx context.Context, name string) (int64, error) {
	var v int64
	err := s.db.QueryRowContext(ctx, `SELECT token_version FROM users WHERE name = ?`, name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("user %q: %w", name, serverstore.ErrNotFound)
	}
	return v, err
}

// ---- operation log ----

// Append holds the write lock (BEGIN IMMEDIATE) for the whole batch: it
// reads the team's head counter, inserts each new op at head+1 and writes
// the counter back, so no other append can interleave.
func (s *Store) Append(ctx context.Context, team string, ops []wire.Op) ([]serverstore.Appended, error) {
	return s.appendOps(ctx, team, nil, ops)
}

// AppendAfter is Append under the condition that the head read inside the
// write lock is still head.
func (s *Store) AppendAfter(ctx context.Context, team string, head uint64, ops []wire.Op) ([]serverstore.Appended, error) {
	return s.appendOps(ctx, team, &head, ops)
}

func (s *Store) appendOps(ctx context.Context, team string, expect *uint64, ops []wire.Op) ([]serverstore.Appended, error) {
	if err := serverstore.CheckOps(team, ops); err != nil {
		return nil, err
	}
	bodies := serverstore.EncodeOps(ops)
	out := make([]serverstore.Appended, len(ops))
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var head uint64
		err := tx.QueryRowContext(ctx, `SELECT head FROM teams WHERE id = ?`, team).Scan(&head)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("team %q: %w", team, serverstore.ErrNotFound)
		}
		if err != nil {
			return err
		}
		if expect != nil && *expect != head {
			return fmt.Errorf("team %q: head is %d, expected %d: %w", team, head, *expect, serverstore.ErrHeadMoved)
		}
		if len(ops) == 0 {
			return nil
		}
		received := micro(now())
		// Prepared once per batch: SQLite parses each statement once. A
		// new op costs one statement: the insert is skipped on an op id
		// already in the log (UNIQUE (team, op_id)), and only then is the
		// original sequence looked up.
		insert, err := tx.PrepareContext(ctx, `INSERT INTO ops (team, seq, op_id, body, received_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (team, op_id) DO NOTHING`)
		if err != nil {
			return err
		}
		defer insert.Close()
		for i, op := range ops {
			res, err := insert.ExecContext(ctx, team, head+1, op.ID, bodies[i], received)
			if err != nil {
				return err
			}
			n, err := res.RowsAffected()
			if err != nil {
				return err
			}
			if n == 1 {
				head++
				out[i] = serverstore.Appended{Seq: head}
				continue
			}
			var seq uint64
			err = tx.QueryRowContext(ctx, `SELECT seq FROM ops WHERE team = ? AND op_id = ?`, team, op.ID).Scan(&seq)
			if err != nil {
				return fmt.Errorf("sqlitestore: sequence of duplicate op %s: %w", op.ID, err)
			}
			out[i] = serverstore.Appended{Seq: seq, Duplicate: true}
		}
		_, err = tx.ExecContext(ctx, `UPDATE teams SET head = ? WHERE id = ?`, head, team)
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(ops) == 0 {
		return nil, nil
	}
	return out, nil
}

func (s *Store) Pull(ctx context.Context, team string, after uint64, limit int) (serverstore.Page, error) {
	limit = serverstore.PageLimit(limit)
	var page serverstore.Page
	// A read transaction so the head and the rows are one snapshot. With
	// _txlock=immediate even this takes the write lock briefly; the store
	// has one connection anyway.
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var index string
		var head uint64
		err := tx.QueryRowContext(ctx, `SELECT index_id, head FROM teams WHERE id = ?`, team).Scan(&index, &head)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("team %q: %w", team, serverstore.ErrNotFound)
		}
		if err != nil {
			return err
		}
		page = serverstore.Page{Next: wire.Cursor{Index: index, Seq: after}}
		if after >= head { // also keeps a cursor past int64 out of the query
			return nil
		}
		rows, err := tx.QueryContext(ctx, `SELECT seq, body, received_at FROM ops
			WHERE team = ? AND seq > ? ORDER BY seq LIMIT ?`, team, after, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e serverstore.Entry
			var body []byte
			var received int64
			if err := rows.Scan(&e.Seq, &body, &received); err != nil {
				return err
			}
			op, err := wire.DecodeOp(body)
			if err != nil {
				return fmt.Errorf("sqlitestore: decode op %d: %w", e.Seq, err)
			}
			e.Op = op
			e.Received = fromMicro(received)
			page.Entries = append(page.Entries, e)
			page.Next.Seq = e.Seq
		}
		if err := rows.Err(); err != nil {
			return err
		}
		page.More = head > page.Next.Seq
		return nil
	})
	if err != nil {
		return serverstore.Page{}, err
	}
	return page, nil
}

func (s *Store) Head(ctx context.Context, team string) (uint64, error) {
	var head uint64
	err := s.db.QueryRowContext(ctx, `SELECT head FROM teams WHERE id = ?`, team).Scan(&head)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("team %q: %w", team, serverstore.ErrNotFound)
	}
	return head, err
}

// ---- auth.TokenStore ----

func (s *Store) CreateFamily(ctx context.Context, f auth.Family) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO refresh_families (id, user_id, created_at, expires_at, revoked_at, reason)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
			f.ID, f.UserID, micro(f.CreatedAt), micro(f.ExpiresAt), nullMicro(f.RevokedAt), f.Reason)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return fmt.Errorf("family %q: %w", f.ID, auth.ErrExists)
		}
		return nil
	})
}

func (s *Store) GetFamily(ctx context.Context, id string) (auth.Family, error) {
	f := auth.Family{ID: id}
	var created, expires int64
	var revoked sql.NullInt64
	err := s.db.QueryRowContext(ctx, `SELECT user_id, created_at, expires_at, revoked_at, reason
		FROM refresh_families WHERE id = ?`, id).Scan(&f.UserID, &created, &expires, &revoked, &f.Reason)
	if errors.Is(err, sql.ErrNoRows) {
		return auth.Family{}, fmt.Errorf("family %q: %w", id, auth.ErrNotFound)
	}
	if err != nil {
		return auth.Family{}, err
	}
	f.CreatedAt, f.ExpiresAt, f.RevokedAt = fromMicro(created), fromMicro(expires), fromNullMicro(revoked)
	return f, nil
}

func (s *Store) Insert(ctx context.Context, r auth.RefreshRecord) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var revoked sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT revoked_at FROM refresh_families WHERE id = ?`, r.FamilyID).Scan(&revoked)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("family %q: %w", r.FamilyID, auth.ErrNotFound)
		case err != nil:
			return err
		case revoked.Valid:
			return fmt.Errorf("family %q: %w", r.FamilyID, auth.ErrFamilyRevoked)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO refresh_tokens (hash, family_id, user_id, issued_at, expires_at, used_at)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING`,
			r.Hash[:], r.FamilyID, r.UserID, micro(r.IssuedAt), micro(r.ExpiresAt), nullMicro(r.UsedAt))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return fmt.Errorf("refresh token: %w", auth.ErrExists)
		}
		return nil
	})
}

func (s *Store) GetByHash(ctx context.Context, h auth.TokenHash) (auth.RefreshRecord, error) {
	r := auth.RefreshRecord{Hash: h}
	var issued, expires int64
	var used sql.NullInt64
	var succ []byte
	err := s.db.QueryRowContext(ctx, `SELECT family_id, user_id, issued_at, expires_at, used_at, successor
		FROM refresh_tokens WHERE hash = ?`, h[:]).Scan(&r.FamilyID, &r.UserID, &issued, &expires, &used, &succ)
	if errors.Is(err, sql.ErrNoRows) {
		return auth.RefreshRecord{}, fmt.Errorf("refresh token: %w", auth.ErrNotFound)
	}
	if err != nil {
		return auth.RefreshRecord{}, err
	}
	r.IssuedAt, r.ExpiresAt, r.UsedAt = fromMicro(issued), fromMicro(expires), fromNullMicro(used)
	copy(r.Successor[:], succ)
	return r, nil
}

func (s *Store) MarkUsed(ctx context.Context, h auth.TokenHash, at time.Time, successor auth.TokenHash) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE refresh_tokens SET used_at = ?, successor = ? WHERE hash = ? AND used_at IS NULL`,
			micro(at), successor[:], h[:])
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 1 {
			return err
		}
		var one int
		err = tx.QueryRowContext(ctx, `SELECT 1 FROM refresh_tokens WHERE hash = ?`, h[:]).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("refresh token: %w", auth.ErrNotFound)
		}
		if err != nil {
			return err
		}
		return fmt.Errorf("refresh token: %w", auth.ErrAlreadyUsed)
	})
}

func (s *Store) RevokeFamily(ctx context.Context, id string, at time.Time, reason string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE refresh_families SET revoked_at = ?, reason = ?
			WHERE id = ? AND revoked_at IS NULL`, micro(at), reason, id); err != nil {
			return err
		}
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM refresh_families WHERE id = ?`, id).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("family %q: %w", id, auth.ErrNotFound)
		}
		return err
	})
}

func (s *Store) RevokeUser(ctx context.Context, userID string, at time.Time, reason string) (int, error) {
	var n int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE refresh_families SET revoked_at = ?, reason = ?
			WHERE user_id = ? AND revoked_at IS NULL`, micro(at), reason, userID)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}
