package wire

// Type names of the attachment messages.
const (
	TypeChunkWant = "chunk_want"
	TypeChunk     = "chunk"
)

// ChunkWant asks the peer to send an attachment's content from Offset on.
// Either side sends it: the client to download, the server to tell an
// uploading client where to resume after a broken connection.
type ChunkWant struct {
	Hash   Hash   `json:"hash"`
	Offset uint64 `json:"offset"`
}

// Type implements Body.
func (ChunkWant) Type() string { return TypeChunkWant }

func (w ChunkWant) check() error {
	if w.Offset > MaxAttachment {
		return fieldErr("offset", "%d is past the largest attachment (%d)", w.Offset, MaxAttachment)
	}
	return nil
}

// Chunk carries Data at Offset of the attachment whose SHA-256 is Hash,
// whose full length is Size. Final marks the chunk that ends the content.
// The receiver checks the hash over the whole content before using it; the
// size cross-checks here only catch a broken sender early.
type Chunk struct {
	Hash   Hash   `json:"hash"`
	Offset uint64 `json:"offset"`
	Size   uint64 `json:"size"`
	Data   []byte `json:"data"`
	Final  bool   `json:"final"`
}

// Type implements Body.
func (Chunk) Type() string { return TypeChunk }

func (c Chunk) check() error {
	if len(c.Data) > MaxChunk {
		return tooLarge("data", len(c.Data), MaxChunk)
	}
	if c.Size > MaxAttachment {
		return tooLarge("size", int(min(c.Size, 1<<62)), MaxAttachment)
	}
	// Size ≤ MaxAttachment, so a valid offset is small and the sum below
	// cannot overflow.
	if c.Offset > c.Size {
		return fieldErr("offset", "%d is past the size %d", c.Offset, c.Size)
	}
	end := c.Offset + uint64(len(c.Data))
	switch {
	case end > c.Size:
		return fieldErr("data", "ends at %d, past the size %d", end, c.Size)
	case !c.Final && len(c.Data) == 0:
		// An empty chunk that is not the last makes no progress; a peer
		// could loop on it forever.
		return fieldErr("data", "empty in a chunk that is not final")
	case c.Final != (end == c.Size):
		return fieldErr("final", "is %t but the chunk ends at %d of %d", c.Final, end, c.Size)
	}
	return nil
}
