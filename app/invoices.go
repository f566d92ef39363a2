package app

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/core"
	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/invoice"
)

// EventImportProgress is emitted after each file of an import; payload ImportProgress.
const EventImportProgress = "import:progress"

// MaxImportFiles caps one import batch.
const MaxImportFiles = 200

// importFilters are the kinds intake reads; the dialog offers only these.
var importFilters = []runtime.FileFilter{
	{DisplayName: "Invoices (PDF, XML, PNG, JPEG, TIFF)", Pattern: "*.pdf;*.PDF;*.xml;*.XML;*.png;*.PNG;*.jpg;*.JPG;*.jpeg;*.JPEG;*.tif;*.TIF;*.tiff;*.TIFF"},
	{DisplayName: "PDF", Pattern: "*.pdf;*.PDF"},
	{DisplayName: "XML", Pattern: "*.xml;*.XML"},
	{DisplayName: "Images (PNG, JPEG, TIFF)", Pattern: "*.png;*.PNG;*.jpg;*.JPG;*.jpeg;*.JPEG;*.tif;*.TIF;*.tiff;*.TIFF"},
}

// chooseFiles opens the native multi-file dialog. The paths stay in Go:
// the webview never sends or sees a path.
func (a *App) chooseFiles() ([]string, error) {
	a.mu.Lock()
	choose, ctx := a.choose, a.rtx
	a.mu.Unlock()
	if choose != nil {
		return choose()
	}
	if ctx == nil {
		return nil, apperr.New(apperr.Unavailable, "the file dialog is not available")
	}
	paths, err := runtime.OpenMultipleFilesDialog(ctx, runtime.OpenDialogOptions{
		Title:   "Import invoices",
		Filters: importFilters,
	})
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "the file dialog could not be opened")
	}
	return paths, nil
}

// ChooseAndImport lets the user pick invoice files and imports each one.
// A cancelled dialog imports nothing and is not an error. Each file gets
// its own result; one bad file does not stop the others.
func (a *App) ChooseAndImport() ([]ImportResult, error) {
	if _, _, err := a.sessionFor(); err != nil {
		return nil, err
	}
	paths, err := a.chooseFiles()
	if err != nil {
		return nil, err
	}
	return a.importFiles(paths)
}

// importFiles imports files the user chose in Go. Every file is opened
// here and read through core's intake limits.
func (a *App) importFiles(paths []string) ([]ImportResult, error) {
	_, s, err := a.sessionFor()
	if err != nil {
		return nil, err
	}
	if len(paths) > MaxImportFiles {
		return nil, apperr.New(apperr.InvalidInput, "choose at most %d files at a time", MaxImportFiles)
	}
	out := make([]ImportResult, 0, len(paths))
	for i, p := range paths {
		name := filepath.Base(p)
		res := ImportResult{File: name}
		if r, err := a.importFile(s, p); err != nil {
			e := PublicError(err)
			res.Error = &e
		} else {
			res.ID, res.InvoiceNumber, res.Source = r.ID, r.Invoice.InvoiceNumber, string(r.Source)
		}
		out = append(out, res)
		a.emitEvent(EventImportProgress, ImportProgress{Done: i + 1, Total: len(paths), File: name})
		if errors.Is(err, core.ErrSessionLocked) {
			// The session locked mid-batch: the rest would fail the same way.
			return out, err
		}
	}
	return out, nil
}

func (a *App) importFile(s *core.Session, path string) (core.ImportResult, error) {
	// Each file counts as activity, so a long batch does not idle-lock.
	if _, cur, err := a.sessionFor(); err != nil {
		return core.ImportResult{}, err
	} else if cur != s {
		return core.ImportResult{}, core.ErrSessionLocked
	}
	f, err := os.Open(path) // #nosec G304 -- a file the user picked in the native dialog
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return core.ImportResult{}, apperr.Wrap(err, apperr.NotFound, "the file no longer exists")
		}
		return core.ImportResult{}, apperr.Wrap(err, apperr.Unavailable, "the file could not be opened")
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return core.ImportResult{}, apperr.New(apperr.InvalidInput, "this is not a regular file")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	return s.Import(ctx, filepath.Base(path), f)
}

