package opcodec

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/sync/merge"
	"github.com/smartap/desktop/sync/wire"
)

func clk(wall int64, l uint32) merge.HLC { return merge.HLC{Wall: wall, Logical: l, Device: "dev-1"} }

func setOp(fields map[string]merge.FieldChange) merge.Op {
	return merge.Op{ID: "0190f3a2-7c1e-7b2a-9f00-000000000001", Device: "dev-1", User: "anna",
		Clock: clk(1767225600000, 3), Entity: merge.Entity{Type: merge.EntityInvoice, ID: "inv-1"},
		Kind: merge.KindSet, Fields: fields, BaseStatus: invoice.Status("needs_review")}
}

func TestRoundTrip(t *testing.T) {
	cmd := setOp(nil)
	cmd.Kind, cmd.Fields = merge.KindCommand, nil
	cmd.Command = invoice.Command{Kind: invoice.Reject, Reason: "wrong PO — «Müller»"}
	for name, op := range map[string]merge.Op{
		"set": setOp(map[string]merge.FieldChange{
			"totals.payable":     {Value: "1234.50", Base: clk(1767225500000, 0)},
			"lines.2.net_amount": {Value: "10.00"},
			"note":               {Value: ""},
		}),
		"command": cmd,
	} {
		t.Run(name, func(t *testing.T) {
			w, err := ToWire(op)
			if err != nil {
				t.Fatal(err)
			}
			frame, err := wire.Encode(wire.Message{ID: "m1", Body: wire.Push{Ops: []wire.Op{w}}})
			if err != nil {
				t.Fatal(err)
			}
			m, err := wire.Decode(frame)
			if err != nil {
				t.Fatal(err)
			}
			back, err := FromWire(m.Body.(wire.Push).Ops[0])
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(back, op) {
				t.Errorf("round trip changed the op\n got %+v\nwant %+v", back, op)
			}
		})
	}
}

func TestEncodeRefuses(t *testing.T) {
	many := map[string]merge.FieldChange{}
	for i := range wire.MaxFields + 1 {
		many[fmt.Sprintf("lines.%d.note", i)] = merge.FieldChange{Value: "x", Base: clk(5, 0)}
	}
	bigLogical := setOp(map[string]merge.FieldChange{"note": {Value: "x"}})
	bigLogical.Clock.Logical = 1 << 20
	for name, op := range map[string]merge.Op{
		"too many fields": setOp(many),
		"path with __":    setOp(map[string]merge.FieldChange{"a__b": {Value: "x"}}),
		"path too long":   setOp(map[string]merge.FieldChange{strings.Repeat("a", 70): {Value: "x"}}),
		"counter range":   bigLogical,
		"invalid op":      setOp(nil),
	} {
		if _, err := ToWire(op); !errors.Is(err, ErrEncode) {
			t.Errorf("%s: err = %v, want ErrEncode", name, err)
		}
	}
}

func TestDecodeRefuses(t *testing.T) {
	good, err := ToWire(setOp(map[string]merge.FieldChange{"note": {Value: "x", Base: clk(5, 0)}}))
	if err != nil {
		t.Fatal(err)
	}
	mut := func(f func(*wire.Op)) wire.Op {
		w := good
		w.Pre = append([]wire.Field(nil), good.Pre...)
		f(&w)
		return w
	}
	s := func(v string) *string { return &v }
	for name, w := range map[string]wire.Op{
		"no status":       mut(func(w *wire.Op) { w.Pre = w.Pre[1:] }),
		"unknown pre":     mut(func(w *wire.Op) { w.Pre = append(w.Pre, wire.Field{Name: "colour", Value: s("red")}) }),
		"bad base clock":  mut(func(w *wire.Op) { w.Pre[1].Value = s("yesterday") }),
		"orphan base":     mut(func(w *wire.Op) { w.Pre[1].Name = "base__other" }),
		"unknown command": mut(func(w *wire.Op) { w.Changes = nil; w.Cmd = &wire.Command{Name: "teleport"} }),
		"unknown status":  mut(func(w *wire.Op) { w.Pre[0].Value = s("floating") }),
	} {
		if _, err := FromWire(w); !errors.Is(err, ErrDecode) {
			t.Errorf("%s: err = %v, want ErrDecode", name, err)
		}
	}
}

func TestStateRecordsRoundTrip(t *testing.T) {
	st := merge.NewState(merge.Entity{Type: merge.EntityInvoice, ID: "inv-9"})
	// Enough fields (with multi-byte text) to need several records.
	for i := range 2000 {
		st.Fields[fmt.Sprintf("lines.%d.name", i)] = merge.Field{
			Value: strings.Repeat("ü€", 20), Clock: clk(int64(1000+i), 0), Op: fmt.Sprintf("op-%d", i)}
	}
	st.Exceptions = []merge.Exception{{ID: "x1", Entity: st.Entity, Kind: merge.ConflictingTransition,
		Winner: "a", Loser: "b", Message: "Anna approved while Ben rejected."}}
	small := merge.NewState(merge.Entity{Type: merge.EntityInvoice, ID: "inv-1"})
	var recs []wire.Record
	for _, s := range []merge.State{st, small} {
		r, err := StateRecords(s)
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r...)
	}
	if len(recs) < 3 {
		t.Fatalf("want the big state spread over several records, got %d records", len(recs))
	}
	page := wire.Snapshot{At: wire.Cursor{Index: "idx", Seq: 9}, Page: 1, Last: true, Records: recs}
	if err := wire.Validate(page); err != nil {
		t.Fatalf("records do not pass wire validation: %v", err)
	}
	got, err := StatesFromRecords(recs)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got[st.Entity], st) || !reflect.DeepEqual(got[small.Entity], small) {
		t.Error("states changed through records")
	}
	recs[1].Fields[0].Name = "s_999"
	if _, err := StatesFromRecords(recs); !errors.Is(err, ErrDecode) {
		t.Errorf("out-of-order chunk: err = %v, want ErrDecode", err)
	}
}
