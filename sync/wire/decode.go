package wire

import (
	"bytes"
	"encoding/json"
)

// One-pass decoding. Decode's general path unmarshals the envelope with
// the body as a json.RawMessage and then the body on its own, so
// encoding/json checks and scans the body three times and copies it once.
// For a frame that starts the way Encode writes every frame
// ({"v":1,"type":"…"), the type is known before parsing, and the whole
// frame is unmarshalled once into an envelope whose body has the concrete
// type. The result is then exactly the general path's, as long as:
//   - the frame's type really is the one read from the prefix (checked
//     after the decode: a later "type" key wins in encoding/json);
//   - there is one "body" key: encoding/json would merge two bodies into
//     one struct where the general path keeps the last one. The frame
//     must spell "body" (in any letter case, as encoding/json matches
//     keys) once, and contain no \u escape, the only way a key could
//     spell it differently;
//   - the decode succeeds and finds a body object: on any error, a null
//     or a missing body, the general path runs and gives its own error.

// onePass maps each type to its one-pass decoder.
var onePass = map[string]func([]byte) (envelope, Body, bool){
	TypeHello:          decodeWhole[Hello],
	TypeWelcome:        decodeWhole[Welcome],
	TypePush:           decodeWhole[Push],
	TypeAck:            decodeWhole[Ack],
	TypePull:           decodeWhole[Pull],
	TypePage:           decodeWhole[Page],
	TypeBootstrap:      decodeWhole[Bootstrap],
	TypeSnapshot:       decodeWhole[Snapshot],
	TypeChunkWant:      decodeWhole[ChunkWant],
	TypeChunk:          decodeWhole[Chunk],
	TypeReject:         decodeWhole[Reject],
	TypeException:      decodeWhole[Exception],
	TypeCheckpoint:     decodeWhole[Checkpoint],
	TypeAlert:          decodeWhole[Alert],
	TypeCheckpointWant: decodeWhole[CheckpointWant],
}

// scanners read the frames that carry operations without encoding/json
// (scan.go); they give up on anything but Encode's own spelling.
var scanners = map[string]func([]byte) (envelope, Body, bool){
	TypePush: scanPush,
	TypePage: scanPage,
}

// typedEnvelope is envelope with a concrete body type.
type typedEnvelope[T Body] struct {
	V    int    `json:"v"`
	Type string `json:"type"`
	ID   string `json:"id"`
	Body *T     `json:"body"`
}

// anObject stands for the body in the envelope a one-pass decode returns:
// checkEnvelope only looks at whether the body is an object.
var anObject = json.RawMessage("{}")

var framePrefix = []byte(`{"v":1,"type":"`)

// decodeOnePass decodes b in one pass when it can prove the result is the
// general path's; ok false means "use the general path".
func decodeOnePass(b []byte) (env envelope, body Body, ok bool) {
	if !bytes.HasPrefix(b, framePrefix) {
		return envelope{}, nil, false
	}
	rest := b[len(framePrefix):]
	end := bytes.IndexByte(rest, '"')
	if end < 0 {
		return envelope{}, nil, false
	}
	if scan := scanners[string(rest[:end])]; scan != nil {
		if env, body, ok := scan(b); ok {
			return env, body, true
		}
	}
	decode := onePass[string(rest[:end])]
	if decode == nil || !oneBodyKey(b) {
		return envelope{}, nil, false
	}
	env, body, ok = decode(b)
	if !ok || env.Type != string(rest[:end]) {
		return envelope{}, nil, false
	}
	return env, body, true
}

func decodeWhole[T Body](b []byte) (envelope, Body, bool) {
	var env typedEnvelope[T]
	if json.Unmarshal(b, &env) != nil || env.Body == nil {
		return envelope{}, nil, false
	}
	return envelope{V: env.V, Type: env.Type, ID: env.ID, Body: anObject}, *env.Body, true
}

// oneBodyKey reports that b contains the quoted word "body", in any
// letter case, exactly once, and no \u escape (see above). Only ASCII
// letters fold to b, o, d and y, so ORing in the lowercase bit is exact.
func oneBodyKey(b []byte) bool {
	n := 0
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '\\':
			if i+1 < len(b) && b[i+1] == 'u' {
				return false
			}
			i++ // an escaped byte is never a quote that opens a key
		case '"':
			if i+5 < len(b) && b[i+5] == '"' && b[i+1]|0x20 == 'b' && b[i+2]|0x20 == 'o' &&
				b[i+3]|0x20 == 'd' && b[i+4]|0x20 == 'y' {
				n++
			}
		}
	}
	return n == 1
}

// scanFrame reads a whole push or page frame: the envelope around body.
func scanFrame(b []byte, typ string, body func(*scanner)) (id string, ok bool) {
	s := &scanner{b: b}
	s.lit(`{"v":1,"type":"` + typ + `","id":`)
	id = s.str()
	s.lit(`,"body":`)
	body(s)
	s.lit("}")
	return id, !s.bad && s.i == len(b)
}

func scanPush(b []byte) (envelope, Body, bool) {
	var p Push
	id, ok := scanFrame(b, TypePush, func(s *scanner) {
		s.lit(`{"ops":`)
		p.Ops = []Op{}
		s.list(func() {
			p.Ops = append(p.Ops, Op{})
			s.op(&p.Ops[len(p.Ops)-1])
		})
		s.lit("}")
	})
	return envelope{V: Version, Type: TypePush, ID: id, Body: anObject}, p, ok
}

func scanPage(b []byte) (envelope, Body, bool) {
	var p Page
	id, ok := scanFrame(b, TypePage, func(s *scanner) {
		s.lit(`{"ops":`)
		p.Ops = []Sequenced{}
		s.list(func() {
			p.Ops = append(p.Ops, Sequenced{})
			e := &p.Ops[len(p.Ops)-1]
			s.lit(`{"seq":`)
			e.Seq = s.uint()
			s.lit(`,"op":`)
			s.op(&e.Op)
			s.lit("}")
		})
		s.lit(`,"next":{"index":`)
		p.Next.Index = s.str()
		s.lit(`,"seq":`)
		p.Next.Seq = s.uint()
		s.lit(`},"more":`)
		p.More = s.boolean()
		s.lit("}")
	})
	return envelope{V: Version, Type: TypePage, ID: id, Body: anObject}, p, ok
}

// DecodeOp parses one op's JSON as AppendOp writes it (a sync server's
// stored form), like json.Unmarshal into an Op and without validating it;
// other spellings, such as json.Marshal's, go through encoding/json.
func DecodeOp(b []byte) (Op, error) {
	var op Op
	s := &scanner{b: b}
	s.op(&op)
	if !s.bad && s.i == len(b) {
		return op, nil
	}
	op = Op{}
	err := json.Unmarshal(b, &op)
	return op, err
}
