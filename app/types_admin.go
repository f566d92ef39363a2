package app

// The shapes of the screens beyond invoice review: purchase orders, the
// audit trail, the dashboard, settings and export. Amounts and quantities
// are decimal strings, dates YYYY-MM-DD, times RFC 3339. None carries a
// secret: the model helper's API key goes in (LLMSettingsInput) and never
// comes back, only HasKey does.

// POLineInput is one ordered item of a new purchase order.
type POLineInput struct {
	LineNo      int    `json:"line_no"`
	ItemCode    string `json:"item_code"`
	Description string `json:"description"`
	Quantity    string `json:"quantity"`
	Unit        string `json:"unit"`
	UnitPrice   string `json:"unit_price"`
	TaxRate     string `json:"tax_rate"`
}

// POInput adds a purchase order.
type POInput struct {
	Number     string        `json:"number"`
	VendorID   string        `json:"vendor_id"`
	Currency   string        `json:"currency"`
	CostCentre string        `json:"cost_centre"`
	OrderDate  string        `json:"order_date"` // YYYY-MM-DD or ""
	Lines      []POLineInput `json:"lines"`
}

// POSummary is one row of the purchase order list.
type POSummary struct {
	ID         string `json:"id"`
	Number     string `json:"number"`
	VendorID   string `json:"vendor_id"`
	VendorName string `json:"vendor_name"`
	Currency   string `json:"currency"`
	CostCentre string `json:"cost_centre"`
	OrderDate  string `json:"order_date"`
	Status     string `json:"status"`
	LineCount  int    `json:"line_count"`
	Total      string `json:"total"` // net: Σ quantity × unit price
}

// POLineView is one ordered item with what has been received of it.
type POLineView struct {
	LineNo      int    `json:"line_no"`
	ItemCode    string `json:"item_code"`
	Description string `json:"description"`
	Quantity    string `json:"quantity"`
	Unit        string `json:"unit"`
	UnitPrice   string `json:"unit_price"`
	TaxRate     string `json:"tax_rate"`
	Received    string `json:"received"`
}

// ReceiptView is one goods receipt.
type ReceiptView struct {
	ID         string `json:"id"`
	LineNo     int    `json:"line_no"`
	Quantity   string `json:"quantity"`
	ReceivedAt string `json:"received_at"`
	Note       string `json:"note"`
}

// PODetailView is a purchase order with its lines and receipts, and the
// status changes people may make now.
type PODetailView struct {
	ID         string        `json:"id"`
	Number     string        `json:"number"`
	VendorID   string        `json:"vendor_id"`
	VendorName string        `json:"vendor_name"`
	Currency   string        `json:"currency"`
	CostCentre string        `json:"cost_centre"`
	OrderDate  string        `json:"order_date"`
	Status     string        `json:"status"`
	Total      string        `json:"total"`
	Allowed    []string      `json:"allowed"` // close, cancel, reopen
	Lines      []POLineView  `json:"lines"`
	Receipts   []ReceiptView `json:"receipts"`
}

// ReceiptInput records a delivery of one PO line.
type ReceiptInput struct {
	PONumber   string `json:"po_number"`
	LineNo     int    `json:"line_no"`
	Quantity   string `json:"quantity"`
	ReceivedAt string `json:"received_at"` // YYYY-MM-DD or "" for now
	Note       string `json:"note"`
}

// AuditQuery asks for one page of the audit trail, newest first.
type AuditQuery struct {
	Offset int    `json:"offset"`
	Limit  int    `json:"limit"`  // 0: DefaultAuditPage; at most MaxAuditPage
	Text   string `json:"text"`   // matches actor, action, target, reason (case-insensitive)
	Denied bool   `json:"denied"` // only denied decisions
	// Before, when not 0, keeps only entries with a lower seq: the viewer
	// pins its first page's newest seq so that later pages do not shift
	// as new entries (its own reads among them) are appended.
	Before uint64 `json:"before"`
}

// AuditPage is one page of the trail.
type AuditPage struct {
	Total   int              `json:"total"`   // entries matching the query
	All     int              `json:"all"`     // entries in the trail
	Offset  int              `json:"offset"`  // of the first entry in Entries
	Entries []AuditEntryView `json:"entries"` // newest first
}

// AuditEntryView is one audit entry as people read it.
type AuditEntryView struct {
	Seq      uint64 `json:"seq"`
	Time     string `json:"time"`
	Actor    string `json:"actor"`
	Action   string `json:"action"`
	Target   string `json:"target"`
	Decision string `json:"decision"`
	Reason   string `json:"reason"`
	Rule     string `json:"rule"`
}

// AuditVerifyView is the outcome of verifying the trail. A broken chain is
// a result the screen shows, not a failed call.
type AuditVerifyView struct {
	OK       bool   `json:"ok"`
	Checked  int    `json:"checked"`   // entries checked
	BadIndex uint64 `json:"bad_index"` // seq of the first bad entry; 0 with !OK: the signed head
	Reason   string `json:"reason"`
}

