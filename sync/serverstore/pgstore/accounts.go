package pgstore

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/smartap/desktop/sync/server/events"
	"github.com/smartap/desktop/sync/serverstore"
)

var _ serverstore.Accounts = (*Store)(nil)

// lockUser share-locks the user's row so a profile or device write cannot
// race a (future) user deletion; ErrNotFound for an unknown user.
func lockUser(ctx context.Context, tx pgx.Tx, user string) error {
	var one int
	err := tx.QueryRow(ctx, `SELECT 1 FROM users WHERE name = $1 FOR SHARE`, user).Scan(&one)
	return notFound(fmt.Sprintf("user %q", user), err)
}

// ---- API keys ----

func (s *Store) CreateAPIKey(ctx context.Context, k serverstore.APIKey) error {
	if k.ID == "" || k.User == "" {
		return fmt.Errorf("%w: api key needs an id and a user", serverstore.ErrInvalid)
	}
	if k.CreatedAt.IsZero() {
		k.CreatedAt = now()
	}
	return s.tx(ctx, func(tx pgx.Tx) error {
		if err := lockUser(ctx, tx, k.User); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `INSERT INTO api_keys (id, hash, user_name, created_at, revoked_at)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING`,
			k.ID, k.Hash[:], k.User, k.CreatedAt, nullTime(k.RevokedAt))
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("api key %q: %w", k.ID, serverstore.ErrExists)
		}
		return nil
	})
}

func scanAPIKey(row pgx.Row) (serverstore.APIKey, error) {
	var k serverstore.APIKey
	var hash []byte
	var revoked *time.Time
	if err := row.Scan(&k.ID, &hash, &k.User, &k.CreatedAt, &revoked); err != nil {
		return serverstore.APIKey{}, err
	}
	if len(hash) != len(k.Hash) {
		return serverstore.APIKey{}, fmt.Errorf("pgstore: api key %q: stored hash has %d bytes", k.ID, len(hash))
	}
	copy(k.Hash[:], hash)
	k.CreatedAt, k.RevokedAt = k.CreatedAt.UTC(), fromNull(revoked)
	return k, nil
}

func (s *Store) GetAPIKey(ctx context.Context, id string) (serverstore.APIKey, error) {
	k, err := scanAPIKey(s.pool.QueryRow(ctx, `SELECT id, hash, user_name, created_at, revoked_at
		FROM api_keys WHERE id = $1`, id))
	if err != nil {
		return serverstore.APIKey{}, notFound(fmt.Sprintf("api key %q", id), err)
	}
	return k, nil
}

func (s *Store) RevokeAPIKey(ctx context.Context, id string, at time.Time) error {
	tag, err := s.pool.Exec(ctx, `UPDATE api_keys SET revoked_at = coalesce(revoked_at, $1) WHERE id = $2`, at, id)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("api key %q: %w", id, serverstore.ErrNotFound)
	}
	return nil
}

func (s *Store) ListAPIKeys(ctx context.Context, team string) ([]serverstore.APIKey, error) {
	rows, err := s.pool.Query(ctx, `SELECT k.id, k.hash, k.user_name, k.created_at, k.revoked_at
		FROM api_keys k JOIN users u ON u.name = k.user_name WHERE u.team = $1 ORDER BY k.created_at, k.id`, team)
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
		return fmt.Errorf("pgstore: encode cost centres: %w", err)
	}
	return s.setProfile(ctx, user, `INSERT INTO user_profiles (user_name, cost_centres) VALUES ($1, $2)
		ON CONFLICT (user_name) DO UPDATE SET cost_centres = excluded.cost_centres`, user, string(b))
}

func (s *Store) SetApprovalLimit(ctx context.Context, user, limit string) error {
	limit, err := serverstore.CheckApprovalLimit(limit)
	if err != nil {
		return err
	}
	return s.setProfile(ctx, user, `INSERT INTO user_profiles (user_name, approval_limit) VALUES ($1, $2)
		ON CONFLICT (user_name) DO UPDATE SET approval_limit = excluded.approval_limit`, user, limit)
}

