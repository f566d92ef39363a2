package wire

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestDecodeErrors(t *testing.T) {
	pull := `{"after":{"index":"i","seq":1},"limit":10}`
	for _, tc := range []struct {
		name  string
		frame string
		want  error
	}{
		{"empty", ``, ErrInvalid},
		{"not json", `hello`, ErrInvalid},
		{"truncated", `{"v":1,"type":"pull"`, ErrInvalid},
		{"trailing garbage", string(withBody("pull", pull)) + `x`, ErrInvalid},
		{"array", `[1,2]`, ErrInvalid},
		{"no version", `{"type":"pull","id":"m1","body":` + pull + `}`, ErrInvalid},
		{"version 0", `{"v":0,"type":"pull","id":"m1","body":` + pull + `}`, ErrInvalid},
		{"negative version", `{"v":-1,"type":"pull","id":"m1","body":` + pull + `}`, ErrInvalid},
		{"float version", `{"v":1.0,"type":"pull","id":"m1","body":` + pull + `}`, ErrInvalid},
		{"string version", `{"v":"1","type":"pull","id":"m1","body":` + pull + `}`, ErrInvalid},
		{"version 2", `{"v":2,"type":"pull","id":"m1","body":` + pull + `}`, ErrVersion},
		// A newer peer is told to update even when it uses a type we lack.
		{"version 2 new type", `{"v":2,"type":"teleport","id":"m1","body":{}}`, ErrVersion},
		{"unknown type", string(withBody("teleport", `{}`)), ErrUnknownType},
		{"type case", string(withBody("PUSH", `{}`)), ErrUnknownType},
		{"no type", `{"v":1,"id":"m1","body":{}}`, ErrInvalid},
		{"no id", `{"v":1,"type":"pull","body":` + pull + `}`, ErrInvalid},
		{"bad id", `{"v":1,"type":"pull","id":"m 1","body":` + pull + `}`, ErrInvalid},
		{"no body", `{"v":1,"type":"pull","id":"m1"}`, ErrInvalid},
		{"null body", string(withBody("pull", `null`)), ErrInvalid},
		{"array body", string(withBody("pull", `[]`)), ErrInvalid},
		{"string body", string(withBody("pull", `"x"`)), ErrInvalid},
		{"empty body", string(withBody("pull", `{}`)), ErrInvalid},
		{"negative seq", string(withBody("pull", `{"after":{"index":"i","seq":-1},"limit":10}`)), ErrInvalid},
		{"float seq", string(withBody("pull", `{"after":{"index":"i","seq":1.5},"limit":10}`)), ErrInvalid},
		{"exponent seq", string(withBody("pull", `{"after":{"index":"i","seq":1e3},"limit":10}`)), ErrInvalid},
		{"string seq", string(withBody("pull", `{"after":{"index":"i","seq":"1"},"limit":10}`)), ErrInvalid},
		{"seq overflow", string(withBody("pull", `{"after":{"index":"i","seq":18446744073709551616},"limit":10}`)), ErrInvalid},
		{"negative ack seq", string(withBody("ack", `{"index":"i","ops":[{"op":"`+opA+`","seq":-4}]}`)), ErrInvalid},
		{"numeric amount", string(withBody("push", `{"ops":[{"id":"`+opA+`","device":"d","user":"u","hlc":"1767225600000-0-d",`+
			`"entity":{"type":"invoice","id":"i"},"changes":[{"field":"amount","value":12.5}]}]}`)), ErrInvalid},
		{"numeric clock", string(withBody("push", `{"ops":[{"id":"`+opA+`","device":"d","user":"u","hlc":1767225600000,`+
			`"entity":{"type":"invoice","id":"i"},"changes":[{"field":"a","value":"1"}]}]}`)), ErrInvalid},
		{"uppercase hash", string(withBody("chunk_want", `{"hash":"`+strings.Repeat("AB", 32)+`","offset":0}`)), ErrInvalid},
		{"short hash", string(withBody("chunk_want", `{"hash":"abab","offset":0}`)), ErrInvalid},
		{"bad base64", string(withBody("chunk", `{"hash":"`+strings.Repeat("ab", 32)+`","offset":0,"size":1,"data":"%%","final":true}`)), ErrInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Decode([]byte(tc.frame))
			if !errors.Is(err, tc.want) {
				t.Fatalf("Decode = %+v, %v; want %v", m, err, tc.want)
			}
			if m != (Message{}) {
				t.Errorf("Decode returned a message with its error: %+v", m)
			}
		})
	}
}

func TestVersionErrorIsClear(t *testing.T) {
	_, err := Decode([]byte(`{"v":2,"type":"pull","id":"m1","body":{}}`))
	if msg := err.Error(); !strings.Contains(msg, "version 2") || !strings.Contains(msg, "update") {
		t.Errorf("error %q should name the version and say to update", msg)
	}
}

