package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/smartap/desktop/backend/seal"
)

// Meta keys. Clear values carry no content: ids, public keys, wrapped keys.
const (
	MetaFolderID       = "folder_id"
	MetaDeviceID       = "device_id"
	MetaCreatedAt      = "created_at"
	MetaRecoveryKey    = "recovery_wrapped_key"
	MetaAuditPublicKey = "audit_public_key"
	MetaAuditSecretKey = "audit_secret_key" // sealed
	MetaLastUser       = "last_user"
)

// ErrNoMeta means the meta key is absent.
var ErrNoMeta = errors.New("store: meta key absent")

// Meta reads a clear meta value.
func (tx *Tx) Meta(key string) ([]byte, error) {
	var v []byte
	err := tx.tx.QueryRow("SELECT value FROM meta WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNoMeta
	}
	if err != nil {
		return nil, fmt.Errorf("store: meta %s: %w", key, err)
	}
	return v, nil
}

// SetMeta writes a clear meta value.
func (tx *Tx) SetMeta(key string, value []byte) error {
	_, err := tx.tx.Exec("INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, value)
	if err != nil {
		return fmt.Errorf("store: set meta %s: %w", key, err)
	}
	return nil
}

// SealedMeta reads and opens a sealed meta value.
func (tx *Tx) SealedMeta(key string) ([]byte, error) {
	env, err := tx.Meta(key)
	if err != nil {
		return nil, err
	}
	if tx.keys == nil {
		return nil, ErrLockedKeys
	}
	return tx.keys.Sealer.Open(env, seal.AD{Table: "meta", Row: key, Column: "value"})
}

// SetSealedMeta seals and writes a meta value.
func (tx *Tx) SetSealedMeta(key string, value []byte) error {
	if tx.keys == nil {
		return ErrLockedKeys
	}
	env, err := tx.keys.Sealer.Seal(value, seal.AD{Table: "meta", Row: key, Column: "value"})
	if err != nil {
		return err
	}
	return tx.SetMeta(key, env)
}

// Initialized reports whether the data folder has its first user.
func (db *DB) Initialized(ctx context.Context) (bool, error) {
	var n int
	if err := db.sql.QueryRowContext(ctx, "SELECT count(*) FROM users").Scan(&n); err != nil {
		return false, fmt.Errorf("store: count users: %w", err)
	}
	return n > 0, nil
}
