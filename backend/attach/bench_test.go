package attach

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/smartap/desktop/backend/atomicfile"
)

// Both benchmarks pay for the same durable write (temp, fsync, rename, fsync
// folder) and the same delete, so their ratio is the cost of sealing and
// hashing. Each round changes the content so dedupe never skips the write.

var benchSizes = []int{64 << 10, 1 << 20, 16 << 20}

func benchEach(b *testing.B, run func(b *testing.B, data []byte)) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("%dKiB", n>>10), func(b *testing.B) {
			data := pattern(n, 0x5a)
			b.SetBytes(int64(n))
			b.ResetTimer()
			run(b, data)
		})
	}
}

func BenchmarkPut(b *testing.B) {
	benchEach(b, func(b *testing.B, data []byte) {
		s := newStore(b)
		for i := 0; b.Loop(); i++ {
			binary.BigEndian.PutUint64(data, uint64(i))
			ref, err := s.Put(bytes.NewReader(data), DefaultLimit)
			if err != nil {
				b.Fatal(err)
			}
			if err := s.Delete(ref.Name); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkPlainWrite(b *testing.B) {
	benchEach(b, func(b *testing.B, data []byte) {
		dir := b.TempDir()
		for i := 0; b.Loop(); i++ {
			binary.BigEndian.PutUint64(data, uint64(i))
			p := filepath.Join(dir, fmt.Sprint(i))
			if err := atomicfile.WriteFile(p, data, 0o600); err != nil {
				b.Fatal(err)
			}
			if err := os.Remove(p); err != nil {
				b.Fatal(err)
			}
			if err := atomicfile.SyncDir(dir); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkOpen reads a sealed file back (page cache warm).
func BenchmarkOpen(b *testing.B) {
	benchEach(b, func(b *testing.B, data []byte) {
		s := newStore(b)
		ref := put(b, s, data)
		b.ResetTimer()
		for b.Loop() {
			rc, err := s.Open(ref.Name)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := io.Copy(io.Discard, rc); err != nil {
				b.Fatal(err)
			}
			_ = rc.Close()
		}
	})
}

// BenchmarkPlainRead is the baseline for BenchmarkOpen.
func BenchmarkPlainRead(b *testing.B) {
	benchEach(b, func(b *testing.B, data []byte) {
		p := filepath.Join(b.TempDir(), "plain")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for b.Loop() {
			f, err := os.Open(p)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := io.Copy(io.Discard, f); err != nil {
				b.Fatal(err)
			}
			_ = f.Close()
		}
	})
}

// BenchmarkSeal is Put without the disk: the CPU ceiling of hashing and
// sealing, to tell crypto cost from fsync cost in BenchmarkPut.
func BenchmarkSeal(b *testing.B) {
	benchEach(b, func(b *testing.B, data []byte) {
		s := newStore(b)
		for b.Loop() {
			if _, err := s.seal(io.Discard, bytes.NewReader(data), DefaultLimit); err != nil {
				b.Fatal(err)
			}
		}
	})
}
