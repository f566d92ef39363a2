package attach

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"testing"
	"testing/iotest"
)

func assertEmpty(t *testing.T, s *Store) {
	t.Helper()
	if names := dirNames(t, s.dir); len(names) != 0 {
		t.Fatalf("left behind: %v", names)
	}
}

// security checklist #26: the limit holds exactly, and a rejected Put
// leaves nothing on disk.
func TestLimit(t *testing.T) {
	for _, n := range []int{0, 1, chunkSize - 1, chunkSize, chunkSize + 1, 3*chunkSize + 7} {
		data := pattern(n, 5)
		t.Run(fmt.Sprintf("size %d limit %d", n, n), func(t *testing.T) {
			s := newStore(t)
			if _, err := s.Put(bytes.NewReader(data), int64(n)); err != nil {
				t.Fatal(err)
			}
		})
		t.Run(fmt.Sprintf("size %d limit %d", n+1, n), func(t *testing.T) {
			s := newStore(t)
			over := append(bytes.Clone(data), 'x')
			_, err := s.Put(bytes.NewReader(over), int64(n))
			if !errors.Is(err, ErrTooLarge) {
				t.Fatalf("err = %v, want ErrTooLarge", err)
			}
			assertEmpty(t, s)
		})
	}
}

func TestLimitEdges(t *testing.T) {
	s := newStore(t)
	if _, err := s.Put(bytes.NewReader([]byte("x")), -1); err == nil {
		t.Fatal("negative limit accepted")
	}
	if _, err := s.Put(bytes.NewReader([]byte("x")), math.MaxInt64); err != nil {
		t.Fatalf("MaxInt64 limit: %v", err)
	}
}

// endless yields bytes forever and fails the test if Put reads more than
// allowed; it is the attacker's never-ending upload.
type endless struct {
	t       *testing.T
	allowed int64
	read    int64
}

func (e *endless) Read(p []byte) (int, error) {
	if e.read+int64(len(p)) > e.allowed {
		p = p[:max(0, e.allowed-e.read)]
		if len(p) == 0 {
			e.t.Errorf("Put kept reading past %d bytes", e.allowed)
			return 0, errors.New("read too far")
		}
	}
	for i := range p {
		p[i] = byte(e.read) + byte(i)
	}
	e.read += int64(len(p))
	return len(p), nil
}

// Put stops at limit+1 bytes and never holds the input in memory.
func TestLimitDoesNotBuffer(t *testing.T) {
	const limit = 32 << 20
	s := newStore(t)
	src := &endless{t: t, allowed: limit + 1 + chunkSize}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := s.Put(src, limit)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
	if src.read != limit+1 {
		t.Fatalf("read %d bytes, want exactly limit+1 = %d", src.read, limit+1)
	}
	// One chunk in and one out is ~128 KiB; the input is 32 MiB.
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 2<<20 {
		t.Fatalf("Put allocated %d bytes for a %d-byte input", alloc, limit)
	}
	assertEmpty(t, s)
}

// security checklist #36: a fault between write and rename leaves no named
// file and no partial one.
func TestFaultBeforeRename(t *testing.T) {
	s := newStore(t)
	data := pattern(2*chunkSize+3, 6)
	boom := errors.New("injected crash")
	s.beforeRename = func(tmp string) error {
		// At the moment of the crash only the complete, hidden temp exists.
		names := dirNames(t, s.dir)
		if len(names) != 1 || !isTempName(names[0]) || validName(names[0]) {
			t.Errorf("before rename dir = %v", names)
		}
		if fi, err := os.Stat(tmp); err != nil || fi.Size() != int64(sealedLen(len(data))) {
			t.Errorf("temp not complete before rename: %v", err)
		}
		return boom
	}
	ref, err := s.Put(bytes.NewReader(data), DefaultLimit)
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want injected fault", err)
	}
	if ref.Name != "" {
		t.Fatalf("ref returned on failure: %+v", ref)
	}
	assertEmpty(t, s)
	s.beforeRename = nil
	ref = put(t, s, data)
	if got, err := readAll(s, ref.Name); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("after recovery: %v", err)
	}
}

func TestInputErrorLeavesNothing(t *testing.T) {
	s := newStore(t)
	cause := errors.New("network dropped")
	r := io.MultiReader(bytes.NewReader(pattern(100<<10, 7)), iotest.ErrReader(cause))
	if _, err := s.Put(r, DefaultLimit); !errors.Is(err, cause) {
		t.Fatalf("err = %v, want the reader's error", err)
	}
	assertEmpty(t, s)
}

func TestRandFailureLeavesNothing(t *testing.T) {
	s := newStore(t)
	s.rand = iotest.ErrReader(errors.New("no entropy"))
	if _, err := s.Put(bytes.NewReader([]byte("x")), DefaultLimit); err == nil {
		t.Fatal("Put without randomness succeeded")
	}
	assertEmpty(t, s)
}
