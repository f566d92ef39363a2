package csvimport

import (
	"io"

	"github.com/smartap/desktop/backend/vendor"
)

// VendorRow is one vendor row: its input, or why it cannot be read.
type VendorRow struct {
	Line  int
	Input vendor.Input
}

// Vendors reads a vendor list. Columns: name (required), vat_id, country,
// iban, bic, account_name. Values are validated when the vendor is added.
func Vendors(r io.Reader) ([]VendorRow, error) {
	t, err := readTable(r, []string{"name"})
	if err != nil {
		return nil, err
	}
	var out []VendorRow
	for i, row := range t.rows {
		if blank(row) {
			continue
		}
		out = append(out, VendorRow{Line: t.line[i], Input: vendor.Input{
			Name: t.get(row, "name"), VATID: t.get(row, "vat_id"), Country: t.get(row, "country"),
			Bank: vendor.BankDetails{IBAN: t.get(row, "iban"), BIC: t.get(row, "bic"), AccountName: t.get(row, "account_name")},
		}})
	}
	return out, nil
}
