// Package core is the application service layer shared by the desktop
// bindings and the CLI: it opens a data folder, sets it up, unlocks it for a
// user and runs every command as one transaction with its authorization
// decision and audit entry (ARCHITECTURE.md §1, §9).
package core

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/audit"
	"github.com/smartap/desktop/backend/extract"
	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/backend/seal"
	"github.com/smartap/desktop/backend/secret"
	"github.com/smartap/desktop/backend/store"
	"github.com/smartap/desktop/backend/vault"
)

// DBFile is the database's name inside the data folder.
const DBFile = "smartap.db"

// Options configure a Core.
type Options struct {
	DataDir  string
	Keychain vault.Keychain
	KDF      vault.KDFParams  // zero: vault.DefaultKDF
	Now      func() time.Time // injected clock; nil: time.Now
	Logger   *slog.Logger     // nil: discard
	// PDF starts the PDF engine on the first PDF (nil: PDFs cannot be read).
	PDF func(context.Context) (extract.PDF, error)
	// MaxUpload bounds one imported file (0: intake's 50 MiB default).
	MaxUpload int64
}

// Core is an open data folder.
type Core struct {
	opts      Options
	db        *store.DB
	dummy     dummyEnvelope
	extractor *extract.Extractor
}

// Open opens the data folder, creating it (0700) and its database if needed.
func Open(ctx context.Context, opts Options) (*Core, error) {
	if opts.Keychain == nil {
		return nil, errors.New("core: a keychain is required")
	}
	if opts.KDF == (vault.KDFParams{}) {
		opts.KDF = vault.DefaultKDF
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(opts.DataDir, 0o700); err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "cannot create the data folder %s", opts.DataDir)
	}
	db, err := store.Open(ctx, filepath.Join(opts.DataDir, DBFile))
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "cannot open the data folder %s", opts.DataDir)
	}
	return &Core{opts: opts, db: db, extractor: extract.New(opts.PDF)}, nil
}

// Close closes the database.
func (c *Core) Close() error { return c.db.Close() }

// DataDir is the data folder.
func (c *Core) DataDir() string { return c.opts.DataDir }

// Initialized reports whether the first user exists.
func (c *Core) Initialized(ctx context.Context) (bool, error) { return c.db.Initialized(ctx) }

// LastUser is the name of the user who unlocked last, to prefill the form.
func (c *Core) LastUser(ctx context.Context) string {
	var name string
	_ = c.db.View(ctx, nil, func(tx *store.Tx) error {
		b, err := tx.Meta(store.MetaLastUser)
		name = string(b)
		return err
	})
	return name
}

func (c *Core) now() time.Time { return c.opts.Now().UTC() }

func newID() string { return uuid.Must(uuid.NewV7()).String() }

// Init creates the folder's keys and its first user (an admin). It returns
// the unlocked session and the recovery key, which is shown once and never
// stored in the clear.
func (c *Core) Init(ctx context.Context, adminName string, pw secret.Password) (*Session, string, error) {
	return c.initFolder(ctx, adminName, pw, identity.Admin, "")
}

// initFolder sets up the folder with its first user in role (Init: an
// admin; InitFromServer: the role the sync server gives).
// deviceID, if not empty, is the device id to take (a UUID the sync server
// already saw at sign-in); else a new one is made.
func (c *Core) initFolder(ctx context.Context, adminName string, pw secret.Password, role identity.Role, deviceID string) (*Session, string, error) {
	name, err := identity.NormalizeName(adminName)
	if err != nil {
		return nil, "", apperr.Wrap(err, apperr.InvalidInput, "%s", err.Error())
	}
	if err := identity.CheckPassword(pw.Reveal()); err != nil {
		return nil, "", apperr.Wrap(err, apperr.InvalidInput, "%s", err.Error())
	}
	if ok, err := c.Initialized(ctx); err != nil {
		return nil, "", err
	} else if ok {
		return nil, "", apperr.New(apperr.Conflict, "this data folder is set up already")
	}
	k, err := c.newFolderKeys(deviceID)
	if err != nil {
		return nil, "", err
	}
	user := identity.User{ID: newID(), Name: name, Role: role}
	wrapped, err := vault.Wrap(k.dek, k.device, pw, k.folderID, user.ID, c.opts.KDF)
	if err != nil {
		return nil, "", fmt.Errorf("core: wrap data key: %w", err)
	}
	recEnv, err := vault.WrapRecovery(k.dek, k.recovery, k.folderID)
	if err != nil {
		return nil, "", fmt.Errorf("core: wrap recovery key: %w", err)
	}
	s := newSession(c, user, k.folderID, k.deviceID, k.dek, k.auditKey)
	err = s.update(ctx, func(tx *store.Tx) error {
		for key, v := range map[string][]byte{
			store.MetaFolderID: []byte(k.folderID), store.MetaDeviceID: []byte(k.deviceID),
			store.MetaCreatedAt: []byte(c.now().Format(time.RFC3339)), store.MetaRecoveryKey: recEnv,
			store.MetaAuditPublicKey: k.auditKey.Public().(ed25519.PublicKey), store.MetaLastUser: []byte(name),
		} {
			if err := tx.SetMeta(key, v); err != nil {
				return err
			}
		}
		if err := tx.SetSealedMeta(store.MetaAuditSecretKey, k.auditKey); err != nil {
			return err
		}
		if err := tx.InsertUser(store.UserRecord{ID: user.ID, Name: name, Role: role, WrappedKey: wrapped, CreatedAt: c.now()}); err != nil {
			return err
		}
		return s.appendAudit(tx, audit.Entry{Action: "folder.init", Target: k.folderID, Decision: audit.Allowed,
			Reason: "first user " + name + " (" + string(role) + ") created the data folder", Rule: "set-up"})
	})
	if err != nil {
		s.Lock()
		_ = c.opts.Keychain.Delete(vault.Service, vault.DeviceAccount(k.folderID))
		return nil, "", err
	}
	c.opts.Logger.Info("data folder set up", "user", name, "folder", k.folderID)
	return s, k.recoveryDisplay, nil
}

