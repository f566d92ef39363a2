package attach

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
)

var errClosed = errors.New("attach: read after Close")

// Open streams the plaintext of an attachment. Each chunk is authenticated
// before any of its bytes are returned; any damage gives ErrCorrupt from
// Read. Content is whole only once Read returns io.EOF (see package doc).
func (s *Store) Open(name string) (io.ReadCloser, error) {
	if _, err := s.lookup(name); err != nil {
		return nil, err
	}
	// OpenInRoot also refuses symlinks that lead out of the folder, should
	// one appear between lookup and open.
	f, err := os.OpenInRoot(s.dir, name)
	if err != nil {
		return nil, fmt.Errorf("attach: open %s: %w", name, err)
	}
	h, err := readHeader(f)
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	want, _ := hex.DecodeString(name) // validName checked it is hex
	more, final := h.ads()
	return &reader{
		s: s, f: f, hdr: h, want: want,
		adMore: more, adFinal: final,
		c:   newChunker(f, sealedSize),
		sum: sha256.New(),
	}, nil
}

func readHeader(f io.Reader) (header, error) {
	var b [headerSize]byte
	if _, err := io.ReadFull(f, b[:]); err != nil {
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return header{}, fmt.Errorf("%w: file shorter than its header", ErrCorrupt)
		}
		return header{}, fmt.Errorf("attach: read header: %w", err)
	}
	return parseHeader(b[:])
}

// reader opens one sealed chunk at a time, in place in the chunker's buffer.
type reader struct {
	s       *Store
	f       *os.File
	hdr     header
	want    []byte // the name's MAC: what the content must hash to
	adMore  []byte
	adFinal []byte
	c       *chunker
	sum     hash.Hash
	counter uint64
	plain   []byte // opened bytes not yet returned
	err     error  // sticky; io.EOF after the final chunk
}

func (r *reader) Read(p []byte) (int, error) {
	for len(r.plain) == 0 {
		if r.err != nil {
			return 0, r.err
		}
		r.plain, r.err = r.openNext()
	}
	n := copy(p, r.plain)
	r.plain = r.plain[n:]
	return n, nil
}

// openNext authenticates the next chunk and returns its plaintext, with
// io.EOF when it was the final one.
func (r *reader) openNext() ([]byte, error) {
	piece, final, err := r.c.next()
	if err != nil {
		return nil, fmt.Errorf("attach: read: %w", err)
	}
	ad := r.adMore
	if final {
		ad = r.adFinal
	}
	if len(piece) < tagSize {
		return nil, fmt.Errorf("%w: chunk %d is cut short", ErrCorrupt, r.counter)
	}
	plain, err := r.s.aead.Open(piece[:0], r.hdr.nonce(r.counter), piece, ad)
	if err != nil {
		return nil, fmt.Errorf("%w: chunk %d does not authenticate", ErrCorrupt, r.counter)
	}
	if final && len(plain) == 0 && r.counter > 0 {
		// Put never writes this; refuse it so each content has one encoding.
		return nil, fmt.Errorf("%w: empty final chunk after data", ErrCorrupt)
	}
	r.counter++
	r.sum.Write(plain)
	if !final {
		return plain, nil
	}
	// Checked before the last bytes go out, so a file renamed over another
	// name never completes a read.
	if !hmac.Equal(r.s.nameMAC(r.sum.Sum(nil)), r.want) {
		return nil, fmt.Errorf("%w: content does not match its name", ErrCorrupt)
	}
	return plain, io.EOF
}

func (r *reader) Close() error {
	r.plain, r.err = nil, errClosed
	if err := r.f.Close(); err != nil {
		return fmt.Errorf("attach: close: %w", err)
	}
	return nil
}
