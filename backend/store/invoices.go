package store

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/vendor"
)

const idxInvoiceNumber = "invoice.seller_number"

// InvoiceRecord is an invoice row: state in clear, the invoice, its source
// and its findings sealed.
type InvoiceRecord struct {
	ID        string
	State     invoice.State
	VendorID  string
	Invoice   invoice.Invoice
	Source    InvoiceSource
	Findings  []Finding
	Workflow  Workflow
	SHA256    string // hex of the source bytes, for exact-duplicate look-ups
	CreatedAt time.Time
	UpdatedAt time.Time
}

// InvoiceSource records where an invoice came from.
type InvoiceSource struct {
	Reader     string `json:"reader"`             // ubl, cii, zugferd1, facturx, pdf-text, ocr, llm
	Kind       string `json:"kind"`               // pdf, xml, png, jpeg, tiff
	FileName   string `json:"file_name"`          // sanitised client name, metadata only
	Size       int64  `json:"size"`               // bytes
	SHA256     string `json:"sha256"`             // hex of the file
	Attachment string `json:"attachment"`         // sealed file name in attachments/
	XMLName    string `json:"xml_name,omitempty"` // embedded invoice XML in a PDF
	ImportedBy string `json:"imported_by"`        // user name
	ImportedAt string `json:"imported_at"`        // RFC 3339
	// ModelTokens is what the optional model helper used reading it.
	ModelTokens int `json:"model_tokens,omitempty"`
}

// Workflow is an invoice's review and approval record.
type Workflow struct {
	CostCentre  string       `json:"cost_centre,omitempty"`
	Corrections []Correction `json:"corrections,omitempty"`
	SubmittedAt string       `json:"submitted_at,omitempty"` // RFC 3339
	SubmittedBy string       `json:"submitted_by,omitempty"`
	Approvals   []Approval   `json:"approvals,omitempty"`
	Decisions   []Decision   `json:"decisions,omitempty"` // reject, hold, release, void, with reasons
	Override    *Override    `json:"override,omitempty"`  // an admin's leave to approve despite critical findings
	// Match is the last 3-way match result (backend/matching), kept as the
	// JSON it was shown as; the store does not interpret it.
	Match json.RawMessage `json:"match,omitempty"`
}

// Override is an admin's reasoned leave to approve despite critical findings.
type Override struct {
	By     string `json:"by"`
	Reason string `json:"reason"`
	At     string `json:"at"`
}

// Correction is one field changed by a person.
type Correction struct {
	Field string `json:"field"`
	Old   string `json:"old"`
	New   string `json:"new"`
	By    string `json:"by"`
	At    string `json:"at"`
}

// Approval is one approval step.
type Approval struct {
	By         string `json:"by"`
	OnBehalfOf string `json:"on_behalf_of,omitempty"`
	At         string `json:"at"`
	Level      int    `json:"level"`
	Rule       string `json:"rule"`
	Override   string `json:"override,omitempty"` // an admin's reason to approve despite blocking findings
}

// Decision is a workflow command other than approval.
type Decision struct {
	Action string `json:"action"`
	By     string `json:"by"`
	At     string `json:"at"`
	Reason string `json:"reason,omitempty"`
}

// Finding is one check result on an invoice (CLI.md).
type Finding struct {
	Code     string   `json:"code"`
	Severity string   `json:"severity"`
	Message  string   `json:"message"`
	Fields   []string `json:"fields"`
}

// NumberKey is what the duplicate-number blind index covers: the seller
// (VAT id, else normalised name) and the invoice number.
func NumberKey(inv invoice.Invoice) string {
	seller := inv.Seller.VATID
	if seller == "" {
		seller = vendor.MatchName(inv.Seller.Name)
	}
	return seller + "\x00" + inv.InvoiceNumber
}

