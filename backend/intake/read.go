package intake

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"

	"github.com/smartap/desktop/backend/apperr"
)

// DefaultMaxBytes is the size limit when Limits.MaxBytes is not set.
const DefaultMaxBytes = 50 << 20

// Limits bound what Read accepts.
type Limits struct {
	MaxBytes int64 // 0 or less: DefaultMaxBytes
}

func (l Limits) maxBytes() int64 {
	if l.MaxBytes <= 0 {
		return DefaultMaxBytes
	}
	return l.MaxBytes
}

// Read reads a whole upload, enforcing the size limit while reading: it
// pulls at most MaxBytes+1 bytes from r, so a body one byte over the limit is
// refused (apperr.TooLarge, ErrTooLarge) without reading or buffering the
// rest (security checklist #26). The SHA-256 of the bytes is computed on the
// way, for the exact-duplicate check, and the content is sniffed
// (apperr.UnsupportedFormat, ErrUnsupported). A failing reader gives its
// error wrapped, without a code (it is not the user's file that is wrong).
func Read(r io.Reader, lim Limits) (data []byte, kind Kind, sum [32]byte, err error) {
	limit := lim.maxBytes()
	h := sha256.New()
	var buf bytes.Buffer
	n, err := io.Copy(io.MultiWriter(&buf, h), io.LimitReader(r, limit+1))
	if err != nil {
		return nil, "", sum, fmt.Errorf("intake: read: %w", err)
	}
	if n > limit {
		return nil, "", sum, apperr.Wrap(ErrTooLarge, apperr.TooLarge,
			"The file is larger than the limit of %s.", humanBytes(limit))
	}
	data = buf.Bytes()
	kind, err = Sniff(data[:min(len(data), HeadSize)])
	if err != nil {
		return nil, "", sum, err
	}
	copy(sum[:], h.Sum(nil))
	return data, kind, sum, nil
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
