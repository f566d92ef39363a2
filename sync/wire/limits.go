package wire

// Version is the protocol version this build speaks. Envelopes with a
// higher version are refused with ErrVersion, never half-understood.
const Version = 1

// Limits of protocol version 1. They are part of the protocol: both ends
// enforce the same numbers, and changing one needs a new version.
const (
	// MaxFrame is the largest encoded frame, checked before parsing
	// (security checklist #23).
	MaxFrame = 1 << 20
	// MaxBatch is the most operations in one push.
	MaxBatch = 500
	// MaxPage is the most operations in a pull page and the most records in
	// a snapshot page.
	MaxPage = 500
	// MaxChunk is the most attachment bytes in one chunk. Base64 makes it
	// about 342 KiB on the wire, well inside MaxFrame.
	MaxChunk = 256 << 10
	// MaxAttachment is the largest attachment; it matches the default
	// limit of the local attachment store (backend/attach, §3).
	MaxAttachment = 50 << 20
	// MaxFields is the most field changes, preconditions or snapshot fields
	// of one operation or record.
	MaxFields = 64
	// MaxArgs is the most arguments of one command.
	MaxArgs = 16
	// MaxValue is the longest field value or argument, in bytes. Invoice
	// notes are the longest real values; anything bigger is an attachment.
	MaxValue = 4096
	// MaxText is the longest human-readable message (rejections,
	// exceptions), in bytes.
	MaxText = 1024
	// MaxProof is the most hashes in an inclusion or consistency proof: a
	// tlog tree of 2^64 leaves needs fewer than 128.
	MaxProof = 128
	// SignatureSize is the length of a checkpoint signature (Ed25519, §6).
	SignatureSize = 64
)
