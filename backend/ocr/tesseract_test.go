//go:build ocr && cgo

package ocr

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/intake"
	"github.com/smartap/desktop/backend/pdfdoc"
)

var (
	ocrOnce sync.Once
	ocrEng  Engine
	ocrErr  error
)

// engine is one Tesseract engine for the package's tests.
func engine(t testing.TB) Engine {
	t.Helper()
	ocrOnce.Do(func() {
		start := time.Now()
		ocrEng, ocrErr = New()
		t.Logf("Tesseract start: %v", time.Since(start).Round(time.Millisecond))
	})
	if ocrErr != nil {
		t.Fatalf("New: %v (scripts/deps.sh installs Tesseract)", ocrErr)
	}
	return ocrEng
}

// Scans made the way a user's scanner would: corpus PDFs rendered to 300-dpi
// PNGs (pdftoppm when installed, else pdfdoc's RenderPage), then read by
// Image like any scan. The invoice number and the payable amount of the
// embedded XML must be among the OCR words. SMARTAP_OCR_CORPUS=all scans
// every corpus PDF with an invoice (≈ 2 min); plain go test scans four.
func TestCorpusScans(t *testing.T) {
	e := engine(t)
	all := wholeCorpus()
	trs := testTruths(t)
	render := renderer(t)
	dir := t.TempDir()
	var (
		rows              []string
		num, amt, scanned int
		numBase, amtBase  int // found in the PDF's own text layer
		ocrTime, ocrCPU   time.Duration
		pages             int
	)
	for _, tr := range trs {
		want := map[int]bool{max(tr.numPage, 1): true, max(tr.amtPage, 1): true}
		if !all {
			want = map[int]bool{1: true}
		}
		var (
			gotNum, gotAmt bool
			pageCPU        []string
		)
		for _, p := range sortedPages(want) {
			png := render(t, tr.path, p, dir)
			start, cpu0 := time.Now(), cpuTime()
			res, err := Image(context.Background(), e, png, intake.KindPNG)
			ocrTime += time.Since(start)
			cpu := cpuTime() - cpu0
			ocrCPU += cpu
			pageCPU = append(pageCPU, fmt.Sprintf("p.%d %.1fs", p, cpu.Seconds()))
			pages++
			if err != nil {
				t.Errorf("%s p.%d: %v", tr.path, p, err)
				continue
			}
			gotNum = gotNum || hasNumber(res[0], tr.number)
			gotAmt = gotAmt || hasAmount(res[0], tr.payable)
			if p == 1 {
				checkAlignment(t, tr, res[0])
			}
		}
		scanned++
		if tr.numPage > 0 {
			numBase++
		}
		if tr.amtPage > 0 {
			amtBase++
		}
		if gotNum {
			num++
		}
		if gotAmt {
			amt++
		}
		rows = append(rows, fmt.Sprintf("%-45.45s %-22q %-3s %10s %-3s  %s", tr.name(), tr.number, yes(gotNum), tr.payable, yes(gotAmt),
			strings.Join(pageCPU, ", ")))
	}
	t.Logf("%-45s %-22s %-3s %10s %-3s  %s", "PDF", "invoice number", "OCR", "payable", "OCR", "CPU per page")
	for _, r := range rows {
		t.Log(r)
	}
	t.Logf("%d PDFs, %d pages, OCR %v/page (CPU %v/page): number %d/%d (text layer %d), payable %d/%d (text layer %d)",
		scanned, pages, (ocrTime / time.Duration(max(pages, 1))).Round(10*time.Millisecond),
		(ocrCPU / time.Duration(max(pages, 1))).Round(10*time.Millisecond),
		num, scanned, numBase, amt, scanned, amtBase)
	// Floors we reach (see the report in the package's tests): every quick
	// scan; on the whole corpus, 9 in 10 of what the text layer shows.
	if !all {
		if num < len(trs) || amt < len(trs) {
			t.Errorf("quick scans: number %d/%d, payable %d/%d; want all", num, len(trs), amt, len(trs))
		}
	} else if num*10 < numBase*9 || amt*10 < amtBase*9 {
		t.Errorf("corpus scans: number %d/%d, payable %d/%d of what the text layer shows; want ≥ 90%%", num, numBase, amt, amtBase)
	}
}

func sortedPages(m map[int]bool) []int {
	var out []int
	for p := range m {
		out = append(out, p)
	}
	sort.Ints(out)
	return out
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return "NO"
}

// renderFunc writes page p of a corpus PDF as a 300-dpi PNG into dir and
// returns its bytes.
type renderFunc func(t *testing.T, rel string, p int, dir string) []byte

