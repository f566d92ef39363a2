package attach

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
)

// chunkAt is the offset of sealed chunk i in a file.
func chunkAt(i int) int { return headerSize + i*sealedSize }

func flip(at int) func(raw, other []byte) []byte {
	return func(raw, _ []byte) []byte {
		if at < 0 {
			at += len(raw)
		}
		raw[at] ^= 0x01
		return raw
	}
}

func cut(n int) func(raw, other []byte) []byte {
	return func(raw, _ []byte) []byte { return raw[:n] }
}

// splice replaces raw[from:to] with other[from:to].
func splice(from, to int) func(raw, other []byte) []byte {
	return func(raw, other []byte) []byte {
		copy(raw[from:to], other[from:to])
		return raw
	}
}

// Any change to a file fails with ErrCorrupt (security checklist #3), and
// only whole chunks that came before the damage are ever released.
func TestTamper(t *testing.T) {
	data := pattern(2*chunkSize+100, 10) // chunks: full, full, 100 bytes
	s := newStore(t)
	ref := put(t, s, data)
	otherRef := put(t, s, pattern(len(data), 11))
	good, other := rawFile(t, s, ref.Name), rawFile(t, s, otherRef.Name)
	end := len(good)

	cases := []struct {
		name   string
		caught string // which check must fire: pins each layer on its own
		change func(raw, other []byte) []byte
	}{
		{"magic byte", "not an attachment file", flip(0)},
		{"version byte", "unknown format version", flip(len(magic))},
		{"nonce prefix", "chunk 0 does not", flip(len(magic) + 1)},
		{"chunk 0 body", "chunk 0 does not", flip(chunkAt(0) + 10)},
		{"chunk 1 body", "chunk 1 does not", flip(chunkAt(1) + 10)},
		{"final chunk body", "chunk 2 does not", flip(chunkAt(2))},
		{"chunk 0 tag", "chunk 0 does not", flip(chunkAt(1) - 1)},
		{"chunk 1 tag", "chunk 1 does not", flip(chunkAt(2) - tagSize)},
		{"final chunk tag", "chunk 2 does not", flip(-1)},
		{"empty file", "shorter than its header", cut(0)},
		{"cut in header", "shorter than its header", cut(headerSize - 1)},
		{"header only", "chunk 0 is cut short", cut(headerSize)},
		{"cut at chunk boundary after chunk 0", "chunk 0 does not", cut(chunkAt(1))},
		{"drop the last chunk", "chunk 1 does not", cut(chunkAt(2))},
		{"cut inside chunk 1", "chunk 1 does not", cut(chunkAt(1) + 100)},
		{"cut inside final tag", "chunk 2 does not", cut(end - 1)},
		{"swap chunks 0 and 1", "chunk 0 does not", func(raw, _ []byte) []byte {
			c0 := slices.Clone(raw[chunkAt(0):chunkAt(1)])
			copy(raw[chunkAt(0):], raw[chunkAt(1):chunkAt(2)])
			copy(raw[chunkAt(1):], c0)
			return raw
		}},
		{"append one byte", "chunk 2 does not", func(raw, _ []byte) []byte { return append(raw, 0) }},
		{"append a copy of the final chunk", "chunk 2 does not", func(raw, _ []byte) []byte { return append(raw, raw[chunkAt(2):]...) }},
		{"append a whole chunk", "chunk 2 does not", func(raw, _ []byte) []byte { return append(raw, raw[chunkAt(1):chunkAt(2)]...) }},
		{"chunk 1 from another file", "chunk 1 does not", splice(chunkAt(1), chunkAt(2))},
		{"final chunk from another file", "chunk 2 does not", splice(chunkAt(2), end)},
		{"header from another file", "chunk 0 does not", splice(0, headerSize)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			raw := tc.change(slices.Clone(good), other)
			writeRaw(t, s, ref.Name, raw)
			got, err := readAll(s, ref.Name)
			assertCorrupt(t, err, got, data)
			if !strings.Contains(err.Error(), tc.caught) {
				t.Fatalf("err = %v, want it caught by %q", err, tc.caught)
			}
		})
	}
	t.Run("valid file under another name", func(t *testing.T) {
		writeRaw(t, s, ref.Name, good)
		writeRaw(t, s, otherRef.Name, good)
		got, err := readAll(s, otherRef.Name)
		assertCorrupt(t, err, got, data)
		if !strings.Contains(err.Error(), "does not match its name") {
			t.Fatalf("err = %v, want the name check", err)
		}
	})
	t.Run("untouched still reads", func(t *testing.T) {
		writeRaw(t, s, ref.Name, good)
		if got, err := readAll(s, ref.Name); err != nil || !bytes.Equal(got, data) {
			t.Fatalf("good file: %v", err)
		}
	})
}

func assertCorrupt(t *testing.T, err error, released, data []byte) {
	t.Helper()
	if !errors.Is(err, ErrCorrupt) {
		t.Fatalf("err = %v, want ErrCorrupt", err)
	}
	if len(released) >= len(data) || len(released)%chunkSize != 0 || !bytes.HasPrefix(data, released) {
		t.Fatalf("released %d bytes: only whole authentic chunks before the damage may go out", len(released))
	}
}

// Put never writes an empty final chunk after data; Open refuses one even
// with a valid tag, so each content has exactly one encoding.
func TestEmptyFinalAfterDataRejected(t *testing.T) {
	s := newStore(t)
	data := pattern(chunkSize, 12)
	h := newHeader(make([]byte, prefixSize))
	more, final := h.ads()
	raw := append([]byte(nil), h[:]...)
	raw = s.aead.Seal(raw, h.nonce(0), data, more)
	raw = s.aead.Seal(raw, h.nonce(1), nil, final)
	name := put(t, s, data).Name
	writeRaw(t, s, name, raw)
	if _, err := readAll(s, name); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("err = %v, want ErrCorrupt", err)
	}
}

func TestReadAfterClose(t *testing.T) {
	s := newStore(t)
	rc, err := s.Open(put(t, s, []byte("abc")).Name)
	if err != nil {
		t.Fatal(err)
	}
	if err := rc.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := rc.Read(make([]byte, 1)); err == nil {
		t.Fatal("Read after Close succeeded")
	}
}
