package store

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/smartap/desktop/backend/invoice"
)

// SummaryContent is the sealed part of an invoice's list row: what the list
// shows and filters on, and what deciding who may see the row needs. It is
// kept small (≈200 bytes of JSON) so listing 100,000 invoices opens 100,000
// small envelopes instead of 100,000 whole invoices.
type SummaryContent struct {
	Number     string           `json:"n,omitempty"`
	Seller     string           `json:"s,omitempty"`
	Currency   string           `json:"c,omitempty"`
	Payable    string           `json:"p,omitempty"` // decimal string
	IssueDate  string           `json:"i,omitempty"` // YYYY-MM-DD
	DueDate    string           `json:"d,omitempty"`
	ImportedBy string           `json:"u,omitempty"`
	CostCentre string           `json:"cc,omitempty"`
	Approvals  []SummaryApprove `json:"a,omitempty"`
}

// SummaryApprove is who approved, for the "approved by me" visibility rule.
type SummaryApprove struct {
	By         string `json:"b"`
	OnBehalfOf string `json:"o,omitempty"`
}

// Summary is one invoice's list row: the clear columns and the opened summary.
type Summary struct {
	ID        string
	State     invoice.State
	VendorID  string
	CreatedAt time.Time
	Seq       int64 // list_seq, to compare with ListStamp
	SummaryContent
}

// SummaryOf is what the list keeps of r.
func SummaryOf(r InvoiceRecord) SummaryContent {
	inv := r.Invoice
	c := SummaryContent{Number: inv.InvoiceNumber, Seller: inv.Seller.Name, Currency: inv.Currency,
		ImportedBy: r.Source.ImportedBy, CostCentre: r.Workflow.CostCentre}
	if inv.Totals.Payable != nil {
		c.Payable = inv.Totals.Payable.String()
	}
	if !inv.IssueDate.IsZero() {
		c.IssueDate = inv.IssueDate.String()
	}
	if !inv.DueDate.IsZero() {
		c.DueDate = inv.DueDate.String()
	}
	for _, a := range r.Workflow.Approvals {
		c.Approvals = append(c.Approvals, SummaryApprove{By: a.By, OnBehalfOf: a.OnBehalfOf})
	}
	return c
}

// putSummary seals r's summary into its row. InsertInvoice and
// UpdateInvoice call it, so the summary never lags the invoice.
func (tx *Tx) putSummary(r InvoiceRecord) error {
	env, err := tx.sealJSON("invoices", r.ID, "summary", SummaryOf(r))
	if err != nil {
		return err
	}
	_, err = tx.tx.Exec(`UPDATE invoices SET summary = ?, list_seq = (SELECT COALESCE(MAX(list_seq), 0) + 1 FROM invoices)
		WHERE id = ?`, env, r.ID)
	if err != nil {
		return fmt.Errorf("store: write invoice summary: %w", err)
	}
	return nil
}

// ListStamp changes whenever an invoice is added, changed or removed: the
// number of invoices and the highest list_seq (indexed).
type ListStamp struct {
	Count int
	Seq   int64
}

// InvoiceListStamp reads the stamp.
func (tx *Tx) InvoiceListStamp() (ListStamp, error) {
	var st ListStamp
	var seq sql.NullInt64
	if err := tx.tx.QueryRow("SELECT COUNT(*), MAX(list_seq) FROM invoices").Scan(&st.Count, &seq); err != nil {
		return ListStamp{}, fmt.Errorf("store: invoice list stamp: %w", err)
	}
	st.Seq = seq.Int64
	return st, nil
}

// ErrSummaryMissing is returned by Summaries for a row written before
// summaries existed; FillSummaries repairs those in a write transaction.
var ErrSummaryMissing = errors.New("store: an invoice has no list summary yet")

// Summaries lists invoice rows whose summary was written after stamp seq
// since (0 for all), newest first, opening only their summaries.
func (tx *Tx) Summaries(since int64) ([]Summary, error) {
	q := "SELECT id, status, held_from, COALESCE(vendor_id, ''), summary, created_at, list_seq FROM invoices"
	args := []any{}
	if since > 0 {
		q += " WHERE list_seq > ?"
		args = append(args, since)
	}
	q += " ORDER BY created_at DESC, id DESC"
	return queryAll(tx, "list invoice summaries", tx.scanSummary, q, args...)
}

func (tx *Tx) scanSummary(r scanner) (Summary, error) {
	var s Summary
	var st, held, created string
	var env []byte
	if err := r.Scan(&s.ID, &st, &held, &s.VendorID, &env, &created, &s.Seq); err != nil {
		return Summary{}, err
	}
	if env == nil {
		return Summary{}, fmt.Errorf("invoice %s: %w", s.ID, ErrSummaryMissing)
	}
	s.State = invoice.State{Status: invoice.Status(st), HeldFrom: invoice.Status(held)}
	if err := tx.openJSON("invoices", s.ID, "summary", env, &s.SummaryContent); err != nil {
		return Summary{}, err
	}
	var err error
	s.CreatedAt, err = parseTime(created)
	return s, err
}

// FillSummaries writes the summary of every invoice that has none (rows
// stored before migration 0005) and returns how many it wrote.
func (tx *Tx) FillSummaries() (int, error) {
	ids, err := queryAll(tx, "invoices without summary", func(r scanner) (string, error) {
		var id string
		return id, r.Scan(&id)
	}, "SELECT id FROM invoices WHERE summary IS NULL")
	if err != nil {
		return 0, err
	}
	for _, id := range ids {
		r, err := tx.Invoice(id)
		if err != nil {
			return 0, err
		}
		if err := tx.putSummary(r); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}