// InsertInvoice stores a new invoice.
func (tx *Tx) InsertInvoice(r InvoiceRecord) error {
	content, err := tx.sealJSON("invoices", r.ID, "content", r.Invoice)
	if err != nil {
		return err
	}
	source, err := tx.sealJSON("invoices", r.ID, "source", r.Source)
	if err != nil {
		return err
	}
	findings, err := tx.sealJSON("invoices", r.ID, "findings", r.Findings)
	if err != nil {
		return err
	}
	wf, err := tx.sealJSON("invoices", r.ID, "workflow", r.Workflow)
	if err != nil {
		return err
	}
	num, err := tx.index(idxInvoiceNumber, NumberKey(r.Invoice))
	if err != nil {
		return err
	}
	sha, err := tx.index("invoice.sha256", r.SHA256)
	if err != nil {
		return err
	}
	var vendorID any
	if r.VendorID != "" {
		vendorID = r.VendorID
	}
	_, err = tx.tx.Exec(`INSERT INTO invoices(id, status, held_from, vendor_id, content, source, findings, workflow, number_index, sha_index, created_at, updated_at)
		VALUES(?,?,?,?,?,?,?,?,?,?,?,?)`, r.ID, string(r.State.Status), string(r.State.HeldFrom), vendorID, content, source, findings,
		wf, num, sha, fmtTime(r.CreatedAt), fmtTime(r.UpdatedAt))
	if err != nil {
		return fmt.Errorf("store: insert invoice: %w", err)
	}
	if err := tx.invoiceWritten(nil, r); err != nil {
		return err
	}
	return tx.putSummary(r)
}

const invoiceCols = "id, status, held_from, COALESCE(vendor_id, ''), content, source, findings, workflow, created_at, updated_at"

func (tx *Tx) scanInvoice(r scanner) (InvoiceRecord, error) {
	var rec InvoiceRecord
	var st, held, created, updated string
	var env, src, fnd, wf []byte
	if err := r.Scan(&rec.ID, &st, &held, &rec.VendorID, &env, &src, &fnd, &wf, &created, &updated); err != nil {
		return InvoiceRecord{}, err
	}
	rec.State = invoice.State{Status: invoice.Status(st), HeldFrom: invoice.Status(held)}
	if err := tx.openJSON("invoices", rec.ID, "content", env, &rec.Invoice); err != nil {
		return InvoiceRecord{}, err
	}
	if src != nil {
		if err := tx.openJSON("invoices", rec.ID, "source", src, &rec.Source); err != nil {
			return InvoiceRecord{}, err
		}
	}
	if fnd != nil {
		if err := tx.openJSON("invoices", rec.ID, "findings", fnd, &rec.Findings); err != nil {
			return InvoiceRecord{}, err
		}
	}
	if wf != nil {
		if err := tx.openJSON("invoices", rec.ID, "workflow", wf, &rec.Workflow); err != nil {
			return InvoiceRecord{}, err
		}
	}
	var err error
	if rec.CreatedAt, err = parseTime(created); err != nil {
		return InvoiceRecord{}, err
	}
	rec.UpdatedAt, err = parseTime(updated)
	return rec, err
}

