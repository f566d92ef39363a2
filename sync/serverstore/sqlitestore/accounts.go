package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/smartap/desktop/sync/server/events"
	"github.com/smartap/desktop/sync/serverstore"
)

var _ serverstore.Accounts = (*Store)(nil)

// userExists returns ErrNotFound unless the user exists.
func userExists(ctx context.Context, tx *sql.Tx, user string) error {
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM users WHERE name = ?`, user).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("user %q: %w", user, serverstore.ErrNotFound)
	}
	return err
}

// ---- API keys ----

func (s *Store) CreateAPIKey(ctx context.Context, k serverstore.APIKey) error {
	if k.ID == "" || k.User == "" {
		return fmt.Errorf("%w: api key needs an id and a user", serverstore.ErrInvalid)
	}
	if k.CreatedAt.IsZero() {
		k.CreatedAt = now()
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := userExists(ctx, tx, k.User); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO api_keys (id, hash, user_name, created_at, revoked_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
			k.ID, k.Hash[:], k.User, micro(k.CreatedAt), nullMicro(k.RevokedAt))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return fmt.Errorf("api key %q: %w", k.ID, serverstore.ErrExists)
		}
		return nil
	})
}

func scanAPIKey(sc interface{ Scan(...any) error }) (serverstore.APIKey, error) {
	var k serverstore.APIKey
	var hash []byte
	var created int64
	var revoked sql.NullInt64
	if err := sc.Scan(&k.ID, &hash, &k.User, &created, &revoked); err != nil {
		return serverstore.APIKey{}, err
	}
	if len(hash) != len(k.Hash) {
		return serverstore.APIKey{}, fmt.Errorf("sqlitestore: api key %q: stored hash has %d bytes", k.ID, len(hash))
	}
	copy(k.Hash[:], hash)
	k.CreatedAt, k.RevokedAt = fromMicro(created), fromNullMicro(revoked)
	return k, nil
}

func (s *Store) GetAPIKey(ctx context.Context, id string) (serverstore.APIKey, error) {
	k, err := scanAPIKey(s.db.QueryRowContext(ctx, `SELECT id, hash, user_name, created_at, revoked_at FROM api_keys WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return serverstore.APIKey{}, fmt.Errorf("api key %q: %w", id, serverstore.ErrNotFound)
	}
	return k, err
}

func (s *Store) RevokeAPIKey(ctx context.Context, id string, at time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?`, micro(at), id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return fmt.Errorf("api key %q: %w", id, serverstore.ErrNotFound)
		}
		return nil
	})
}

func (s *Store) ListAPIKeys(ctx context.Context, team string) ([]serverstore.APIKey, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT k.id, k.hash, k.user_name, k.created_at, k.revoked_at
		FROM api_keys k JOIN users u ON u.name = k.user_name WHERE u.team = ? ORDER BY k.created_at, k.id`, team)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []serverstore.APIKey
	for rows.Next() {
		k, err := scanAPIKey(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// ---- profiles ----

func (s *Store) SetCostCentres(ctx context.Context, user string, centres []string) error {
	centres, err := serverstore.CheckCostCentres(centres)
	if err != nil {
		return err
	}
	b, err := json.Marshal(centres)
	if err != nil {
		return fmt.Errorf("sqlitestore: encode cost centres: %w", err)
	}
	return s.setProfile(ctx, user, `INSERT INTO user_profiles (user_name, cost_centres) VALUES (?, ?)
		ON CONFLICT (user_name) DO UPDATE SET cost_centres = excluded.cost_centres`, user, string(b))
}

func (s *Store) SetApprovalLimit(ctx context.Context, user, limit string) error {
	limit, err := serverstore.CheckApprovalLimit(limit)
	if err != nil {
		return err
	}
	return s.setProfile(ctx, user, `INSERT INTO user_profiles (user_name, approval_limit) VALUES (?, ?)
		ON CONFLICT (user_name) DO UPDATE SET approval_limit = excluded.approval_limit`, user, limit)
}

func (s *Store) setProfile(ctx context.Context, user, query string, args ...any) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := userExists(ctx, tx, user); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, query, args...)
		return err
	})
}

