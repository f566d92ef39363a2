package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func init() {
	moreSecretChecks["export"] = func(t *testing.T, a *App) (map[string]any, []string) {
		dir := t.TempDir()
		restore := fakeExportDialog(t, filepath.Join(dir, "secret-check.json"), nil)
		defer restore()
		v, err := a.ChooseAndExport(ExportInput{Format: "json"})
		return map[string]any{"ChooseAndExport": orError(v, err)}, nil
	}
}

// fakeExportDialog answers the save dialog with path ("" = cancelled) and
// counts how often it was opened.
func fakeExportDialog(t *testing.T, path string, opened *int) func() {
	t.Helper()
	old := exportDialog
	exportDialog = func(_ context.Context, format, suggested string) (string, error) {
		if opened != nil {
			*opened++
		}
		if format != "ubl" && !strings.HasPrefix(suggested, "invoices-") && !strings.HasPrefix(suggested, "sepa-") {
			t.Errorf("suggested name %q", suggested)
		}
		return path, nil
	}
	return func() { exportDialog = old }
}

func TestChooseAndExport(t *testing.T) {
	cii := corpusPath(t, ciiExample)
	a, _ := team(t)
	res, err := a.importFiles([]string{cii})
	if err != nil || res[0].Error != nil {
		t.Fatalf("import: %+v %v", res, err)
	}
	dir := t.TempDir()
	opened := 0
	defer fakeExportDialog(t, "", &opened)()
	v, err := a.ChooseAndExport(ExportInput{Format: "csv"})
	if err != nil || !v.Cancelled || opened != 1 || v.Files == nil || v.Refused == nil {
		t.Fatalf("cancelled: %+v %v", v, err)
	}
	for _, f := range []string{"csv", "json"} {
		out := filepath.Join(dir, "out."+f)
		fakeExportDialog(t, out, &opened)
		v, err := a.ChooseAndExport(ExportInput{Format: strings.ToUpper(f)})
		if err != nil || v.Cancelled || v.Format != f || v.Included != 1 || v.Exported != 0 || len(v.Files) != 1 || v.Files[0] != "out."+f {
			t.Fatalf("%s: %+v %v", f, v, err)
		}
		if b, err := os.ReadFile(out); err != nil || len(b) == 0 {
			t.Fatalf("%s file: %v", f, err)
		}
	}
	fakeExportDialog(t, filepath.Join(dir, "ubl"), &opened)
	if v, err := a.ChooseAndExport(ExportInput{Format: "ubl"}); err != nil || v.Included+len(v.Refused) != 1 {
		t.Fatalf("ubl: %+v %v", v, err)
	}
	before := opened
	for _, in := range []ExportInput{{Format: "pdf"}, {Format: "sepa"}, {Format: "sepa", DebtorName: "Us", DebtorIBAN: "DE89370400440532013000", ExecutionDate: "soon"}} {
		if _, err := a.ChooseAndExport(in); code(err) != "invalid_input" {
			t.Errorf("%+v: %v", in, err)
		}
	}
	if opened != before {
		t.Errorf("the dialog opened for bad input")
	}
	// Nothing approved yet: a SEPA file has nothing to pay.
	fakeExportDialog(t, filepath.Join(dir, "pay.xml"), &opened)
	if _, err := a.ChooseAndExport(ExportInput{Format: "sepa", DebtorName: "Buyer AG", DebtorIBAN: "DE89 3704 0044 0532 0130 00"}); code(err) != "invalid_input" {
		t.Errorf("sepa with nothing approved: %v", err)
	}
}

// An approver may not export: no dialog opens and core refuses.
func TestExportRefusedToApprover(t *testing.T) {
	a, _ := team(t)
	if _, err := a.Unlock("anna", "approver password"); err != nil {
		t.Fatal(err)
	}
	opened := 0
	defer fakeExportDialog(t, filepath.Join(t.TempDir(), "x.csv"), &opened)()
	if _, err := a.ChooseAndExport(ExportInput{Format: "csv"}); code(err) != "forbidden" || opened != 0 {
		t.Fatalf("approver export: %v, dialog opened %d times", err, opened)
	}
}

// Outside a window there is no dialog: a clear error, not a crash.
func TestExportWithoutAWindow(t *testing.T) {
	a, _ := team(t)
	if _, err := a.ChooseAndExport(ExportInput{Format: "csv"}); code(err) != "unavailable" {
		t.Fatalf("no window: %v", err)
	}
}
