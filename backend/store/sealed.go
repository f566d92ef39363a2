package store

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/seal"
)

// sealJSON encodes v and seals it for its place.
func (tx *Tx) sealJSON(table, row, column string, v any) ([]byte, error) {
	if tx.keys == nil {
		return nil, ErrLockedKeys
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("store: encode %s.%s: %w", table, column, err)
	}
	return tx.keys.Sealer.Seal(b, seal.AD{Table: table, Row: row, Column: column})
}

// openJSON opens a sealed value and decodes it into v. A value that fails
// to open was tampered with or moved: that is an integrity error.
func (tx *Tx) openJSON(table, row, column string, env []byte, v any) error {
	if tx.keys == nil {
		return ErrLockedKeys
	}
	b, err := tx.keys.Sealer.Open(env, seal.AD{Table: table, Row: row, Column: column})
	if err != nil {
		return apperr.Wrap(err, apperr.Integrity, "stored %s data for %s does not authenticate", table, row)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return apperr.Wrap(err, apperr.Integrity, "stored %s data for %s is unreadable", table, row)
	}
	return nil
}

// index computes a blind index, or nil for an empty value so NULL columns
// stay out of unique indexes.
func (tx *Tx) index(domain, value string) ([]byte, error) {
	if value == "" {
		return nil, nil
	}
	if tx.keys == nil {
		return nil, ErrLockedKeys
	}
	return tx.keys.Index.Index(domain, value)
}

const timeLayout = time.RFC3339Nano

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeLayout)
}

func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		return time.Time{}, apperr.Wrap(err, apperr.Integrity, "stored time %q is unreadable", s)
	}
	return t, nil
}

func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.Wrap(err, apperr.NotFound, "%s not found", what)
	}
	return err
}

func isUniqueViolation(err error) bool {
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only plain structs are passed
	}
	return b
}

func unmarshal(b []byte, v any) error {
	if err := json.Unmarshal(b, v); err != nil {
		return apperr.Wrap(err, apperr.Integrity, "stored data is unreadable")
	}
	return nil
}

// queryAll runs q and scans every row with scan; what names the query in
// the error when it cannot run.
func queryAll[T any](tx *Tx, what string, scan func(scanner) (T, error), q string, args ...any) ([]T, error) {
	rows, err := tx.tx.Query(q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
