package pdfdoc

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/smartap/desktop/backend/apperr"
)

// One engine for the whole package: starting PDFium is the expensive part.
var (
	sharedOnce   sync.Once
	sharedEngine *Engine
	sharedErr    error
)

// testCacheDir keeps compiled PDFium between test runs, so only the first
// run on a machine pays for compilation.
func testCacheDir(t testing.TB) string {
	if dir, err := os.UserCacheDir(); err == nil {
		return filepath.Join(dir, "smartap-test", "wazero")
	}
	return t.TempDir()
}

func engine(t testing.TB) *Engine {
	t.Helper()
	sharedOnce.Do(func() {
		start := time.Now()
		sharedEngine, sharedErr = NewEngine(context.Background(), testCacheDir(t))
		t.Logf("PDFium engine start: %v (cache %s)", time.Since(start).Round(time.Millisecond), testCacheDir(t))
	})
	if sharedErr != nil {
		t.Fatalf("NewEngine: %v", sharedErr)
	}
	return sharedEngine
}

func TestMain(m *testing.M) {
	code := m.Run()
	if sharedEngine != nil {
		_ = sharedEngine.Close()
	}
	os.Exit(code)
}

func TestEngineClose(t *testing.T) {
	e, err := NewEngine(context.Background(), testCacheDir(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	_, err = e.Attachments(minimalPDF(""))
	if !errors.Is(err, ErrClosed) || apperr.CodeOf(err) != apperr.Unavailable {
		t.Fatalf("after Close: %v", err)
	}
}

func TestNewEngineCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := NewEngine(ctx, ""); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestCacheDirMustBePrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache")
	if err := os.Mkdir(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	if _, err := NewEngine(context.Background(), dir); !errors.Is(err, ErrCacheDir) {
		t.Fatalf("world-writable cache accepted: %v", err)
	}
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := checkCacheDir(file); err == nil {
		t.Fatal("a file accepted as cache dir")
	}
}

// A call that exceeds the time limit kills the instance; the next call gets
// a fresh one and works.
func TestTimeoutReplacesInstance(t *testing.T) {
	e := engine(t)
	pdf := readCorpus(t, "zugferd-corpus/XML-Rechnung/FX/EN16931_Einfach.pdf")
	setTimeout(e, time.Microsecond)
	_, err := e.PageText(pdf)
	setTimeout(e, opTimeout)
	if !errors.Is(err, ErrBroken) || !errors.Is(err, errCrashed) {
		t.Fatalf("err = %v, want a timeout", err)
	}
	if _, err := e.PageText(pdf); err != nil {
		t.Fatalf("engine not usable after a kill: %v", err)
	}
}

func setTimeout(e *Engine, d time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.timeout = d
}

// The engine serialises calls; the race detector checks the rest.
func TestConcurrentUse(t *testing.T) {
	e := engine(t)
	pdf := readCorpus(t, "zugferd-corpus/XML-Rechnung/FX/EN16931_Einfach.pdf")
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var err error
			if i%2 == 0 {
				_, err = e.Attachments(pdf)
			} else {
				_, err = e.PageText(pdf)
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

func BenchmarkEngineStart(b *testing.B) {
	b.Run("cold", func(b *testing.B) {
		for b.Loop() {
			e, err := NewEngine(context.Background(), b.TempDir())
			if err != nil {
				b.Fatal(err)
			}
			_ = e.Close()
		}
	})
	b.Run("warm", func(b *testing.B) {
		dir := b.TempDir()
		e, err := NewEngine(context.Background(), dir) // fills the cache
		if err != nil {
			b.Fatal(err)
		}
		_ = e.Close()
		for b.Loop() {
			e, err := NewEngine(context.Background(), dir)
			if err != nil {
				b.Fatal(err)
			}
			_ = e.Close()
		}
	})
}
