package core

import (
	"context"

	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/store"
)

// InvoiceSummary is one row of the invoice list (CLI.md `list --json`).
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

func summarize(r store.InvoiceRecord) InvoiceSummary {
	inv := r.Invoice
	out := InvoiceSummary{ID: r.ID, Status: string(r.State.Status), InvoiceNumber: inv.InvoiceNumber,
		Seller: inv.Seller.Name, Currency: inv.Currency}
	if inv.Totals.Payable != nil {
		out.Payable = inv.Totals.Payable.String()
	}
	if !inv.IssueDate.IsZero() {
		out.IssueDate = inv.IssueDate.String()
	}
	if !inv.DueDate.IsZero() {
		out.DueDate = inv.DueDate.String()
	}
	return out
}

// Invoices lists invoices, newest first; status "" lists all.
func (s *Session) Invoices(ctx context.Context, status string) ([]InvoiceSummary, error) {
	return s.InvoicesPage(ctx, status, 0)
}

// InvoicesPage lists at most limit invoices (0: all), newest first. The
// page is taken before invoices outside the user's scope are left out.
func (s *Session) InvoicesPage(ctx context.Context, status string, limit int) ([]InvoiceSummary, error) {
	out := []InvoiceSummary{}
	err := s.do(ctx, identity.InvoiceList, "", func(tx *store.Tx, _ *record) error {
		rs, err := tx.InvoicesPage(invoice.Status(status), limit)
		if err != nil {
			return err
		}
		a, err := s.authz(tx)
		if err != nil {
			return err
		}
		for _, r := range rs {
			if a.canSee(r) {
				out = append(out, summarize(r))
			}
		}
		return err
	})
	return out, err
}
