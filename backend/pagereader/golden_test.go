package pagereader

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// The full reading of a synthetic invoice and of the corpus's one real
// invoice without XML (a hosting provider's, checked by eye), field by
// field with confidences and warnings, as JSON. A change to the reader
// shows up here as a diff to review; go test -run Golden -update accepts it.
func TestGolden(t *testing.T) {
	tests := []struct {
		name  string
		words func(t *testing.T) []Word
	}{
		{"synthetic_de", func(*testing.T) []Word { return germanInvoice }},
		{"synthetic_fr", func(*testing.T) []Word { return frenchInvoice }},
		{"hetzner_unstructured", func(t *testing.T) []Word {
			return pageWords(t, readCorpusFile(t, "zugferd-corpus/unstructured/RE-E-974-Hetzner_2016-01-19_R0005532486.pdf"))
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inv, err := Read(tc.words(t))
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.MarshalIndent(inv, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", "golden", tc.name+".json")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the golden file:\n%s", tc.name, got)
			}
		})
	}
}
