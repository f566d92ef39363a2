package store

import (
	"fmt"
	"time"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/vendor"
)

const idxInvoiceNumber = "invoice.seller_number"

// InvoiceRecord is an invoice row: state in clear, the invoice sealed.
type InvoiceRecord struct {
	ID        string
	State     invoice.State
	VendorID  string
	Invoice   invoice.Invoice
	SHA256    string // hex of the source bytes, for exact-duplicate look-ups
	CreatedAt time.Time
	UpdatedAt time.Time
}

// NumberKey is what the duplicate-number blind index covers: the seller
// (VAT id, else normalised name) and the invoice number.
func NumberKey(inv invoice.Invoice) string {
	seller := inv.Seller.VATID
	if seller == "" {
		seller = vendor.MatchName(inv.Seller.Name)
	}
	return seller + "\x00" + inv.InvoiceNumber
}

// InsertInvoice stores a new invoice.
func (tx *Tx) InsertInvoice(r InvoiceRecord) error {
	content, err := tx.sealJSON("invoices", r.ID, "content", r.Invoice)
	if err != nil {
		return err
	}
	num, err := tx.index(idxInvoiceNumber, NumberKey(r.Invoice))
	if err != nil {
		return err
	}
	sha, err := tx.index("invoice.sha256", r.SHA256)
	if err != nil {
		return err
	}
	var vendorID any
	if r.VendorID != "" {
		vendorID = r.VendorID
	}
	_, err = tx.tx.Exec(`INSERT INTO invoices(id, status, held_from, vendor_id, content, number_index, sha_index, created_at, updated_at)
		VALUES(?,?,?,?,?,?,?,?,?)`, r.ID, string(r.State.Status), string(r.State.HeldFrom), vendorID, content, num, sha,
		fmtTime(r.CreatedAt), fmtTime(r.UpdatedAt))
	if err != nil {
		return fmt.Errorf("store: insert invoice: %w", err)
	}
	return nil
}

// Invoices lists invoices, newest first, optionally of one status.
func (tx *Tx) Invoices(status invoice.Status) ([]InvoiceRecord, error) {
	q := "SELECT id, status, held_from, COALESCE(vendor_id, ''), content, created_at, updated_at FROM invoices"
	args := []any{}
	if status != "" {
		if !status.Valid() {
			return nil, apperr.New(apperr.InvalidInput, "unknown status %q", status)
		}
		q += " WHERE status = ?"
		args = append(args, string(status))
	}
	rows, err := tx.tx.Query(q+" ORDER BY created_at DESC, id DESC", args...)
	if err != nil {
		return nil, fmt.Errorf("store: list invoices: %w", err)
	}
	defer rows.Close()
	var out []InvoiceRecord
	for rows.Next() {
		var r InvoiceRecord
		var st, held, created, updated string
		var env []byte
		if err := rows.Scan(&r.ID, &st, &held, &r.VendorID, &env, &created, &updated); err != nil {
			return nil, fmt.Errorf("store: scan invoice: %w", err)
		}
		r.State = invoice.State{Status: invoice.Status(st), HeldFrom: invoice.Status(held)}
		if err := tx.openJSON("invoices", r.ID, "content", env, &r.Invoice); err != nil {
			return nil, err
		}
		if r.CreatedAt, err = parseTime(created); err != nil {
			return nil, err
		}
		if r.UpdatedAt, err = parseTime(updated); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
