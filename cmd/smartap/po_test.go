package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestVendorImportPOsAndReceipts(t *testing.T) {
	h := newHarness(t)
	h.mustRun("init", "--user", "alice")
	dir := t.TempDir()
	vcsv := filepath.Join(dir, "vendors.csv")
	_ = os.WriteFile(vcsv, []byte("\ufeffName;VAT ID;IBAN\nACME GmbH;DE123456789;DE89370400440532013000\nBad AG;;DE00370400440532013000\n"), 0o600)
	if code := h.run("", nil, "vendor", "import", vcsv, "--json"); code != exitFailed {
		t.Fatalf("vendor import with one bad row: exit %d", code)
	}
	var rep []map[string]any
	h.decode(&rep)
	if len(rep) != 2 || rep[0]["status"] != "created" || rep[1]["status"] != "failed" || rep[1]["row"].(float64) != 3 ||
		!strings.Contains(rep[1]["message"].(string), "check digits") {
		t.Fatalf("report: %v", rep)
	}
	h.mustRun("vendor", "list", "--json")
	var vs []map[string]any
	h.decode(&vs)
	if len(vs) != 1 {
		t.Fatalf("vendors: %v", vs)
	}
	vid := vs[0]["id"].(string)
	h.mustRun("po", "add", "--number", "PO-4711", "--vendor", vid, "--line", "A-1|Bolts|100|C62|0.25|19", "--line", "B-2|Nuts|50|C62|0.10|19")
	h.mustRun("receipt", "add", "--po", "po-4711", "--line", "1", "--qty", "60", "--json")
	h.mustRun("po", "show", "PO-4711", "--json")
	var po struct {
		Status   string           `json:"status"`
		Receipts []map[string]any `json:"receipts"`
	}
	h.decode(&po)
	if po.Status != "partially_received" || len(po.Receipts) != 1 {
		t.Fatalf("po after receipt: %+v", po)
	}
	for _, args := range [][]string{
		{"receipt", "add", "--po", "PO-4711", "--line", "9", "--qty", "1"},
		{"receipt", "add", "--po", "PO-0000", "--line", "1", "--qty", "1"},
		{"po", "add", "--number", "PO-4711", "--line", "x|y|1|C62|1|0"},
		{"po", "add", "--number", "PO-9", "--vendor", "no-such-vendor", "--line", "x|y|1|C62|1|0"},
	} {
		if code := h.run("", nil, args...); code != exitFailed {
			t.Errorf("%v: exit %d", args, code)
		}
	}
	if code := h.run("", nil, "po", "add", "--number", "PO-9", "--line", "not|enough"); code != exitUsage {
		t.Errorf("bad --line: exit %d", code)
	}
	pcsv := filepath.Join(dir, "pos.csv")
	_ = os.WriteFile(pcsv, []byte("po_number,vendor_id,currency,line_no,description,quantity,unit_price\nPO-1,"+vid+",EUR,1,x,1,2\nPO-1,"+vid+",EUR,2,y,3,4\nPO-2,,EUR,1,z,abc,1\n"), 0o600)
	if code := h.run("", nil, "po", "import", pcsv, "--json"); code != exitFailed {
		t.Fatalf("po import: exit %d", code)
	}
	h.decode(&rep)
	if len(rep) != 2 || rep[0]["status"] != "created" || rep[1]["status"] != "failed" {
		t.Fatalf("po report: %v", rep)
	}
	h.mustRun("po", "list", "--json")
	var pos []map[string]any
	h.decode(&pos)
	if len(pos) != 2 {
		t.Fatalf("po list: %v", pos)
	}
}
