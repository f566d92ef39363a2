//go:build ocr && cgo

package ocr

import (
	"context"
	"fmt"
	"image"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/otiai10/gosseract/v2"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/pdfdoc"
)

// tessdataDirs are where distributions put Tesseract's language data;
// $TESSDATA_PREFIX, when set, is looked at first.
var tessdataDirs = []string{
	"/usr/share/tesseract-ocr/5/tessdata",    // Debian 12+, Ubuntu 22.04+
	"/usr/share/tesseract-ocr/4.00/tessdata", // Debian 11, Ubuntu 20.04
	"/usr/share/tessdata",                    // Fedora, Arch
	"/usr/local/share/tessdata",              // built from source, Homebrew on Intel
	"/opt/homebrew/share/tessdata",           // Homebrew on Apple silicon
}

// Tesseract settings. Page segmentation 3 (automatic, no orientation
// detection) keeps table columns apart; gosseract's default, 6 (one block
// of text), runs them together. It is set as a variable because
// SetPageSegMode is undone by gosseract's lazy initialisation.
var variables = map[gosseract.SettableVariable]string{
	"tessedit_pageseg_mode": "3",
	gosseract.DEBUG_FILE:    os.DevNull, // Tesseract's warnings, not ours to print
}

// initMu serialises Tesseract's initialisation: gosseract points the
// process's stderr at a small buffer while the language data loads, which
// two at once would garble.
var initMu sync.Mutex

// blankPGM is a 1×1 white page: Tesseract is initialised on it, and a
// client is left holding it instead of the last real page.
var blankPGM = []byte("P5\n1 1\n255\n\xff")

// New starts Tesseract with langs (Tesseract codes, also "eng+deu" as one
// argument; DefaultLanguages when none). It checks that the language data
// is installed, then starts one Tesseract instance (≈ 0.2 s), so call it
// off the UI's start path. More instances start when pages wait, up to
// max(1, CPUs/2) (at most 4), each reading one page at a time on one core
// (see limitThreads); they stay until Close. The returned Engine is an
// io.Closer.
//
// Errors: apperr.Unavailable wrapping ErrUnavailable when language data is
// missing (the message names the packages to install) or Tesseract does not
// start; apperr.InvalidInput for a malformed language code.
func New(langs ...string) (Engine, error) {
	langs, err := languages(langs)
	if err != nil {
		return nil, err
	}
	dirs := tessdataDirs
	if p := os.Getenv("TESSDATA_PREFIX"); p != "" {
		dirs = append([]string{p}, dirs...)
	}
	dir, err := findTessdata(langs, dirs)
	if err != nil {
		return nil, err
	}
	t := &tesseract{dir: dir, langs: langs, max: workers(), workers: 1,
		jobs: make(chan job), done: make(chan struct{})}
	if err := t.startWorker(); err != nil {
		return nil, apperr.Wrap(fmt.Errorf("%w: %w", ErrUnavailable, err), apperr.Unavailable,
			"Tesseract OCR could not start; reinstall tesseract-ocr and its language packages.")
	}
	return t, nil
}

func workers() int { return max(1, min(4, runtime.NumCPU()/2)) }

var langCode = regexp.MustCompile(`^[A-Za-z0-9_]{1,32}$`)

func languages(in []string) ([]string, error) {
	if len(in) == 0 {
		in = DefaultLanguages
	}
	var out []string
	seen := map[string]bool{}
	for _, arg := range in {
		for _, l := range strings.Split(arg, "+") {
			if !langCode.MatchString(l) {
				return nil, apperr.New(apperr.InvalidInput, "%q is not a Tesseract language code (like eng, deu, fra).", l)
			}
			if !seen[l] {
				seen[l] = true
				out = append(out, l)
			}
		}
	}
	return out, nil
}

// findTessdata returns the first of dirs that holds every language. Tesseract
// is never asked to load a missing one: it would print pages of errors
// into gosseract's 512-byte buffer.
func findTessdata(langs, dirs []string) (string, error) {
	best, bestMissing := "", langs
	for _, dir := range dirs {
		var missing []string
		for _, l := range langs {
			fi, err := os.Stat(filepath.Join(dir, l+".traineddata")) // #nosec G703 -- l matched langCode; dir is ours or $TESSDATA_PREFIX
			if err != nil || !fi.Mode().IsRegular() || fi.Size() == 0 {
				missing = append(missing, l)
			}
		}
		if len(missing) == 0 {
			return dir, nil
		}
		if len(missing) < len(bestMissing) {
			best, bestMissing = dir, missing
		}
	}
	pkgs := []string{"tesseract-ocr"}
	for _, l := range bestMissing {
		pkgs = append(pkgs, "tesseract-ocr-"+strings.ReplaceAll(strings.ToLower(l), "_", "-"))
	}
	cause := fmt.Errorf("%w: no %s.traineddata in %s", ErrUnavailable,
		strings.Join(bestMissing, ".traineddata, no "), strings.Join(dirs, ", "))
	if best != "" {
		cause = fmt.Errorf("%w (best: %s)", cause, best)
	}
	return "", apperr.Wrap(cause, apperr.Unavailable,
		"OCR needs Tesseract with its %s language data: install %s.",
		strings.Join(bestMissing, ", "), strings.Join(pkgs, " "))
}

// tesseract is the Engine. gosseract clients are not safe for concurrent
// use, and Tesseract allocates a lot of C memory per page: each client lives
// in one worker goroutine that keeps one OS thread for life, so a page is
// always read on the same thread (limitThreads set once, and glibc reuses
// that thread's malloc arena instead of spreading pages over new ones).
// Measured over 40 pages: with clients moving between threads RSS went
// from 137 to 252 MB in steps; this way it levels off at 171 MB after
// ten pages (+5 KB a page after that: gosseract never frees the word
// strings and result iterator it gets from Tesseract).
type tesseract struct {
	dir   string
	langs []string
	max   int           // workers at most
	jobs  chan job      // unbuffered: a send succeeds when a worker is free
	done  chan struct{} // closed by Close
	wg    sync.WaitGroup

	mu      sync.Mutex
	workers int
	closed  bool
}

