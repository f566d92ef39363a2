package wire

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// Fixed values so golden files never change by accident.
const (
	opA    = "0190f3a2-7c1e-7b2a-9f00-000000000001"
	opB    = "0190f3a2-7c1e-7b2a-9f00-000000000002"
	excID  = "0190f3a2-7c1e-7b2a-9f00-0000000000e1"
	device = "laptop-7"
	wall   = int64(1767225600000) // 2026-01-01T00:00:00Z
)

func str(s string) *string { return &s }

func clock(counter uint16) HLC { return HLC{Wall: wall, Counter: counter, Device: device} }

func hashOf(b byte) Hash { return Hash(bytes.Repeat([]byte{b}, 32)) }

func fieldOp() Op {
	return Op{
		ID: opA, Device: device, User: "u-anna", Clock: clock(0),
		Entity:  Entity{Type: "invoice", ID: "inv-1"},
		Changes: []Field{{Name: "amount", Value: str("1234.50")}, {Name: "note", Value: nil}},
		Pre:     []Field{{Name: "status", Value: str("draft")}},
	}
}

func commandOp() Op {
	return Op{
		ID: opB, Device: device, User: "u-anna", Clock: clock(1),
		Entity: Entity{Type: "invoice", ID: "inv-1"},
		Cmd:    &Command{Name: "approve", Args: map[string]string{"amount": "1234.50", "comment": "Smith & Sons <ok>"}},
	}
}

// samples holds one valid message of every type; golden files pin their
// bytes and every test derives its bad cases from them.
func samples() map[string]Message {
	cur := Cursor{Index: "idx-2026a", Seq: 41}
	return map[string]Message{
		TypeHello:   {ID: "m1", Body: Hello{Device: device, Client: "smartap/1.4.0", Token: "eyJhbGciOiJFZERTQSJ9.e30.sig"}},
		TypeWelcome: {ID: "m1", Body: Welcome{Server: "smartap-sync/1.0.0", Team: "t-acme", User: "u-anna", Head: cur}},
		TypePush:    {ID: "m2", Body: Push{Ops: []Op{fieldOp(), commandOp()}}},
		TypeAck:     {ID: "m2", Body: Ack{Index: cur.Index, Ops: []Acked{{Op: opA, Seq: 42}}}},
		TypePull:    {ID: "m3", Body: Pull{After: cur, Limit: 100}},
		TypePage: {ID: "m3", Body: Page{
			Ops:  []Sequenced{{Seq: 42, Op: fieldOp()}, {Seq: 43, Op: commandOp()}},
			Next: Cursor{Index: cur.Index, Seq: 43}, More: true,
		}},
		TypeBootstrap: {ID: "m4", Body: Bootstrap{At: &cur, Page: 1}},
		TypeSnapshot: {ID: "m4", Body: Snapshot{At: cur, Page: 1, Last: true, Records: []Record{{
			Entity: Entity{Type: "vendor", ID: "v-9"}, Clock: clock(2),
			Fields: []Field{{Name: "name", Value: str("Müller GmbH")}, {Name: "iban", Value: nil}},
		}}}},
		TypeChunkWant: {ID: "m5", Body: ChunkWant{Hash: hashOf(0xab), Offset: 262144}},
		TypeChunk:     {ID: "m5", Body: Chunk{Hash: hashOf(0xab), Offset: 262144, Size: 262150, Data: []byte("%PDF-1"), Final: true}},
		TypeReject: {ID: "m2", Body: Reject{Op: opB, Code: "forbidden_transition",
			Message: "Approving 1234.50 needs an approver limit of at least 1234.50.", Rule: "approval.amount_limit"}},
		TypeException: {ID: "s1", Body: Exception{ID: excID, Seq: 44, Entity: Entity{Type: "invoice", ID: "inv-1"},
			Kind: "concurrent_transition", Winner: opB, Loser: opA, Message: "Anna approved while Ben rejected."}},
		TypeCheckpoint: {ID: "s2", Body: Checkpoint{
			Size: 7, Root: hashOf(0x11), Signature: bytes.Repeat([]byte{0x5a}, SignatureSize),
			Inclusion:   &Inclusion{Index: 3, Hashes: []Hash{hashOf(0x22), hashOf(0x33)}},
			Consistency: &Consistency{OldSize: 4, Hashes: []Hash{hashOf(0x44)}},
		}},
		TypeAlert: {ID: "s3", Body: Alert{Kind: "new_device", User: "u-anna", Device: "laptop-9",
			Detail: "First sign-in from laptop-9.", At: wall}},
		TypeCheckpointWant: {ID: "m6", Body: CheckpointWant{OldSize: 4, Op: opA}},
	}
}

// withBody returns a frame for type typ with a raw JSON body, for cases
// Encode would refuse to produce.
func withBody(typ, body string) []byte {
	return []byte(`{"v":1,"type":"` + typ + `","id":"m1","body":` + body + `}`)
}

// pad grows a frame with trailing JSON whitespace to exactly n bytes.
func pad(frame []byte, n int) []byte {
	return append(frame, strings.Repeat(" ", n-len(frame))...)
}

// opID returns the i-th distinct op id.
func opID(i int) string { return fmt.Sprintf("0190f3a2-7c1e-7b2a-9f00-%012d", i) }

func mustEncode(t testing.TB, m Message) []byte {
	t.Helper()
	b, err := Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