func (a *App) emitEvent(name string, data any) {
	a.mu.Lock()
	emit := a.emit
	a.mu.Unlock()
	emit(name, data)
}

// GetInvoice shows one invoice.
func (a *App) GetInvoice(id string) (InvoiceDetailView, error) {
	_, s, err := a.sessionFor()
	if err != nil {
		return InvoiceDetailView{}, err
	}
	ctx, cancel := callCtx()
	defer cancel()
	d, err := s.Invoice(ctx, id)
	if err != nil {
		return InvoiceDetailView{}, err
	}
	return detailView(d), nil
}

// SubmitInvoice sends an invoice for approval and returns its new status.
func (a *App) SubmitInvoice(id string) (string, error) {
	return a.workflow(func(ctx context.Context, s *core.Session) (invoice.Status, error) {
		r, err := s.Submit(ctx, id)
		return r.State.Status, err
	})
}

// ApproveInvoice records the user's approval and returns the new status
// (still ready_for_approval while more levels are needed).
func (a *App) ApproveInvoice(id string) (string, error) {
	return a.workflow(func(ctx context.Context, s *core.Session) (invoice.Status, error) {
		r, err := s.Approve(ctx, id)
		return r.State.Status, err
	})
}

// RejectInvoice refuses an invoice with a reason.
func (a *App) RejectInvoice(id, reason string) (string, error) {
	return a.workflow(func(ctx context.Context, s *core.Session) (invoice.Status, error) {
		r, err := s.Reject(ctx, id, reason)
		return r.State.Status, err
	})
}

// HoldInvoice parks an invoice with a reason.
func (a *App) HoldInvoice(id, reason string) (string, error) {
	return a.workflow(func(ctx context.Context, s *core.Session) (invoice.Status, error) {
		r, err := s.Hold(ctx, id, reason)
		return r.State.Status, err
	})
}

// SetInvoiceFields corrects read fields ({"totals.payable": "119.00"}).
func (a *App) SetInvoiceFields(id string, fields map[string]string) (string, error) {
	return a.workflow(func(ctx context.Context, s *core.Session) (invoice.Status, error) {
		r, err := s.Set(ctx, id, fields)
		return r.State.Status, err
	})
}

func (a *App) workflow(fn func(context.Context, *core.Session) (invoice.Status, error)) (string, error) {
	_, s, err := a.sessionFor()
	if err != nil {
		return "", err
	}
	ctx, cancel := callCtx()
	defer cancel()
	st, err := fn(ctx, s)
	if err != nil {
		return "", err
	}
	return string(st), nil
}

func dec(d *decimal.Decimal) string {
	if d == nil {
		return ""
	}
	return d.String()
}