// A newer peer may add optional fields anywhere; this build ignores them
// and still decodes the same value.
func TestFutureFieldsTolerated(t *testing.T) {
	s := samples()
	frame := `{"v":1,"type":"push","id":"m2","trace":"abc","body":{"priority":3,"ops":[` +
		`{"id":"` + opB + `","device":"laptop-7","user":"u-anna","hlc":"1767225600000-1-laptop-7","geo":{"x":[1,2]},` +
		`"entity":{"type":"invoice","id":"inv-1","shard":9},"command":{"name":"approve","reason_code":"R1",` +
		`"args":{"amount":"1234.50","comment":"Smith & Sons <ok>"}}}]}}`
	got, err := Decode([]byte(frame))
	if err != nil {
		t.Fatal(err)
	}
	want := Message{ID: "m2", Body: Push{Ops: []Op{commandOp()}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	// Known types keep working with an unknown field in every body.
	for typ, m := range s {
		b, _ := Encode(m)
		b = bytes.Replace(b, []byte(`"body":{`), []byte(`"body":{"x_future":{"a":[1.5,null]},`), 1)
		if got, err := Decode(b); err != nil || !reflect.DeepEqual(got, m) {
			t.Errorf("%s with a future field: %v", typ, err)
		}
	}
}

func TestFrameLimit(t *testing.T) {
	frame, err := Encode(samples()[TypePull])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Decode(pad(frame, MaxFrame)); err != nil {
		t.Errorf("frame of exactly MaxFrame: %v", err)
	}
	if _, err := Decode(pad(frame, MaxFrame+1)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("frame of MaxFrame+1: %v, want ErrTooLarge", err)
	}
	// Refused before parsing: garbage of the same size gives ErrTooLarge,
	// not a JSON error.
	junk := bytes.Repeat([]byte{'{'}, MaxFrame+1)
	if _, err := Decode(junk); !errors.Is(err, ErrTooLarge) || errors.Is(err, ErrInvalid) {
		t.Errorf("oversize junk: %v, want only ErrTooLarge", err)
	}
}

func TestEncodeFrameLimit(t *testing.T) {
	big := strings.Repeat("x", MaxValue)
	ops := make([]Op, MaxBatch)
	for i := range ops {
		op := fieldOp()
		op.ID = opID(i)
		op.Changes = []Field{{Name: "note", Value: &big}}
		ops[i] = op
	}
	_, err := Encode(Message{ID: "m", Body: Push{Ops: ops}})
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("push of %d × %d bytes: %v, want ErrTooLarge", MaxBatch, MaxValue, err)
	}
}

func TestBatchLimit(t *testing.T) {
	for _, n := range []int{MaxBatch, MaxBatch + 1} {
		ops := make([]Op, n)
		for i := range ops {
			op := fieldOp()
			op.ID = opID(i)
			ops[i] = op
		}
		m := Message{ID: "m", Body: Push{Ops: ops}}
		b, err := Encode(m)
		if n == MaxBatch {
			if err != nil {
				t.Fatalf("batch of %d: %v", n, err)
			}
			if _, err := Decode(b); err != nil {
				t.Errorf("decode batch of %d: %v", n, err)
			}
			continue
		}
		if !errors.Is(err, ErrTooLarge) {
			t.Errorf("Encode batch of %d: %v, want ErrTooLarge", n, err)
		}
		// The receiver refuses it too, whatever the sender's encoder did.
		raw := bytes.Replace(mustEncode(t, Message{ID: "m", Body: Push{Ops: ops[:MaxBatch]}}),
			[]byte(`"ops":[`), []byte(`"ops":[`+string(mustJSON(t, ops[MaxBatch]))+`,`), 1)
		if _, err := Decode(raw); !errors.Is(err, ErrTooLarge) {
			t.Errorf("Decode batch of %d: %v, want ErrTooLarge", n, err)
		}
	}
}

func TestChunkLimit(t *testing.T) {
	h := hashOf(7)
	ok := Chunk{Hash: h, Size: MaxChunk, Data: make([]byte, MaxChunk), Final: true}
	b, err := Encode(Message{ID: "c", Body: ok})
	if err != nil {
		t.Fatalf("chunk of MaxChunk: %v", err)
	}
	if _, err := Decode(b); err != nil {
		t.Errorf("decode chunk of MaxChunk: %v", err)
	}
	big := Chunk{Hash: h, Size: MaxChunk + 1, Data: make([]byte, MaxChunk+1), Final: true}
	if _, err := Encode(Message{ID: "c", Body: big}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("Encode chunk of MaxChunk+1: %v", err)
	}
	raw := bytes.Replace(b, []byte(`"size":262144`), []byte(`"size":262145`), 1)
	raw = bytes.Replace(raw, []byte(`AA=="`), []byte(`AAA="`), 1) // one more byte
	if _, err := Decode(raw); !errors.Is(err, ErrTooLarge) {
		t.Errorf("Decode chunk of MaxChunk+1: %v", err)
	}
}
