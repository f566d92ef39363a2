package intake

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io"
	"testing"
	"testing/iotest"

	"github.com/smartap/desktop/backend/apperr"
)

// greedyReader serves an endless PDF-looking body and fails the test when
// more than allowed bytes are pulled from it.
type greedyReader struct {
	t       *testing.T
	allowed int64
	pulled  int64
}

func (g *greedyReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'A'
		if g.pulled+int64(i) < 5 {
			p[i] = "%PDF-"[g.pulled+int64(i)]
		}
	}
	g.pulled += int64(len(p))
	if g.pulled > g.allowed {
		g.t.Errorf("pulled %d bytes, more than %d", g.pulled, g.allowed)
	}
	return len(p), nil
}

// security checklist #26: 1 byte over the limit is refused without reading
// (or buffering) the rest.
func TestReadLimit(t *testing.T) {
	const limit = 100 << 10
	pdf := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("x"), limit-9)...)
	tests := []struct {
		name    string
		body    []byte
		wantErr bool
	}{
		{"exactly at the limit", pdf, false},
		{"one byte over", append(append([]byte(nil), pdf...), 'x'), true},
		{"empty", nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data, kind, sum, err := Read(iotest.HalfReader(bytes.NewReader(tc.body)), Limits{MaxBytes: limit})
			if tc.wantErr {
				if err == nil {
					t.Fatal("accepted")
				}
				return
			}
			if err != nil || kind != KindPDF || !bytes.Equal(data, tc.body) || sum != sha256.Sum256(tc.body) {
				t.Fatalf("Read = %d bytes, %q, %x, %v", len(data), kind, sum, err)
			}
		})
	}
}

func TestReadStopsAtLimit(t *testing.T) {
	const limit = 1 << 20
	g := &greedyReader{t: t, allowed: limit + 1}
	_, _, _, err := Read(g, Limits{MaxBytes: limit})
	if !errors.Is(err, ErrTooLarge) || apperr.CodeOf(err) != apperr.TooLarge {
		t.Fatalf("err = %v (code %s), want too_large", err, apperr.CodeOf(err))
	}
	if g.pulled != limit+1 {
		t.Fatalf("pulled %d bytes, want exactly %d", g.pulled, limit+1)
	}
}

func TestReadDefaultsAndErrors(t *testing.T) {
	if (Limits{}).maxBytes() != 50<<20 {
		t.Fatal("default limit is not 50 MB")
	}
	_, _, _, err := Read(bytes.NewReader([]byte("MZ\x90\x00")), Limits{})
	if !errors.Is(err, ErrUnsupported) {
		t.Fatalf("PE accepted: %v", err)
	}
	boom := errors.New("connection reset")
	_, _, _, err = Read(io.MultiReader(bytes.NewReader([]byte("%PDF-1.4")), iotest.ErrReader(boom)), Limits{})
	if !errors.Is(err, boom) || apperr.CodeOf(err) != apperr.Internal {
		t.Fatalf("reader error: %v", err)
	}
}
