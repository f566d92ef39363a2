package export

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/smartap/desktop/backend/invoice"
)

func TestJSONGolden(t *testing.T) {
	items := csvItems()
	var buf bytes.Buffer
	if err := JSON(&buf, items); err != nil {
		t.Fatal(err)
	}
	golden(t, "export.json.golden", buf.Bytes())

	var back []struct {
		ID      string          `json:"id"`
		Status  string          `json:"status"`
		Invoice invoice.Invoice `json:"invoice"`
	}
	dec := json.NewDecoder(bytes.NewReader(buf.Bytes()))
	dec.DisallowUnknownFields() // exactly {id, status, invoice}, no vendor record
	if err := dec.Decode(&back); err != nil {
		t.Fatal(err)
	}
	if len(back) != len(items) {
		t.Fatalf("%d elements, want %d", len(back), len(items))
	}
	for i := range items {
		if back[i].ID != items[i].ID || back[i].Status != items[i].Status {
			t.Errorf("element %d: id %q status %q", i, back[i].ID, back[i].Status)
		}
		if d := diff(content(t, items[i].Invoice), content(t, back[i].Invoice)); len(d) > 0 {
			t.Errorf("element %d invoice differs: %v", i, d)
		}
	}
}

func TestJSONEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := JSON(&buf, nil); err != nil {
		t.Fatal(err)
	}
	if buf.String() != "[]\n" {
		t.Errorf("got %q, want []", buf.String())
	}
}
