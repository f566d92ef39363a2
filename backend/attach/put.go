package attach

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"

	"github.com/smartap/desktop/backend/atomicfile"
)

// Put streams r into a sealed file and returns its Ref. It reads at most
// limit+1 bytes: content longer than limit returns ErrTooLarge and leaves
// nothing behind. Storing content that is already there returns the same
// Ref and keeps the existing file.
//
// atomicfile.Write cannot be used as is: the final name is known only after
// the last byte, so Put runs the same temp, fsync, rename, fsync-folder
// sequence itself.
func (s *Store) Put(r io.Reader, limit int64) (ref Ref, err error) {
	if limit < 0 {
		return Ref{}, fmt.Errorf("attach: negative size limit %d", limit)
	}
	f, err := os.CreateTemp(s.dir, tempPrefix+"*"+tempSuffix) // 0600
	if err != nil {
		return Ref{}, fmt.Errorf("attach: create temp file: %w", err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	if ref, err = s.seal(f, r, limit); err != nil {
		return Ref{}, err
	}
	stored, err := s.exists(ref.Name)
	if err != nil {
		return Ref{}, err
	}
	if stored {
		// Dedupe: keep the file already there rather than rename over it
		// (on Windows a rename over a file open for reading fails).
		_ = f.Close()
		_ = os.Remove(tmp)
		return ref, nil
	}
	if err = s.commit(f, tmp, ref.Name); err != nil {
		return Ref{}, err
	}
	return ref, nil
}

// seal writes the header and the sealed chunks of r to w.
func (s *Store) seal(w io.Writer, r io.Reader, limit int64) (Ref, error) {
	h, err := s.randomHeader()
	if err != nil {
		return Ref{}, err
	}
	if _, err := w.Write(h[:]); err != nil {
		return Ref{}, fmt.Errorf("attach: write header: %w", err)
	}
	more, final := h.ads()
	c := newChunker(&io.LimitedReader{R: r, N: readCap(limit)}, chunkSize)
	sum := sha256.New()
	out := make([]byte, 0, sealedSize)
	var size int64
	for counter := uint64(0); ; counter++ {
		piece, last, err := c.next()
		if err != nil {
			return Ref{}, fmt.Errorf("attach: read input: %w", err)
		}
		if size += int64(len(piece)); size > limit {
			return Ref{}, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, limit)
		}
		sum.Write(piece)
		ad := more
		if last {
			ad = final
		}
		out = s.aead.Seal(out[:0], h.nonce(counter), piece, ad)
		if _, err := w.Write(out); err != nil {
			return Ref{}, fmt.Errorf("attach: write chunk %d: %w", counter, err)
		}
		if last {
			break
		}
	}
	ref := Ref{Size: size}
	sum.Sum(ref.SHA256[:0])
	ref.Name = s.nameOf(ref.SHA256[:])
	return ref, nil
}

func (s *Store) randomHeader() (header, error) {
	var prefix [prefixSize]byte
	if _, err := io.ReadFull(s.rand, prefix[:]); err != nil {
		return header{}, fmt.Errorf("attach: nonce prefix: %w", err)
	}
	return newHeader(prefix[:]), nil
}

// readCap is how much Put may read: one byte past the limit, enough to tell
// "exactly limit" from "too large" and no more.
func readCap(limit int64) int64 {
	if limit == math.MaxInt64 {
		return limit
	}
	return limit + 1
}

// exists reports whether name is already stored, for dedupe.
func (s *Store) exists(name string) (bool, error) {
	_, err := s.lookup(name)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, ErrNotFound):
		// Also covers a non-regular file squatting on the name: the rename
		// below then fails or replaces it, and either is fine.
		return false, nil
	default:
		return false, err
	}
}

// commit makes the temp file durable and gives it its name (checklist #36).
func (s *Store) commit(f *os.File, tmp, name string) error {
	if err := f.Sync(); err != nil {
		return fmt.Errorf("attach: sync: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("attach: close: %w", err)
	}
	if s.beforeRename != nil {
		if err := s.beforeRename(tmp); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp, filepath.Join(s.dir, name)); err != nil {
		// A concurrent Put of the same content may have won (on Windows the
		// rename over its file can then fail): same content, so success.
		if stored, _ := s.exists(name); stored {
			_ = os.Remove(tmp)
			return nil
		}
		return fmt.Errorf("attach: rename: %w", err)
	}
	if err := atomicfile.SyncDir(s.dir); err != nil {
		// The file is in place; only its durability is in doubt.
		return fmt.Errorf("attach: %w", err)
	}
	return nil
}
