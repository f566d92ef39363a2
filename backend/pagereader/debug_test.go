package pagereader

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDebugFile prints the layout and the invoice read from the corpus
// PDFs whose name contains $PAGEREADER_DEBUG; it is skipped otherwise.
func TestDebugFile(t *testing.T) {
	want := os.Getenv("PAGEREADER_DEBUG")
	if want == "" {
		t.Skip("set PAGEREADER_DEBUG to a file name part")
	}
	for _, path := range corpusPDFs(t) {
		if !strings.Contains(filepath.Base(path), want) {
			continue
		}
		data, _ := os.ReadFile(path)
		words := pageWords(t, data)
		for _, ln := range BuildLayout(words).Lines {
			var segs []string
			for _, s := range ln.Segs {
				segs = append(segs, s.Text)
			}
			t.Logf("p%d y=%6.1f s=%4.1f | %s", ln.Page, ln.Y, ln.Size, strings.Join(segs, " | "))
		}
		inv, err := Read(words)
		b, _ := json.MarshalIndent(inv, "", " ")
		t.Logf("%s: %v\n%s", path, err, b)
	}
}