// UpdateInvoice rewrites an invoice's state, content, findings and
// workflow (after a correction or a workflow command).
func (tx *Tx) UpdateInvoice(r InvoiceRecord) error {
	before, err := tx.beforeWrite(r.ID)
	if err != nil {
		return err
	}
	content, err := tx.sealJSON("invoices", r.ID, "content", r.Invoice)
	if err != nil {
		return err
	}
	findings, err := tx.sealJSON("invoices", r.ID, "findings", r.Findings)
	if err != nil {
		return err
	}
	wf, err := tx.sealJSON("invoices", r.ID, "workflow", r.Workflow)
	if err != nil {
		return err
	}
	num, err := tx.index(idxInvoiceNumber, NumberKey(r.Invoice))
	if err != nil {
		return err
	}
	var vendorID any
	if r.VendorID != "" {
		vendorID = r.VendorID
	}
	res, err := tx.tx.Exec(`UPDATE invoices SET status=?, held_from=?, vendor_id=?, content=?, findings=?, workflow=?, number_index=?, updated_at=?
		WHERE id=?`, string(r.State.Status), string(r.State.HeldFrom), vendorID, content, findings, wf, num, fmtTime(r.UpdatedAt), r.ID)
	if err != nil {
		return fmt.Errorf("store: update invoice: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return apperr.New(apperr.NotFound, "invoice not found")
	}
	if err := tx.invoiceWritten(before, r); err != nil {
		return err
	}
	return tx.putSummary(r)
}

// InvoicesByNumber finds invoices with the same seller and number
// (duplicate check) through the blind index.
func (tx *Tx) InvoicesByNumber(inv invoice.Invoice) ([]InvoiceRecord, error) {
	ix, err := tx.index(idxInvoiceNumber, NumberKey(inv))
	if err != nil || ix == nil {
		return nil, err
	}
	return queryAll(tx, "invoices by number", tx.scanInvoice, "SELECT "+invoiceCols+" FROM invoices WHERE number_index = ?", ix)
}

// Invoice loads one invoice.
func (tx *Tx) Invoice(id string) (InvoiceRecord, error) {
	r, err := tx.scanInvoice(tx.tx.QueryRow("SELECT "+invoiceCols+" FROM invoices WHERE id = ?", id))
	return r, notFound(err, "invoice")
}

// InvoiceIDBySHA256 finds an invoice imported from the same bytes ("" if none).
func (tx *Tx) InvoiceIDBySHA256(sum string) (string, error) {
	ix, err := tx.index("invoice.sha256", sum)
	if err != nil {
		return "", err
	}
	var id string
	err = tx.tx.QueryRow("SELECT id FROM invoices WHERE sha_index = ? LIMIT 1", ix).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, err
}

// Invoices lists invoices, newest first, optionally of one status.
func (tx *Tx) Invoices(status invoice.Status) ([]InvoiceRecord, error) {
	return tx.InvoicesPage(status, 0)
}

// InvoicesPage lists at most limit invoices (0: all), newest first,
// optionally of one status. Every row returned is opened, so lists that
// people page through should ask for a page, not everything.
func (tx *Tx) InvoicesPage(status invoice.Status, limit int) ([]InvoiceRecord, error) {
	q := "SELECT " + invoiceCols + " FROM invoices"
	args := []any{}
	if status != "" {
		if !status.Valid() {
			return nil, apperr.New(apperr.InvalidInput, "unknown status %q", status)
		}
		q += " WHERE status = ?"
		args = append(args, string(status))
	}
	q += " ORDER BY created_at DESC, id DESC"
	if limit > 0 {
		q += " LIMIT ?"
		args = append(args, limit)
	}
	return queryAll(tx, "list invoices", tx.scanInvoice, q, args...)
}

// InsertAttachment records a sealed attachment file (idempotent: the name
// is content-addressed).
func (tx *Tx) InsertAttachment(name string, size int64, meta any, at time.Time) error {
	env, err := tx.sealJSON("attachments", name, "meta", meta)
	if err != nil {
		return err
	}
	_, err = tx.tx.Exec("INSERT INTO attachments(name, size, meta, created_at) VALUES(?,?,?,?) ON CONFLICT(name) DO NOTHING",
		name, size, env, fmtTime(at))
	if err != nil {
		return fmt.Errorf("store: insert attachment: %w", err)
	}
	return nil
}

// InvoicesByVendor lists a vendor's invoices (for duplicate and
// price-history checks), newest first.
func (tx *Tx) InvoicesByVendor(vendorID string) ([]InvoiceRecord, error) {
	return queryAll(tx, "invoices by vendor", tx.scanInvoice,
		"SELECT "+invoiceCols+" FROM invoices WHERE vendor_id = ? ORDER BY created_at DESC", vendorID)
}
