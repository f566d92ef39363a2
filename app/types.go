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
