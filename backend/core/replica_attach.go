package core

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"path/filepath"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/attach"
	"github.com/smartap/desktop/backend/store"
	"github.com/smartap/desktop/backend/vault"
	"github.com/smartap/desktop/sync/client"
	"github.com/smartap/desktop/sync/wire"
)

// Uploads lists originals held here that the server may not have yet.
func (r *Replica) Uploads(ctx context.Context) ([]client.Attachment, error) {
	return r.attachments(ctx, true, false)
}

// Missing lists originals of synced invoices not held here yet.
func (r *Replica) Missing(ctx context.Context) ([]wire.Hash, error) {
	as, err := r.attachments(ctx, false, true)
	out := make([]wire.Hash, 0, len(as))
	for _, a := range as {
		out = append(out, a.Hash)
	}
	return out, err
}

func (r *Replica) attachments(ctx context.Context, have, uploaded bool) ([]client.Attachment, error) {
	var out []client.Attachment
	err := r.read(ctx, func(tx *store.Tx) error {
		as, err := tx.SyncAttachments(have, uploaded)
		for _, a := range as {
			var h wire.Hash
			if err := h.UnmarshalText([]byte(a.Hash)); err != nil {
				return apperr.Wrap(err, apperr.Integrity, "a stored attachment hash is unreadable")
			}
			out = append(out, client.Attachment{Hash: h, Size: uint64(max(a.Size, 0))})
		}
		return err
	})
	return out, err
}

// Uploaded records that the server holds an original.
func (r *Replica) Uploaded(ctx context.Context, h wire.Hash) error {
	return r.write(ctx, func(tx *store.Tx) error {
		a, ok, err := tx.SyncAttachmentOf(h.String())
		if err != nil || !ok {
			return err
		}
		a.Uploaded = true
		return tx.PutSyncAttachment(a)
	})
}

// ReadAttachment reads up to n bytes of an original from off.
func (r *Replica) ReadAttachment(ctx context.Context, h wire.Hash, off uint64, n int) ([]byte, error) {
	var name string
	err := r.read(ctx, func(tx *store.Tx) error {
		a, ok, err := tx.SyncAttachmentOf(h.String())
		if err != nil {
			return err
		}
		if !ok || !a.Have {
			return apperr.New(apperr.NotFound, "attachment %s is not held here", h)
		}
		name = a.Name
		return nil
	})
	if err != nil {
		return nil, err
	}
	data, err := r.readOriginal(name)
	if err != nil {
		return nil, err
	}
	if off > uint64(len(data)) {
		return nil, apperr.New(apperr.InvalidInput, "offset %d is past the attachment's %d bytes", off, len(data))
	}
	end := min(uint64(len(data)), off+uint64(max(n, 0)))
	return data[off:end], nil
}

func (r *Replica) readOriginal(name string) ([]byte, error) {
	r.s.mu.RLock()
	defer r.s.mu.RUnlock()
	st, err := r.s.attachStore()
	if err != nil {
		return nil, err
	}
	rc, err := st.Open(name)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Integrity, "the original %s cannot be opened", name)
	}
	defer rc.Close()
	return io.ReadAll(io.LimitReader(rc, wire.MaxAttachment+1))
}

// attachStore opens the attachments folder; callers hold s.mu.
func (s *Session) attachStore() (*attach.Store, error) {
	if s.keys == nil {
		return nil, ErrSessionLocked
	}
	key := vault.Subkey(s.dek, vault.PurposeAttachments)
	defer key.Wipe()
	st, err := attach.Open(filepath.Join(s.c.opts.DataDir, "attachments"), key)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "cannot open the attachments folder")
	}
	return st, nil
}

// WriteAttachment stages downloaded content (sealed) from off, which must
// be where the staged content ends (0 restarts). The final chunk checks
// the SHA-256 of the whole and files the original with its invoice.
func (r *Replica) WriteAttachment(ctx context.Context, h wire.Hash, off uint64, data []byte, final bool) error {
	hash := h.String()
	var mismatch bool
	err := r.write(ctx, func(tx *store.Tx) error {
		a, ok, err := tx.SyncAttachmentOf(hash)
		if err != nil || (ok && a.Have) {
			return err
		}
		if !ok {
			return apperr.New(apperr.NotFound, "no synced invoice needs attachment %s", hash)
		}
		parts, err := tx.AttachmentParts(hash)
		if err != nil {
			return err
		}
		staged := uint64(0)
		for _, p := range parts {
			staged += uint64(len(p))
		}
		if off == 0 && staged > 0 {
			if err := tx.ClearAttachmentParts(hash); err != nil {
				return err
			}
			parts, staged = nil, 0
		}
		if off != staged {
			return apperr.New(apperr.InvalidInput, "attachment %s: resume at offset %d, not %d", hash, staged, off)
		}
		if len(data) > 0 {
			if err := tx.AddAttachmentPart(hash, int64(off), data); err != nil { // #nosec G115 -- off ≤ MaxAttachment
				return err
			}
		}
		if !final {
			return nil
		}
		whole := bytes.Join(append(parts, data), nil)
		if sha256.Sum256(whole) != h {
			mismatch = true
			return tx.ClearAttachmentParts(hash)
		}
		return r.s.fileOriginal(tx, a, whole)
	})
	if err == nil && mismatch {
		return fmt.Errorf("%w: %s (the download was discarded)", ErrAttachmentHash, hash)
	}
	return err
}

// fileOriginal seals a downloaded original into the attachments folder and
// links it to the invoice that names it.
func (s *Session) fileOriginal(tx *store.Tx, a store.SyncAttachment, data []byte) error {
	st, err := s.attachStore()
	if err != nil {
		return err
	}
	ref, err := st.Put(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return apperr.Wrap(err, apperr.Unavailable, "cannot store the downloaded original")
	}
	id, err := tx.InvoiceIDBySHA256(a.Hash)
	if err != nil {
		return err
	}
	if id != "" {
		inv, err := tx.Invoice(id)
		if err != nil {
			return err
		}
		inv.Source.Attachment = ref.Name
		if err := tx.InsertAttachment(ref.Name, ref.Size, inv.Source, s.c.now()); err != nil {
			return err
		}
		if err := tx.SetInvoiceSource(id, inv.Source); err != nil {
			return err
		}
	}
	a.Name, a.Have, a.Uploaded = ref.Name, true, true
	if err := tx.PutSyncAttachment(a); err != nil {
		return err
	}
	return tx.ClearAttachmentParts(a.Hash)
}