func (s *Store) Profile(ctx context.Context, user string) (serverstore.Profile, error) {
	var p serverstore.Profile
	var centres sql.NullString
	var limit sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT p.cost_centres, p.approval_limit FROM users u
		LEFT JOIN user_profiles p ON p.user_name = u.name WHERE u.name = ?`, user).Scan(&centres, &limit)
	if errors.Is(err, sql.ErrNoRows) {
		return serverstore.Profile{}, fmt.Errorf("user %q: %w", user, serverstore.ErrNotFound)
	}
	if err != nil {
		return serverstore.Profile{}, err
	}
	if centres.Valid {
		if err := json.Unmarshal([]byte(centres.String), &p.CostCentres); err != nil {
			return serverstore.Profile{}, fmt.Errorf("sqlitestore: cost centres of %q: %w", user, err)
		}
	}
	if len(p.CostCentres) == 0 {
		p.CostCentres = nil
	}
	p.ApprovalLimit = limit.String
	return p, nil
}

// ---- devices ----

func (s *Store) SeeDevice(ctx context.Context, user, device string, at time.Time) (bool, error) {
	if device == "" {
		return false, fmt.Errorf("%w: empty device id", serverstore.ErrInvalid)
	}
	var first bool
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := userExists(ctx, tx, user); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO user_devices (user_name, device, first_seen, last_seen)
			VALUES (?, ?, ?, ?) ON CONFLICT (user_name, device) DO NOTHING`, user, device, micro(at), micro(at))
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if first = n == 1; first {
			return nil
		}
		_, err = tx.ExecContext(ctx, `UPDATE user_devices SET last_seen = max(last_seen, ?)
			WHERE user_name = ? AND device = ?`, micro(at), user, device)
		return err
	})
	return first, err
}

func (s *Store) Devices(ctx context.Context, user string) ([]serverstore.Device, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT device, first_seen, last_seen FROM user_devices
		WHERE user_name = ? ORDER BY first_seen, device`, user)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []serverstore.Device
	for rows.Next() {
		var d serverstore.Device
		var first, last int64
		if err := rows.Scan(&d.ID, &first, &last); err != nil {
			return nil, err
		}
		d.FirstSeen, d.LastSeen = fromMicro(first), fromMicro(last)
		out = append(out, d)
	}
	return out, rows.Err()
}

// ---- security events ----

func (s *Store) RecordEvent(ctx context.Context, e events.Event) error {
	if err := serverstore.CheckEvent(e); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO security_events (kind, team, user_name, device, ip, detail, at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, e.Kind, e.Team, e.User, e.Device, e.IP, e.Detail, micro(e.At))
		return err
	})
}

func (s *Store) ListEvents(ctx context.Context, f serverstore.EventFilter) ([]events.Event, error) {
	// The newest Limit rows, then reversed: oldest first.
	rows, err := s.db.QueryContext(ctx, `SELECT kind, team, user_name, device, ip, detail, at FROM security_events
		WHERE (? = '' OR team = ?) AND (? = '' OR kind = ?) AND at >= ?
		ORDER BY id DESC LIMIT ?`,
		f.Team, f.Team, f.Kind, f.Kind, sinceMicro(f.Since), serverstore.EventLimit(f.Limit))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []events.Event
	for rows.Next() {
		var e events.Event
		var at int64
		if err := rows.Scan(&e.Kind, &e.Team, &e.User, &e.Device, &e.IP, &e.Detail, &at); err != nil {
			return nil, err
		}
		e.At = fromMicro(at)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	slices.Reverse(out)
	return out, nil
}

func sinceMicro(t time.Time) int64 {
	if t.IsZero() {
		return -1 << 62
	}
	return micro(t)
}