// SMARTAP_OCR_RENDER=pdfium uses RenderPage even where pdftoppm is installed.
func renderer(t *testing.T) renderFunc {
	if path, err := exec.LookPath("pdftoppm"); err == nil && os.Getenv("SMARTAP_OCR_RENDER") != "pdfium" {
		t.Logf("scans rendered by %s", path)
		return func(t *testing.T, rel string, p int, dir string) []byte {
			out := filepath.Join(dir, fmt.Sprintf("%s-%d", strings.ReplaceAll(rel, "/", "_"), p))
			cmd := exec.Command(path, "-r", "300", "-gray", "-png", "-f", fmt.Sprint(p), "-l", fmt.Sprint(p), "-singlefile",
				filepath.Join(corpusDir, rel), out)
			if b, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("pdftoppm %s: %v\n%s", rel, err, b)
			}
			data, err := os.ReadFile(out + ".png")
			if err != nil {
				t.Fatal(err)
			}
			return data
		}
	}
	t.Log("scans rendered by pdfdoc.RenderPage (pdftoppm not installed)")
	return func(t *testing.T, rel string, p int, dir string) []byte {
		data, err := os.ReadFile(filepath.Join(corpusDir, rel))
		if err != nil {
			t.Fatal(err)
		}
		img, _, err := pdfEngine(t).RenderPage(data, p, 300)
		if err != nil {
			t.Fatalf("render %s p.%d: %v", rel, p, err)
		}
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, fmt.Sprintf("%s-%d.png", strings.ReplaceAll(rel, "/", "_"), p))
		if err := os.WriteFile(out, buf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
}

// checkAlignment compares OCR word boxes with the PDF's own text runs that
// hold the same single word: both are points from the page's top-left
// corner, so they must coincide within a few points.
func checkAlignment(t *testing.T, tr truth, ocr []pdfdoc.TextRun) {
	t.Helper()
	if len(tr.textPages) == 0 {
		return
	}
	runs := map[string][]pdfdoc.TextRun{}
	for _, r := range tr.textPages[0] {
		if txt := strings.TrimSpace(r.Text); len(txt) >= 5 && !strings.Contains(txt, " ") {
			runs[txt] = append(runs[txt], r)
		}
	}
	var dx, dy []float64
	for _, w := range ocr {
		rs := runs[w.Text]
		if len(rs) != 1 {
			continue
		}
		dx = append(dx, math.Abs(w.X-rs[0].X))
		dy = append(dy, math.Abs((w.Y+w.H)-(rs[0].Y+rs[0].H))) // baselines-ish
	}
	if len(dx) < 3 {
		t.Logf("%s: only %d words to compare positions", tr.name(), len(dx))
		return
	}
	mx, my := median(dx), median(dy)
	if mx > 3 || my > 4 {
		t.Errorf("%s: OCR boxes off the text layer by %.1f pt (x), %.1f pt (y) (median of %d words)", tr.name(), mx, my, len(dx))
	}
}

func median(v []float64) float64 {
	sort.Float64s(v)
	return v[len(v)/2]
}

// An image with no text gives no words and no error, and so do tiny and
// empty images.
func TestBlankImage(t *testing.T) {
	e := engine(t)
	white := image.NewGray(image.Rect(0, 0, 1240, 1754)) // A4 at 150 dpi
	for i := range white.Pix {
		white.Pix[i] = 255
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, white); err != nil {
		t.Fatal(err)
	}
	pages, err := Image(context.Background(), e, buf.Bytes(), intake.KindPNG)
	if err != nil || len(pages) != 1 || len(pages[0]) != 0 {
		t.Errorf("blank page: %d pages, %v, %v", len(pages), pages, err)
	}
	for _, img := range []image.Image{image.NewGray(image.Rect(0, 0, 1, 1)), image.NewRGBA(image.Rectangle{}),
		image.NewNRGBA(image.Rect(0, 0, 300, 200))} { // transparent: white paper
		runs, err := e.Words(context.Background(), img)
		if err != nil || len(runs) != 0 {
			t.Errorf("%T %v: %v, %v", img, img.Bounds(), runs, err)
		}
	}
}

// A damaged file is refused by the Go decoder before Tesseract sees it.
func TestCorruptImage(t *testing.T) {
	e := engine(t)
	good := pngBytes(t, image.NewGray(image.Rect(0, 0, 64, 64)))
	bad := append([]byte{}, good...)
	bad[len(bad)-20] ^= 0xff // inside IDAT or its CRC
	for name, data := range map[string][]byte{"flipped byte": bad, "truncated": good[:len(good)/2], "not a PNG": []byte("\x89PNG\r\n\x1a\nnonsense")} {
		_, err := Image(context.Background(), e, data, intake.KindPNG)
		if apperr.CodeOf(err) != apperr.InvalidInput {
			t.Errorf("%s: %v, want invalid_input", name, err)
		}
	}
}

func TestNewLanguages(t *testing.T) {
	_, err := New("eng", "zz_missing")
	if apperr.CodeOf(err) != apperr.Unavailable || !errors.Is(err, ErrUnavailable) {
		t.Fatalf("missing language: %v", err)
	}
	_, msg, _ := apperr.Public(err)
	if !strings.Contains(msg, "install tesseract-ocr tesseract-ocr-zz-missing") {
		t.Errorf("message %q does not say what to install", msg)
	}
	if _, err := New("../../etc/passwd"); apperr.CodeOf(err) != apperr.InvalidInput {
		t.Errorf("bad language code: %v", err)
	}
	e, err := New("eng+deu", "eng")
	if err != nil {
		t.Fatal(err)
	}
	if got := e.(*tesseract).langs; strings.Join(got, "+") != "eng+deu" {
		t.Errorf("languages %v", got)
	}
	closeEngine(t, e)
	if _, err := e.Words(context.Background(), image.NewGray(image.Rect(0, 0, 8, 8))); !errors.Is(err, ErrUnavailable) {
		t.Errorf("after Close: %v", err)
	}
}

