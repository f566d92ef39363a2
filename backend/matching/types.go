package matching

import (
	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/purchasing"
)

// Candidate is one purchase order the invoice may be billing, with what
// is known about it besides the order itself.
type Candidate struct {
	PO       purchasing.PurchaseOrder
	Receipts []purchasing.GoodsReceipt // receipts of other orders are ignored
	// Billed is the quantity already invoiced per PO line number by earlier
	// invoices, net of their credit notes. A missing line means nothing.
	Billed map[int]decimal.Decimal
}

// Result.Status values. Stored and shown; never rename a value.
const (
	StatusMatched   = "matched"   // every line (or the header) agrees with the orders
	StatusPartial   = "partial"   // orders found, something needs a look
	StatusUnmatched = "unmatched" // orders found, but no invoice line is on them
	StatusNoPO      = "no_po"     // no order to match against
)

// LineMatch.Status values, from good to bad. Stored; never rename.
const (
	LineOK               = "ok"
	LinePriceVariance    = "price_variance"    // unit price outside tolerance
	LineQuantityVariance = "quantity_variance" // more than ordered (but received), or more credited than billed
	LineOverBilled       = "over_billed"       // more than ordered and more than received-but-not-billed
	LineNotReceived      = "not_received"      // within the order, but not (yet) received
	LineUnmatched        = "unmatched"         // on no PO line
)

// LineMatch.How values: the evidence that paired the lines.
const (
	HowItemCode    = "item code"
	HowDescription = "description"
	HowAmount      = "amount"
	HowPosition    = "position"
)

// Finding severities, as elsewhere in the app (CLI.md).
const (
	SeverityInfo    = "info"
	SeverityWarning = "warning"
	SeverityError   = "error"
)

// Finding codes of the match (CLI.md).
const (
	CodePOMissing          = "po_missing"
	CodePONotFound         = "po_not_found"
	CodePOPriceVariance    = "po_price_variance"
	CodePOQuantityVariance = "po_quantity_variance"
	CodeReceiptMissing     = "receipt_missing"
)

// Finding is one problem the match found; the same JSON shape as every
// other check result in `show --json`.
type Finding struct {
	Code     string   `json:"code"`
	Severity string   `json:"severity"`
	Message  string   `json:"message"`
	Fields   []string `json:"fields"` // invoice JSON paths, e.g. "lines[1].unit_price"; never null
}

// LineMatch is the verdict on one invoice line. Quantities are signed as
// billing: a credit note's lines and negative invoice lines are negative
// because they give billed quantity back.
type LineMatch struct {
	InvoiceLine string `json:"invoice_line"` // BT-126, or the 1-based position when the line has none
	PONumber    string `json:"po_number"`    // "" when unmatched
	POLine      int    `json:"po_line"`      // 0 when unmatched
	How         string `json:"how"`          // "" when unmatched

	InvoicedQty decimal.Decimal `json:"invoiced_qty"`
	OrderedQty  decimal.Decimal `json:"ordered_qty"`
	ReceivedQty decimal.Decimal `json:"received_qty"`
	// PreviouslyBilled is billed on this PO line before this invoice line:
	// earlier invoices (Candidate.Billed) plus earlier lines of this one.
	PreviouslyBilled decimal.Decimal `json:"previously_billed"`

	InvoicePrice decimal.Decimal `json:"invoice_price"`
	POPrice      decimal.Decimal `json:"po_price"`
	// PriceVariance is invoice price minus PO price, per unit.
	PriceVariance decimal.Decimal `json:"price_variance"`
	// QtyVariance is the billed total after this line minus the smaller of
	// ordered and received: positive is billed beyond what is both ordered
	// and here, negative is still open to bill.
	QtyVariance decimal.Decimal `json:"qty_variance"`

	Status      string `json:"status"`
	Explanation string `json:"explanation"` // one sentence for the clerk
}

// Result is the whole match of one invoice. Slices are never null.
type Result struct {
	Status   string      `json:"status"`
	POs      []string    `json:"pos"`   // the orders compared with, in candidate order
	Lines    []LineMatch `json:"lines"` // one per invoice line, in invoice order; empty at header level
	Findings []Finding   `json:"findings"`
	Summary  string      `json:"summary"`
}
