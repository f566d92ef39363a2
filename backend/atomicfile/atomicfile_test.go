package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// security checklist #36: a fault between write and rename leaves the old file whole.
func TestFaultBeforeRenameKeepsOldFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	if err := WriteFile(p, []byte("old content"), 0o600); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("injected crash")
	beforeRename = func(string) error { return boom }
	t.Cleanup(func() { beforeRename = func(string) error { return nil } })
	if err := WriteFile(p, []byte("new content that is longer"), 0o600); !errors.Is(err, boom) {
		t.Fatalf("err = %v, want injected fault", err)
	}
	got, _ := os.ReadFile(p)
	if string(got) != "old content" {
		t.Fatalf("file = %q, want old content", got)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("temp file left behind: %v", entries)
	}
}

func TestFailingFillChangesNothing(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	err := Write(p, 0o600, func(w io.Writer) error {
		_, _ = io.Copy(w, strings.NewReader("partial"))
		return errors.New("source broke")
	})
	if err == nil {
		t.Fatal("want error")
	}
	if _, err := os.Stat(p); !os.IsNotExist(err) {
		t.Fatalf("file exists after failed write: %v", err)
	}
}

func TestWriteReplacesAndSetsMode(t *testing.T) {
	p := filepath.Join(t.TempDir(), "f")
	for _, s := range []string{"one", "two"} {
		if err := WriteFile(p, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := os.ReadFile(p)
	fi, _ := os.Stat(p)
	if string(got) != "two" || fi.Mode().Perm() != 0o600 {
		t.Fatalf("got %q mode %v", got, fi.Mode().Perm())
	}
}
