package checkpoint_test

import (
	"bytes"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/smartap/desktop/sync/checkpoint"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestGolden pins every byte another implementation must reproduce: the
// canonical leaf bytes of an audit op, the leaf hash, the root of three
// leaves, the signed note text and its Ed25519 signature (deterministic).
func TestGolden(t *testing.T) {
	pub, priv := testKey(1)
	ops := auditOps(t, "dev-1", 0, 3)
	leaf, err := checkpoint.LeafBytes(ops[0])
	if err != nil {
		t.Fatal(err)
	}
	leafHash, err := checkpoint.LeafHash(ops[0])
	if err != nil {
		t.Fatal(err)
	}
	cp := mustCP(t, logOf(t, ops), priv, 0, nil)
	note, err := checkpoint.NoteText(team, cp.Size, cp.Root)
	if err != nil {
		t.Fatal(err)
	}
	var summary bytes.Buffer
	fmt.Fprintf(&summary, "public key: %s\n", checkpoint.FormatPublicKey(pub))
	fmt.Fprintf(&summary, "leaf 0 hash: %s\n", leafHash)
	fmt.Fprintf(&summary, "size: %d\nroot: %s\n", cp.Size, cp.Root)
	fmt.Fprintf(&summary, "signature: %s\n", hex.EncodeToString(cp.Signature))
	golden(t, "leaf.golden", leaf)
	golden(t, "note.golden", note)
	golden(t, "checkpoint.golden", summary.Bytes())
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o600); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path) // #nosec G304 -- a fixed test file
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s changed:\n got %q\nwant %q", name, got, want)
	}
}

func TestPublicKeyText(t *testing.T) {
	pub, _ := testKey(1)
	got, err := checkpoint.ParsePublicKey(checkpoint.FormatPublicKey(pub))
	if err != nil || !got.Equal(pub) {
		t.Fatalf("round trip: %v", err)
	}
	for _, bad := range []string{"", "ed25519:", "ssh-ed25519:AAAA", "ed25519:" + hex.EncodeToString(pub),
		checkpoint.FormatPublicKey(pub[:31]), checkpoint.FormatPublicKey(pub) + "="} {
		if _, err := checkpoint.ParsePublicKey(bad); err == nil {
			t.Errorf("ParsePublicKey(%q) accepted", bad)
		}
	}
}
