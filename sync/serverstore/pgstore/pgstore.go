// Package pgstore is the PostgreSQL serverstore.Store, for several sync
// server replicas sharing one database.
//
// Sequence assignment: each team's row in teams holds its head (the last
// assigned sequence). Append locks that row (SELECT … FOR UPDATE) at the
// start of its transaction, so appends to one team are serialized across
// all replicas while appends to different teams run in parallel. Under the
// lock it looks up which op ids the team already has, inserts the new ones
// at head+1, head+2, … and writes the head back. Because sequence N+1 can
// only be assigned after the transaction holding N committed, readers never
// see a later sequence before an earlier one, so a Pull never skips an op
// that commits afterwards. UNIQUE (team, op_id) backs the idempotency.
//
// A committed Append also sends NOTIFY on channel NotifyChannel with the
// payload "<team> <head>", delivered at commit, so replicas can wake
// their pulling clients (Listen).
package pgstore

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/sync/auth"
	"github.com/smartap/desktop/sync/serverstore"
	"github.com/smartap/desktop/sync/wire"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// NotifyChannel is the LISTEN/NOTIFY channel of committed appends.
const NotifyChannel = "serverstore_ops"

// Store is a serverstore.Store on a pgx connection pool.
type Store struct {
	pool *pgxpool.Pool
}

var (
	_ serverstore.Store = (*Store)(nil)
	_ auth.TokenStore   = (*Store)(nil)
)

