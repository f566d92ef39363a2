package attach

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"testing/iotest"
	"time"

	"github.com/smartap/desktop/backend/secret"
)

// sealedLen is the file size the format predicts for n plaintext bytes.
func sealedLen(n int) int {
	chunks := max(1, (n+chunkSize-1)/chunkSize)
	return headerSize + n + chunks*tagSize
}

func TestRoundTrip(t *testing.T) {
	sizes := []int{0, 1, chunkSize - 1, chunkSize, chunkSize + 1, 2 * chunkSize, 2*chunkSize + 1, 3 << 20}
	s := newStore(t)
	for _, n := range sizes {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			data := pattern(n, 1)
			ref := put(t, s, data)
			if ref.Size != int64(n) || ref.SHA256 != sha256.Sum256(data) || !validName(ref.Name) {
				t.Fatalf("ref = %+v", ref)
			}
			if got := len(rawFile(t, s, ref.Name)); got != sealedLen(n) {
				t.Fatalf("file is %d bytes, format says %d", got, sealedLen(n))
			}
			rc, err := s.Open(ref.Name)
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			// TestReader reads in several patterns and checks EOF handling.
			if err := iotest.TestReader(rc, data); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// Put must not depend on how the input splits its reads.
func TestPutOddReaders(t *testing.T) {
	data := pattern(2*chunkSize+5, 2)
	s := newStore(t)
	want := put(t, s, data)
	for name, wrap := range map[string]func(io.Reader) io.Reader{
		"one byte": iotest.OneByteReader,
		"half":     iotest.HalfReader,
		"data+EOF": iotest.DataErrReader,
	} {
		t.Run(name, func(t *testing.T) {
			ref, err := s.Put(wrap(bytes.NewReader(data)), DefaultLimit)
			if err != nil || ref != want {
				t.Fatalf("ref = %+v, %v; want %+v", ref, err, want)
			}
		})
	}
}

// security checklist #1: no plaintext on disk, not even the content hash.
func TestNoPlaintextOnDisk(t *testing.T) {
	const marker = "SMARTAP-MARKER-IBAN-DE89370400440532013000"
	var doc bytes.Buffer
	doc.WriteString("%PDF-1.7\n")
	for doc.Len() < 3*chunkSize {
		doc.WriteString(marker)
		doc.Write(pattern(997, byte(doc.Len())))
	}
	s := newStore(t)
	ref := put(t, s, doc.Bytes())
	sum := sha256.Sum256(doc.Bytes())
	if ref.Name == hex.EncodeToString(sum[:]) {
		t.Fatal("name is the plain SHA-256 of the content")
	}
	for _, n := range dirNames(t, s.dir) {
		raw := rawFile(t, s, n)
		for _, needle := range [][]byte{[]byte(marker), []byte("%PDF"), sum[:], []byte(hex.EncodeToString(sum[:]))} {
			if bytes.Contains(raw, needle) {
				t.Fatalf("file %s contains %q", n, needle)
			}
		}
	}
}

func TestDedupe(t *testing.T) {
	s := newStore(t)
	data := pattern(chunkSize+10, 3)
	a, b := put(t, s, data), put(t, s, data)
	if a != b {
		t.Fatalf("refs differ: %+v vs %+v", a, b)
	}
	if names := dirNames(t, s.dir); len(names) != 1 || names[0] != a.Name {
		t.Fatalf("dir = %v, want only %s", names, a.Name)
	}
	if c := put(t, s, pattern(chunkSize+10, 4)); c.Name == a.Name {
		t.Fatal("different content, same name")
	}
}

// Names depend on the key, and a file does not open under another key.
func TestKeyBound(t *testing.T) {
	a := newStore(t)
	b, err := Open(filepath.Join(t.TempDir(), "b"), testKey(100))
	if err != nil {
		t.Fatal(err)
	}
	data := []byte("same invoice in two data folders")
	ra, rb := put(t, a, data), put(t, b, data)
	if ra.Name == rb.Name {
		t.Fatal("name does not depend on the key")
	}
	writeRaw(t, b, ra.Name, rawFile(t, a, ra.Name))
	if _, err := readAll(b, ra.Name); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("other key: err = %v, want ErrCorrupt", err)
	}
}

func TestOpenKeyChecks(t *testing.T) {
	if _, err := Open(t.TempDir(), secret.New(make([]byte, 16))); !errors.Is(err, ErrBadKey) {
		t.Fatalf("err = %v, want ErrBadKey", err)
	}
}

// The store keeps its own key copy: wiping the caller's must not change names.
func TestCallerWipesKey(t *testing.T) {
	k := testKey(0)
	s, err := Open(t.TempDir(), k)
	if err != nil {
		t.Fatal(err)
	}
	before := put(t, s, []byte("x"))
	k.Wipe()
	if after := put(t, s, []byte("x")); after != before {
		t.Fatal("name changed after the caller wiped its key")
	}
}

// security checklist #27: no name reaches outside the folder.
func TestBadNames(t *testing.T) {
	s := newStore(t)
	ref := put(t, s, []byte("real"))
	victim := filepath.Join(filepath.Dir(s.dir), "victim")
	if err := os.WriteFile(victim, []byte("outside"), 0o600); err != nil {
		t.Fatal(err)
	}
	names := []string{
		"", "../victim", "..", ".", "/etc/passwd", `C:\x`, `..\victim`, "x\x00",
		strings.Repeat("a", 300), ref.Name[:NameLen-1], ref.Name + "0",
		strings.ToUpper(ref.Name), "g" + ref.Name[1:], "../" + ref.Name[3:],
		"./" + ref.Name[2:], ".put-1.tmp",
	}
	for _, n := range names {
		if s.Has(n) {
			t.Errorf("Has(%q) = true", n)
		}
		if _, err := s.Open(n); !errors.Is(err, ErrBadName) {
			t.Errorf("Open(%q) err = %v, want ErrBadName", n, err)
		}
		if err := s.Delete(n); !errors.Is(err, ErrNotFound) {
			t.Errorf("Delete(%q) err = %v, want ErrNotFound", n, err)
		}
	}
	if _, err := os.Stat(victim); err != nil {
		t.Fatalf("file outside the store touched: %v", err)
	}
	if !s.Has(ref.Name) {
		t.Fatal("real attachment lost")
	}
}

func TestMissingAndDelete(t *testing.T) {
	s := newStore(t)
	ref := put(t, s, []byte("to delete"))
	if err := s.Delete(ref.Name); err != nil {
		t.Fatal(err)
	}
	if s.Has(ref.Name) {
		t.Fatal("still there after Delete")
	}
	if _, err := s.Open(ref.Name); !errors.Is(err, ErrNotFound) || errors.Is(err, ErrBadName) {
		t.Fatalf("Open after Delete: %v", err)
	}
	if err := s.Delete(ref.Name); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second Delete: %v", err)
	}
}