func closeEngine(t *testing.T, e Engine) {
	t.Helper()
	c, ok := e.(io.Closer)
	if !ok {
		t.Fatalf("%T is not an io.Closer", e)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
}

// Words from several goroutines at once (run with -race), on an engine
// allowed two workers: the second starts when a page waits, and the results
// do not mix.
func TestConcurrentWords(t *testing.T) {
	e, err := New()
	if err != nil {
		t.Fatal(err)
	}
	defer closeEngine(t, e)
	e.(*tesseract).max = 2
	img := textImage(t)
	want, err := e.Words(context.Background(), img)
	if err != nil || len(want) == 0 {
		t.Fatalf("reference: %d words, %v", len(want), err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 3)
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := e.Words(context.Background(), img)
			if err == nil && fmt.Sprint(got) != fmt.Sprint(want) {
				err = fmt.Errorf("got %d words, want %d", len(got), len(want))
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if n := e.(*tesseract).workers; n != 2 {
		t.Errorf("%d workers, want 2", n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := e.Words(ctx, img); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	// Cancelled while Tesseract reads: Words returns at once, the worker
	// finishes the page and takes the next.
	ctx, cancel = context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := e.Words(ctx, img); !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 200*time.Millisecond {
		t.Errorf("deadline: %v after %v", err, time.Since(start))
	}
	if got, err := e.Words(context.Background(), img); err != nil || len(got) != len(want) {
		t.Errorf("after a cancelled page: %d words, %v", len(got), err)
	}
}

// textImage is the top of a corpus invoice at 300 dpi (an eighth of the
// page, so that it reads fast).
func textImage(t testing.TB) image.Image {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(corpusDir, quickCorpus[0]))
	if err != nil {
		t.Skipf("corpus: %v", err)
	}
	img, _, err := pdfEngine(t).RenderPage(data, 1, 300)
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	return WithDPI(img.(*image.Gray).SubImage(image.Rect(0, 0, b.Dx(), b.Dy()/8)), 300)
}

// Words scales boxes by the image's dpi: the same page at 150 dpi gives
// the same points, within a pixel or two.
func TestWordsDPI(t *testing.T) {
	e := engine(t)
	data, err := os.ReadFile(filepath.Join(corpusDir, quickCorpus[2]))
	if err != nil {
		t.Skipf("corpus: %v", err)
	}
	pages, err := PDF(context.Background(), e, pdfEngine(t), data)
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 1 || len(pages[0]) < 20 || pages[0][0].Page != 1 {
		t.Fatalf("PDF: %d pages, %d words", len(pages), len(pages[0]))
	}
	img, _, err := pdfEngine(t).RenderPage(data, 1, 150)
	if err != nil {
		t.Fatal(err)
	}
	low, err := e.Words(context.Background(), WithDPI(img, 150))
	if err != nil {
		t.Fatal(err)
	}
	at := map[string]pdfdoc.TextRun{}
	for _, w := range pages[0] {
		at[w.Text] = w
	}
	same := 0
	for _, w := range low {
		if h, ok := at[w.Text]; ok && len(w.Text) >= 5 && math.Abs(h.X-w.X) < 2 && math.Abs(h.Y-w.Y) < 2 {
			same++
		}
	}
	if same < 10 {
		t.Errorf("only %d words at the same place at 150 and 300 dpi", same)
	}
}

func pngBytes(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkOCRPage reads one A4 invoice page at 300 dpi (rendered once,
// outside the timing): a typical page (German, 81 words) and a dense one
// (French, logo and item table).
func BenchmarkOCRPage(b *testing.B) {
	for _, bc := range []struct {
		name, pdf string
	}{
		{"typical", "zugferd-corpus/XML-Rechnung/FX/EN16931_Einfach.pdf"},
		{"dense", quickCorpus[0]},
	} {
		b.Run(bc.name, func(b *testing.B) {
			e := engine(b)
			data, err := os.ReadFile(filepath.Join(corpusDir, bc.pdf))
			if err != nil {
				b.Skipf("corpus: %v", err)
			}
			img, _, err := pdfEngine(b).RenderPage(data, 1, 300)
			if err != nil {
				b.Fatal(err)
			}
			page := WithDPI(img, 300)
			if _, err := e.Words(context.Background(), page); err != nil { // warm
				b.Fatal(err)
			}
			cpu0 := cpuTime()
			b.ResetTimer()
			for b.Loop() {
				if _, err := e.Words(context.Background(), page); err != nil {
					b.Fatal(err)
				}
			}
			// CPU seconds per page: wall time swings with the machine's load.
			b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
		})
	}
}

// cpuTime is the process's user + system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
