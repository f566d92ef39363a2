package store

import (
	"fmt"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/vendor"
)

// Blind-index domains for vendors.
const (
	idxVendorName = "vendor.name"
	idxVendorVAT  = "vendor.vat_id"
	idxVendorIBAN = "vendor.iban"
)

// vendorContent is what the content column seals: everything but ids and times.
type vendorContent struct {
	Name    string             `json:"name"`
	VATID   string             `json:"vat_id,omitempty"`
	Country string             `json:"country,omitempty"`
	Bank    vendor.BankDetails `json:"bank"`
}

func (tx *Tx) vendorIndexes(v vendor.Vendor) (name, vat, iban []byte, err error) {
	if name, err = tx.index(idxVendorName, vendor.MatchName(v.Name)); err != nil {
		return
	}
	if vat, err = tx.index(idxVendorVAT, v.VATID); err != nil {
		return
	}
	iban, err = tx.index(idxVendorIBAN, v.Bank.IBAN)
	return
}

// InsertVendor adds a vendor. A VAT id already in the master is a duplicate.
func (tx *Tx) InsertVendor(v vendor.Vendor) error {
	content, err := tx.sealJSON("vendors", v.ID, "content", vendorContent{v.Name, v.VATID, v.Country, v.Bank})
	if err != nil {
		return err
	}
	name, vat, iban, err := tx.vendorIndexes(v)
	if err != nil {
		return err
	}
	_, err = tx.tx.Exec(`INSERT INTO vendors(id, content, name_index, vat_index, iban_index, created_at, updated_at, bank_changed_at)
		VALUES(?,?,?,?,?,?,?,?)`, v.ID, content, name, vat, iban, fmtTime(v.CreatedAt), fmtTime(v.UpdatedAt), fmtTime(v.BankChangedAt))
	if isUniqueViolation(err) {
		return apperr.Wrap(err, apperr.Duplicate, "a vendor with VAT id %s exists already", v.VATID)
	}
	if err != nil {
		return fmt.Errorf("store: insert vendor: %w", err)
	}
	return nil
}