// DashboardView are the aggregates the dashboard charts, computed in Go.
type DashboardView struct {
	AsOf          string            `json:"as_of"`          // RFC 3339
	Currency      string            `json:"currency"`       // amounts below are in this currency only
	OtherCurrency int               `json:"other_currency"` // invoices left out of amounts (another currency)
	Invoices      int               `json:"invoices"`       // invoices the user can see
	Open          int               `json:"open"`
	Weeks         []WeekVolumeView  `json:"weeks"`
	Cycle         CycleTimeView     `json:"cycle"`
	Ageing        []AgeingView      `json:"ageing"`
	Vendors       []VendorSpendView `json:"vendors"`
}

// WeekVolumeView is how many invoices came in during one ISO week.
type WeekVolumeView struct {
	Week   string `json:"week"`  // "2026-W48"
	Start  string `json:"start"` // Monday, YYYY-MM-DD
	Count  int    `json:"count"`
	Amount string `json:"amount"`
}

// CycleTimeView is how long invoices took from import to final approval.
type CycleTimeView struct {
	Count       int             `json:"count"`
	MedianHours float64         `json:"median_hours"`
	P90Hours    float64         `json:"p90_hours"`
	Weeks       []CycleWeekView `json:"weeks"`
}

// CycleWeekView is the median cycle time of invoices approved in one week.
type CycleWeekView struct {
	Week        string  `json:"week"`
	Start       string  `json:"start"`
	Count       int     `json:"count"`
	MedianHours float64 `json:"median_hours"`
}

// AgeingView is one bucket of open invoices by days past their due date.
type AgeingView struct {
	Bucket string `json:"bucket"` // not_due, 1_30, 31_60, 61_90, over_90, no_due_date
	Label  string `json:"label"`
	Count  int    `json:"count"`
	Amount string `json:"amount"`
}

// VendorSpendView is what was approved for one vendor.
type VendorSpendView struct {
	Vendor string `json:"vendor"`
	Count  int    `json:"count"`
	Amount string `json:"amount"`
}

// LLMSettingsView is the optional model helper's settings. HasKey says a
// key is in the keychain; the key itself never leaves Go.
type LLMSettingsView struct {
	Enabled    bool   `json:"enabled"`
	Consent    bool   `json:"consent"`
	Provider   string `json:"provider"`
	BaseURL    string `json:"base_url"`
	Model      string `json:"model"`
	HasKey     bool   `json:"has_key"`
	TokensUsed int    `json:"tokens_used"`
}

// LLMSettingsInput changes the model helper's settings. APIKey, when not
// empty, goes to the OS keychain; empty keeps the stored key.
type LLMSettingsInput struct {
	Enabled  bool   `json:"enabled"`
	Consent  bool   `json:"consent"`
	Provider string `json:"provider"`
	BaseURL  string `json:"base_url"`
	Model    string `json:"model"`
	APIKey   string `json:"api_key"`
}

// PolicyView is the approval policy as the settings screen edits it.
type PolicyView struct {
	DefaultLevels       int                 `json:"default_levels"`
	SecondApproverAbove string              `json:"second_approver_above"`
	Currency            string              `json:"currency"`
	EscalateAfterHours  int                 `json:"escalate_after_hours"`
	Rules               []RuleView          `json:"rules"`
	Scopes              map[string][]string `json:"scopes"`
	Delegations         []DelegationView    `json:"delegations"`
}

// RuleView is one routing rule. Amounts are decimal strings, "" for open.
type RuleView struct {
	ID            string   `json:"id"`
	Name          string   `json:"name"`
	MinAmount     string   `json:"min_amount"`
	MaxAmount     string   `json:"max_amount"`
	Vendors       []string `json:"vendors"`
	CostCentres   []string `json:"cost_centres"`
	MinRisk       int      `json:"min_risk"` // 0 none, 1 low, 2 medium, 3 high
	Levels        int      `json:"levels"`
	ApproverRoles []string `json:"approver_roles"`
	Approvers     []string `json:"approvers"`
}

// DelegationView lends From's approval authority to To for a window.
type DelegationView struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Start string `json:"start"` // RFC 3339
	End   string `json:"end"`
}

// RetentionView says what a retention run did (or would do).
type RetentionView struct {
	Purged []string `json:"purged"`
	Held   []string `json:"held"`
	DryRun bool     `json:"dry_run"`
}

// ExportInput says what to export; where is chosen in the native dialog.
type ExportInput struct {
	Format        string `json:"format"` // csv, json, ubl, sepa
	Status        string `json:"status"` // "" all (sepa: approved)
	DebtorName    string `json:"debtor_name"`
	DebtorIBAN    string `json:"debtor_iban"`
	DebtorBIC     string `json:"debtor_bic"`
	ExecutionDate string `json:"execution_date"` // YYYY-MM-DD or "" for today
}

// ExportView reports an export. Files are base names only.
type ExportView struct {
	Cancelled bool            `json:"cancelled"`
	Format    string          `json:"format"`
	Included  int             `json:"included"`
	Exported  int             `json:"exported"` // approved invoices now marked exported
	Files     []string        `json:"files"`
	Refused   []ExportRefusal `json:"refused"`
}

// ExportRefusal is one invoice an export left out, and why.
type ExportRefusal struct {
	InvoiceID string `json:"invoice_id"`
	Reason    string `json:"reason"`
}
