package store

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/seal"
	"github.com/smartap/desktop/backend/secret"
	"github.com/smartap/desktop/backend/vendor"
)

// ErrErased marks data whose subject was erased.
var ErrErased = apperr.New(apperr.NotFound, "this person's data was erased")

// subjectSealer opens the data of one subject with its own key.
func (tx *Tx) subjectSealer(subjectID string) (*seal.Sealer, error) {
	var env []byte
	var erased string
	err := tx.tx.QueryRow("SELECT key_sealed, erased_at FROM subject_keys WHERE subject_id = ?", subjectID).Scan(&env, &erased)
	if err != nil {
		return nil, notFound(err, "data subject")
	}
	if erased != "" || env == nil {
		return nil, ErrErased
	}
	var raw []byte
	if err := tx.openJSON("subject_keys", subjectID, "key", env, &raw); err != nil {
		return nil, err
	}
	return seal.New(secret.New(raw))
}

// InsertContact stores a contact person sealed under a new subject key.
func (tx *Tx) InsertContact(c vendor.Contact, now time.Time) error {
	key, err := secret.Random(seal.KeySize)
	if err != nil {
		return err
	}
	env, err := tx.sealJSON("subject_keys", c.ID, "key", key.Reveal())
	if err != nil {
		return err
	}
	if _, err := tx.tx.Exec("INSERT INTO subject_keys(subject_id, key_sealed, created_at) VALUES(?,?,?)", c.ID, env, fmtTime(now)); err != nil {
		return fmt.Errorf("store: subject key: %w", err)
	}
	s, err := seal.New(key)
	if err != nil {
		return err
	}
	body, err := s.Seal(mustJSON(c), seal.AD{Table: "vendor_contacts", Row: c.ID, Column: "content"})
	if err != nil {
		return err
	}
	_, err = tx.tx.Exec("INSERT INTO vendor_contacts(id, vendor_id, content, created_at) VALUES(?,?,?,?)", c.ID, c.VendorID, body, fmtTime(now))
	if err != nil {
		return fmt.Errorf("store: insert contact: %w", err)
	}
	return nil
}

// Contacts lists a vendor's contact persons; erased ones come back with
// Erased set and no personal data.
func (tx *Tx) Contacts(vendorID string) ([]vendor.Contact, error) {
	rows, err := tx.tx.Query("SELECT id FROM vendor_contacts WHERE vendor_id = ? ORDER BY created_at, id", vendorID)
	if err != nil {
		return nil, fmt.Errorf("store: contacts: %w", err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			_ = rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	out := make([]vendor.Contact, 0, len(ids))
	for _, id := range ids {
		c, err := tx.Contact(id)
		if err == ErrErased {
			c = vendor.Contact{ID: id, VendorID: vendorID, Erased: true}
		} else if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// Contact loads one contact person (ErrErased after erasure).
func (tx *Tx) Contact(id string) (vendor.Contact, error) {
	var body []byte
	if err := tx.tx.QueryRow("SELECT content FROM vendor_contacts WHERE id = ?", id).Scan(&body); err != nil {
		return vendor.Contact{}, notFound(err, "contact")
	}
	s, err := tx.subjectSealer(id)
	if err != nil {
		return vendor.Contact{}, err
	}
	plain, err := s.Open(body, seal.AD{Table: "vendor_contacts", Row: id, Column: "content"})
	if err != nil {
		return vendor.Contact{}, apperr.Wrap(err, apperr.Integrity, "stored contact %s does not authenticate", id)
	}
	var c vendor.Contact
	return c, unmarshal(plain, &c)
}

// EraseSubject destroys a subject's key and its sealed data. SQLite's
// secure_delete overwrites the freed bytes in the file.
func (tx *Tx) EraseSubject(id string, now time.Time) error {
	res, err := tx.tx.Exec("UPDATE subject_keys SET key_sealed = NULL, erased_at = ? WHERE subject_id = ? AND erased_at = ''", fmtTime(now), id)
	if err != nil {
		return fmt.Errorf("store: erase subject: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return apperr.New(apperr.NotFound, "data subject not found or erased already")
	}
	_, err = tx.tx.Exec("UPDATE vendor_contacts SET content = NULL WHERE id = ?", id)
	return err
}

// SetLegalHold puts a hold on an invoice or a vendor (all its invoices).
func (tx *Tx) SetLegalHold(target, reason string, now time.Time) error {
	env, err := tx.sealJSON("legal_holds", target, "reason", reason)
	if err != nil {
		return err
	}
	_, err = tx.tx.Exec("INSERT INTO legal_holds(target, reason, created_at) VALUES(?,?,?) ON CONFLICT(target) DO UPDATE SET reason = excluded.reason",
		target, env, fmtTime(now))
	return err
}

// RemoveLegalHold lifts a hold.
func (tx *Tx) RemoveLegalHold(target string) error {
	res, err := tx.tx.Exec("DELETE FROM legal_holds WHERE target = ?", target)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return apperr.New(apperr.NotFound, "no legal hold on %s", target)
	}
	return nil
}

// LegalHold is one hold as listed: the reason is opened (keys required).
type LegalHold struct {
	Target    string
	Reason    string
	CreatedAt time.Time
}

// LegalHolds lists every legal hold, oldest first.
func (tx *Tx) LegalHolds() ([]LegalHold, error) {
	rows, err := tx.tx.Query("SELECT target, reason, created_at FROM legal_holds ORDER BY created_at, target")
	if err != nil {
		return nil, fmt.Errorf("store: legal holds: %w", err)
	}
	defer rows.Close()
	var out []LegalHold
	for rows.Next() {
		var h LegalHold
		var env []byte
		var created string
		if err := rows.Scan(&h.Target, &env, &created); err != nil {
			return nil, fmt.Errorf("store: scan legal hold: %w", err)
		}
		if err := tx.openJSON("legal_holds", h.Target, "reason", env, &h.Reason); err != nil {
			return nil, err
		}
		if h.CreatedAt, err = parseTime(created); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// OnHold reports whether any of the targets has a legal hold.
func (tx *Tx) OnHold(targets ...string) (bool, error) {
	for _, t := range targets {
		if t == "" {
			continue
		}
		var n int
		if err := tx.tx.QueryRow("SELECT count(*) FROM legal_holds WHERE target = ?", t).Scan(&n); err != nil {
			return false, err
		}
		if n > 0 {
			return true, nil
		}
	}
	return false, nil
}

// PurgeInvoice deletes an invoice and its sealed original file.
func (tx *Tx) PurgeInvoice(id, attachmentsDir, attachment string) error {
	if _, err := tx.tx.Exec("DELETE FROM invoices WHERE id = ?", id); err != nil {
		return fmt.Errorf("store: purge invoice: %w", err)
	}
	if attachment == "" {
		return nil
	}
	if _, err := tx.tx.Exec("DELETE FROM attachments WHERE name = ?", attachment); err != nil {
		return err
	}
	if err := os.Remove(filepath.Join(attachmentsDir, filepath.Base(attachment))); err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("store: purge attachment: %w", err)
	}
	return nil
}
