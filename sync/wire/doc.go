// Package wire is the sync protocol between SmartAP desktops and the sync
// server (ARCHITECTURE §7): the message types, their validation and their
// byte encoding. It does no I/O, so both ends and every test share one
// definition of what a valid frame is.
//
// A frame is one JSON envelope {"v":1,"type":"push","id":"m1","body":{...}}.
// Decode refuses a frame before parsing when it is larger than MaxFrame, a
// newer protocol version with ErrVersion, a type it does not know with
// ErrUnknownType, and anything malformed or out of range with ErrInvalid.
// Unknown fields inside a known type are ignored, so a newer peer may add
// optional fields without a version bump; anything that changes meaning
// needs a new version.
//
// Encoding is deterministic (struct field order, no maps on the wire except
// command arguments, which encoding/json sorts), so golden files pin every
// byte. Sequences and sizes are unsigned integers; amounts and every other
// business value travel as strings, never as floats.
//
// Security checklist #23 (frame size limits), #24 (versioned, validated,
// idempotent by op id and sequence + index id) and #40 (fuzzed decoder).
package wire
