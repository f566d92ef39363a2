package app

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

func TestDroppedFilesImportOnlyAfterNativeConfirmation(t *testing.T) {
	a := reviewTeam(t)
	cii, ubl := corpusPath(t, ciiExample), corpusPath(t, ublExample)
	var asked [][]string
	answer := false
	confirmDrop = func(_ context.Context, names []string) (bool, error) {
		asked = append(asked, names)
		return answer, nil
	}
	t.Cleanup(func() { confirmDrop = nativeConfirmDrop })

	// A forged drop naming files that are no invoices never reaches the
	// dialog, let alone the disk.
	r := a.importDropped([]string{"/etc/passwd", filepath.Join(os.Getenv("HOME"), ".ssh", "id_ed25519")})
	if r.Error == nil || r.Error.Code != "invalid_input" || len(asked) != 0 || len(r.Results) != 0 {
		t.Fatalf("non-invoice drop: %+v, asked %v", r, asked)
	}
	// Cancelled in the dialog: nothing imported, no error.
	r = a.importDropped([]string{cii, "/tmp/notes.txt", ubl})
	if r.Error != nil || len(r.Results) != 0 || len(asked) != 1 || len(asked[0]) != 2 ||
		asked[0][0] != filepath.Base(cii) || asked[0][1] != filepath.Base(ubl) {
		t.Fatalf("cancelled: %+v, asked %v", r, asked)
	}
	if s, err := a.SearchInvoices("", "", 0, 10); err != nil || s.Total != 0 {
		t.Fatalf("imported without confirmation: %+v %v", s, err)
	}
	answer = true
	r = a.importDropped([]string{cii, ubl})
	if r.Error != nil || len(r.Results) != 2 || r.Results[0].Error != nil || r.Results[1].Error != nil {
		t.Fatalf("confirmed: %+v", r)
	}
	if s, err := a.SearchInvoices("", "", 0, 10); err != nil || s.Total != 2 {
		t.Fatalf("after drop: %+v %v", s, err)
	}
	a.Lock()
	asked = nil
	if r = a.importDropped([]string{cii}); r.Error == nil || r.Error.Code != "locked" || len(asked) != 0 {
		t.Fatalf("locked: %+v", r)
	}
}

// The window takes file drops in Go, and the webview never handles one
// itself (a drop must not navigate it).
func TestFileDropGoesToGoOnly(t *testing.T) {
	o := Options(New(Config{}), os.DirFS("."))
	if o.DragAndDrop == nil || !o.DragAndDrop.EnableFileDrop || !o.DragAndDrop.DisableWebViewDrop {
		t.Fatalf("drag and drop: %+v", o.DragAndDrop)
	}
}
