package attach

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/smartap/desktop/backend/secret"
)

func testKey(seed byte) secret.Bytes {
	k := make([]byte, KeySize)
	for i := range k {
		k[i] = seed + byte(i)
	}
	return secret.New(k)
}

func newStore(t testing.TB) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "attachments"), testKey(0))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// pattern returns n bytes that differ from chunk to chunk, so a swapped or
// copied chunk changes the content; seed makes different contents.
func pattern(n int, seed byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i/7) ^ byte(i>>16)*31 ^ seed
	}
	return b
}

func put(t testing.TB, s *Store, data []byte) Ref {
	t.Helper()
	ref, err := s.Put(bytes.NewReader(data), DefaultLimit)
	if err != nil {
		t.Fatalf("Put(%d bytes): %v", len(data), err)
	}
	return ref
}

// readAll opens name and reads it through, returning what was released
// before any error.
func readAll(s *Store, name string) ([]byte, error) {
	rc, err := s.Open(name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

func dirNames(t testing.TB, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func rawFile(t testing.TB, s *Store, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(s.dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeRaw(t testing.TB, s *Store, name string, b []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(s.dir, name), b, 0o600); err != nil {
		t.Fatal(err)
	}
}
