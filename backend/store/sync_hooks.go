package store

import (
	"github.com/smartap/desktop/backend/audit"
)

// TxHooks see, inside the transaction, every invoice written and every
// audit entry appended by it. Sync installs them on every command's
// transaction, so the outbox row commits with the change it describes or
// not at all; a hook's error rolls the whole transaction back.
type TxHooks struct {
	// Invoice is called after an invoice row is inserted (before == nil)
	// or updated (before is the row as it was).
	Invoice func(tx *Tx, before *InvoiceRecord, after InvoiceRecord) error
	// Audit is called after an entry is appended to the chain.
	Audit func(tx *Tx, e audit.Entry) error
}

// SetHooks installs h on this transaction (nil removes them).
func (tx *Tx) SetHooks(h *TxHooks) { tx.hooks = h }

// beforeWrite reads the row an update is about to replace, only when a
// hook will want it: the read costs an open of the sealed row.
func (tx *Tx) beforeWrite(id string) (*InvoiceRecord, error) {
	if tx.hooks == nil || tx.hooks.Invoice == nil {
		return nil, nil
	}
	r, err := tx.Invoice(id)
	if err != nil {
		return nil, err
	}
	return &r, nil
}

func (tx *Tx) invoiceWritten(before *InvoiceRecord, after InvoiceRecord) error {
	if tx.hooks == nil || tx.hooks.Invoice == nil {
		return nil
	}
	return tx.hooks.Invoice(tx, before, after)
}

func (tx *Tx) auditAppended(e audit.Entry) error {
	if tx.hooks == nil || tx.hooks.Audit == nil {
		return nil
	}
	return tx.hooks.Audit(tx, e)
}
