package attach

import (
	"encoding/binary"
	"fmt"
	"io"

	"golang.org/x/crypto/chacha20poly1305"
)

// Format constants; see the package doc. Changing any of them changes the
// file format and needs a new version byte.
const (
	magic         = "SAPA"
	formatVersion = byte(1)
	prefixSize    = 16
	headerSize    = len(magic) + 1 + prefixSize
	chunkSize     = 64 << 10
	tagSize       = chacha20poly1305.Overhead
	sealedSize    = chunkSize + tagSize
	nonceSize     = chacha20poly1305.NonceSizeX
)

const (
	flagMore  = byte(0)
	flagFinal = byte(1)
)

// header is the fixed start of every file. It doubles as the associated
// data of every chunk, which binds chunks to this file's prefix and version.
type header [headerSize]byte

func newHeader(prefix []byte) header {
	var h header
	copy(h[:], magic)
	h[len(magic)] = formatVersion
	copy(h[len(magic)+1:], prefix)
	return h
}

func parseHeader(b []byte) (header, error) {
	var h header
	if len(b) != headerSize || string(b[:len(magic)]) != magic {
		return h, fmt.Errorf("%w: not an attachment file", ErrCorrupt)
	}
	if v := b[len(magic)]; v != formatVersion {
		return h, fmt.Errorf("%w: unknown format version %d", ErrCorrupt, v)
	}
	copy(h[:], b)
	return h, nil
}

// nonce is prefix || uint64_be(counter).
func (h *header) nonce(counter uint64) []byte {
	n := make([]byte, nonceSize)
	copy(n, h[len(magic)+1:])
	binary.BigEndian.PutUint64(n[prefixSize:], counter)
	return n
}

// ads returns the associated data for middle chunks and for the final one.
func (h *header) ads() (more, final []byte) {
	more = append(append(make([]byte, 0, headerSize+1), h[:]...), flagMore)
	final = append(append(make([]byte, 0, headerSize+1), h[:]...), flagFinal)
	return more, final
}

// chunker cuts a stream into pieces of size bytes and says which piece is
// the last. It reads one byte past each full piece: the only way to know,
// without holding more, that a full piece is not the end. Both Put (size =
// plaintext chunk) and Open (size = sealed chunk) use it.
type chunker struct {
	r     io.Reader
	buf   []byte // size+1: one piece plus the look-ahead byte
	size  int
	carry bool // buf[size] holds a byte read ahead for the next piece
}

func newChunker(r io.Reader, size int) *chunker {
	return &chunker{r: r, buf: make([]byte, size+1), size: size}
}

// next returns the next piece, valid until the following call. After a
// piece with final set, next must not be called again.
func (c *chunker) next() (piece []byte, final bool, err error) {
	held := 0
	if c.carry {
		c.buf[0] = c.buf[c.size]
		held, c.carry = 1, false
	}
	n, err := io.ReadFull(c.r, c.buf[held:])
	n += held
	switch err {
	case nil:
		c.carry = true
		return c.buf[:c.size], false, nil
	case io.EOF, io.ErrUnexpectedEOF:
		return c.buf[:n], true, nil
	default:
		return nil, false, err
	}
}
