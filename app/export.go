package app

import (
	"context"
	"path/filepath"
	"strings"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/core"
	"github.com/smartap/desktop/backend/export"
	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/backend/invoice"
)

// exportFormats are the formats core writes, with the dialog's filter;
// ubl writes one file per invoice into a folder.
var exportFormats = map[string]runtime.FileFilter{
	"csv":  {DisplayName: "CSV (*.csv)", Pattern: "*.csv"},
	"json": {DisplayName: "JSON (*.json)", Pattern: "*.json"},
	"sepa": {DisplayName: "SEPA credit transfer (*.xml)", Pattern: "*.xml"},
	"ubl":  {},
}

// exportDialog asks where to write an export: a file, or for ubl a
// folder. "" means the user cancelled. Tests replace it; the path stays in
// Go either way.
var exportDialog = func(ctx context.Context, format, suggested string) (string, error) {
	if ctx == nil || ctx.Value("frontend") == nil {
		// Not running in a window (tests, a headless start): the Wails
		// runtime would end the process rather than return an error.
		return "", apperr.New(apperr.Unavailable, "the save dialog is not available")
	}
	var (
		path string
		err  error
	)
	if format == "ubl" {
		path, err = runtime.OpenDirectoryDialog(ctx, runtime.OpenDialogOptions{Title: "Export UBL invoices into a folder",
			CanCreateDirectories: true})
	} else {
		path, err = runtime.SaveFileDialog(ctx, runtime.SaveDialogOptions{Title: "Export invoices as " + strings.ToUpper(format),
			DefaultFilename: suggested, Filters: []runtime.FileFilter{exportFormats[format]}, CanCreateDirectories: true})
	}
	if err != nil {
		return "", apperr.Wrap(err, apperr.Unavailable, "the save dialog could not be opened")
	}
	return path, nil
}

// ChooseAndExport asks in the native dialog where to write, then exports.
// A cancelled dialog exports nothing and is not an error. The result names
// files by their base name only.
func (a *App) ChooseAndExport(in ExportInput) (ExportView, error) {
	_, s, err := a.sessionFor()
	if err != nil {
		return ExportView{}, err
	}
	if ok, _ := identity.Can(s.User().Role, identity.InvoiceExport); !ok {
		// No dialog for a role that may not export: core refuses (and
		// audits the refusal) before it looks at the request.
		ctx, cancel := callCtx()
		defer cancel()
		_, err := s.Export(ctx, core.ExportRequest{})
		return ExportView{}, err
	}
	in.Format = strings.ToLower(strings.TrimSpace(in.Format))
	if _, ok := exportFormats[in.Format]; !ok {
		return ExportView{}, apperr.New(apperr.InvalidInput, "unknown export format %q: use csv, json, ubl or sepa", in.Format)
	}
	req, err := exportRequest(in)
	if err != nil {
		return ExportView{}, err
	}
	a.mu.Lock()
	rtx := a.rtx
	a.mu.Unlock()
	path, err := exportDialog(rtx, in.Format, suggestedName(in.Format, a.cfg.Now()))
	if err != nil {
		return ExportView{}, err
	}
	if path == "" {
		return ExportView{Cancelled: true, Format: in.Format, Files: []string{}, Refused: []ExportRefusal{}}, nil
	}
	req.Out = path
	return a.exportTo(req)
}

func suggestedName(format string, now time.Time) string {
	ext := map[string]string{"csv": ".csv", "json": ".json", "sepa": ".xml"}[format]
	day := "-" + invoice.DateOf(now).String()
	if format == "sepa" {
		return "sepa-payments" + day + ext
	}
	return "invoices" + day + ext
}

func exportRequest(in ExportInput) (core.ExportRequest, error) {
	req := core.ExportRequest{Format: in.Format, Status: strings.TrimSpace(in.Status)}
	if in.Format != "sepa" {
		return req, nil
	}
	req.Debtor = export.Debtor{Name: strings.TrimSpace(in.DebtorName), IBAN: strings.ReplaceAll(strings.TrimSpace(in.DebtorIBAN), " ", ""),
		BIC: strings.TrimSpace(in.DebtorBIC)}
	if req.Debtor.Name == "" || req.Debtor.IBAN == "" {
		return req, apperr.New(apperr.InvalidInput, "a SEPA export needs the name and IBAN of the account to debit")
	}
	if in.ExecutionDate != "" {
		d, err := invoice.ParseDate(in.ExecutionDate)
		if err != nil {
			return req, apperr.Wrap(err, apperr.InvalidInput, "the execution date %q is not a date (YYYY-MM-DD)", in.ExecutionDate)
		}
		req.Debtor.ExecutionDate = d
	}
	return req, nil
}

// exportTo runs an export to a path chosen in Go.
func (a *App) exportTo(req core.ExportRequest) (ExportView, error) {
	_, s, err := a.sessionFor()
	if err != nil {
		return ExportView{}, err
	}
	ctx, cancel := callCtx()
	defer cancel()
	res, err := s.Export(ctx, req)
	if err != nil {
		return ExportView{}, err
	}
	v := ExportView{Format: res.Format, Included: len(res.Included), Exported: len(res.Exported),
		Files: make([]string, 0, len(res.Files)), Refused: make([]ExportRefusal, 0, len(res.Refused))}
	for _, f := range res.Files {
		v.Files = append(v.Files, filepath.Base(f))
	}
	for _, r := range res.Refused {
		v.Refused = append(v.Refused, ExportRefusal{InvoiceID: r.InvoiceID, Reason: r.Reason})
	}
	return v, nil
}