// Open connects to the database at url (a libpq URL or DSN), checks the
// connection and applies the embedded migrations.
func Open(ctx context.Context, url string) (*Store, error) {
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("pgstore: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("pgstore: connect: %w", err)
	}
	s := &Store{pool: pool}
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the pool.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

func (s *Store) tx(ctx context.Context, fn func(pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, s.pool, fn)
}

// migrate applies the pending migrations in one transaction, under an
// advisory lock so replicas starting together migrate once.
func (s *Store) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("pgstore: list migrations: %w", err)
	}
	sort.Strings(names)
	err = s.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('smartap serverstore migrate'))`); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY)`); err != nil {
			return err
		}
		var current int
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
			return err
		}
		if current > len(names) {
			return fmt.Errorf("database has schema %d, this build knows %d", current, len(names))
		}
		for _, name := range names {
			n, err := strconv.Atoi(strings.SplitN(strings.TrimPrefix(name, "migrations/"), "_", 2)[0])
			if err != nil {
				return fmt.Errorf("migration %s has no number", name)
			}
			if n <= current {
				continue
			}
			body, err := migrationFS.ReadFile(name)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, string(body)); err != nil {
				return fmt.Errorf("migration %s: %w", name, err)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version) VALUES ($1)`, n); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("pgstore: migrate: %w", err)
	}
	return nil
}

func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func fromNull(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

func notFound(what string, err error) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("%s: %w", what, serverstore.ErrNotFound)
	}
	return err
}

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
	tag, err := s.pool.Exec(ctx, `INSERT INTO teams (id, index_id, created_at) VALUES ($1, $2, $3)
		ON CONFLICT (id) DO NOTHING`, t.ID, t.Index, t.CreatedAt)
	if err != nil {
		return serverstore.Team{}, err
	}
	if tag.RowsAffected() == 0 {
		return serverstore.Team{}, fmt.Errorf("team %q: %w", id, serverstore.ErrExists)
	}
	return t, nil
}

func (s *Store) GetTeam(ctx context.Context, id string) (serverstore.Team, error) {
	t := serverstore.Team{ID: id}
	err := s.pool.QueryRow(ctx, `SELECT index_id, created_at FROM teams WHERE id = $1`, id).Scan(&t.Index, &t.CreatedAt)
	if err != nil {
		return serverstore.Team{}, notFound(fmt.Sprintf("team %q", id), err)
	}
	t.CreatedAt = t.CreatedAt.UTC()
	return t, nil
}

// ---- users ----

func (s *Store) CreateUser(ctx context.Context, u serverstore.User) (serverstore.User, error) {
	role, err := serverstore.CheckUser(u)
	if err != nil {
		return serverstore.User{}, err
	}
	u.Role, u.TokenVersion, u.CreatedAt = role, 1, now()
	err = s.tx(ctx, func(tx pgx.Tx) error {
		var one int
		if err := tx.QueryRow(ctx, `SELECT 1 FROM teams WHERE id = $1 FOR SHARE`, u.Team).Scan(&one); err != nil {
			return notFound(fmt.Sprintf("team %q", u.Team), err)
		}
		tag, err := tx.Exec(ctx, `INSERT INTO users (name, team, password_hash, role, disabled, token_version, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (name) DO NOTHING`,
			u.Name, u.Team, u.PasswordHash, string(u.Role), u.Disabled, u.TokenVersion, u.CreatedAt)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("user %q: %w", u.Name, serverstore.ErrExists)
		}
		return nil
	})
	if err != nil {
		return serverstore.User{}, err
	}
	return u, nil
}

func (s *Store) GetUser(ctx context.Context, name string) (serverstore.User, error) {
	u := serverstore.User{Name: name}
	var role string
	err := s.pool.QueryRow(ctx, `SELECT team, password_hash, role, disabled, token_version, created_at
		FROM users WHERE name = $1`, name).Scan(&u.Team, &u.PasswordHash, &role, &u.Disabled, &u.TokenVersion, &u.CreatedAt)
	if err != nil {
		return serverstore.User{}, notFound(fmt.Sprintf("user %q", name), err)
	}
	u.Role, u.CreatedAt = identity.Role(role), u.CreatedAt.UTC()
	return u, nil
}

func (s *Store) SetRole(ctx context.Context, name string, role identity.Role) (int64, error) {
	role, err := serverstore.CheckRole(role)
	if err != nil {
		return 0, err
	}
	var v int64
	err = s.pool.QueryRow(ctx, `UPDATE users SET role = $1, token_version = token_version + 1
		WHERE name = $2 RETURNING token_version`, string(role), name).Scan(&v)
	return v, notFound(fmt.Sprintf("user %q", name), err)
}

func (s *Store) Disable(ctx context.Context, name string) (int64, error) {
	var v int64
	err := s.pool.QueryRow(ctx, `UPDATE users SET disabled = true, token_version = token_version + 1
		WHERE name = $1 RETURNING token_version`, name).Scan(&v)
	return v, notFound(fmt.Sprintf("user %q", name), err)
}

func (s *Store) TokenVersion(ctx context.Context, name string) (int64, error) {
	var v int64
	err := s.pool.QueryRow(ctx, `SELECT token_version FROM users WHERE name = $1`, name).Scan(&v)
	return v, notFound(fmt.Sprintf("user %q", name), err)
}

// ---- operation log ----

func (s *Store) Append(ctx context.Context, team string, ops []wire.Op) ([]serverstore.Appended, error) {
	return s.appendOps(ctx, team, nil, ops)
}

// AppendAfter is Append under the condition that the head read under the
// team row lock is still head: the check and the append are one
// transaction, so of two replicas deciding against the same head only one
// commits.
func (s *Store) AppendAfter(ctx context.Context, team string, head uint64, ops []wire.Op) ([]serverstore.Appended, error) {
	return s.appendOps(ctx, team, &head, ops)
}

func (s *Store) appendOps(ctx context.Context, team string, expect *uint64, ops []wire.Op) ([]serverstore.Appended, error) {
	if err := serverstore.CheckOps(team, ops); err != nil {
		return nil, err
	}
	bodies := serverstore.EncodeOps(ops)
	ids := make([]string, len(ops))
	for i, op := range ops {
		ids[i] = op.ID
	}
	out := make([]serverstore.Appended, len(ops))
	err := s.tx(ctx, func(tx pgx.Tx) error {
		// The team row is the append lock: held to commit.
		var head uint64 // pgx range-checks bigint ↔ uint64 both ways
		if err := tx.QueryRow(ctx, `SELECT head FROM teams WHERE id = $1 FOR UPDATE`, team).Scan(&head); err != nil {
			return notFound(fmt.Sprintf("team %q", team), err)
		}
		if expect != nil && *expect != head {
			return fmt.Errorf("team %q: head is %d, expected %d: %w", team, head, *expect, serverstore.ErrHeadMoved)
		}
		if len(ops) == 0 {
			return nil
		}
		seqOf := make(map[string]uint64, len(ops))
		rows, err := tx.Query(ctx, `SELECT op_id, seq FROM ops WHERE team = $1 AND op_id = ANY($2)`, team, ids)
		if err != nil {
			return err
		}
		var id string
		var seq uint64
		if _, err := pgx.ForEachRow(rows, []any{&id, &seq}, func() error { seqOf[id] = seq; return nil }); err != nil {
			return err
		}
		received := now()
		batch := &pgx.Batch{}
		for i, op := range ops {
			if seq, ok := seqOf[op.ID]; ok {
				out[i] = serverstore.Appended{Seq: seq, Duplicate: true}
				continue
			}
			head++
			seqOf[op.ID] = head
			out[i] = serverstore.Appended{Seq: head}
			batch.Queue(`INSERT INTO ops (team, seq, op_id, body, received_at) VALUES ($1, $2, $3, $4, $5)`,
				team, head, op.ID, bodies[i], received)
		}
		if batch.Len() == 0 {
			return nil
		}
		batch.Queue(`UPDATE teams SET head = $1 WHERE id = $2`, head, team)
		batch.Queue(`SELECT pg_notify($1, $2)`, NotifyChannel, team+" "+strconv.FormatUint(head, 10))
		return tx.SendBatch(ctx, batch).Close()
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
	var index string
	if err := s.pool.QueryRow(ctx, `SELECT index_id FROM teams WHERE id = $1`, team).Scan(&index); err != nil {
		return serverstore.Page{}, notFound(fmt.Sprintf("team %q", team), err)
	}
	page := serverstore.Page{Next: wire.Cursor{Index: index, Seq: after}}
	if after > math.MaxInt64 { // past any bigint sequence
		return page, nil
	}
	// One row more than asked tells whether there is more.
	rows, err := s.pool.Query(ctx, `SELECT seq, body, received_at FROM ops
		WHERE team = $1 AND seq > $2 ORDER BY seq LIMIT $3`, team, after, limit+1)
	if err != nil {
		return serverstore.Page{}, err
	}
	var seq uint64
	var body []byte
	var received time.Time
	_, err = pgx.ForEachRow(rows, []any{&seq, &body, &received}, func() error {
		if len(page.Entries) == limit {
			page.More = true
			return nil
		}
		e := serverstore.Entry{Seq: seq, Received: received.UTC()}
		op, err := wire.DecodeOp(body)
		if err != nil {
			return fmt.Errorf("pgstore: decode op %d: %w", seq, err)
		}
		e.Op = op
		page.Entries = append(page.Entries, e)
		page.Next.Seq = e.Seq
		return nil
	})
	if err != nil {
		return serverstore.Page{}, err
	}
	return page, nil
}

func (s *Store) Head(ctx context.Context, team string) (uint64, error) {
	var head uint64
	err := s.pool.QueryRow(ctx, `SELECT head FROM teams WHERE id = $1`, team).Scan(&head)
	if err != nil {
		return 0, notFound(fmt.Sprintf("team %q", team), err)
	}
	return head, nil
}

// Listen calls fn with (team, head) for every Append committed by any
// replica, until ctx ends or the connection fails (the returned error).
// It holds one pool connection while it runs. Notifications are hints: a
// listener that reconnects must pull from its cursors, not rely on having
// seen every one.
func (s *Store) Listen(ctx context.Context, fn func(team string, head uint64)) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	// The LISTEN stays on the connection: take it out of the pool, and
	// close it at the end instead of handing it to another caller.
	c := conn.Hijack()
	defer func() { _ = c.Close(context.Background()) }()
	if _, err := c.Exec(ctx, "LISTEN "+NotifyChannel); err != nil {
		return err
	}
	for {
		n, err := c.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		i := strings.LastIndexByte(n.Payload, ' ')
		if i < 0 {
			continue
		}
		head, err := strconv.ParseUint(n.Payload[i+1:], 10, 64)
		if err != nil {
			continue
		}
		fn(n.Payload[:i], head)
	}
}

// ---- auth.TokenStore ----

func (s *Store) CreateFamily(ctx context.Context, f auth.Family) error {
	tag, err := s.pool.Exec(ctx, `INSERT INTO refresh_families (id, user_id, created_at, expires_at, revoked_at, reason)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`,
		f.ID, f.UserID, f.CreatedAt, f.ExpiresAt, nullTime(f.RevokedAt), f.Reason)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("family %q: %w", f.ID, auth.ErrExists)
	}
	return nil
}

func (s *Store) GetFamily(ctx context.Context, id string) (auth.Family, error) {
	f := auth.Family{ID: id}
	var revoked *time.Time
	err := s.pool.QueryRow(ctx, `SELECT user_id, created_at, expires_at, revoked_at, reason
		FROM refresh_families WHERE id = $1`, id).Scan(&f.UserID, &f.CreatedAt, &f.ExpiresAt, &revoked, &f.Reason)
	if err != nil {
		return auth.Family{}, notFound(fmt.Sprintf("family %q", id), err)
	}
	f.CreatedAt, f.ExpiresAt, f.RevokedAt = f.CreatedAt.UTC(), f.ExpiresAt.UTC(), fromNull(revoked)
	return f, nil
}

// Insert share-locks the family row, so a RevokeFamily racing it either
// commits first (Insert sees it and refuses) or waits for the insert.
func (s *Store) Insert(ctx context.Context, r auth.RefreshRecord) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		var revoked *time.Time
		err := tx.QueryRow(ctx, `SELECT revoked_at FROM refresh_families WHERE id = $1 FOR SHARE`, r.FamilyID).Scan(&revoked)
		if err != nil {
			return notFound(fmt.Sprintf("family %q", r.FamilyID), err)
		}
		if revoked != nil {
			return fmt.Errorf("family %q: %w", r.FamilyID, auth.ErrFamilyRevoked)
		}
		tag, err := tx.Exec(ctx, `INSERT INTO refresh_tokens (hash, family_id, user_id, issued_at, expires_at, used_at)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (hash) DO NOTHING`,
			r.Hash[:], r.FamilyID, r.UserID, r.IssuedAt, r.ExpiresAt, nullTime(r.UsedAt))
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("refresh token: %w", auth.ErrExists)
		}
		return nil
	})
}

func (s *Store) GetByHash(ctx context.Context, h auth.TokenHash) (auth.RefreshRecord, error) {
	r := auth.RefreshRecord{Hash: h}
	var used *time.Time
	var succ []byte
	err := s.pool.QueryRow(ctx, `SELECT family_id, user_id, issued_at, expires_at, used_at, successor
		FROM refresh_tokens WHERE hash = $1`, h[:]).Scan(&r.FamilyID, &r.UserID, &r.IssuedAt, &r.ExpiresAt, &used, &succ)
	if err != nil {
		return auth.RefreshRecord{}, notFound("refresh token", err)
	}
	r.IssuedAt, r.ExpiresAt, r.UsedAt = r.IssuedAt.UTC(), r.ExpiresAt.UTC(), fromNull(used)
	copy(r.Successor[:], succ)
	return r, nil
}

// MarkUsed is a conditional UPDATE: of two concurrent calls the second
// waits for the first's row lock, re-checks used_at IS NULL and matches
// nothing.
func (s *Store) MarkUsed(ctx context.Context, h auth.TokenHash, at time.Time, successor auth.TokenHash) error {
	tag, err := s.pool.Exec(ctx, `UPDATE refresh_tokens SET used_at = $1, successor = $3 WHERE hash = $2 AND used_at IS NULL`,
		at, h[:], successor[:])
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	var one int
	if err := s.pool.QueryRow(ctx, `SELECT 1 FROM refresh_tokens WHERE hash = $1`, h[:]).Scan(&one); err != nil {
		return notFound("refresh token", err)
	}
	return fmt.Errorf("refresh token: %w", auth.ErrAlreadyUsed)
}

func (s *Store) RevokeFamily(ctx context.Context, id string, at time.Time, reason string) error {
	var one int
	err := s.pool.QueryRow(ctx, `WITH upd AS (
			UPDATE refresh_families SET revoked_at = $2, reason = $3 WHERE id = $1 AND revoked_at IS NULL)
		SELECT 1 FROM refresh_families WHERE id = $1`, id, at, reason).Scan(&one)
	return notFound(fmt.Sprintf("family %q", id), err)
}

func (s *Store) RevokeUser(ctx context.Context, userID string, at time.Time, reason string) (int, error) {
	tag, err := s.pool.Exec(ctx, `UPDATE refresh_families SET revoked_at = $1, reason = $2
		WHERE user_id = $3 AND revoked_at IS NULL`, at, reason, userID)
	if err != nil {
		return 0, err
	}
	return int(tag.RowsAffected()), nil
}
