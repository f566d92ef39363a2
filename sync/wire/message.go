package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
)

// Message is one protocol message: a correlation id and a typed body. A
// response carries the id of the request it answers; unsolicited messages
// (exceptions, checkpoints) carry a fresh id.
type Message struct {
	ID   string
	Body Body
}

// Body is the closed set of message bodies defined in this package. The
// unexported method keeps other packages from adding types the decoder
// could never produce.
type Body interface {
	// Type is the envelope type name, e.g. "push".
	Type() string
	check() error
}

// envelope is the frame layout. Unknown envelope fields are ignored like
// unknown body fields.
type envelope struct {
	V    int             `json:"v"`
	Type string          `json:"type"`
	ID   string          `json:"id"`
	Body json.RawMessage `json:"body"`
}

// decoders maps each type name to its body decoder. Anything not listed is
// ErrUnknownType.
var decoders = map[string]func([]byte) (Body, error){
	TypeHello:          decodeAs[Hello],
	TypeWelcome:        decodeAs[Welcome],
	TypePush:           decodeAs[Push],
	TypeAck:            decodeAs[Ack],
	TypePull:           decodeAs[Pull],
	TypePage:           decodeAs[Page],
	TypeBootstrap:      decodeAs[Bootstrap],
	TypeSnapshot:       decodeAs[Snapshot],
	TypeChunkWant:      decodeAs[ChunkWant],
	TypeChunk:          decodeAs[Chunk],
	TypeReject:         decodeAs[Reject],
	TypeException:      decodeAs[Exception],
	TypeCheckpoint:     decodeAs[Checkpoint],
	TypeAlert:          decodeAs[Alert],
	TypeCheckpointWant: decodeAs[CheckpointWant],
}

// Types lists every message type name, for documentation and tests.
func Types() []string {
	return []string{TypeHello, TypeWelcome, TypePush, TypeAck, TypePull, TypePage, TypeBootstrap,
		TypeSnapshot, TypeChunkWant, TypeChunk, TypeReject, TypeException, TypeCheckpoint,
		TypeAlert, TypeCheckpointWant}
}

func decodeAs[T Body](raw []byte) (Body, error) {
	var b T
	if err := json.Unmarshal(raw, &b); err != nil {
		return nil, err
	}
	return b, nil
}

// Validate checks a body the way Decode does. The error wraps ErrTooLarge
// for count and size limits and ErrInvalid for everything else.
func Validate(b Body) error {
	if b == nil || isNilPointer(b) {
		return fmt.Errorf("%w: no body", ErrInvalid)
	}
	err := b.check()
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ErrTooLarge):
		return fmt.Errorf("%s: %w", b.Type(), err)
	default:
		return fmt.Errorf("%w: %s: %w", ErrInvalid, b.Type(), err)
	}
}

// isNilPointer catches a typed nil such as (*Push)(nil), whose value
// methods would otherwise panic.
func isNilPointer(b Body) bool {
	v := reflect.ValueOf(b)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// Encode validates m and returns its frame. Sending only what the peer would
// accept keeps a bad local record from poisoning a whole connection.
func Encode(m Message) ([]byte, error) {
	if err := Validate(m.Body); err != nil {
		return nil, err
	}
	if err := checkID("id", m.ID); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	// The body is encoded straight into the frame (encode.go) when it has
	// a hand-written form; the envelope always is.
	buf := make([]byte, 0, sizeHint(m.Body))
	buf = appendEnvelopeHead(buf, m.Body.Type(), m.ID)
	frame, ok := appendBody(buf, m.Body)
	if !ok {
		body, err := marshal(m.Body)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %w", ErrInvalid, m.Body.Type(), err)
		}
		frame = append(buf, body...)
	}
	frame = append(frame, '}')
	if len(frame) > MaxFrame {
		return nil, tooLarge("frame", len(frame), MaxFrame)
	}
	return frame, nil
}

// marshal is json.Marshal without HTML escaping: "Smith & Sons" stays
// readable in frames and golden files, and frames do not grow six-fold.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// Decode parses and validates one frame. The size limit is checked before
// any parsing; then the version, the type and last the body, so a newer
// peer gets ErrVersion rather than a confusing body error.
func Decode(b []byte) (Message, error) {
	if len(b) > MaxFrame {
		return Message{}, tooLarge("frame", len(b), MaxFrame)
	}
	if env, body, ok := decodeOnePass(b); ok {
		return checked(env, body)
	}
	return decodeGeneral(b)
}

// decodeGeneral decodes the envelope, then the body (decode.go says when
// one pass is enough).
func decodeGeneral(b []byte) (Message, error) {
	var env envelope
	if err := json.Unmarshal(b, &env); err != nil {
		return Message{}, fmt.Errorf("%w: envelope: %w", ErrInvalid, err)
	}
	if err := checkEnvelope(env); err != nil {
		return Message{}, err
	}
	body, err := decoders[env.Type](env.Body)
	if err != nil {
		return Message{}, fmt.Errorf("%w: %s: %w", ErrInvalid, env.Type, err)
	}
	return checked(env, body)
}

// checked validates a decoded envelope and body.
func checked(env envelope, body Body) (Message, error) {
	if err := checkEnvelope(env); err != nil {
		return Message{}, err
	}
	if err := Validate(body); err != nil {
		return Message{}, err
	}
	return Message{ID: env.ID, Body: body}, nil
}

func checkEnvelope(env envelope) error {
	switch {
	case env.V > Version:
		return fmt.Errorf("%w: peer speaks protocol version %d, this build speaks %d; update SmartAP",
			ErrVersion, env.V, Version)
	case env.V < 1:
		return fmt.Errorf("%w: protocol version %d (missing or below 1)", ErrInvalid, env.V)
	case env.Type == "":
		return fmt.Errorf("%w: no message type", ErrInvalid)
	case decoders[env.Type] == nil:
		return fmt.Errorf("%w: %.64q", ErrUnknownType, env.Type)
	case len(env.Body) == 0 || env.Body[0] != '{':
		return fmt.Errorf("%w: %s: body must be a JSON object", ErrInvalid, env.Type)
	}
	if err := checkID("id", env.ID); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return nil
}