func date(d invoice.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

func party(p invoice.Party) PartyView {
	return PartyView{Name: p.Name, VATID: p.VATID, TaxID: p.TaxID, Street: p.Address.Line1, City: p.Address.City,
		Postcode: p.Address.Postcode, Country: p.Address.Country}
}

func strs(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// allowed lists the workflow commands the status allows. The detail does
// not say where a held invoice was held from; release and void are open
// from every hold, so any holdable status stands in.
func allowed(status string) []string {
	st := invoice.State{Status: invoice.Status(status)}
	if st.Status == invoice.StatusOnHold {
		st.HeldFrom = invoice.StatusExtracted
	}
	out := []string{}
	for _, k := range invoice.Allowed(st) {
		if st.Status == invoice.StatusOnHold && k != invoice.Release && k != invoice.Void {
			continue
		}
		out = append(out, string(k))
	}
	return out
}

func detailView(d core.InvoiceDetail) InvoiceDetailView {
	inv := d.Invoice
	t := inv.Totals
	v := InvoiceDetailView{
		ID: d.ID, Status: d.Status, Allowed: allowed(d.Status), InvoiceNumber: inv.InvoiceNumber,
		TypeCode: string(inv.TypeCode), CreditNote: inv.IsCreditNote(), Currency: inv.Currency,
		IssueDate: date(inv.IssueDate), DueDate: date(inv.DueDate), BuyerReference: inv.BuyerReference,
		PurchaseOrder: inv.PurchaseOrder, PaymentTerms: inv.PaymentTerms, Notes: strs(inv.Notes), Warnings: strs(inv.Warnings),
		Seller: party(inv.Seller), Buyer: party(inv.Buyer),
		Payment: PaymentView{MeansCode: inv.Payment.MeansCode, IBAN: inv.Payment.IBAN, AccountName: inv.Payment.AccountName, BIC: inv.Payment.BIC},
		Totals: TotalsView{LineNet: dec(t.LineNet), Allowances: dec(t.Allowances), Charges: dec(t.Charges),
			TaxExclusive: dec(t.TaxExclusive), Tax: dec(t.Tax), TaxInclusive: dec(t.TaxInclusive), Prepaid: dec(t.Prepaid),
			Rounding: dec(t.Rounding), Payable: dec(t.Payable)},
		TaxBreakdown: make([]TaxView, 0, len(inv.TaxBreakdown)),
		Lines:        make([]LineView, 0, len(inv.Lines)),
		Source: SourceView{Reader: d.Source.Reader, Kind: d.Source.Kind, FileName: d.Source.FileName, Size: d.Source.Size,
			ImportedBy: d.Source.ImportedBy, ImportedAt: d.Source.ImportedAt},
		Findings:    make([]FindingView, 0, len(d.Findings)),
		Approvals:   make([]ApprovalView, 0, len(d.Approvals)),
		Corrections: make([]CorrectionView, 0, len(d.Corrections)),
		Decisions:   make([]DecisionView, 0, len(d.Decisions)),
		History:     make([]HistoryView, 0, len(d.History)),
	}
	for _, x := range inv.TaxBreakdown {
		v.TaxBreakdown = append(v.TaxBreakdown, TaxView{Category: x.Category, Rate: dec(x.Rate), Taxable: dec(x.Taxable), Tax: dec(x.Tax)})
	}
	for _, l := range inv.Lines {
		v.Lines = append(v.Lines, LineView{ID: l.ID, Name: l.Name, Quantity: dec(l.Quantity), Unit: l.Unit,
			UnitPrice: dec(l.UnitPrice), NetAmount: dec(l.NetAmount), TaxCategory: l.TaxCategory, TaxRate: dec(l.TaxRate)})
	}
	for _, f := range d.Findings {
		v.Findings = append(v.Findings, FindingView{Code: f.Code, Severity: f.Severity, Message: f.Message, Fields: strs(f.Fields)})
	}
	for _, x := range d.Approvals {
		v.Approvals = append(v.Approvals, ApprovalView{By: x.By, OnBehalfOf: x.OnBehalfOf, At: x.At, Level: x.Level, Rule: x.Rule, Override: x.Override})
	}
	for _, x := range d.Corrections {
		v.Corrections = append(v.Corrections, CorrectionView{Field: x.Field, Old: x.Old, New: x.New, By: x.By, At: x.At})
	}
	for _, x := range d.Decisions {
		v.Decisions = append(v.Decisions, DecisionView{Action: x.Action, By: x.By, At: x.At, Reason: x.Reason})
	}
	for _, h := range d.History {
		v.History = append(v.History, HistoryView{Time: h.Time.UTC().Format(time.RFC3339), Actor: h.Actor, Action: h.Action,
			Decision: h.Decision, Reason: h.Reason})
	}
	return v
}
