package wire

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// The one-pass decoder (decode.go) must give exactly what the general path
// gives, message or error, for any bytes; frames where it cannot prove
// that fall back to the general path.
func FuzzOnePassMatchesGeneral(f *testing.F) {
	goldens, err := filepath.Glob(filepath.Join("testdata", "*.golden"))
	if err != nil || len(goldens) == 0 {
		f.Fatalf("no golden seeds: %v", err)
	}
	for _, path := range goldens {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		`{"v":1,"type":"pull","id":"m","body":{"after":{"index":"i","seq":1},"limit":1},"body":{"limit":2}}`,
		`{"v":1,"type":"pull","id":"m","body":{"after":{"index":"i","seq":1},"limit":1},"BODY":{"limit":2}}`,
		`{"v":1,"type":"pull","id":"m","body":{"after":{"index":"i","seq":1},"limit":1},"\u0062ody":{"limit":2}}`,
		`{"v":1,"type":"pull","id":"m","body":{"after":{"index":"i","seq":1},"limit":1},"type":"push"}`,
		`{"v":1,"type":"pull","id":"m","body":null}`,
		`{"v":1,"type":"pull","id":"m"}`,
		`{"v":1,"type":"pull","id":"m","body":{"after":{"index":"i\"body\"","seq":1},"limit":1}}`,
		`{"v":1,"type":"pull","id":"m","body":{"after":{"index":"i","seq":-1},"limit":1}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got, gotErr := Decode(b)
		want, wantErr := decodeGeneral(b)
		if len(b) > MaxFrame {
			return
		}
		if (gotErr == nil) != (wantErr == nil) || gotErr != nil && gotErr.Error() != wantErr.Error() {
			t.Fatalf("error %v, general path %v", gotErr, wantErr)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("decoded %+v, general path %+v", got, want)
		}
	})
}

// Frames as Encode writes them take the one-pass path, and push and page
// frames the hand-written reader, with the general path's result.
func TestOnePassTakesEncodedFrames(t *testing.T) {
	note := "say \"hi\"\n\ttab / slash"
	op := fieldOp()
	op.Changes = append(op.Changes, Field{Name: "remark", Value: &note}, Field{Name: "cleared"})
	op.Pre = []Field{}
	cmd := fieldOp()
	cmd.ID, cmd.Changes, cmd.Cmd = opB, nil, &Command{Name: "approve", Args: map[string]string{"b": "2", "a": note}}
	empty := cmd
	empty.ID = "0190f3a2-7c1e-7b2a-9f00-0000000000ee"
	empty.Cmd = &Command{Name: "x", Args: map[string]string{}}
	extra := map[string]Message{
		"push ops":   {ID: "m1", Body: Push{Ops: []Op{op, cmd, empty}}},
		"page ops":   {ID: "m2", Body: Page{Ops: []Sequenced{{Seq: 4, Op: op}, {Seq: 9, Op: cmd}}, Next: Cursor{Index: "i", Seq: 9}, More: true}},
		"page empty": {ID: "m3", Body: Page{Ops: []Sequenced{}, Next: Cursor{Index: "i"}}},
	}
	for typ, m := range samples() {
		extra[typ] = m
	}
	for name, m := range extra {
		b, err := Encode(m)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, ok := decodeOnePass(b); !ok {
			t.Errorf("%s: encoded frame not decoded in one pass", name)
		}
		if scan := scanners[m.Body.Type()]; scan != nil {
			if _, _, ok := scan(b); !ok {
				t.Errorf("%s: encoded frame not read by the scanner", name)
			}
		}
		got, err := Decode(b)
		want, wantErr := decodeGeneral(b)
		if err != nil || wantErr != nil || !reflect.DeepEqual(got, want) || !reflect.DeepEqual(got, m) {
			t.Errorf("%s: Decode = %+v, %v; general path %+v, %v; encoded %+v", name, got, err, want, wantErr, m)
		}
	}
}

// DecodeOp reads AppendOp's bytes and json.Marshal's (older stored rows)
// to the op json.Unmarshal gives.
func FuzzDecodeOp(f *testing.F) {
	for _, m := range samples() {
		if p, ok := m.Body.(Push); ok {
			for i := range p.Ops {
				f.Add(AppendOp(nil, &p.Ops[i]))
				b, err := json.Marshal(p.Ops[i])
				if err != nil {
					f.Fatal(err)
				}
				f.Add(b)
			}
		}
	}
	f.Add([]byte(`{"id":"x","device":"<d>"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := DecodeOp(b)
		var want Op
		wantErr := json.Unmarshal(b, &want)
		if (err == nil) != (wantErr == nil) || err == nil && !reflect.DeepEqual(got, want) {
			t.Fatalf("DecodeOp = %+v, %v; json.Unmarshal %+v, %v", got, err, want, wantErr)
		}
	})
}
