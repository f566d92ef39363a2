package export

import (
	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/vendor"
)

// Item is one stored invoice as the exports see it.
type Item struct {
	ID      string          // the invoice's id in SmartAP
	Status  string          // its AP status, e.g. "approved"
	Invoice invoice.Invoice // the EN 16931 content
	// Vendor is the resolved vendor master record, nil if the seller is
	// not (yet) a known vendor. Bank details for payments come from here.
	Vendor *vendor.Vendor
}

// decString is the amount as written, or "" when it is absent.
func decString(d *decimal.Decimal) string {
	if d == nil {
		return ""
	}
	return d.String()
}