type folderKeys struct {
	folderID, deviceID, recoveryDisplay string
	dek, device, recovery               secret.Bytes
	auditKey                            ed25519.PrivateKey
}

func (c *Core) newFolderKeys(deviceID string) (folderKeys, error) {
	k := folderKeys{folderID: newID(), deviceID: deviceID}
	if k.deviceID == "" {
		k.deviceID = newID()
	}
	var err error
	if k.dek, err = vault.NewDataKey(); err != nil {
		return k, err
	}
	if k.device, err = vault.DeviceSecret(c.opts.Keychain, k.folderID, true); err != nil {
		return k, keychainError(err, c.opts.Keychain)
	}
	if k.recoveryDisplay, k.recovery, err = vault.NewRecoveryKey(); err != nil {
		return k, err
	}
	if _, k.auditKey, err = ed25519.GenerateKey(nil); err != nil {
		return k, fmt.Errorf("core: audit key: %w", err)
	}
	return k, nil
}

func keychainError(err error, kc vault.Keychain) error {
	if errors.Is(err, vault.ErrNoKeychain) {
		return apperr.Wrap(err, apperr.Unavailable, "%s", err.Error())
	}
	if errors.Is(err, vault.ErrNotFound) {
		return apperr.Wrap(err, apperr.Unavailable,
			"the device secret of this data folder is not in the %s: use the recovery key, or point %s at the right key file",
			kc.Describe(), vault.EnvKeychain)
	}
	return apperr.Wrap(err, apperr.Unavailable, "cannot use the %s", kc.Describe())
}

// folderInfo reads the folder and device ids (clear meta).
func (c *Core) folderInfo(ctx context.Context) (folderID, deviceID string, err error) {
	err = c.db.View(ctx, nil, func(tx *store.Tx) error {
		f, err := tx.Meta(store.MetaFolderID)
		if err != nil {
			return err
		}
		d, err := tx.Meta(store.MetaDeviceID)
		folderID, deviceID = string(f), string(d)
		return err
	})
	if errors.Is(err, store.ErrNoMeta) {
		return "", "", apperr.Wrap(err, apperr.NotFound, "this data folder is not set up yet: run set-up first")
	}
	return folderID, deviceID, err
}

// sessionKeys derives the store's keys from the data key.
func sessionKeys(dek secret.Bytes) (*store.Keys, error) {
	s, err := seal.New(vault.Subkey(dek, "seal/v1"))
	if err != nil {
		return nil, err
	}
	return &store.Keys{Sealer: s, Index: seal.NewIndexer(vault.Subkey(dek, "blind-index/v1"))}, nil
}

// dummyEnvelope is a wrapped key nobody can open, unwrapped for unknown user
// names so they cost the same Argon2id work as a wrong password (checklist #11).
type dummyEnvelope struct {
	once sync.Once
	env  []byte
	dev  secret.Bytes
}

func (c *Core) dummyUnwrap(pw secret.Password) {
	c.dummy.once.Do(func() {
		dek, _ := vault.NewDataKey()
		c.dummy.dev, _ = vault.NewDataKey()
		c.dummy.env, _ = vault.Wrap(dek, c.dummy.dev, secret.NewPassword(newID()), "dummy", "dummy", c.opts.KDF)
	})
	_, _ = vault.Unwrap(c.dummy.env, c.dummy.dev, pw, "dummy", "dummy")
}

// SoleUser returns the folder's only user, if it has exactly one.
func (c *Core) SoleUser(ctx context.Context) (string, bool) {
	var names []string
	_ = c.db.View(ctx, nil, func(tx *store.Tx) error {
		var err error
		names, err = tx.UserNames()
		return err
	})
	if len(names) == 1 {
		return names[0], true
	}
	return "", false
}
