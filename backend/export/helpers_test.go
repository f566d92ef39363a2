package export

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/smartap/desktop/backend/invoice"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// corpusDir is the shared corpus (MANIFEST.md), relative to this package.
const corpusDir = "../../../shared/corpus"

// golden compares got with testdata/name, rewriting it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
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
		t.Errorf("output differs from %s; check the change, then run with -update:\n%s", path, got)
	}
}

// corpusXML lists every .xml file of the corpus, sorted, relative to
// corpusDir. It skips only when the corpus folder is absent altogether.
func corpusXML(tb testing.TB) []string {
	tb.Helper()
	if _, err := os.Stat(corpusDir); errors.Is(err, fs.ErrNotExist) {
		tb.Skipf("corpus %s not present", corpusDir)
	}
	var out []string
	err := filepath.WalkDir(corpusDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.EqualFold(filepath.Ext(p), ".xml") {
			rel, err := filepath.Rel(corpusDir, p)
			out = append(out, filepath.ToSlash(rel))
			return err
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	sort.Strings(out)
	if len(out) == 0 {
		tb.Fatal("the corpus holds no XML files")
	}
	return out
}

func readCorpus(tb testing.TB, rel string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(corpusDir, filepath.FromSlash(rel)))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// content is the invoice without the reading notes (Confidence,
// Warnings), normalized, as a path → value map of its model JSON. The
// JSON spells amounts with their scale, so equal maps mean equal
// invoices, scale included.
//
// It works on a deep copy (through JSON): Normalize changes the slices it
// is given in place, and those are shared with the caller's invoice.
func content(tb testing.TB, inv invoice.Invoice) map[string]string {
	tb.Helper()
	var cp invoice.Invoice
	b, err := json.Marshal(inv)
	if err == nil {
		err = json.Unmarshal(b, &cp)
	}
	if err != nil {
		tb.Fatal(err)
	}
	cp.Normalize()
	cp.Confidence, cp.Warnings = nil, nil
	if b, err = json.Marshal(cp); err != nil {
		tb.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		tb.Fatal(err)
	}
	out := map[string]string{}
	flattenInto(out, "", v)
	return out
}

func flattenInto(out map[string]string, path string, v any) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			p := k
			if path != "" {
				p = path + "." + k
			}
			flattenInto(out, p, e)
		}
	case []any:
		for i, e := range x {
			flattenInto(out, fmt.Sprintf("%s[%d]", path, i), e)
		}
		out[path+".len"] = fmt.Sprint(len(x))
	default:
		out[path] = fmt.Sprintf("%q", fmt.Sprint(x))
	}
}

// diff lists the paths where two content maps differ, sorted.
func diff(want, got map[string]string) []string {
	var d []string
	for k, w := range want {
		if g, ok := got[k]; !ok || g != w {
			d = append(d, fmt.Sprintf("%s: want %s, got %s", k, w, orAbsent(g, ok)))
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			d = append(d, fmt.Sprintf("%s: want (absent), got %s", k, g))
		}
	}
	sort.Strings(d)
	return d
}

func orAbsent(s string, ok bool) string {
	if !ok {
		return "(absent)"
	}
	return s
}

// emptyElements lists the elements of b that have neither children nor
// text: in pain.001 each is a schema error (e.g. Othr without Id), in UBL
// a sign of a value the model lacks.
func emptyElements(t *testing.T, b []byte) []string {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	type open struct {
		name    string
		content bool
	}
	var stack []open
	var empty []string
	for {
		tok, err := d.Token()
		if err != nil {
			return empty // io.EOF; syntax errors are caught elsewhere
		}
		switch x := tok.(type) {
		case xml.StartElement:
			if len(stack) > 0 {
				stack[len(stack)-1].content = true
			}
			stack = append(stack, open{name: x.Name.Local})
		case xml.CharData:
			if len(stack) > 0 && len(bytes.TrimSpace(x)) > 0 {
				stack[len(stack)-1].content = true
			}
		case xml.EndElement:
			if top := stack[len(stack)-1]; !top.content {
				empty = append(empty, top.name)
			}
			stack = stack[:len(stack)-1]
		}
	}
}