// A symlink with a valid name that leads out of the folder is not ours.
func TestSymlinkNotFollowed(t *testing.T) {
	s := newStore(t)
	outside := filepath.Join(t.TempDir(), "outside")
	if err := os.WriteFile(outside, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	name := strings.Repeat("ab", NameLen/2)
	if err := os.Symlink(outside, filepath.Join(s.dir, name)); err != nil {
		t.Skip("no symlinks here:", err)
	}
	if s.Has(name) {
		t.Fatal("Has follows a symlink")
	}
	if _, err := s.Open(name); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Open through symlink: %v", err)
	}
}

func TestPermissions(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no POSIX modes")
	}
	s := newStore(t)
	ref := put(t, s, []byte("mode"))
	for path, want := range map[string]os.FileMode{s.dir: 0o700, filepath.Join(s.dir, ref.Name): 0o600} {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s mode %v, want %v", path, fi.Mode().Perm(), want)
		}
	}
}

// security checklist #4: every file gets its own nonce prefix.
func TestNoncePrefixesDistinct(t *testing.T) {
	n := 1000
	if testing.Short() {
		n = 100
	}
	s := newStore(t)
	seen := make(map[string]bool, n)
	for i := range n {
		ref := put(t, s, fmt.Appendf(nil, "invoice %d", i))
		seen[string(rawFile(t, s, ref.Name)[len(magic)+1:headerSize])] = true
	}
	if len(seen) != n {
		t.Fatalf("%d distinct prefixes for %d files", len(seen), n)
	}
}

func TestConcurrentPuts(t *testing.T) {
	s := newStore(t)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			shared := pattern(chunkSize+1, 9)
			own := pattern(chunkSize+1, byte(20+i))
			for _, d := range [][]byte{shared, own} {
				ref, err := s.Put(bytes.NewReader(d), DefaultLimit)
				if err != nil {
					t.Error(err)
					return
				}
				if got, err := readAll(s, ref.Name); err != nil || !bytes.Equal(got, d) {
					t.Errorf("read back: %v", err)
				}
			}
		})
	}
	wg.Wait()
	if names := dirNames(t, s.dir); len(names) != 9 {
		t.Fatalf("%d files, want 9: %v", len(names), names)
	}
}

// security checklist #6: printing a Store shows no key material.
func TestStoreRedacted(t *testing.T) {
	s := newStore(t)
	want := "attach.Store(" + s.dir + ")"
	for _, f := range []string{"%v", "%+v", "%#v", "%s"} {
		if got := fmt.Sprintf(f, s); got != want {
			t.Errorf("%s: %q", f, got)
		}
		if got := fmt.Sprintf(f, *s); got != want {
			t.Errorf("%s of value: %q", f, got)
		}
	}
}

// A crash between write and rename leaves a temp file; the next Open clears
// it once it is old enough not to belong to a running Put.
func TestSweepStaleTemps(t *testing.T) {
	s := newStore(t)
	stale := filepath.Join(s.dir, tempPrefix+"1"+tempSuffix)
	fresh := filepath.Join(s.dir, tempPrefix+"2"+tempSuffix)
	for _, p := range []string{stale, fresh} {
		if err := os.WriteFile(p, []byte("sealed bytes"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-2 * staleAfter)
	if err := os.Chtimes(stale, old, old); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(s.dir, testKey(0)); err != nil {
		t.Fatal(err)
	}
	if names := dirNames(t, s.dir); len(names) != 1 || names[0] != filepath.Base(fresh) {
		t.Fatalf("dir = %v, want only the fresh temp", names)
	}
}
