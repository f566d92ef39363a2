package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const corpus = "../../../shared/corpus"

func corpusFile(t *testing.T, rel string) string {
	t.Helper()
	p := filepath.Join(corpus, rel)
	if _, err := os.Stat(corpus); os.IsNotExist(err) {
		t.Skip("the shared corpus is not beside the project")
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("corpus file missing: %v", err)
	}
	return p
}

// CLI.md: a JSON array in input order, one element per file, every key
// present; exit 0 when all were read, 1 when any failed (all still printed).
func TestExtractContract(t *testing.T) {
	h := newHarness(t)
	ubl := corpusFile(t, "en16931-cen-examples/ubl/examples/ubl-tc434-example1.xml")
	cii := corpusFile(t, "en16931-cen-examples/cii/examples/CII_example1.xml")
	fx := corpusFile(t, "zugferd-corpus/XML-Rechnung/FX/EN16931_Einfach.pdf")
	broken := corpusFile(t, "mustangproject/Mustang-CLI/src/test/resources/corrupt-factur-x-waytoosmall.pdf")
	notInvoice := filepath.Join(t.TempDir(), "script.pdf")
	if err := os.WriteFile(notInvoice, []byte("MZ\x90\x00 this is an executable"), 0o600); err != nil {
		t.Fatal(err)
	}

	if code := h.run("", nil, "extract", "--json", ubl, cii, fx); code != 0 {
		t.Fatalf("all good: exit %d %s", code, h.last.stderr)
	}
	var good []map[string]json.RawMessage
	h.decode(&good)
	wantSources := []string{`"ubl"`, `"cii"`, `"facturx"`}
	for i, r := range good {
		if string(r["source"]) != wantSources[i] || string(r["error"]) != "null" {
			t.Errorf("element %d: source %s error %s", i, r["source"], r["error"])
		}
		var inv map[string]any
		if err := json.Unmarshal(r["invoice"], &inv); err != nil || inv["invoice_number"] == "" {
			t.Errorf("element %d: invoice %s", i, r["invoice"])
		}
	}
	// The same invoice as UBL and as CII reads to the same payable amount, as a string.
	var a, b struct {
		Invoice struct {
			Totals struct{ Payable string } `json:"totals"`
		} `json:"invoice"`
	}
	_ = json.Unmarshal(mustJSON(good[0]), &a)
	_ = json.Unmarshal(mustJSON(good[1]), &b)
	if a.Invoice.Totals.Payable == "" || a.Invoice.Totals.Payable != b.Invoice.Totals.Payable {
		t.Errorf("payable UBL %q vs CII %q", a.Invoice.Totals.Payable, b.Invoice.Totals.Payable)
	}

	files := []string{ubl, broken, notInvoice, filepath.Join(t.TempDir(), "missing.xml"), fx}
	if code := h.run("", nil, append([]string{"extract", "--json"}, files...)...); code != exitFailed {
		t.Fatalf("mixed batch: exit %d", code)
	}
	var mixed []struct {
		File    string          `json:"file"`
		Source  *string         `json:"source"`
		Invoice json.RawMessage `json:"invoice"`
		Error   *errorJSON      `json:"error"`
	}
	h.decode(&mixed)
	wantCodes := []string{"", "invalid_input", "unsupported_format", "not_found", ""}
	if len(mixed) != len(files) {
		t.Fatalf("%d results for %d files", len(mixed), len(files))
	}
	for i, r := range mixed {
		if r.File != files[i] {
			t.Errorf("element %d is %s, want input order", i, r.File)
		}
		got := ""
		if r.Error != nil {
			got = r.Error.Code
			if r.Error.Message == "" || string(r.Invoice) != "null" || r.Source != nil {
				t.Errorf("%s: failed element must have a message, null invoice and source: %+v", r.File, r)
			}
		}
		if got != wantCodes[i] {
			t.Errorf("%s: code %q, want %q", r.File, got, wantCodes[i])
		}
	}
	if code := h.run("", nil, "extract", "--source", "sideways", ubl); code != exitUsage {
		t.Errorf("bad --source: exit %d", code)
	}
	if code := h.run("", nil, "extract", "--json", "--source", "visual", ubl); code != exitFailed {
		t.Errorf("visual on XML: exit %d", code)
	}
	if _, err := os.Stat(h.env["SMARTAP_DATA_DIR"]); !os.IsNotExist(err) {
		t.Errorf("extract created the data folder: %v", err)
	}
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

// CLI.md: import prints one id per file (stdout), a progress line per file
// (stderr), and with --json the extract shape plus id; a bad file fails
// alone (exit 1) while the rest are stored.
func TestImportShowList(t *testing.T) {
	h := newHarness(t)
	h.mustRun("init", "--user", "alice")
	fx := corpusFile(t, "zugferd-corpus/XML-Rechnung/FX/EN16931_Einfach.pdf")
	ubl := corpusFile(t, "en16931-cen-examples/ubl/examples/ubl-tc434-example2.xml")
	bad := filepath.Join(t.TempDir(), "bad.xml")
	if err := os.WriteFile(bad, []byte("<html><script>alert(1)</script></html>"), 0o600); err != nil {
		t.Fatal(err)
	}
	code := h.run("", nil, "import", "--json", fx, bad, ubl)
	if code != exitFailed {
		t.Fatalf("mixed import: exit %d %s", code, h.last.stderr)
	}
	if n := strings.Count(h.last.stderr, "\n["); n < 2 || !strings.Contains(h.last.stderr, "[3/3]") {
		t.Errorf("progress lines: %q", h.last.stderr)
	}
	var res []struct {
		File  string     `json:"file"`
		ID    *string    `json:"id"`
		Error *errorJSON `json:"error"`
	}
	h.decode(&res)
	if len(res) != 3 || res[0].ID == nil || res[1].Error == nil || res[2].ID == nil || res[1].ID != nil {
		t.Fatalf("import results: %+v", res)
	}
	h.mustRun("list", "--json")
	var list []map[string]string
	h.decode(&list)
	if len(list) != 2 {
		t.Fatalf("list: %v", list)
	}
	for _, row := range list {
		for _, k := range []string{"id", "status", "invoice_number", "seller", "currency", "payable", "issue_date", "due_date"} {
			if _, ok := row[k]; !ok {
				t.Errorf("list row lacks %s: %v", k, row)
			}
		}
	}
	h.mustRun("show", *res[0].ID, "--json")
	var shown map[string]json.RawMessage
	h.decode(&shown)
	for _, k := range []string{"id", "status", "invoice", "source", "findings", "match", "approvals", "history"} {
		if _, ok := shown[k]; !ok {
			t.Errorf("show lacks %s", k)
		}
	}
	if code := h.run("", nil, "import", fx); code != exitFailed || !strings.Contains(h.last.stderr, "duplicate") {
		t.Errorf("re-import: exit %d %s", code, h.last.stderr)
	}
	if code := h.run("", nil, "show", "01a2235d-0000-7000-8000-000000000000"); code != exitFailed || !strings.Contains(h.last.stderr, "not_found") {
		t.Errorf("unknown id: exit %d %s", code, h.last.stderr)
	}
}
