// Package pdfdoc reads PDFs through PDFium compiled to WebAssembly
// (github.com/klippa-app/go-pdfium, wazero runtime; no cgo): embedded files
// (the XML of Factur-X, ZUGFeRD and XRechnung invoices) and positioned page
// text for the page reader (ARCHITECTURE.md §3.2–3.3).
//
// PDFium runs inside the WebAssembly sandbox: it sees no file system (no
// directory is mounted; documents are passed as bytes), its memory is capped
// at 2 GiB by the module, and every call has a time limit after which the
// instance is killed and replaced. Nothing in a PDF is executed: document
// JavaScript and actions only run in PDFium through a form-fill
// environment, and none is set up.
package pdfdoc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/webassembly"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

// opTimeout bounds one call into PDFium (open + read + close of one
// document). Real invoices take milliseconds; a crafted file that makes
// PDFium spin is cut off.
const opTimeout = 30 * time.Second

// Engine wraps one PDFium WebAssembly instance. It is safe for concurrent
// use: calls are serialised, since one instance runs one call at a time.
type Engine struct {
	mu      sync.Mutex
	pool    pdfium.Pool
	inst    pdfium.Pdfium // nil after a kill; replaced on the next call
	cache   wazero.CompilationCache
	timeout time.Duration // opTimeout; tests shorten it
	done    bool
}

// NewEngine compiles (or loads from the cache) PDFium and starts one
// instance. Without a cache this takes seconds and hundreds of MB; with the
// disk cache in cacheDir ("" for none) about 0.1 s. Call it in the
// background, never on the app's start path (RECIPES.md).
//
// The cache holds native code that is loaded and run, so cacheDir must be
// private to the user: NewEngine creates it 0700 and refuses a directory
// that others can write to. ctx bounds the start only; the engine lives
// until Close.
func NewEngine(ctx context.Context, cacheDir string) (*Engine, error) {
	type result struct {
		e   *Engine
		err error
	}
	ch := make(chan result, 1)
	go func() {
		e, err := startEngine(context.WithoutCancel(ctx), cacheDir)
		ch <- result{e, err}
	}()
	select {
	case r := <-ch:
		return r.e, r.err
	case <-ctx.Done():
		go func() { // compilation cannot be interrupted; clean up after it
			if r := <-ch; r.e != nil {
				_ = r.e.Close()
			}
		}()
		return nil, fmt.Errorf("pdfdoc: start: %w", ctx.Err())
	}
}

func startEngine(ctx context.Context, cacheDir string) (*Engine, error) {
	e := &Engine{timeout: opTimeout}
	cfg := wazero.NewRuntimeConfig().
		// The bundled PDFium lowers setjmp/longjmp to WebAssembly exception
		// handling; without the feature it fails with "tag section not supported".
		WithCoreFeatures(api.CoreFeaturesV2 | experimental.CoreFeaturesExceptionHandling).
		// Lets Kill (context cancel) stop a call that is stuck in PDFium.
		// It costs: wazero then watches every call with a goroutine, about
		// 0.7 µs on calls that otherwise take 0.1 µs, and go-pdfium makes a
		// few per character, so page text takes ≈10 ms a page instead of
		// ≈2.6 ms. A file that makes PDFium spin must not hold a core forever.
		WithCloseOnContextDone(true)
	if cacheDir != "" {
		if err := checkCacheDir(cacheDir); err != nil {
			return nil, err
		}
		cache, err := wazero.NewCompilationCacheWithDir(cacheDir)
		if err != nil {
			return nil, fmt.Errorf("pdfdoc: compilation cache %s: %w", cacheDir, err)
		}
		e.cache = cache
		cfg = cfg.WithCompilationCache(cache)
	}
	pool, err := webassembly.Init(webassembly.Config{
		Context: ctx, MinIdle: 1, MaxIdle: 1, MaxTotal: 1,
		RuntimeConfig: cfg,
		FSConfig:      wazero.NewFSConfig(), // no mounts: PDFium sees no files
		Stdout:        io.Discard,
		Stderr:        io.Discard,
		ReuseWorkers:  true,
	})
	if err != nil {
		e.closeCache()
		return nil, fmt.Errorf("pdfdoc: start PDFium: %w", err)
	}
	e.pool = pool
	if err := e.ensureInstance(); err != nil {
		_ = e.Close()
		return nil, err
	}
	return e, nil
}

// Close stops PDFium and releases the compilation cache, after a running
// call has finished. Calls after Close fail with ErrClosed.
func (e *Engine) Close() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.done {
		return nil
	}
	e.done = true
	var err error
	if e.inst != nil {
		err = e.inst.Close()
		e.inst = nil
	}
	if e.pool != nil {
		err = errors.Join(err, e.pool.Close())
	}
	e.closeCache()
	if err != nil {
		return fmt.Errorf("pdfdoc: close: %w", err)
	}
	return nil
}

func (e *Engine) closeCache() {
	if e.cache != nil {
		_ = e.cache.Close(context.Background())
		e.cache = nil
	}
}

// ensureInstance gets an instance from the pool after a start or a kill.
// Caller holds mu (or owns e alone).
func (e *Engine) ensureInstance() error {
	if e.inst != nil {
		return nil
	}
	inst, err := e.pool.GetInstance(e.timeout)
	if err != nil {
		return fmt.Errorf("pdfdoc: PDFium instance: %w", err)
	}
	e.inst = inst
	return nil
}

// errStuck marks a call that hit opTimeout.
var errStuck = fmt.Errorf("%w: call timed out", errCrashed)

// run executes op on the instance, one call at a time, under opTimeout. A
// call that times out, panics or fails inside PDFium (errCrashed: a
// WebAssembly trap surfaces as an error) leaves PDFium in an unknown state:
// the instance is killed and a fresh one is made for the next call.
func (e *Engine) run(op func(pdfium.Pdfium) error) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.done {
		return closed()
	}
	if err := e.ensureInstance(); err != nil {
		return err
	}
	inst := e.inst
	done := make(chan error, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- crashed("panic", fmt.Errorf("%v", r))
			}
		}()
		done <- op(inst)
	}()
	timer := time.NewTimer(e.timeout)
	defer timer.Stop()
	select {
	case err := <-done:
		if errors.Is(err, errCrashed) {
			e.kill()
		}
		return err
	case <-timer.C:
		e.kill()
		<-done // the cancelled context ends the WebAssembly call
		return broken(errStuck, "Reading the PDF took longer than %s; it may be damaged or crafted.", e.timeout)
	}
}

// kill drops the current instance; the pool builds a new one from the
// compiled module (milliseconds), so one bad file cannot poison the next.
func (e *Engine) kill() {
	if e.inst != nil {
		_ = e.inst.Kill()
		e.inst = nil
	}
}
