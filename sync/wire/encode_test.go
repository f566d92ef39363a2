package wire

import (
	"bytes"
	"testing"
)

// The hand-written encoders (encode.go) must write exactly what
// encoding/json writes (marshal): the golden files pin one sample each,
// this pins the string escaping and the optional parts for many.
func TestFastEncodingMatchesJSON(t *testing.T) {
	texts := []string{"", "plain", `q"uote\back`, "<a&b>", "tab\tnl\ncr\r", "\b\f\x00\x01\x1f\x7f",
		"café ünï €", "\u2028\u2029", "bad\xffutf8\xc3", "emoji 😀", "\xed\xa0\x80"}
	for _, s := range texts {
		checkSameEncoding(t, opWithText(s))
	}
	bare := fieldOp()
	bare.Pre = nil
	checkSameEncoding(t, bare)
	empty := fieldOp()
	empty.Pre = []Field{}
	checkSameEncoding(t, empty)
	cmd := fieldOp()
	cmd.Changes, cmd.Cmd = nil, &Command{Name: "approve"}
	checkSameEncoding(t, cmd)
	cmd.Cmd.Args = map[string]string{}
	checkSameEncoding(t, cmd)
}

func FuzzFastEncodingMatchesJSON(f *testing.F) {
	f.Add("x", "y", int64(1767225600000), uint16(3))
	f.Add("\u2028<>&\"\\", "\xff", int64(-1), uint16(65535))
	f.Fuzz(func(t *testing.T, a, b string, wall int64, counter uint16) {
		op := opWithText(a)
		op.Clock = HLC{Wall: wall, Counter: counter, Device: b}
		op.Entity.ID, op.User = b, a
		checkSameEncoding(t, op)
	})
}

// opWithText is an op with s in every string position of every part.
func opWithText(s string) Op {
	op := fieldOp()
	op.ID, op.Device = s, s
	op.Changes = []Field{{Name: s, Value: &s}, {Name: "n", Value: nil}}
	op.Pre = []Field{{Name: s, Value: &s}}
	return op
}

func checkSameEncoding(t *testing.T, op Op) {
	t.Helper()
	withCmd := op // and the same strings in a command with arguments
	if withCmd.Cmd == nil {
		withCmd.Changes = nil
		withCmd.Cmd = &Command{Name: op.ID, Args: map[string]string{op.ID: op.User, "b": "2", "a": op.Device}}
	}
	for _, b := range []Body{
		Push{Ops: []Op{op, withCmd}}, Push{},
		Page{Ops: []Sequenced{{Seq: 7, Op: op}, {Seq: 1 << 60, Op: withCmd}}, Next: Cursor{Index: op.ID, Seq: 9}, More: true},
		Page{Next: Cursor{Index: "i"}}, Page{Ops: []Sequenced{}},
		Ack{Index: op.User, Ops: []Acked{{Op: op.ID, Seq: 1}, {Op: "x", Seq: 18446744073709551615}}}, Ack{},
	} {
		want, err := marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := appendBody(nil, b)
		if !ok || !bytes.Equal(got, want) {
			t.Fatalf("%s body\n got: %s\nwant: %s", b.Type(), got, want)
		}
		env, err := marshal(envelope{V: Version, Type: b.Type(), ID: op.Device, Body: want})
		if err != nil {
			t.Fatal(err)
		}
		if frame := append(append(appendEnvelopeHead(nil, b.Type(), op.Device), got...), '}'); !bytes.Equal(frame, env) {
			t.Fatalf("envelope\n got: %s\nwant: %s", frame, env)
		}
	}
}
