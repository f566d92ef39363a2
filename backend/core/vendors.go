package core

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/backend/store"
	"github.com/smartap/desktop/backend/vendor"
)

// digest is the audit trail's before/after fingerprint of an object.
func digest(v any) string {
	b, _ := json.Marshal(v)
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func invalid(err error) error {
	return apperr.Wrap(err, apperr.InvalidInput, "%s", err.Error())
}

// AddVendor adds a vendor to the master.
func (s *Session) AddVendor(ctx context.Context, in vendor.Input) (vendor.Vendor, error) {
	var v vendor.Vendor
	err := s.do(ctx, identity.VendorAdd, "", func(tx *store.Tx, rec *record) error {
		n, err := in.Normalize()
		if err != nil {
			return invalid(err)
		}
		now := s.c.now()
		v = vendor.Vendor{ID: newID(), Name: n.Name, VATID: n.VATID, Country: n.Country, Bank: n.Bank, CreatedAt: now, UpdatedAt: now}
		if err := tx.InsertVendor(v); err != nil {
			return err
		}
		rec.Target, rec.After = v.ID, digest(v)
		return nil
	})
	return v, err
}

// Vendors lists the vendor master.
func (s *Session) Vendors(ctx context.Context) ([]vendor.Vendor, error) {
	var out []vendor.Vendor
	err := s.do(ctx, identity.VendorList, "", func(tx *store.Tx, _ *record) error {
		var err error
		out, err = tx.Vendors()
		return err
	})
	return out, err
}

// VendorDetail is a vendor with its bank-detail history.
type VendorDetail struct {
	vendor.Vendor
	BankHistory []vendor.BankChange `json:"bank_history"`
}

// Vendor shows one vendor and its bank-detail history.
func (s *Session) Vendor(ctx context.Context, id string) (VendorDetail, error) {
	var d VendorDetail
	err := s.do(ctx, identity.VendorShow, id, func(tx *store.Tx, _ *record) error {
		var err error
		if d.Vendor, err = tx.Vendor(id); err != nil {
			return err
		}
		d.BankHistory, err = tx.BankChanges(id)
		return err
	})
	return d, err
}

// SetVendorBank changes a vendor's bank details and records the change
// with who made it, so recent changes can be flagged before payment.
func (s *Session) SetVendorBank(ctx context.Context, id string, bank vendor.BankDetails) (vendor.Vendor, error) {
	var v vendor.Vendor
	err := s.do(ctx, identity.VendorSetBank, id, func(tx *store.Tx, rec *record) error {
		nb, err := bank.Normalize()
		if err != nil {
			return invalid(err)
		}
		if v, err = tx.Vendor(id); err != nil {
			return err
		}
		if nb == v.Bank {
			return apperr.New(apperr.InvalidInput, "these are the vendor's bank details already")
		}
		rec.Before = digest(v)
		now := s.c.now()
		change := vendor.BankChange{ID: newID(), VendorID: id, At: now, By: s.user.Name, Old: v.Bank, New: nb}
		v.Bank, v.UpdatedAt, v.BankChangedAt = nb, now, now
		if err := tx.UpdateVendor(v); err != nil {
			return err
		}
		rec.After, rec.Reason = digest(v), "bank details changed"
		return tx.InsertBankChange(change)
	})
	return v, err
}

// ImportVendors adds vendors row by row; a bad row is reported and the
// others are still added. Row numbers are the file's lines.
func (s *Session) ImportVendors(ctx context.Context, rows []VendorImportRow) []RowResult {
	out := make([]RowResult, 0, len(rows))
	for _, r := range rows {
		v, err := s.AddVendor(ctx, r.Input)
		out = append(out, rowResult(r.Line, v.ID, err))
	}
	return out
}

// VendorImportRow is one parsed row of a vendor list.
type VendorImportRow struct {
	Line  int
	Input vendor.Input
}

// UpdateVendor changes a vendor's name, VAT id and country. Bank details
// change only through SetVendorBank, which keeps their history.
func (s *Session) UpdateVendor(ctx context.Context, id string, in vendor.Input) (vendor.Vendor, error) {
	var v vendor.Vendor
	err := s.do(ctx, identity.VendorUpdate, id, func(tx *store.Tx, rec *record) error {
		var err error
		if v, err = tx.Vendor(id); err != nil {
			return err
		}
		in.Bank = v.Bank
		n, err := in.Normalize()
		if err != nil {
			return invalid(err)
		}
		rec.Before = digest(v)
		v.Name, v.VATID, v.Country, v.UpdatedAt = n.Name, n.VATID, n.Country, s.c.now()
		rec.After = digest(v)
		return tx.UpdateVendor(v)
	})
	return v, err
}

// DeleteVendor removes a vendor nothing refers to.
func (s *Session) DeleteVendor(ctx context.Context, id string) error {
	return s.do(ctx, identity.VendorDelete, id, func(tx *store.Tx, rec *record) error {
		v, err := tx.Vendor(id)
		if err != nil {
			return err
		}
		rec.Before = digest(v)
		return tx.DeleteVendor(id)
	})
}
