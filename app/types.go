package app

// These types cross into the webview. They carry no secrets: the one
// exception, the recovery key in SetupResult, is shown once at set-up and
// can never be asked for again (security checklist #6).

// AppState tells the window which screen to show.
type AppState struct {
	Initialized bool         `json:"initialized"` // a data folder with a first user exists
	Locked      bool         `json:"locked"`      // no unlocked session
	Session     *SessionInfo `json:"session"`     // the unlocked user, when not locked
	LastUser    string       `json:"last_user"`   // the user name to prefill on the unlock screen
	DataDir     string       `json:"data_dir"`
	IdleMinutes int          `json:"idle_minutes"` // auto-lock after this much inactivity
}

// SessionInfo describes the unlocked user.
type SessionInfo struct {
	UserID string `json:"user_id"`
	Name   string `json:"name"`
	Role   string `json:"role"`
}

// SetupRequest creates the data folder and its first (admin) user.
type SetupRequest struct {
	AdminName string `json:"admin_name"`
	Password  string `json:"password"`
}

// SetupResult carries the recovery key, shown once.
type SetupResult struct {
	RecoveryKey string      `json:"recovery_key"`
	Session     SessionInfo `json:"session"`
}

// UserView is a local account as listed to admins.
type UserView struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Role      string `json:"role"`
	CreatedAt string `json:"created_at"`
	Disabled  bool   `json:"disabled"` // cannot unlock until enabled again
}

// VendorInput adds a vendor.
type VendorInput struct {
	Name    string `json:"name"`
	VATID   string `json:"vat_id"`
	IBAN    string `json:"iban"`
	BIC     string `json:"bic"`
	Country string `json:"country"`
}

// VendorView is a vendor as the list and detail screens show it. Bank
// details are business data the clerk works with, not a secret; they are
// still sealed at rest.
type VendorView struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	VATID       string `json:"vat_id"`
	IBAN        string `json:"iban"`
	BIC         string `json:"bic"`
	Country     string `json:"country"`
	BankChanged string `json:"bank_changed"` // RFC 3339 time of the last bank-detail change, or ""
	CreatedAt   string `json:"created_at"`
}

// InvoiceSummary is one row of the invoice list.
type InvoiceSummary struct {
	ID            string `json:"id"`
	Status        string `json:"status"`
	InvoiceNumber string `json:"invoice_number"`
	Seller        string `json:"seller"`
	Currency      string `json:"currency"`
	Payable       string `json:"payable"`
	IssueDate     string `json:"issue_date"`
	DueDate       string `json:"due_date"`
}

// Error is what a bound method's failure looks like in JavaScript: a stable
// code and a message for people; never driver text (checklist #34).
type Error struct {
	Code       string `json:"code"`
	Message    string `json:"message"`
	RetryAfter int    `json:"retry_after,omitempty"` // seconds, with code "locked"
}

// ImportResult is one file of an import. Error is nil when the file was
// imported; the rest of the batch goes on either way.
type ImportResult struct {
	File          string `json:"file"` // base name only, never the folder
	ID            string `json:"id"`
	InvoiceNumber string `json:"invoice_number"`
	Source        string `json:"source"` // how it was read: ubl, cii, facturx, pdf-text, ocr, llm…
	Error         *Error `json:"error"`
}

// ImportProgress is the payload of the "import:progress" event.
type ImportProgress struct {
	Done  int    `json:"done"`
	Total int    `json:"total"`
	File  string `json:"file"`
}

