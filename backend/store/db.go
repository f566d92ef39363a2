// Package store is the local SQLite store. Content columns hold sealed
// ciphertext bound to their table, row and column (backend/seal); clear
// columns carry only ids, states, times and keyed blind indexes
// (ARCHITECTURE.md §4). Every exported service operation runs in one
// transaction through Update or View.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"sort"
	"strconv"
	"strings"

	_ "github.com/mattn/go-sqlite3" // the SQLite driver (cgo)

	"github.com/smartap/desktop/backend/seal"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// DB is an open data store.
type DB struct {
	sql  *sql.DB
	path string
}

// Keys are the unlocked session's keys; a Tx without them can touch only
// clear columns (users' wrapped keys, lockout counters).
type Keys struct {
	Sealer *seal.Sealer
	Index  *seal.Indexer
}

// ErrLockedKeys is returned when sealed content is touched without keys.
var ErrLockedKeys = errors.New("store: content is sealed and no keys are unlocked")

// Open opens (creating if needed) the database at path and applies
// migrations. WAL lets readers run beside the writer; synchronous=FULL
// makes every acknowledged commit survive a power cut, not only a crash.
func Open(ctx context.Context, path string) (*DB, error) {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", "FULL")
	q.Set("_foreign_keys", "on")
	q.Set("_busy_timeout", "10000")
	q.Set("_txlock", "immediate")
	q.Set("_secure_delete", "on") // freed pages are zeroed: erased and purged data leaves no trace in the file
	q.Set("mode", "rwc")
	db, err := sql.Open("sqlite3", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	// One connection: SQLite has one writer anyway, and a single connection
	// never waits on itself for the write lock.
	db.SetMaxOpenConns(1)
	s := &DB{sql: db, path: path}
	if err := s.migrate(ctx); err != nil {
		_ = db.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the database.
func (db *DB) Close() error { return db.sql.Close() }

// Path is the database file.
func (db *DB) Path() string { return db.path }

// Tx is one transaction, with or without unlocked keys.
type Tx struct {
	tx   *sql.Tx
	keys *Keys
}

// Update runs fn in a write transaction; fn's error rolls it back.
func (db *DB) Update(ctx context.Context, keys *Keys, fn func(*Tx) error) error {
	return db.run(ctx, keys, false, fn)
}

// View runs fn in a read-only transaction.
func (db *DB) View(ctx context.Context, keys *Keys, fn func(*Tx) error) error {
	return db.run(ctx, keys, true, fn)
}

func (db *DB) run(ctx context.Context, keys *Keys, readOnly bool, fn func(*Tx) error) (err error) {
	tx, err := db.sql.BeginTx(ctx, &sql.TxOptions{ReadOnly: readOnly})
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = tx.Rollback()
			return
		}
		if cerr := tx.Commit(); cerr != nil {
			err = fmt.Errorf("store: commit: %w", cerr)
		}
	}()
	return fn(&Tx{tx: tx, keys: keys})
}

func (db *DB) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("store: list migrations: %w", err)
	}
	sort.Strings(names)
	var current int
	if err := db.sql.QueryRowContext(ctx, "PRAGMA user_version").Scan(&current); err != nil {
		return fmt.Errorf("store: read schema version: %w", err)
	}
	if current > len(names) {
		return fmt.Errorf("store: the data folder was written by a newer SmartAP (schema %d, this build knows %d)", current, len(names))
	}
	for _, name := range names {
		n, err := strconv.Atoi(strings.SplitN(strings.TrimPrefix(name, "migrations/"), "_", 2)[0])
		if err != nil {
			return fmt.Errorf("store: migration %s has no number", name)
		}
		if n <= current {
			continue
		}
		if err := db.apply(ctx, name, n); err != nil {
			return err
		}
	}
	return nil
}

// apply runs one migration and records it in the same transaction, so a
// crash leaves the schema either before or after it.
func (db *DB) apply(ctx context.Context, name string, n int) error {
	body, err := migrationFS.ReadFile(name)
	if err != nil {
		return fmt.Errorf("store: read %s: %w", name, err)
	}
	return db.Update(ctx, nil, func(tx *Tx) error {
		if _, err := tx.tx.ExecContext(ctx, string(body)); err != nil {
			return fmt.Errorf("store: migration %s: %w", name, err)
		}
		if _, err := tx.tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", n)); err != nil {
			return fmt.Errorf("store: record migration %s: %w", name, err)
		}
		return nil
	})
}
