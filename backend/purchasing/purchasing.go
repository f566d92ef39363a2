// Package purchasing holds purchase orders and goods receipts, the two
// documents an invoice is matched against in the 3-way match
// (docs/ARCHITECTURE.md §5). Pure domain code: standard library, the
// decimal type and the invoice calendar date only.
package purchasing

import (
	"time"

	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/invoice"
)

// Status is a purchase order's delivery state. Stored and synced; never
// rename a value.
type Status string

// The statuses. Closed and cancelled are set by people (or the ERP) and
// are sticky; the other three follow from the goods receipts.
const (
	StatusOpen              Status = "open"
	StatusPartiallyReceived Status = "partially_received"
	StatusReceived          Status = "received"
	StatusClosed            Status = "closed"
	StatusCancelled         Status = "cancelled"
)

// Statuses returns every status, in a stable order.
func Statuses() []Status {
	return []Status{StatusOpen, StatusPartiallyReceived, StatusReceived, StatusClosed, StatusCancelled}
}

// Valid reports whether s is one of the defined statuses.
func (s Status) Valid() bool {
	for _, v := range Statuses() {
		if s == v {
			return true
		}
	}
	return false
}

// sticky statuses are decisions, not facts about deliveries: receipts
// arriving later must not reopen a cancelled or closed order.
func (s Status) sticky() bool { return s == StatusClosed || s == StatusCancelled }

// PurchaseOrder is an order sent to a vendor.
type PurchaseOrder struct {
	ID         string       `json:"id"`
	Number     string       `json:"number"` // what the invoice quotes in BT-13
	VendorID   string       `json:"vendor_id"`
	Currency   string       `json:"currency"`
	CostCentre string       `json:"cost_centre,omitempty"`
	OrderDate  invoice.Date `json:"order_date,omitzero"`
	Status     Status       `json:"status"`
	Lines      []POLine     `json:"lines"`
}

// POLine is one ordered item.
type POLine struct {
	LineNo      int             `json:"line_no"`
	ItemCode    string          `json:"item_code,omitempty"`
	Description string          `json:"description"`
	Quantity    decimal.Decimal `json:"quantity"`
	Unit        string          `json:"unit,omitempty"` // UN/ECE Rec 20, as on invoices
	UnitPrice   decimal.Decimal `json:"unit_price"`     // net, in the order currency
	TaxRate     decimal.Decimal `json:"tax_rate"`       // percent
}

// GoodsReceipt records a delivery (or part of one) of one PO line.
type GoodsReceipt struct {
	ID         string          `json:"id"`
	PONumber   string          `json:"po_number"`
	LineNo     int             `json:"line_no"`
	Quantity   decimal.Decimal `json:"quantity"`
	ReceivedAt time.Time       `json:"received_at"`
	Note       string          `json:"note,omitempty"`
}

// Line returns the line with the given number.
func (po *PurchaseOrder) Line(lineNo int) (POLine, bool) {
	for _, l := range po.Lines {
		if l.LineNo == lineNo {
			return l, true
		}
	}
	return POLine{}, false
}