// InvoiceDetailView is one invoice as the detail screen shows it. Amounts
// are decimal strings ("" when the document does not state them), dates
// are YYYY-MM-DD, times RFC 3339.
type InvoiceDetailView struct {
	ID             string           `json:"id"`
	Status         string           `json:"status"`
	Allowed        []string         `json:"allowed"` // workflow commands the status allows (submit, approve, reject, hold, …)
	InvoiceNumber  string           `json:"invoice_number"`
	TypeCode       string           `json:"type_code"`
	CreditNote     bool             `json:"credit_note"`
	Currency       string           `json:"currency"`
	IssueDate      string           `json:"issue_date"`
	DueDate        string           `json:"due_date"`
	BuyerReference string           `json:"buyer_reference"`
	PurchaseOrder  string           `json:"purchase_order"`
	PaymentTerms   string           `json:"payment_terms"`
	Notes          []string         `json:"notes"`
	Warnings       []string         `json:"warnings"`
	Seller         PartyView        `json:"seller"`
	Buyer          PartyView        `json:"buyer"`
	Payment        PaymentView      `json:"payment"`
	Totals         TotalsView       `json:"totals"`
	TaxBreakdown   []TaxView        `json:"tax_breakdown"`
	Lines          []LineView       `json:"lines"`
	Source         SourceView       `json:"source"`
	Findings       []FindingView    `json:"findings"`
	Approvals      []ApprovalView   `json:"approvals"`
	Corrections    []CorrectionView `json:"corrections"`
	Decisions      []DecisionView   `json:"decisions"`
	History        []HistoryView    `json:"history"`
}

// PartyView is the seller or the buyer.
type PartyView struct {
	Name     string `json:"name"`
	VATID    string `json:"vat_id"`
	TaxID    string `json:"tax_id"`
	Street   string `json:"street"`
	City     string `json:"city"`
	Postcode string `json:"postcode"`
	Country  string `json:"country"`
}

// PaymentView is how the seller asks to be paid.
type PaymentView struct {
	MeansCode   string `json:"means_code"`
	IBAN        string `json:"iban"`
	AccountName string `json:"account_name"`
	BIC         string `json:"bic"`
}

// TotalsView are the document totals as decimal strings.
type TotalsView struct {
	LineNet      string `json:"line_net"`
	Allowances   string `json:"allowances"`
	Charges      string `json:"charges"`
	TaxExclusive string `json:"tax_exclusive"`
	Tax          string `json:"tax"`
	TaxInclusive string `json:"tax_inclusive"`
	Prepaid      string `json:"prepaid"`
	Rounding     string `json:"rounding"`
	Payable      string `json:"payable"`
}

// TaxView is one VAT breakdown row.
type TaxView struct {
	Category string `json:"category"`
	Rate     string `json:"rate"`
	Taxable  string `json:"taxable"`
	Tax      string `json:"tax"`
}

// LineView is one invoice line.
type LineView struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Quantity    string `json:"quantity"`
	Unit        string `json:"unit"`
	UnitPrice   string `json:"unit_price"`
	NetAmount   string `json:"net_amount"`
	TaxCategory string `json:"tax_category"`
	TaxRate     string `json:"tax_rate"`
}

// SourceView says how the invoice was read. The sealed file's internal
// name stays in Go.
type SourceView struct {
	Reader     string `json:"reader"`
	Kind       string `json:"kind"`
	FileName   string `json:"file_name"`
	Size       int64  `json:"size"`
	ImportedBy string `json:"imported_by"`
	ImportedAt string `json:"imported_at"`
}

// FindingView is one check result.
type FindingView struct {
	Code     string   `json:"code"`
	Severity string   `json:"severity"` // info, warning, critical
	Message  string   `json:"message"`
	Fields   []string `json:"fields"`
}

// ApprovalView is one approval step.
type ApprovalView struct {
	By         string `json:"by"`
	OnBehalfOf string `json:"on_behalf_of"`
	At         string `json:"at"`
	Level      int    `json:"level"`
	Rule       string `json:"rule"`
	Override   string `json:"override"`
}

// CorrectionView is one field correction.
type CorrectionView struct {
	Field string `json:"field"`
	Old   string `json:"old"`
	New   string `json:"new"`
	By    string `json:"by"`
	At    string `json:"at"`
}

// DecisionView is a reject, hold, release or void.
type DecisionView struct {
	Action string `json:"action"`
	By     string `json:"by"`
	At     string `json:"at"`
	Reason string `json:"reason"`
}

// HistoryView is one audited action on the invoice.
type HistoryView struct {
	Time     string `json:"time"`
	Actor    string `json:"actor"`
	Action   string `json:"action"`
	Decision string `json:"decision"`
	Reason   string `json:"reason"`
}
