package pagereader

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smartap/desktop/backend/pdfdoc"
)

// corpusDir is the shared invoice corpus (MANIFEST.md), seen from here.
const corpusDir = "../../../shared/corpus"

// One PDFium engine for the package: starting it is the expensive part.
var (
	engineOnce sync.Once
	sharedEng  *pdfdoc.Engine
	engineErr  error
)

func testCacheDir(t testing.TB) string {
	if dir, err := os.UserCacheDir(); err == nil {
		return filepath.Join(dir, "smartap-test", "wazero")
	}
	return t.TempDir()
}

func engine(t testing.TB) *pdfdoc.Engine {
	t.Helper()
	engineOnce.Do(func() {
		start := time.Now()
		sharedEng, engineErr = pdfdoc.NewEngine(context.Background(), testCacheDir(t))
		t.Logf("PDFium start: %v", time.Since(start).Round(time.Millisecond))
	})
	if engineErr != nil {
		t.Fatalf("NewEngine: %v", engineErr)
	}
	return sharedEng
}

func TestMain(m *testing.M) {
	code := m.Run()
	if sharedEng != nil {
		_ = sharedEng.Close()
	}
	os.Exit(code)
}

// corpusPDFs lists every PDF of the corpus; the test is skipped without it.
func corpusPDFs(t testing.TB) []string {
	t.Helper()
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skipf("corpus not present: %v", err)
	}
	var out []string
	_ = filepath.WalkDir(corpusDir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.EqualFold(filepath.Ext(p), ".pdf") {
			out = append(out, p)
		}
		return err
	})
	sort.Strings(out)
	return out
}

// pageWords reads a PDF's words through the shared engine.
func pageWords(t testing.TB, data []byte) []Word {
	t.Helper()
	pages, err := engine(t).PageText(data)
	if err != nil {
		t.Fatalf("PageText: %v", err)
	}
	return FromRuns(pages)
}

func readCorpusFile(t testing.TB, rel string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(corpusDir, rel))
	if err != nil {
		t.Skipf("corpus file: %v", err)
	}
	return data
}
