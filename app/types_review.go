package app

// The review screen's, invoice list's and approval queue's JSON shapes
// (frontend/src/lib/types.ts, under "review (UI-A)").

// PageView is one page of an invoice's original as an image the webview
// shows without fetching anything: a data: URL (the CSP allows data:
// images and nothing else from outside the app).
type PageView struct {
	Image  string `json:"image"` // data:image/png;base64,… or data:image/jpeg;base64,…
	Width  int    `json:"width"` // pixels
	Height int    `json:"height"`
	Page   int    `json:"page"` // 1-based
	Pages  int    `json:"pages"`
	DPI    int    `json:"dpi"` // render resolution of a PDF page; 0 for a scan shown as imported
}

// ReviewView is what the review screen shows beside the invoice detail:
// how sure the reader was of each field and the 3-way match.
type ReviewView struct {
	ID string `json:"id"`
	// Confidence maps field paths ("totals.payable", "seller.name") to 0..1
	// for fields read from a page; structured XML leaves it empty (exact).
	Confidence map[string]float64 `json:"confidence"`
	// LowConfidence is the threshold below which the checks flag a field.
	LowConfidence float64 `json:"low_confidence"`
	// RegionsKnown is false: the readers do not record where on the page
	// a field was found, so the screen cannot draw one.
	RegionsKnown bool       `json:"regions_known"`
	Match        *MatchView `json:"match"` // nil when no PO was matched
}

// MatchView is the last 3-way match (backend/matching).
type MatchView struct {
	Status   string          `json:"status"`
	POs      []string        `json:"pos"`
	Summary  string          `json:"summary"`
	Lines    []MatchLineView `json:"lines"`
	Findings []FindingView   `json:"findings"`
}

// MatchLineView is one invoice line against its PO line and receipts.
// Quantities, prices and variances are decimal strings.
type MatchLineView struct {
	InvoiceLine      string `json:"invoice_line"`
	PONumber         string `json:"po_number"`
	POLine           int    `json:"po_line"`
	How              string `json:"how"`
	InvoicedQty      string `json:"invoiced_qty"`
	OrderedQty       string `json:"ordered_qty"`
	ReceivedQty      string `json:"received_qty"`
	PreviouslyBilled string `json:"previously_billed"`
	InvoicePrice     string `json:"invoice_price"`
	POPrice          string `json:"po_price"`
	PriceVariance    string `json:"price_variance"`
	QtyVariance      string `json:"qty_variance"`
	Status           string `json:"status"`
	Explanation      string `json:"explanation"`
}

// SearchView is one page of the filtered invoice list.
type SearchView struct {
	Total int              `json:"total"` // how many matched in all
	Rows  []InvoiceSummary `json:"rows"`
}

// QueueView is the user's approval work list.
type QueueView struct {
	Mine      []InvoiceSummary `json:"mine"`      // approvable on the user's own authority
	Delegated []InvoiceSummary `json:"delegated"` // approvable through a delegation
	Overdue   []OverdueView    `json:"overdue"`
}

// OverdueView is an invoice waiting too long and whom it escalates to.
type OverdueView struct {
	Invoice InvoiceSummary `json:"invoice"`
	Waited  string         `json:"waited"` // e.g. "52h0m0s"
	Notify  []string       `json:"notify"`
}

// DropResult is the payload of "import:dropped": the files dropped on the
// window, imported one by one, each with its own result.
type DropResult struct {
	Results []ImportResult `json:"results"`
	Error   *Error         `json:"error"` // the batch as a whole was refused (locked, too many files)
}