// UpdateVendor rewrites a vendor's content and indexes.
func (tx *Tx) UpdateVendor(v vendor.Vendor) error {
	content, err := tx.sealJSON("vendors", v.ID, "content", vendorContent{v.Name, v.VATID, v.Country, v.Bank})
	if err != nil {
		return err
	}
	name, vat, iban, err := tx.vendorIndexes(v)
	if err != nil {
		return err
	}
	res, err := tx.tx.Exec(`UPDATE vendors SET content=?, name_index=?, vat_index=?, iban_index=?, updated_at=?, bank_changed_at=? WHERE id=?`,
		content, name, vat, iban, fmtTime(v.UpdatedAt), fmtTime(v.BankChangedAt), v.ID)
	if isUniqueViolation(err) {
		return apperr.Wrap(err, apperr.Duplicate, "a vendor with VAT id %s exists already", v.VATID)
	}
	if err != nil {
		return fmt.Errorf("store: update vendor: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return apperr.New(apperr.NotFound, "vendor not found")
	}
	return nil
}

const vendorCols = "id, content, created_at, updated_at, bank_changed_at"

type scanner interface{ Scan(...any) error }

func (tx *Tx) scanVendor(r scanner) (vendor.Vendor, error) {
	var v vendor.Vendor
	var env []byte
	var created, updated, changed string
	if err := r.Scan(&v.ID, &env, &created, &updated, &changed); err != nil {
		return vendor.Vendor{}, err
	}
	var c vendorContent
	if err := tx.openJSON("vendors", v.ID, "content", env, &c); err != nil {
		return vendor.Vendor{}, err
	}
	v.Name, v.VATID, v.Country, v.Bank = c.Name, c.VATID, c.Country, c.Bank
	var err error
	if v.CreatedAt, err = parseTime(created); err != nil {
		return vendor.Vendor{}, err
	}
	if v.UpdatedAt, err = parseTime(updated); err != nil {
		return vendor.Vendor{}, err
	}
	v.BankChangedAt, err = parseTime(changed)
	return v, err
}

// Vendor loads one vendor.
func (tx *Tx) Vendor(id string) (vendor.Vendor, error) {
	v, err := tx.scanVendor(tx.tx.QueryRow("SELECT "+vendorCols+" FROM vendors WHERE id = ?", id))
	return v, notFound(err, "vendor")
}

// Vendors lists all vendors, sorted by name.
func (tx *Tx) Vendors() ([]vendor.Vendor, error) {
	out, err := queryAll(tx, "list vendors", tx.scanVendor, "SELECT "+vendorCols+" FROM vendors")
	sortVendors(out)
	return out, err
}

// VendorsByVATID finds vendors by VAT id through the blind index.
func (tx *Tx) VendorsByVATID(vatID string) ([]vendor.Vendor, error) {
	return tx.vendorsByIndex("vat_index", idxVendorVAT, vatID)
}

// VendorsByName finds vendors whose normalised name equals name's.
func (tx *Tx) VendorsByName(name string) ([]vendor.Vendor, error) {
	return tx.vendorsByIndex("name_index", idxVendorName, vendor.MatchName(name))
}

func (tx *Tx) vendorsByIndex(column, domain, value string) ([]vendor.Vendor, error) {
	ix, err := tx.index(domain, value)
	if err != nil || ix == nil {
		return nil, err
	}
	// column is one of our constants, never input.
	return queryAll(tx, "find vendors", tx.scanVendor, "SELECT "+vendorCols+" FROM vendors WHERE "+column+" = ?", ix) // #nosec G202
}

// InsertBankChange records a change of bank details.
func (tx *Tx) InsertBankChange(c vendor.BankChange) error {
	env, err := tx.sealJSON("vendor_bank_changes", c.ID, "content", c)
	if err != nil {
		return err
	}
	_, err = tx.tx.Exec("INSERT INTO vendor_bank_changes(id, vendor_id, changed_at, content) VALUES(?,?,?,?)",
		c.ID, c.VendorID, fmtTime(c.At), env)
	if err != nil {
		return fmt.Errorf("store: insert bank change: %w", err)
	}
	return nil
}

// BankChanges lists a vendor's bank-detail changes, oldest first.
func (tx *Tx) BankChanges(vendorID string) ([]vendor.BankChange, error) {
	rows, err := tx.tx.Query("SELECT id, content FROM vendor_bank_changes WHERE vendor_id = ? ORDER BY changed_at, id", vendorID)
	if err != nil {
		return nil, fmt.Errorf("store: bank changes: %w", err)
	}
	defer rows.Close()
	var out []vendor.BankChange
	for rows.Next() {
		var id string
		var env []byte
		if err := rows.Scan(&id, &env); err != nil {
			return nil, fmt.Errorf("store: scan bank change: %w", err)
		}
		var c vendor.BankChange
		if err := tx.openJSON("vendor_bank_changes", id, "content", env, &c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// DeleteVendor removes a vendor that nothing refers to; a vendor with
// invoices, orders or contacts stays (its history is evidence).
func (tx *Tx) DeleteVendor(id string) error {
	var n int
	err := tx.tx.QueryRow(`SELECT (SELECT count(*) FROM invoices WHERE vendor_id = ?) + (SELECT count(*) FROM purchase_orders WHERE vendor_id = ?)
		+ (SELECT count(*) FROM vendor_contacts WHERE vendor_id = ?)`, id, id, id).Scan(&n)
	if err != nil {
		return fmt.Errorf("store: vendor references: %w", err)
	}
	if n > 0 {
		return apperr.New(apperr.Conflict, "the vendor has %d invoices, orders or contacts: it cannot be deleted", n)
	}
	if _, err := tx.tx.Exec("DELETE FROM vendor_bank_changes WHERE vendor_id = ?", id); err != nil {
		return fmt.Errorf("store: delete bank history: %w", err)
	}
	res, err := tx.tx.Exec("DELETE FROM vendors WHERE id = ?", id)
	if err != nil {
		return fmt.Errorf("store: delete vendor: %w", err)
	}
	if k, _ := res.RowsAffected(); k != 1 {
		return apperr.New(apperr.NotFound, "vendor not found")
	}
	return nil
}
