package app

// The sync views the window shows (the bindings are in sync.go). Shared
// here so the Go side and frontend/src/lib/types.ts agree field for field;
// contract tests compare them. Times are RFC 3339, "" when unknown.

// SyncStatusView is what the top-bar indicator shows; also the payload of
// the "sync:status" event.
type SyncStatusView struct {
	Configured bool   `json:"configured"` // a server and a logged-in user are set up
	Server     string `json:"server"`
	User       string `json:"user"`
	Online     bool   `json:"online"`
	Pending    int    `json:"pending"` // local changes not yet accepted by the server
	LastSync   string `json:"last_sync"`
	LastError  string `json:"last_error"` // plain words, never driver or transport text
	Exceptions int    `json:"exceptions"`
	Rejections int    `json:"rejections"`
}

// SyncExceptionView is a conflict the server resolved: one side's change
// won, the other's was kept aside for a person to look at. Also the payload
// of the "sync:exception" event.
type SyncExceptionView struct {
	ID        string `json:"id"`
	InvoiceID string `json:"invoice_id"`
	Kind      string `json:"kind"`
	Message   string `json:"message"`
	Winner    string `json:"winner"`
	Loser     string `json:"loser"`
	Seq       int64  `json:"seq"`
	At        string `json:"at"`
}

// SyncRejectionView is a local change the server refused, with the rule
// that refused it. Also the payload of the "sync:rejection" event.
type SyncRejectionView struct {
	Op        string `json:"op"`
	InvoiceID string `json:"invoice_id"`
	Code      string `json:"code"`
	Message   string `json:"message"`
	Rule      string `json:"rule"`
	At        string `json:"at"`
}

// SecurityAlertView is the payload of the "security:alert" event, sent to
// admins only (e.g. repeated failed logins, an unknown device).
type SecurityAlertView struct {
	Kind   string `json:"kind"`
	User   string `json:"user"`
	Device string `json:"device"`
	Detail string `json:"detail"`
	At     string `json:"at"`
}
