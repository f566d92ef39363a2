package store

import (
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
)

// SyncAttachment is an original document known to sync, by content hash.
// The hash is kept sealed and found through a blind index: a clear file
// hash would let anyone holding a copy confirm that this folder has it.
type SyncAttachment struct {
	Hash     string `json:"hash"` // lowercase hex SHA-256
	Size     int64  `json:"size"`
	Name     string `json:"name,omitempty"` // sealed file name in attachments/, "" until held
	Have     bool   `json:"-"`
	Uploaded bool   `json:"-"`
}

const idxAttachment = "sync.attachment"

// PutSyncAttachment inserts or replaces what is known about an original.
func (tx *Tx) PutSyncAttachment(a SyncAttachment) error {
	ix, err := tx.index(idxAttachment, a.Hash)
	if err != nil || ix == nil {
		return err
	}
	body, err := tx.sealJSON("sync_attachments", hex.EncodeToString(ix), "body", a)
	if err != nil {
		return err
	}
	_, err = tx.tx.Exec(`INSERT INTO sync_attachments(hash_index, body, have, uploaded) VALUES(?,?,?,?)
		ON CONFLICT(hash_index) DO UPDATE SET body = excluded.body, have = excluded.have, uploaded = excluded.uploaded`,
		ix, body, a.Have, a.Uploaded)
	if err != nil {
		return fmt.Errorf("store: put attachment: %w", err)
	}
	return nil
}

// SyncAttachmentOf finds an original by hash (ok false if unknown).
func (tx *Tx) SyncAttachmentOf(hash string) (SyncAttachment, bool, error) {
	ix, err := tx.index(idxAttachment, hash)
	if err != nil || ix == nil {
		return SyncAttachment{}, false, err
	}
	a, err := tx.scanSyncAttachment(tx.tx.QueryRow("SELECT hash_index, body, have, uploaded FROM sync_attachments WHERE hash_index = ?", ix))
	if errors.Is(err, sql.ErrNoRows) {
		return a, false, nil
	}
	return a, err == nil, err
}

// SyncAttachments lists originals by what is held and uploaded.
func (tx *Tx) SyncAttachments(have, uploaded bool) ([]SyncAttachment, error) {
	return queryAll(tx, "attachments", tx.scanSyncAttachment,
		"SELECT hash_index, body, have, uploaded FROM sync_attachments WHERE have = ? AND uploaded = ? ORDER BY hash_index", have, uploaded)
}

// The sealed body is bound to its row by the blind index (hex), which is
// what a listing knows before opening it.
func (tx *Tx) scanSyncAttachment(s scanner) (SyncAttachment, error) {
	var a SyncAttachment
	var ix, body []byte
	if err := s.Scan(&ix, &body, &a.Have, &a.Uploaded); err != nil {
		return a, err
	}
	have, up := a.Have, a.Uploaded
	if err := tx.openJSON("sync_attachments", hex.EncodeToString(ix), "body", body, &a); err != nil {
		return a, err
	}
	a.Have, a.Uploaded = have, up
	return a, nil
}

// AddAttachmentPart stages a downloaded chunk, sealed.
func (tx *Tx) AddAttachmentPart(hash string, off int64, data []byte) error {
	ix, err := tx.index(idxAttachment, hash)
	if err != nil {
		return err
	}
	env, err := tx.sealBytes("sync_attachment_parts", fmt.Sprintf("%s/%d", hash, off), "body", data)
	if err != nil {
		return err
	}
	if _, err := tx.tx.Exec("INSERT INTO sync_attachment_parts(hash_index, offset, body) VALUES(?,?,?)", ix, off, env); err != nil {
		return fmt.Errorf("store: stage attachment part: %w", err)
	}
	return nil
}

// AttachmentParts reads the staged chunks of a download in order.
func (tx *Tx) AttachmentParts(hash string) ([][]byte, error) {
	ix, err := tx.index(idxAttachment, hash)
	if err != nil {
		return nil, err
	}
	return queryAll(tx, "attachment parts", func(s scanner) ([]byte, error) {
		var off int64
		var env []byte
		if err := s.Scan(&off, &env); err != nil {
			return nil, err
		}
		return tx.openBytes("sync_attachment_parts", fmt.Sprintf("%s/%d", hash, off), "body", env)
	}, "SELECT offset, body FROM sync_attachment_parts WHERE hash_index = ? ORDER BY offset", ix)
}

// ClearAttachmentParts drops a staged download.
func (tx *Tx) ClearAttachmentParts(hash string) error {
	ix, err := tx.index(idxAttachment, hash)
	if err != nil {
		return err
	}
	if _, err := tx.tx.Exec("DELETE FROM sync_attachment_parts WHERE hash_index = ?", ix); err != nil {
		return fmt.Errorf("store: clear attachment parts: %w", err)
	}
	return nil
}
