package core

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/backend/purchasing"
	"github.com/smartap/desktop/backend/store"
)

// AddPO stores a purchase order after validating it; its vendor must be in
// the vendor master when given.
func (s *Session) AddPO(ctx context.Context, po purchasing.PurchaseOrder) (purchasing.PurchaseOrder, error) {
	err := s.do(ctx, identity.POAdd, "", func(tx *store.Tx, rec *record) error {
		var err error
		po, err = s.addPO(tx, po)
		rec.Target, rec.After, rec.Reason = po.ID, digest(po), "purchase order "+po.Number
		return err
	})
	return po, err
}

func (s *Session) addPO(tx *store.Tx, po purchasing.PurchaseOrder) (purchasing.PurchaseOrder, error) {
	po.ID = newID()
	po.Number = strings.TrimSpace(po.Number)
	po.Currency = strings.ToUpper(strings.TrimSpace(po.Currency))
	if po.Status == "" {
		po.Status = purchasing.StatusOpen
	}
	if err := po.Validate(); err != nil {
		return po, invalid(err)
	}
	if len(po.Currency) != 3 {
		return po, apperr.New(apperr.InvalidInput, "purchase order %s: currency must be an ISO 4217 code such as EUR", po.Number)
	}
	if po.VendorID != "" {
		if _, err := tx.Vendor(po.VendorID); err != nil {
			return po, err
		}
	}
	return po, tx.InsertPO(po, s.c.now().Format(time.RFC3339Nano))
}

// POs lists purchase orders, optionally of one vendor.
func (s *Session) POs(ctx context.Context, vendorID string) ([]purchasing.PurchaseOrder, error) {
	var out []purchasing.PurchaseOrder
	err := s.do(ctx, identity.POList, "", func(tx *store.Tx, _ *record) error {
		var err error
		out, err = tx.POs(vendorID)
		return err
	})
	return out, err
}

// PODetail is a purchase order with its goods receipts.
type PODetail struct {
	purchasing.PurchaseOrder
	Receipts []purchasing.GoodsReceipt `json:"receipts"`
}

// PO shows one purchase order by number.
func (s *Session) PO(ctx context.Context, number string) (PODetail, error) {
	var d PODetail
	err := s.do(ctx, identity.POShow, number, func(tx *store.Tx, _ *record) error {
		var err error
		if d.PurchaseOrder, err = tx.POByNumber(number); err != nil {
			return err
		}
		d.Receipts, err = tx.Receipts(d.ID)
		if d.Receipts == nil {
			d.Receipts = []purchasing.GoodsReceipt{}
		}
		return err
	})
	return d, err
}

// AddReceipt records a delivery of one PO line and updates the order's
// status from all its receipts.
func (s *Session) AddReceipt(ctx context.Context, r purchasing.GoodsReceipt) (PODetail, error) {
	var d PODetail
	err := s.do(ctx, identity.ReceiptAdd, r.PONumber, func(tx *store.Tx, rec *record) error {
		po, err := tx.POByNumber(r.PONumber)
		if err != nil {
			return err
		}
		r.ID, r.PONumber = newID(), po.Number
		if r.ReceivedAt.IsZero() {
			r.ReceivedAt = s.c.now()
		}
		if err := po.ValidateReceipt(r); err != nil {
			return invalid(err)
		}
		receipts, err := tx.Receipts(po.ID)
		if err != nil {
			return err
		}
		receipts = append(receipts, r)
		if err := tx.InsertReceipt(po.ID, r); err != nil {
			return err
		}
		rec.Before = digest(po)
		po.Status = purchasing.DeriveStatus(&po, receipts)
		if err := tx.UpdatePO(po, s.c.now().Format(time.RFC3339Nano)); err != nil {
			return err
		}
		d = PODetail{PurchaseOrder: po, Receipts: receipts}
		rec.Target, rec.After = po.ID, digest(po)
		rec.Reason = fmt.Sprintf("received %s of line %d of %s", r.Quantity, r.LineNo, po.Number)
		return nil
	})
	return d, err
}

// ImportPOs stores several purchase orders, each on its own: one bad order
// does not stop the others. The report has one entry per order.
func (s *Session) ImportPOs(ctx context.Context, pos []purchasing.PurchaseOrder) []RowResult {
	out := make([]RowResult, 0, len(pos))
	for i, po := range pos {
		saved, err := s.AddPO(ctx, po)
		out = append(out, rowResult(i+1, saved.ID, err))
	}
	return out
}

// RowResult reports one row (or record) of a batch import.
type RowResult struct {
	Row     int    `json:"row"`
	ID      string `json:"id,omitempty"`
	Status  string `json:"status"` // created, failed
	Code    string `json:"code,omitempty"`
	Message string `json:"message,omitempty"`
}

func rowResult(row int, id string, err error) RowResult {
	if err == nil {
		return RowResult{Row: row, ID: id, Status: "created"}
	}
	code, msg, _ := apperr.Public(err)
	return RowResult{Row: row, Status: "failed", Code: string(code), Message: msg}
}

// SetPOStatus closes or cancels a purchase order (or reopens a closed
// one): decisions people take; receipts never override them.
func (s *Session) SetPOStatus(ctx context.Context, number string, st purchasing.Status, reason string) (purchasing.PurchaseOrder, error) {
	var po purchasing.PurchaseOrder
	err := s.do(ctx, identity.POUpdate, number, func(tx *store.Tx, rec *record) error {
		var err error
		if po, err = tx.POByNumber(number); err != nil {
			return err
		}
		switch {
		case st != purchasing.StatusClosed && st != purchasing.StatusCancelled && st != purchasing.StatusOpen:
			return apperr.New(apperr.InvalidInput, "a purchase order can be closed, cancelled or reopened")
		case po.Status == purchasing.StatusCancelled:
			return apperr.New(apperr.Conflict, "purchase order %s is cancelled for good", po.Number)
		case strings.TrimSpace(reason) == "":
			return apperr.New(apperr.InvalidInput, "give a reason")
		}
		rec.Before = digest(po)
		if st == purchasing.StatusOpen {
			rs, err := tx.Receipts(po.ID)
			if err != nil {
				return err
			}
			po.Status = ""
			st = purchasing.DeriveStatus(&po, rs)
		}
		po.Status = st
		rec.Target, rec.After, rec.Reason = po.ID, digest(po), string(st)+": "+reason
		return tx.UpdatePO(po, s.c.now().Format(time.RFC3339Nano))
	})
	return po, err
}
