package opcodec

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/sync/merge"
	"github.com/smartap/desktop/sync/wire"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// headerState is an invoice as the sync benchmark makes them (extract, then
// a set of 11 header fields), plus a correction from another device with a
// base clock, a hold and a conflict, so every part of the text is used.
func headerState() merge.State {
	e := merge.Entity{Type: merge.EntityInvoice, ID: "inv-0000042"}
	s := merge.NewState(e)
	s.Status = invoice.State{Status: invoice.StatusOnHold, HeldFrom: invoice.StatusNeedsReview}
	s.LastChange = merge.StatusChange{Op: "op-hold", Kind: invoice.Hold, Device: "dev-b"}
	set := merge.HLC{Wall: 1767225600123, Logical: 2, Device: "dev-a"}
	fields := map[string]string{"invoice_number": "R2026-0000042", "issue_date": "2026-11-02", "currency": "EUR",
		"seller.name": `Nordwind "Handel" 042 GmbH`, "seller.vat_id": "DE100000042", "buyer.name": "SmartAP Test AG",
		"totals.tax_exclusive": "142.00", "totals.tax": "61.00", "totals.payable": "161.00",
		"payment.iban": "DE02120300000000202051", "cost_centre": "CC-02"}
	for p, v := range fields {
		s.Fields[p] = merge.Field{Value: v, Clock: set, Op: "op-set"}
	}
	s.Fields["note"] = merge.Field{Value: "Zahlung über €\nzwei Zeilen", Clock: merge.HLC{Wall: 1767225700000, Device: "dev-b"},
		Base: set, Op: "op-note"}
	s.Exceptions = []merge.Exception{{ID: "ex-1", Entity: e, Kind: merge.ConflictingCorrection, Winner: "op-note", Loser: "op-x",
		Fields: []string{"note"}, Lost: map[string]string{"note": "alt"}, Message: "devices dev-b and dev-c corrected the same fields"}}
	return s
}

func TestStateTextGolden(t *testing.T) {
	got := encodeStateText(headerState())
	path := filepath.Join("testdata", "state_text.golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update once to write it)", err)
	}
	if got != string(want) {
		t.Errorf("state text changed (it is part of the protocol):\n got %q\nwant %q", got, want)
	}
}

func TestStateTextRoundTrip(t *testing.T) {
	for name, s := range map[string]merge.State{
		"header":  headerState(),
		"new":     merge.NewState(merge.Entity{Type: merge.EntityInvoice, ID: "inv-1"}),
		"no-exes": func() merge.State { s := headerState(); s.Exceptions = nil; return s }(),
	} {
		recs, err := StateRecords(s)
		if err != nil {
			t.Fatal(err)
		}
		if err := wire.Validate(wire.Snapshot{At: wire.Cursor{Index: "i", Seq: 1}, Records: recs}); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got, err := StatesFromRecords(recs)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(got[s.Entity], s) {
			t.Errorf("%s: changed through records:\n got %+v\nwant %+v", name, got[s.Entity], s)
		}
	}
}

// The point of the state text: a typical invoice's record is a fraction of
// the JSON one (which the frame's JSON escaped a second time).
func TestStateTextIsLean(t *testing.T) {
	s := headerState()
	recs, err := StateRecords(s)
	if err != nil {
		t.Fatal(err)
	}
	text, _ := json.Marshal(recs)
	old, _ := json.Marshal(jsonRecords(t, s))
	if len(text)*5 > len(old)*2 {
		t.Errorf("state text record %d bytes, JSON %d: want at most 40%%", len(text), len(old))
	}
}

// jsonRecords encodes s as plain JSON in record values, the baseline the
// state text is measured against.
func jsonRecords(t *testing.T, s merge.State) []wire.Record {
	t.Helper()
	type snapState struct {
		Entity     merge.Entity           `json:"entity"`
		Status     json.RawMessage        `json:"status"`
		LastChange merge.StatusChange     `json:"last_change"`
		Fields     map[string]merge.Field `json:"fields"`
		Exceptions []merge.Exception      `json:"exceptions"`
	}
	status, _ := json.Marshal(s.Status)
	raw, err := json.Marshal(snapState{s.Entity, status, s.LastChange, s.Fields, s.Exceptions})
	if err != nil {
		t.Fatal(err)
	}
	clk, _ := HLCToWire(latest(s))
	r := wire.Record{Entity: wire.Entity{Type: s.Entity.Type, ID: s.Entity.ID}, Clock: clk}
	for i, c := range split(string(raw), 700) {
		r.Fields = append(r.Fields, wire.Field{Name: fmt.Sprintf("s_%03d", i), Value: ptr(c)})
	}
	return []wire.Record{r}
}

func TestStateTextRefuses(t *testing.T) {
	good := encodeStateText(headerState())
	e := headerState().Entity
	for name, text := range map[string]string{
		"empty":          "",
		"truncated":      good[:len(good)-3],
		"trailing":       good + "0,",
		"bad status":     "4:nope0:0:0:0:0,0,0,0,",
		"clock index":    "8:received0:0:0:0:0,0,1,1:a1:v9,0,0,0,",
		"duplicate path": "8:received0:0:0:0:0,0,2,1:a1:v0,0,0,1:a1:w0,0,0,0,",
		"leading zero":   "8:received0:0:0:0:00,0,0,0,",
		"huge length":    "99999999999999999999:x",
		"negative count": "8:received0:0:0:0:-1,",
	} {
		if _, err := decodeStateText(e, text); !errors.Is(err, ErrDecode) {
			t.Errorf("%s: err = %v, want ErrDecode", name, err)
		}
	}
}

// FuzzStateText: any text decodes to a state or ErrDecode, never a panic,
// and a decoded state survives encode and decode unchanged.
func FuzzStateText(f *testing.F) {
	f.Add(encodeStateText(headerState()))
	f.Add(encodeStateText(merge.NewState(merge.Entity{Type: merge.EntityInvoice, ID: "x"})))
	f.Add("8:received0:0:0:0:0,0,0,0,")
	e := merge.Entity{Type: merge.EntityInvoice, ID: "inv"}
	f.Fuzz(func(t *testing.T, text string) {
		s, err := decodeStateText(e, text)
		if err != nil {
			if !errors.Is(err, ErrDecode) {
				t.Fatalf("error %v does not wrap ErrDecode", err)
			}
			return
		}
		again, err := decodeStateText(e, encodeStateText(s))
		if err != nil {
			t.Fatalf("re-encoded state does not decode: %v", err)
		}
		if !reflect.DeepEqual(again, s) {
			t.Fatalf("state changed through encode/decode:\n got %+v\nwant %+v", again, s)
		}
	})
}

// BenchmarkStateRecords is the server's share of a bootstrap per invoice
// (encode) and the client's (decode), for the benchmark's invoice shape.
func BenchmarkStateRecords(b *testing.B) {
	s := headerState()
	s.Exceptions = nil
	b.Run("encode", func(b *testing.B) {
		for range b.N {
			if _, err := StateRecords(s); err != nil {
				b.Fatal(err)
			}
		}
	})
	recs, _ := StateRecords(s)
	b.Run("decode", func(b *testing.B) {
		for range b.N {
			if _, err := StatesFromRecords(recs); err != nil {
				b.Fatal(err)
			}
		}
	})
}
