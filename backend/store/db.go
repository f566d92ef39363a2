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
	"net/url"

	_ "github.com/mattn/go-sqlite3" // the SQLite driver (cgo)

	"github.com/smartap/desktop/backend/seal"
	"github.com/smartap/desktop/backend/sqlitedb"
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
	tx    *sql.Tx
	keys  *Keys
	hooks *TxHooks // sync_hooks.go
}

// Update runs fn in a write transaction; fn's error rolls it back.
func (db *DB) Update(ctx context.Context, keys *Keys, fn func(*Tx) error) error {
	return db.run(ctx, keys, false, fn)
}

// View runs fn in a read-only transaction.
func (db *DB) View(ctx context.Context, keys *Keys, fn func(*Tx) error) error {
	return db.run(ctx, keys, true, fn)
}

// run returns fn's error as it is; a failed begin or commit is wrapped.
func (db *DB) run(ctx context.Context, keys *Keys, readOnly bool, fn func(*Tx) error) error {
	return sqlitedb.Tx(ctx, db.sql, &sql.TxOptions{ReadOnly: readOnly}, func(tx *sql.Tx) error {
		return fn(&Tx{tx: tx, keys: keys})
	})
}

func (db *DB) migrate(ctx context.Context) error {
	err := sqlitedb.Migrate(ctx, db.sql, migrationFS, "migrations")
	if errors.Is(err, sqlitedb.ErrNewerSchema) {
		return fmt.Errorf("store: the data folder was written by a newer SmartAP: %w", err)
	}
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return nil
}
