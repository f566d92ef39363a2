package core

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/atomicfile"
	"github.com/smartap/desktop/backend/export"
	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/store"
)

// ExportRequest says what to export where.
type ExportRequest struct {
	Format string // csv, json, ubl, sepa
	Status string // only invoices with this status ("" = all; sepa: approved)
	Out    string // a file; for ubl a folder (one file per invoice)
	Debtor export.Debtor
}

// ExportResult reports an export.
type ExportResult struct {
	Format   string             `json:"format"`
	Included []string           `json:"included"`
	Refused  []export.SEPAError `json:"refused"`
	Files    []string           `json:"files"`
	Exported []string           `json:"marked_exported"` // approved invoices now marked exported
}

// Export writes invoices in a format for ERP import or payment, crash-safe,
// and marks the approved invoices it carried as exported, all in one
// audited command: if marking fails, the file is not left behind.
func (s *Session) Export(ctx context.Context, req ExportRequest) (ExportResult, error) {
	res := ExportResult{Format: req.Format, Included: []string{}, Refused: []export.SEPAError{}, Files: []string{}, Exported: []string{}}
	err := s.do(ctx, identity.InvoiceExport, "", func(tx *store.Tx, rec *record) error {
		if req.Format == "sepa" && req.Status == "" {
			req.Status = string(invoice.StatusApproved)
		}
		if req.Format == "sepa" && req.Debtor.ExecutionDate.IsZero() {
			req.Debtor.ExecutionDate = invoice.DateOf(s.c.now())
		}
		items, err := s.exportItems(tx, req.Status)
		if err != nil {
			return err
		}
		if len(items) == 0 {
			return apperr.New(apperr.InvalidInput, "no invoices to export (status %q)", req.Status)
		}
		if err := s.writeExport(req, items, &res); err != nil {
			return err
		}
		if err := s.markExported(tx, res.Included, &res); err != nil {
			removeAll(res.Files)
			return err
		}
		rec.Reason = fmt.Sprintf("exported %d invoices as %s to %s (%d refused)", len(res.Included), req.Format, filepath.Base(req.Out), len(res.Refused))
		return nil
	})
	return res, err
}

func (s *Session) exportItems(tx *store.Tx, status string) ([]export.Item, error) {
	rs, err := tx.Invoices(invoice.Status(status))
	if err != nil {
		return nil, err
	}
	a, err := s.authz(tx)
	if err != nil {
		return nil, err
	}
	var items []export.Item
	for _, r := range rs {
		if !a.canSee(r) {
			continue
		}
		it := export.Item{ID: r.ID, Status: string(r.State.Status), Invoice: r.Invoice}
		if r.VendorID != "" {
			v, err := tx.Vendor(r.VendorID)
			if err != nil {
				return nil, err
			}
			it.Vendor = &v
		}
		items = append(items, it)
	}
	return items, nil
}

func (s *Session) writeExport(req ExportRequest, items []export.Item, res *ExportResult) error {
	write := func(fill func(io.Writer) error) error {
		if err := atomicfile.Write(req.Out, 0o600, fill); err != nil {
			return apperr.Wrap(err, apperr.Unavailable, "cannot write %s", req.Out)
		}
		res.Files = append(res.Files, req.Out)
		return nil
	}
	ids := make([]string, 0, len(items))
	for _, it := range items {
		ids = append(ids, it.ID)
	}
	switch req.Format {
	case "csv":
		res.Included = ids
		return write(func(w io.Writer) error { return export.CSV(w, items) })
	case "json":
		res.Included = ids
		return write(func(w io.Writer) error { return export.JSON(w, items) })
	case "ubl":
		return s.writeUBL(req.Out, items, res)
	case "sepa":
		var buf bytes.Buffer
		inc, refused, err := export.SEPA(&buf, req.Debtor, items, s.c.now())
		res.Refused = append(res.Refused, refused...)
		if err != nil {
			return err
		}
		res.Included = inc
		return write(func(w io.Writer) error { _, err := w.Write(buf.Bytes()); return err })
	}
	return apperr.New(apperr.InvalidInput, "unknown export format %q: use csv, json, ubl or sepa", req.Format)
}

func (s *Session) writeUBL(dir string, items []export.Item, res *ExportResult) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return apperr.Wrap(err, apperr.Unavailable, "cannot create %s", dir)
	}
	for _, it := range items {
		b, err := export.UBL(it.Invoice)
		if err != nil {
			res.Refused = append(res.Refused, export.SEPAError{InvoiceID: it.ID, Reason: err.Error()})
			continue
		}
		p := filepath.Join(dir, export.UBLFileName(it.Invoice))
		if err := atomicfile.WriteFile(p, b, 0o600); err != nil {
			removeAll(res.Files)
			return apperr.Wrap(err, apperr.Unavailable, "cannot write %s", p)
		}
		res.Files, res.Included = append(res.Files, p), append(res.Included, it.ID)
	}
	return nil
}

// markExported moves the approved invoices that were exported on.
func (s *Session) markExported(tx *store.Tx, ids []string, res *ExportResult) error {
	now := s.c.now()
	for _, id := range ids {
		r, err := tx.Invoice(id)
		if err != nil {
			return err
		}
		if r.State.Status != invoice.StatusApproved {
			continue
		}
		if err := transition(&r, invoice.Command{Kind: invoice.Export}); err != nil {
			return err
		}
		r.Workflow.Decisions = append(r.Workflow.Decisions, store.Decision{Action: "export", By: s.user.Name, At: now.Format(time.RFC3339)})
		r.UpdatedAt = now
		if err := tx.UpdateInvoice(r); err != nil {
			return err
		}
		res.Exported = append(res.Exported, id)
	}
	return nil
}

func removeAll(files []string) {
	for _, f := range files {
		_ = os.Remove(f)
	}
}
