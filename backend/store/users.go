package store

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/identity"
)

// UserRecord is a user row: the role is sealed, the wrapped data key is
// itself an envelope that only the user's password (with the device secret)
// opens.
type UserRecord struct {
	ID         string
	Name       string
	Role       identity.Role // filled only when keys are unlocked
	WrappedKey []byte
	CreatedAt  time.Time
	Disabled   bool
}

// InsertUser adds a user; the name must be unique.
func (tx *Tx) InsertUser(u UserRecord) error {
	role, err := tx.sealJSON("users", u.ID, "role", u.Role)
	if err != nil {
		return err
	}
	_, err = tx.tx.Exec(`INSERT INTO users(id, name, role_sealed, wrapped_key, created_at, disabled) VALUES(?,?,?,?,?,?)`,
		u.ID, u.Name, role, u.WrappedKey, fmtTime(u.CreatedAt), u.Disabled)
	if isUniqueViolation(err) {
		return apperr.Wrap(err, apperr.Duplicate, "a user named %q exists already", u.Name)
	}
	if err != nil {
		return fmt.Errorf("store: insert user: %w", err)
	}
	return nil
}

// UserByName loads a user without opening the role (before unlock).
func (tx *Tx) UserByName(name string) (UserRecord, error) {
	var u UserRecord
	var created string
	var roleEnv []byte
	err := tx.tx.QueryRow(`SELECT id, name, role_sealed, wrapped_key, created_at, disabled FROM users WHERE name = ?`, name).
		Scan(&u.ID, &u.Name, &roleEnv, &u.WrappedKey, &created, &u.Disabled)
	if err != nil {
		return UserRecord{}, notFound(err, "user")
	}
	if u.CreatedAt, err = parseTime(created); err != nil {
		return UserRecord{}, err
	}
	if tx.keys != nil {
		if err := tx.openJSON("users", u.ID, "role", roleEnv, &u.Role); err != nil {
			return UserRecord{}, err
		}
	}
	return u, nil
}

// Users lists every user with its role (keys required).
func (tx *Tx) Users() ([]UserRecord, error) {
	rows, err := tx.tx.Query(`SELECT id, name, role_sealed, created_at, disabled FROM users ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("store: list users: %w", err)
	}
	defer rows.Close()
	var out []UserRecord
	for rows.Next() {
		var u UserRecord
		var created string
		var roleEnv []byte
		if err := rows.Scan(&u.ID, &u.Name, &roleEnv, &created, &u.Disabled); err != nil {
			return nil, fmt.Errorf("store: scan user: %w", err)
		}
		if err := tx.openJSON("users", u.ID, "role", roleEnv, &u.Role); err != nil {
			return nil, err
		}
		if u.CreatedAt, err = parseTime(created); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// UserCount counts users (clear).
func (tx *Tx) UserCount() (int, error) {
	var n int
	err := tx.tx.QueryRow("SELECT count(*) FROM users").Scan(&n)
	return n, err
}

// SetWrappedKey replaces a user's wrapped data key (password change, recovery).
func (tx *Tx) SetWrappedKey(userID string, wrapped []byte) error {
	res, err := tx.tx.Exec("UPDATE users SET wrapped_key = ? WHERE id = ?", wrapped, userID)
	if err != nil {
		return fmt.Errorf("store: set wrapped key: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return apperr.New(apperr.NotFound, "user not found")
	}
	return nil
}

// SetUserRole replaces a user's role, sealed like on insert (bound to the
// user's row, so a role cannot be copied from another user).
func (tx *Tx) SetUserRole(userID string, role identity.Role) error {
	env, err := tx.sealJSON("users", userID, "role", role)
	if err != nil {
		return err
	}
	res, err := tx.tx.Exec("UPDATE users SET role_sealed = ? WHERE id = ?", env, userID)
	if err != nil {
		return fmt.Errorf("store: set user role: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return apperr.New(apperr.NotFound, "user not found")
	}
	return nil
}

// SetUserDisabled disables or re-enables a user; a disabled user cannot unlock.
func (tx *Tx) SetUserDisabled(userID string, disabled bool) error {
	res, err := tx.tx.Exec("UPDATE users SET disabled = ? WHERE id = ?", disabled, userID)
	if err != nil {
		return fmt.Errorf("store: set user disabled: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return apperr.New(apperr.NotFound, "user not found")
	}
	return nil
}

// LoginState is the lockout state for one name.
type LoginState struct {
	Failures    int
	LockedUntil time.Time
	LastFailure time.Time
}

// LoginState reads the lockout state of a name (zero when none).
func (tx *Tx) LoginState(name string) (LoginState, error) {
	var s LoginState
	var locked, last string
	err := tx.tx.QueryRow("SELECT failures, locked_until, last_failure FROM login_attempts WHERE name = ?", name).
		Scan(&s.Failures, &locked, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return LoginState{}, nil
	}
	if err != nil {
		return LoginState{}, fmt.Errorf("store: login state: %w", err)
	}
	if s.LockedUntil, err = parseTime(locked); err != nil {
		return LoginState{}, err
	}
	if s.LastFailure, err = parseTime(last); err != nil {
		return LoginState{}, err
	}
	return s, nil
}

// SetLoginState stores the lockout state of a name; a zero state clears it.
func (tx *Tx) SetLoginState(name string, s LoginState) error {
	if s.Failures == 0 {
		_, err := tx.tx.Exec("DELETE FROM login_attempts WHERE name = ?", name)
		return err
	}
	_, err := tx.tx.Exec(`INSERT INTO login_attempts(name, failures, locked_until, last_failure) VALUES(?,?,?,?)
		ON CONFLICT(name) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until, last_failure = excluded.last_failure`,
		name, s.Failures, fmtTime(s.LockedUntil), fmtTime(s.LastFailure))
	if err != nil {
		return fmt.Errorf("store: set login state: %w", err)
	}
	return nil
}

// PendingAuthEvent is an authentication event recorded while locked.
type PendingAuthEvent struct {
	At       time.Time
	Name     string
	Action   string
	Decision string
	Reason   string
}

// AddPendingAuthEvent records an event for the audit chain's next unlock.
func (tx *Tx) AddPendingAuthEvent(e PendingAuthEvent) error {
	_, err := tx.tx.Exec("INSERT INTO pending_auth_events(at, name, action, decision, reason) VALUES(?,?,?,?,?)",
		fmtTime(e.At), e.Name, e.Action, e.Decision, e.Reason)
	if err != nil {
		return fmt.Errorf("store: pending auth event: %w", err)
	}
	return nil
}

// TakePendingAuthEvents returns and deletes the pending events, oldest first.
func (tx *Tx) TakePendingAuthEvents() ([]PendingAuthEvent, error) {
	rows, err := tx.tx.Query("SELECT at, name, action, decision, reason FROM pending_auth_events ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("store: pending auth events: %w", err)
	}
	defer rows.Close()
	var out []PendingAuthEvent
	for rows.Next() {
		var e PendingAuthEvent
		var at string
		if err := rows.Scan(&at, &e.Name, &e.Action, &e.Decision, &e.Reason); err != nil {
			return nil, fmt.Errorf("store: scan pending event: %w", err)
		}
		if e.At, err = parseTime(at); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	_, err = tx.tx.Exec("DELETE FROM pending_auth_events")
	return out, err
}

// UserNames lists user names (clear), for choosing the default user.
func (tx *Tx) UserNames() ([]string, error) {
	rows, err := tx.tx.Query("SELECT name FROM users WHERE disabled = 0 ORDER BY name")
	if err != nil {
		return nil, fmt.Errorf("store: user names: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}
