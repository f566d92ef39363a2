package attach

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// security checklist #40: any file bytes give an error or the one genuine
// content, never a panic and never forged plaintext.
func FuzzOpen(f *testing.F) {
	golden, err := os.ReadFile(filepath.Join("testdata", "golden-v1.sapa"))
	if err != nil {
		f.Fatal(err)
	}
	s, err := Open(f.TempDir(), testKey(0))
	if err != nil {
		f.Fatal(err)
	}
	// Multi-chunk seeds reach the final chunk and then fail the name check.
	for _, n := range []int{0, chunkSize, chunkSize + 1, 2*chunkSize + 3} {
		ref := put(f, s, pattern(n, 1))
		f.Add(rawFile(f, s, ref.Name))
		if err := s.Delete(ref.Name); err != nil {
			f.Fatal(err)
		}
	}
	f.Add(golden)
	f.Add(golden[:headerSize])
	f.Add([]byte{})
	f.Add([]byte("SAPA\x02"))
	sum := sha256.Sum256([]byte(goldenText))
	name := s.nameOf(sum[:])
	f.Fuzz(func(t *testing.T, raw []byte) {
		writeRaw(t, s, name, raw)
		got, err := readAll(s, name)
		if err == nil && string(got) != goldenText {
			t.Fatalf("forged content accepted: %q", got)
		}
		if err != nil && !errors.Is(err, ErrCorrupt) {
			t.Fatalf("err = %v, want ErrCorrupt", err)
		}
	})
}

// Whatever the content and limit, Put then Open gives the content back, or
// Put refuses it as too large and leaves nothing.
func FuzzRoundTrip(f *testing.F) {
	s, err := Open(f.TempDir(), testKey(0))
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte(""), int64(0))
	f.Add([]byte("x"), int64(0))
	f.Add(pattern(chunkSize, 3), int64(chunkSize))
	f.Add(pattern(chunkSize+1, 3), int64(chunkSize))
	f.Fuzz(func(t *testing.T, data []byte, limit int64) {
		if limit < 0 {
			limit = -limit
		}
		ref, err := s.Put(bytes.NewReader(data), limit)
		if int64(len(data)) > limit || limit < 0 { // -MinInt64 stays negative
			if err == nil {
				t.Fatalf("%d bytes stored under limit %d", len(data), limit)
			}
			if names := dirNames(t, s.dir); len(names) != 0 {
				t.Fatalf("left behind: %v", names)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = s.Delete(ref.Name) }()
		if got, err := readAll(s, ref.Name); err != nil || !bytes.Equal(got, data) {
			t.Fatalf("round trip: %v", err)
		}
	})
}

var nameRE = regexp.MustCompile(`^[0-9a-f]{64}$`)

// Whatever string is offered as a name, only the 64-hex shape passes, and
// such a name is a plain child of the folder.
func FuzzName(f *testing.F) {
	for _, n := range []string{"", "../x", `C:\x`, "x\x00", nameRE.String()} {
		f.Add(n)
	}
	dir := filepath.Join("store", "dir")
	f.Fuzz(func(t *testing.T, name string) {
		ok := validName(name)
		if ok != nameRE.MatchString(name) {
			t.Fatalf("validName(%q) = %v", name, ok)
		}
		if ok && (filepath.Dir(filepath.Join(dir, name)) != dir || filepath.Base(name) != name) {
			t.Fatalf("%q escapes the folder", name)
		}
	})
}
