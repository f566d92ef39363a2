package wire

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// Each case breaks one rule of one valid sample. Encode must refuse it (a
// sender never emits it) and so must Decode of the same body written by a
// sender without those checks.
func TestValidation(t *testing.T) {
	op := func(f func(*Op)) Body { o := fieldOp(); f(&o); return Push{Ops: []Op{o}} }
	cmd := func(f func(*Op)) Body { o := commandOp(); f(&o); return Push{Ops: []Op{o}} }
	// Fresh samples per case: the checkpoint's proofs are pointers.
	chunk := func(f func(*Chunk)) Body { c := samples()[TypeChunk].Body.(Chunk); f(&c); return c }
	cp := func(f func(*Checkpoint)) Body { c := samples()[TypeCheckpoint].Body.(Checkpoint); f(&c); return c }
	manyFields := make([]Field, MaxFields+1)
	for i := range manyFields {
		manyFields[i] = Field{Name: fmt.Sprintf("f%d", i)}
	}
	for _, tc := range []struct {
		name string
		body Body
		want error
	}{
		{"hello no token", Hello{Device: "d", Client: "c"}, ErrInvalid},
		{"hello bad device", Hello{Device: "d/1", Client: "c", Token: "t"}, ErrInvalid},
		{"welcome no index", Welcome{Server: "s", Team: "t", User: "u"}, ErrInvalid},
		{"push empty", Push{}, ErrInvalid},
		{"op id not uuid", op(func(o *Op) { o.ID = "op-1" }), ErrInvalid},
		{"op id uppercase", op(func(o *Op) { o.ID = strings.ToUpper(opA) }), ErrInvalid},
		{"op no user", op(func(o *Op) { o.User = "" }), ErrInvalid},
		{"op zero clock", op(func(o *Op) { o.Clock = HLC{} }), ErrInvalid},
		{"op clock from other device", op(func(o *Op) { o.Clock.Device = "other" }), ErrInvalid},
		{"op clock past 9999", op(func(o *Op) { o.Clock.Wall = maxWall + 1 }), ErrInvalid},
		{"op entity type case", op(func(o *Op) { o.Entity.Type = "Invoice" }), ErrInvalid},
		{"op no entity id", op(func(o *Op) { o.Entity.ID = "" }), ErrInvalid},
		{"op neither", op(func(o *Op) { o.Changes = nil }), ErrInvalid},
		{"op both", cmd(func(o *Op) { o.Changes = fieldOp().Changes }), ErrInvalid},
		{"op repeated field", op(func(o *Op) { o.Changes = append(o.Changes, o.Changes[0]) }), ErrInvalid},
		{"op too many fields", op(func(o *Op) { o.Changes = manyFields }), ErrTooLarge},
		{"op value too long", op(func(o *Op) { o.Changes[0].Value = str(strings.Repeat("9", MaxValue+1)) }), ErrInvalid},
		{"op value bad utf8", op(func(o *Op) { o.Changes[0].Value = str("\xff") }), ErrInvalid},
		{"op bad pre", op(func(o *Op) { o.Pre[0].Name = "" }), ErrInvalid},
		{"cmd no name", cmd(func(o *Op) { o.Cmd.Name = "" }), ErrInvalid},
		{"cmd bad arg key", cmd(func(o *Op) { o.Cmd.Args["Bad Key"] = "x" }), ErrInvalid},
		{"push repeated op", Push{Ops: []Op{fieldOp(), fieldOp()}}, ErrInvalid},
		{"ack empty", Ack{Index: "i"}, ErrInvalid},
		{"ack seq 0", Ack{Index: "i", Ops: []Acked{{Op: opA}}}, ErrInvalid},
		{"ack bad op", Ack{Index: "i", Ops: []Acked{{Op: "x", Seq: 1}}}, ErrInvalid},
		{"pull limit 0", Pull{After: Cursor{Index: "i"}}, ErrInvalid},
		{"pull limit too big", Pull{After: Cursor{Index: "i"}, Limit: MaxPage + 1}, ErrInvalid},
		{"pull no index", Pull{Limit: 1}, ErrInvalid},
		{"page seq repeated", Page{Next: Cursor{Index: "i", Seq: 9},
			Ops: []Sequenced{{Seq: 5, Op: fieldOp()}, {Seq: 5, Op: commandOp()}}}, ErrInvalid},
		{"page seq 0", Page{Next: Cursor{Index: "i", Seq: 9}, Ops: []Sequenced{{Op: fieldOp()}}}, ErrInvalid},
		{"page next behind", Page{Next: Cursor{Index: "i", Seq: 4}, Ops: []Sequenced{{Seq: 5, Op: fieldOp()}}}, ErrInvalid},
		{"bootstrap bad at", Bootstrap{At: &Cursor{}}, ErrInvalid},
		{"snapshot record without fields", Snapshot{At: Cursor{Index: "i"},
			Records: []Record{{Entity: Entity{Type: "vendor", ID: "v"}, Clock: clock(0)}}}, ErrInvalid},
		{"chunk want past max", ChunkWant{Offset: MaxAttachment + 1}, ErrInvalid},
		{"chunk size too big", chunk(func(c *Chunk) { c.Size = MaxAttachment + 1 }), ErrTooLarge},
		{"chunk past size", chunk(func(c *Chunk) { c.Size = c.Offset + 1 }), ErrInvalid},
		{"chunk offset past size", chunk(func(c *Chunk) { c.Offset = c.Size + 1; c.Data = nil }), ErrInvalid},
		{"chunk final early", chunk(func(c *Chunk) { c.Size++ }), ErrInvalid},
		{"chunk not final at end", chunk(func(c *Chunk) { c.Final = false }), ErrInvalid},
		{"chunk empty not final", chunk(func(c *Chunk) { c.Data = nil; c.Final = false }), ErrInvalid},
		{"reject no message", Reject{Op: opA, Code: "x"}, ErrInvalid},
		{"reject bad code", Reject{Op: opA, Code: "Not-Snake", Message: "m"}, ErrInvalid},
		{"reject bad rule", Reject{Op: opA, Code: "x", Message: "m", Rule: "a b"}, ErrInvalid},
		{"reject long message", Reject{Op: opA, Code: "x", Message: strings.Repeat("m", MaxText+1)}, ErrInvalid},
		{"exception winner is loser", Exception{ID: excID, Seq: 1, Entity: Entity{Type: "invoice", ID: "i"},
			Kind: "k", Winner: opA, Loser: opA, Message: "m"}, ErrInvalid},
		{"exception seq 0", Exception{ID: excID, Entity: Entity{Type: "invoice", ID: "i"},
			Kind: "k", Winner: opA, Loser: opB, Message: "m"}, ErrInvalid},
		{"checkpoint short sig", cp(func(c *Checkpoint) { c.Signature = c.Signature[1:] }), ErrInvalid},
		{"checkpoint index past size", cp(func(c *Checkpoint) { c.Inclusion.Index = c.Size }), ErrInvalid},
		{"checkpoint old size 0", cp(func(c *Checkpoint) { c.Consistency.OldSize = 0 }), ErrInvalid},
		{"checkpoint old size past size", cp(func(c *Checkpoint) { c.Consistency.OldSize = c.Size + 1 }), ErrInvalid},
		{"checkpoint long proof", cp(func(c *Checkpoint) { c.Inclusion.Hashes = make([]Hash, MaxProof+1) }), ErrTooLarge},
		{"typed nil", (*Push)(nil), ErrInvalid},
		{"nil", nil, ErrInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Encode(Message{ID: "m", Body: tc.body})
			if !errors.Is(err, tc.want) {
				t.Fatalf("Encode: %v, want %v", err, tc.want)
			}
			if other := map[error]error{ErrInvalid: ErrTooLarge, ErrTooLarge: ErrInvalid}[tc.want]; errors.Is(err, other) {
				t.Errorf("error wraps both sentinels: %v", err)
			}
			// encoding/json turns invalid UTF-8 into U+FFFD while decoding,
			// so that case only exists on the sending side.
			if tc.body == nil || isNilPointer(tc.body) || strings.HasSuffix(tc.name, "utf8") {
				return
			}
			// Bypass Encode's check to play a careless or hostile sender.
			frame := withBody(tc.body.Type(), string(mustJSON(t, tc.body)))
			if _, err := Decode(frame); !errors.Is(err, tc.want) {
				t.Errorf("Decode: %v, want %v", err, tc.want)
			}
		})
	}
}

func TestEncodeRefusesBadID(t *testing.T) {
	for _, id := range []string{"", "a b", strings.Repeat("x", maxID+1)} {
		m := samples()[TypePull]
		m.ID = id
		if _, err := Encode(m); !errors.Is(err, ErrInvalid) {
			t.Errorf("id %q: %v", id, err)
		}
	}
}

// Tokens must not reach logs through fmt.
func TestSecretRedacted(t *testing.T) {
	h := samples()[TypeHello].Body.(Hello)
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		if out := fmt.Sprintf(format, h); strings.Contains(out, string(h.Token)) {
			t.Errorf("%s printed the token: %s", format, out)
		}
	}
}