func (s *Store) setProfile(ctx context.Context, user, query string, args ...any) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		if err := lockUser(ctx, tx, user); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, query, args...)
		return err
	})
}

func (s *Store) Profile(ctx context.Context, user string) (serverstore.Profile, error) {
	var p serverstore.Profile
	var centres, limit *string
	err := s.pool.QueryRow(ctx, `SELECT p.cost_centres, p.approval_limit FROM users u
		LEFT JOIN user_profiles p ON p.user_name = u.name WHERE u.name = $1`, user).Scan(&centres, &limit)
	if err != nil {
		return serverstore.Profile{}, notFound(fmt.Sprintf("user %q", user), err)
	}
	if centres != nil {
		if err := json.Unmarshal([]byte(*centres), &p.CostCentres); err != nil {
			return serverstore.Profile{}, fmt.Errorf("pgstore: cost centres of %q: %w", user, err)
		}
	}
	if len(p.CostCentres) == 0 {
		p.CostCentres = nil
	}
	if limit != nil {
		p.ApprovalLimit = *limit
	}
	return p, nil
}

// ---- devices ----

// SeeDevice: of two racing first logins from one device, the INSERT … ON
// CONFLICT DO NOTHING of exactly one inserts the row, so exactly one
// reports first.
func (s *Store) SeeDevice(ctx context.Context, user, device string, at time.Time) (bool, error) {
	if device == "" {
		return false, fmt.Errorf("%w: empty device id", serverstore.ErrInvalid)
	}
	var first bool
	err := s.tx(ctx, func(tx pgx.Tx) error {
		if err := lockUser(ctx, tx, user); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `INSERT INTO user_devices (user_name, device, first_seen, last_seen)
			VALUES ($1, $2, $3, $3) ON CONFLICT (user_name, device) DO NOTHING`, user, device, at)
		if err != nil {
			return err
		}
		if first = tag.RowsAffected() == 1; first {
			return nil
		}
		_, err = tx.Exec(ctx, `UPDATE user_devices SET last_seen = greatest(last_seen, $1)
			WHERE user_name = $2 AND device = $3`, at, user, device)
		return err
	})
	return first, err
}

func (s *Store) Devices(ctx context.Context, user string) ([]serverstore.Device, error) {
	rows, err := s.pool.Query(ctx, `SELECT device, first_seen, last_seen FROM user_devices
		WHERE user_name = $1 ORDER BY first_seen, device`, user)
	if err != nil {
		return nil, err
	}
	var out []serverstore.Device
	var d serverstore.Device
	_, err = pgx.ForEachRow(rows, []any{&d.ID, &d.FirstSeen, &d.LastSeen}, func() error {
		out = append(out, serverstore.Device{ID: d.ID, FirstSeen: d.FirstSeen.UTC(), LastSeen: d.LastSeen.UTC()})
		return nil
	})
	return out, err
}

// ---- security events ----

func (s *Store) RecordEvent(ctx context.Context, e events.Event) error {
	if err := serverstore.CheckEvent(e); err != nil {
		return err
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO security_events (kind, team, user_name, device, ip, detail, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, e.Kind, e.Team, e.User, e.Device, e.IP, e.Detail, e.At)
	return err
}

func (s *Store) ListEvents(ctx context.Context, f serverstore.EventFilter) ([]events.Event, error) {
	var since *time.Time
	if !f.Since.IsZero() {
		since = &f.Since
	}
	rows, err := s.pool.Query(ctx, `SELECT kind, team, user_name, device, ip, detail, at FROM security_events
		WHERE ($1::text = '' OR team = $1) AND ($2::text = '' OR kind = $2) AND ($3::timestamptz IS NULL OR at >= $3)
		ORDER BY id DESC LIMIT $4`, f.Team, f.Kind, since, serverstore.EventLimit(f.Limit))
	if err != nil {
		return nil, err
	}
	var out []events.Event
	var e events.Event
	_, err = pgx.ForEachRow(rows, []any{&e.Kind, &e.Team, &e.User, &e.Device, &e.IP, &e.Detail, &e.At}, func() error {
		c := e
		c.At = c.At.UTC()
		out = append(out, c)
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.Reverse(out)
	return out, nil
}