type job struct {
	page  []byte // PGM
	dpi   float64
	reply chan<- result // buffered: a worker never waits for a caller that gave up
}

type result struct {
	boxes []gosseract.BoundingBox
	err   error
}

// startWorker starts a worker and waits until its Tesseract is ready.
func (t *tesseract) startWorker() error {
	ready := make(chan error, 1)
	t.wg.Add(1)
	go t.work(ready)
	return <-ready
}

func (t *tesseract) work(ready chan<- error) {
	defer t.wg.Done()
	// Never unlocked: the thread ends with the goroutine.
	runtime.LockOSThread()
	limitThreads()
	c, err := t.newClient()
	ready <- err
	if err != nil {
		return
	}
	defer func() { _ = c.Close() }()
	for {
		select {
		case j := <-t.jobs:
			boxes, err := recognize(c, j.page, j.dpi)
			j.reply <- result{boxes, err}
		case <-t.done:
			return
		}
	}
}

func (t *tesseract) newClient() (*gosseract.Client, error) {
	c := gosseract.NewClient()
	c.TessdataPrefix = t.dir
	c.Languages = t.langs
	for k, v := range variables {
		_ = c.SetVariable(k, v)
	}
	initMu.Lock()
	defer initMu.Unlock()
	if err := c.SetImageFromBytes(blankPGM); err != nil {
		_ = c.Close()
		return nil, err
	}
	if _, err := c.Text(); err != nil { // initialises (languages, variables)
		_ = c.Close()
		return nil, err
	}
	return c, nil
}

// Close stops the workers and frees their Tesseract instances, after the
// pages being read (a second or a few) are done. Words fails with
// ErrUnavailable afterwards.
func (t *tesseract) Close() error {
	t.mu.Lock()
	if !t.closed {
		t.closed = true
		close(t.done)
	}
	t.mu.Unlock()
	t.wg.Wait()
	return nil
}

func errClosed() error {
	return apperr.Wrap(ErrUnavailable, apperr.Unavailable, "The OCR engine has been closed.")
}

// grow reserves a place for one more worker, if the engine may have one.
func (t *tesseract) grow() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed || t.workers >= t.max {
		return false
	}
	t.workers++
	return true
}

// submit hands j to a free worker, starting one when all are busy and
// there may be more.
func (t *tesseract) submit(ctx context.Context, j job) error {
	for {
		select {
		case t.jobs <- j:
			return nil
		case <-t.done:
			return errClosed()
		case <-ctx.Done():
			return ctx.Err()
		default:
		}
		if t.grow() {
			if err := t.startWorker(); err != nil {
				t.mu.Lock()
				t.workers--
				t.mu.Unlock()
				return apperr.Wrap(err, apperr.Unavailable, "Tesseract OCR could not start.")
			}
			continue
		}
		select {
		case t.jobs <- j:
			return nil
		case <-t.done:
			return errClosed()
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Words implements Engine. A cancelled ctx returns at once; the page being
// read is finished by its worker (Tesseract cannot be interrupted) and
// dropped.
func (t *tesseract) Words(ctx context.Context, img image.Image) ([]pdfdoc.TextRun, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	b := img.Bounds()
	if b.Empty() {
		return nil, nil
	}
	if int64(b.Dx())*int64(b.Dy()) > MaxPixels {
		return nil, tooManyPixels(b.Dx(), b.Dy())
	}
	dpi := dpiOf(img)
	reply := make(chan result, 1)
	if err := t.submit(ctx, job{page: pgm(img), dpi: dpi, reply: reply}); err != nil {
		return nil, err
	}
	select {
	case r := <-reply:
		if r.err != nil {
			return nil, apperr.Wrap(r.err, apperr.Internal, "OCR failed on this page.")
		}
		return toRuns(r.boxes, dpi, b.Dx(), b.Dy()), nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// recognize runs Tesseract on one page.
func recognize(c *gosseract.Client, page []byte, dpi float64) ([]gosseract.BoundingBox, error) {
	_ = c.SetVariable("user_defined_dpi", strconv.Itoa(int(math.Round(dpi))))
	if err := c.SetImageFromBytes(page); err != nil {
		return nil, err
	}
	boxes, err := c.GetBoundingBoxesVerbose()
	// Let go of the page (Leptonica's copy, Tesseract's results) now rather
	// than hold it while idle.
	if c.SetImageFromBytes(blankPGM) == nil {
		_, _ = c.Text()
	}
	return boxes, err
}

// toRuns turns word boxes in pixels into TextRuns in points.
func toRuns(boxes []gosseract.BoundingBox, dpi float64, w, h int) []pdfdoc.TextRun {
	s := 72 / dpi
	frame := image.Rect(0, 0, w, h)
	runs := make([]pdfdoc.TextRun, 0, len(boxes))
	for _, bx := range boxes {
		text := strings.TrimSpace(strings.ToValidUTF8(bx.Word, ""))
		r := bx.Box.Canon().Intersect(frame)
		if text == "" || r.Empty() {
			continue
		}
		runs = append(runs, pdfdoc.TextRun{
			Text: text,
			X:    float64(r.Min.X) * s, Y: float64(r.Min.Y) * s,
			W: float64(r.Dx()) * s, H: float64(r.Dy()) * s,
		})
	}
	return runs
}
