package store

import (
	"fmt"
	"strings"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/purchasing"
)

const idxPONumber = "po.number"

// poNumberKey normalises a PO number for look-ups: invoices quote them
// with varying case and spacing.
func poNumberKey(n string) string { return strings.ToUpper(strings.Join(strings.Fields(n), "")) }

// InsertPO stores a purchase order; the number must be unique.
func (tx *Tx) InsertPO(po purchasing.PurchaseOrder, now string) error {
	env, err := tx.sealJSON("purchase_orders", po.ID, "content", po)
	if err != nil {
		return err
	}
	num, err := tx.index(idxPONumber, poNumberKey(po.Number))
	if err != nil {
		return err
	}
	var vendorID any
	if po.VendorID != "" {
		vendorID = po.VendorID
	}
	_, err = tx.tx.Exec(`INSERT INTO purchase_orders(id, number_index, vendor_id, status, content, created_at, updated_at)
		VALUES(?,?,?,?,?,?,?)`, po.ID, num, vendorID, string(po.Status), env, now, now)
	if isUniqueViolation(err) {
		return apperr.Wrap(err, apperr.Duplicate, "purchase order %s exists already", po.Number)
	}
	if err != nil && strings.Contains(err.Error(), "FOREIGN KEY") {
		return apperr.Wrap(err, apperr.NotFound, "vendor %s not found", po.VendorID)
	}
	if err != nil {
		return fmt.Errorf("store: insert purchase order: %w", err)
	}
	return nil
}

// UpdatePO rewrites a purchase order (status, lines).
func (tx *Tx) UpdatePO(po purchasing.PurchaseOrder, now string) error {
	env, err := tx.sealJSON("purchase_orders", po.ID, "content", po)
	if err != nil {
		return err
	}
	res, err := tx.tx.Exec("UPDATE purchase_orders SET status = ?, content = ?, updated_at = ? WHERE id = ?",
		string(po.Status), env, now, po.ID)
	if err != nil {
		return fmt.Errorf("store: update purchase order: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return apperr.New(apperr.NotFound, "purchase order not found")
	}
	return nil
}

func (tx *Tx) scanPO(r scanner) (purchasing.PurchaseOrder, error) {
	var id string
	var env []byte
	if err := r.Scan(&id, &env); err != nil {
		return purchasing.PurchaseOrder{}, err
	}
	var po purchasing.PurchaseOrder
	err := tx.openJSON("purchase_orders", id, "content", env, &po)
	return po, err
}

// POByNumber finds a purchase order by its number.
func (tx *Tx) POByNumber(number string) (purchasing.PurchaseOrder, error) {
	ix, err := tx.index(idxPONumber, poNumberKey(number))
	if err != nil {
		return purchasing.PurchaseOrder{}, err
	}
	po, err := tx.scanPO(tx.tx.QueryRow("SELECT id, content FROM purchase_orders WHERE number_index = ?", ix))
	return po, notFound(err, "purchase order "+number)
}

// POs lists purchase orders, optionally of one vendor.
func (tx *Tx) POs(vendorID string) ([]purchasing.PurchaseOrder, error) {
	q, args := "SELECT id, content FROM purchase_orders", []any{}
	if vendorID != "" {
		q, args = q+" WHERE vendor_id = ?", append(args, vendorID)
	}
	return queryAll(tx, "list purchase orders", tx.scanPO, q+" ORDER BY created_at, id", args...)
}

// InsertReceipt stores a goods receipt of a PO line.
func (tx *Tx) InsertReceipt(poID string, r purchasing.GoodsReceipt) error {
	env, err := tx.sealJSON("goods_receipts", r.ID, "content", r)
	if err != nil {
		return err
	}
	_, err = tx.tx.Exec("INSERT INTO goods_receipts(id, po_id, content, received_at) VALUES(?,?,?,?)",
		r.ID, poID, env, fmtTime(r.ReceivedAt))
	if err != nil {
		return fmt.Errorf("store: insert goods receipt: %w", err)
	}
	return nil
}

// Receipts lists a purchase order's goods receipts, oldest first.
func (tx *Tx) Receipts(poID string) ([]purchasing.GoodsReceipt, error) {
	rows, err := tx.tx.Query("SELECT id, content FROM goods_receipts WHERE po_id = ? ORDER BY received_at, id", poID)
	if err != nil {
		return nil, fmt.Errorf("store: goods receipts: %w", err)
	}
	defer rows.Close()
	var out []purchasing.GoodsReceipt
	for rows.Next() {
		var id string
		var env []byte
		if err := rows.Scan(&id, &env); err != nil {
			return nil, err
		}
		var r purchasing.GoodsReceipt
		if err := tx.openJSON("goods_receipts", id, "content", env, &r); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
