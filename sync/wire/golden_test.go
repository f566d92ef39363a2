package wire

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current encoder")

// The golden files are the protocol: a change that alters any byte of any
// message type fails here. Regenerate with -update only together with a
// deliberate protocol change (and, if peers would misread it, a new Version).
func TestGolden(t *testing.T) {
	for typ, m := range samples() {
		t.Run(typ, func(t *testing.T) {
			got, err := Encode(m)
			if err != nil {
				t.Fatalf("Encode: %v", err)
			}
			path := filepath.Join("testdata", typ+".golden")
			if *update {
				if err := os.WriteFile(path, append(got, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			want = bytes.TrimSuffix(want, []byte("\n"))
			if !bytes.Equal(got, want) {
				t.Errorf("encoding changed\n got: %s\nwant: %s", got, want)
			}
			// Decoding the committed bytes pins the other direction too.
			back, err := Decode(want)
			if err != nil || !reflect.DeepEqual(back, m) {
				t.Errorf("Decode(golden) = %+v, %v; want %+v", back, err, m)
			}
		})
	}
}

// Every type the decoder knows has a golden sample, and vice versa.
func TestEveryTypeHasSample(t *testing.T) {
	s := samples()
	for _, typ := range Types() {
		m, ok := s[typ]
		if !ok {
			t.Errorf("no sample for %q", typ)
			continue
		}
		if m.Body.Type() != typ {
			t.Errorf("sample %q has body type %q", typ, m.Body.Type())
		}
	}
	if len(s) != len(Types()) || len(decoders) != len(Types()) {
		t.Errorf("samples %d, Types %d, decoders %d", len(s), len(Types()), len(decoders))
	}
}

func TestRoundTrip(t *testing.T) {
	for typ, m := range samples() {
		b, err := Encode(m)
		if err != nil {
			t.Fatalf("%s: Encode: %v", typ, err)
		}
		got, err := Decode(b)
		if err != nil {
			t.Fatalf("%s: Decode: %v", typ, err)
		}
		if !reflect.DeepEqual(got, m) {
			t.Errorf("%s: round trip\n got %+v\nwant %+v", typ, got, m)
		}
		// Deterministic: encoding the decoded value gives the same bytes.
		again, err := Encode(got)
		if err != nil || !bytes.Equal(again, b) {
			t.Errorf("%s: re-encoding differs: %s", typ, again)
		}
	}
}

// Empty and nil lists stay distinct through a round trip (omitzero), so a
// decoded value always re-encodes to the same value.
func TestRoundTripEmptyVersusNil(t *testing.T) {
	op := commandOp()
	op.Cmd.Args = map[string]string{}
	op.Pre = []Field{}
	for _, m := range []Message{
		{ID: "a", Body: Push{Ops: []Op{op}}},
		{ID: "b", Body: Page{Ops: []Sequenced{}, Next: Cursor{Index: "i"}}},
		{ID: "c", Body: Page{Next: Cursor{Index: "i"}}},
		{ID: "d", Body: Chunk{Hash: hashOf(1), Data: []byte{}, Final: true}},
		{ID: "e", Body: Checkpoint{Size: 1, Signature: make([]byte, SignatureSize),
			Inclusion: &Inclusion{Hashes: []Hash{}}}},
	} {
		b, err := Encode(m)
		if err != nil {
			t.Fatalf("%s: Encode: %v", m.ID, err)
		}
		got, err := Decode(b)
		if err != nil || !reflect.DeepEqual(got, m) {
			t.Errorf("%s: got %+v, %v; want %+v (frame %s)", m.ID, got, err, m, b)
		}
	}
}

func TestTypesSorted(t *testing.T) {
	// Types must list each name once; a duplicate would hide a missing one.
	ts := slices.Clone(Types())
	slices.Sort(ts)
	if len(slices.Compact(ts)) != len(Types()) {
		t.Errorf("Types has duplicates: %v", Types())
	}
}
