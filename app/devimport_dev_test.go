//go:build dev && !production

package app

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// Run by scripts/e2e.sh: go test -tags dev -run 'TestDevQueue' ./app
func TestDevQueueImport(t *testing.T) {
	a, _, _, _ := newApp(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.txt"), []byte("not an invoice"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(EnvDevImportDir, "")
	if err := a.DevQueueImport([]string{"a.txt"}); code(err) != "unavailable" {
		t.Fatalf("without %s: %v", EnvDevImportDir, err)
	}
	t.Setenv(EnvDevImportDir, dir)
	if err := a.DevQueueImport([]string{"a.txt"}); code(err) != "locked" {
		t.Fatalf("without a session: %v", err)
	}
	if _, err := a.Setup(SetupRequest{AdminName: "alice", Password: pw}); err != nil {
		t.Fatal(err)
	}
	for _, bad := range [][]string{nil, {""}, {".."}, {"../a.txt"}, {"/etc/passwd"}, {"sub/a.txt"}} {
		if err := a.DevQueueImport(bad); code(err) != "invalid_input" {
			t.Errorf("%q: %v", bad, err)
		}
	}
	if err := a.DevQueueImport([]string{"a.txt"}); err != nil {
		t.Fatal(err)
	}
	got, err := a.chooseFiles()
	if err != nil || !slices.Equal(got, []string{filepath.Join(dir, "a.txt")}) {
		t.Fatalf("queued: %v %v", got, err)
	}
	if a.choose != nil {
		t.Fatal("the queue answers more than once")
	}
}

func TestDevQueueExport(t *testing.T) {
	a, _, _, _ := newApp(t)
	dir := t.TempDir()
	t.Setenv(EnvDevImportDir, "")
	if err := a.DevQueueExport("out.csv"); code(err) != "unavailable" {
		t.Fatalf("without %s: %v", EnvDevImportDir, err)
	}
	t.Setenv(EnvDevImportDir, dir)
	if err := a.DevQueueExport("out.csv"); code(err) != "locked" {
		t.Fatalf("without a session: %v", err)
	}
	if _, err := a.Setup(SetupRequest{AdminName: "alice", Password: pw}); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"", "..", "../out.csv", "sub/out.csv"} {
		if err := a.DevQueueExport(bad); code(err) != "invalid_input" {
			t.Errorf("%q: %v", bad, err)
		}
	}
	real := exportDialog
	if err := a.DevQueueExport("out.csv"); err != nil {
		t.Fatal(err)
	}
	if got, err := exportDialog(context.Background(), "csv", "x.csv"); err != nil || got != filepath.Join(dir, "out.csv") {
		t.Fatalf("queued: %q %v", got, err)
	}
	if _, err := exportDialog(context.Background(), "csv", "x.csv"); code(err) != "unavailable" {
		t.Fatalf("the queue answers more than once: %v", err)
	}
	exportDialog = real
}
