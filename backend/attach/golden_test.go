package attach

import (
	"bytes"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/crypto/chacha20poly1305"
)

var update = flag.Bool("update", false, "rewrite testdata/golden-v1.sapa")

const goldenText = "SmartAP golden vector v1: Rechnung 2024-001, IBAN DE89 3704 0044 0532 0130 00\n"

func seq(start byte, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = start + byte(i)
	}
	return b
}

// goldenPut stores data with the test key and a fixed nonce prefix.
func goldenPut(t *testing.T, data []byte, prefixStart byte) (Ref, []byte) {
	t.Helper()
	s := newStore(t)
	s.rand = bytes.NewReader(seq(prefixStart, prefixSize))
	ref := put(t, s, data)
	return ref, rawFile(t, s, ref.Name)
}

// security checklist #5: the v1 format is pinned byte for byte. If this
// fails, the change breaks every attachment already on disk.
func TestGoldenSmall(t *testing.T) {
	const wantName = "9ef1c9a353c612870097238042fa84b9ca93263a53be199bb6388c4dc23aaacb"
	ref, raw := goldenPut(t, []byte(goldenText), 0xa0)
	path := filepath.Join("testdata", "golden-v1.sapa")
	if *update {
		if err := os.WriteFile(path, raw, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("name %s", ref.Name)
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(raw, want) {
		t.Fatalf("sealed bytes changed:\n got %x\nwant %x", raw, want)
	}
	if ref.Name != wantName {
		t.Fatalf("name = %s, want %s", ref.Name, wantName)
	}
}

// The pinned file must keep opening, whatever Put writes today.
func TestGoldenOpens(t *testing.T) {
	want, err := os.ReadFile(filepath.Join("testdata", "golden-v1.sapa"))
	if err != nil {
		t.Fatal(err)
	}
	s := newStore(t)
	sum := sha256.Sum256([]byte(goldenText))
	name := s.nameOf(sum[:])
	writeRaw(t, s, name, want)
	if got, err := readAll(s, name); err != nil || string(got) != goldenText {
		t.Fatalf("golden file reads %q, %v", got, err)
	}
}

// goldenBig is two chunks of fixed content, independent of test helpers.
func goldenBig() []byte {
	return bytes.Repeat([]byte("0123456789abcdef"), chunkSize/16+1)[:chunkSize+5]
}

// A multi-chunk file, pinned by its digest.
func TestGoldenTwoChunks(t *testing.T) {
	const wantSum = "24c1a6f3d9d43b1b8539f0bc618433ae403fa163062f6b81370177dca21532ec"
	_, raw := goldenPut(t, goldenBig(), 0xb0)
	sum := sha256.Sum256(raw)
	if got := hex.EncodeToString(sum[:]); got != wantSum {
		t.Fatalf("sealed file digest = %s, want %s", got, wantSum)
	}
}

// The package doc is the spec: seal by hand exactly as it says and compare
// with what Put writes.
func TestFormatMatchesDoc(t *testing.T) {
	for _, n := range []int{0, 1, chunkSize, chunkSize + 5, 2*chunkSize + 1} {
		data := pattern(n, 0x42)
		ref, raw := goldenPut(t, data, 0xb0)
		if want := sealByDoc(t, data, seq(0xb0, prefixSize)); !bytes.Equal(raw, want) {
			t.Fatalf("%d bytes: file differs from the documented format", n)
		}
		sum := sha256.Sum256(data)
		mac := hmac.New(sha256.New, testKey(0).Reveal())
		mac.Write([]byte("name"))
		mac.Write(sum[:])
		if want := hex.EncodeToString(mac.Sum(nil)); ref.Name != want {
			t.Fatalf("%d bytes: name %s, documented %s", n, ref.Name, want)
		}
	}
}

func sealByDoc(t *testing.T, data, prefix []byte) []byte {
	t.Helper()
	key, err := hkdf.Expand(sha256.New, testKey(0).Reveal(), "smartap/attach/v1 seal", 32)
	if err != nil {
		t.Fatal(err)
	}
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		t.Fatal(err)
	}
	hdr := append([]byte("SAPA\x01"), prefix...)
	out := bytes.Clone(hdr)
	for i := 0; ; i++ {
		lo, hi := i*65536, min((i+1)*65536, len(data))
		final := hi == len(data)
		nonce := binary.BigEndian.AppendUint64(bytes.Clone(prefix), uint64(i))
		ad := append(bytes.Clone(hdr), 0)
		if final {
			ad[len(ad)-1] = 1
		}
		out = aead.Seal(out, nonce, data[lo:hi], ad)
		if final {
			return out
		}
	}
}
