package vault

import (
	"bytes"
	"encoding/hex"
	"io"
	"testing"

	"github.com/smartap/desktop/backend/secret"
)

// testKDF keeps Argon2 quick under -race; DefaultKDF is exercised once.
var testKDF = MinKDF

// withRand makes the package read its random bytes from stream for the
// length of the test. Tests using it must not run in parallel.
func withRand(t testing.TB, stream []byte) {
	t.Helper()
	old := randReader
	randReader = bytes.NewReader(stream)
	t.Cleanup(func() { randReader = old })
}

// pattern returns n bytes start, start+1, ... for readable fixed keys.
func pattern(start byte, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = start + byte(i)
	}
	return b
}

func key(start byte) secret.Bytes { return secret.New(pattern(start, KeySize)) }

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

func mustRandom(t *testing.T) secret.Bytes {
	t.Helper()
	k, err := NewDataKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// failingReader simulates a broken random source.
type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }
