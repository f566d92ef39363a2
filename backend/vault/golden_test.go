package vault

import (
	"bytes"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/chacha20poly1305"

	"github.com/smartap/desktop/backend/secret"
)

// Security checklist #5: envelope formats, KDF parameters and derivations
// are pinned by vectors committed in testdata. A change that alters any byte
// fails here; regenerate with -update only for a deliberate new version.
var update = flag.Bool("update", false, "rewrite testdata/golden.json from the current code")

const goldenPath = "testdata/golden.json"

type golden struct {
	Wrap struct {
		DEK      string    `json:"dek"`
		Device   string    `json:"device"`
		Password string    `json:"password"`
		FolderID string    `json:"folder_id"`
		UserID   string    `json:"user_id"`
		Params   KDFParams `json:"params"`
		Salt     string    `json:"salt"`
		Nonce    string    `json:"nonce"`
		Envelope string    `json:"envelope"`
	} `json:"wrap"`
	Recovery struct {
		DEK      string `json:"dek"`
		Key      string `json:"recovery_key"`
		Display  string `json:"display"`
		FolderID string `json:"folder_id"`
		Nonce    string `json:"nonce"`
		Envelope string `json:"envelope"`
	} `json:"recovery"`
	Subkeys struct {
		DEK  string            `json:"dek"`
		Keys map[string]string `json:"keys"`
	} `json:"subkeys"`
}

func loadGolden(t testing.TB) golden {
	t.Helper()
	if *update {
		writeGolden(t)
	}
	data, err := os.ReadFile(goldenPath)
	if err != nil {
		t.Fatalf("%v (run go test -run Golden -update once to create it)", err)
	}
	var g golden
	if err := json.Unmarshal(data, &g); err != nil {
		t.Fatal(err)
	}
	return g
}

// writeGolden fixes the inputs and records what the current code makes.
func writeGolden(t testing.TB) {
	var g golden
	w := &g.Wrap
	w.DEK, w.Device = hex.EncodeToString(pattern(0x00, 32)), hex.EncodeToString(pattern(0x20, 32))
	w.Password = "Grüße aus Köln — correct horse battery staple"
	w.FolderID, w.UserID = "folder-0f3a", "user-alice"
	w.Params = MinKDF
	w.Salt, w.Nonce = hex.EncodeToString(pattern(0x40, saltSize)), hex.EncodeToString(pattern(0x50, 24))
	w.Envelope = hex.EncodeToString(goldenWrap(t, g))
	r := &g.Recovery
	r.DEK, r.Key = w.DEK, hex.EncodeToString(pattern(0x80, 32))
	r.Display = formatRecoveryKey(secret.New(mustHex(t, r.Key)))
	r.FolderID, r.Nonce = w.FolderID, hex.EncodeToString(pattern(0xa0, 24))
	r.Envelope = hex.EncodeToString(goldenRecovery(t, g))
	g.Subkeys.DEK = w.DEK
	g.Subkeys.Keys = map[string]string{}
	for _, p := range []string{PurposeSeal, PurposeBlindIndex, PurposeAttachments, PurposeAuditKey} {
		g.Subkeys.Keys[p] = hex.EncodeToString(Subkey(secret.New(mustHex(t, w.DEK)), p).Reveal())
	}
	data, err := json.MarshalIndent(g, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(goldenPath), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(goldenPath, append(data, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
}

func goldenWrap(t testing.TB, g golden) []byte {
	t.Helper()
	w := g.Wrap
	withRand(t, append(mustHex(t, w.Salt), mustHex(t, w.Nonce)...))
	env, err := Wrap(secret.New(mustHex(t, w.DEK)), secret.New(mustHex(t, w.Device)),
		secret.NewPassword(w.Password), w.FolderID, w.UserID, w.Params)
	if err != nil {
		t.Fatal(err)
	}
	return env
}

func goldenRecovery(t testing.TB, g golden) []byte {
	t.Helper()
	r := g.Recovery
	withRand(t, mustHex(t, r.Nonce))
	env, err := WrapRecovery(secret.New(mustHex(t, r.DEK)), secret.New(mustHex(t, r.Key)), r.FolderID)
	if err != nil {
		t.Fatal(err)
	}
	return env
}

func TestGoldenWrap(t *testing.T) {
	g := loadGolden(t)
	w := g.Wrap
	if w.Params != MinKDF {
		t.Fatalf("golden params %+v, want MinKDF %+v", w.Params, MinKDF)
	}
	if got := hex.EncodeToString(goldenWrap(t, g)); got != w.Envelope {
		t.Errorf("Wrap changed its output:\n got %s\nwant %s", got, w.Envelope)
	}
	dek, err := Unwrap(mustHex(t, w.Envelope), secret.New(mustHex(t, w.Device)),
		secret.NewPassword(w.Password), w.FolderID, w.UserID)
	if err != nil {
		t.Fatalf("Unwrap of the golden envelope: %v", err)
	}
	if hex.EncodeToString(dek.Reveal()) != w.DEK {
		t.Error("Unwrap of the golden envelope gave another key")
	}
}

// TestGoldenWrapFromSpec rebuilds the golden envelope from the primitives as
// the layout comment in wrap.go describes it, so the documentation and the
// code cannot drift apart.
func TestGoldenWrapFromSpec(t *testing.T) {
	w := loadGolden(t).Wrap
	salt, nonce := mustHex(t, w.Salt), mustHex(t, w.Nonce)
	stretched := argon2.IDKey([]byte(w.Password), salt, w.Params.Time, w.Params.MemoryKiB, w.Params.Threads, 32)
	kek, err := hkdf.Key(sha256.New, append(mustHex(t, w.Device), stretched...), []byte(w.FolderID), "smartap/wrap/v1", 32)
	if err != nil {
		t.Fatal(err)
	}
	header := []byte{1, 1}
	header = binary.BigEndian.AppendUint32(header, w.Params.Time)
	header = binary.BigEndian.AppendUint32(header, w.Params.MemoryKiB)
	header = append(append(header, w.Params.Threads), salt...)
	ad := []byte("smartap/wrap/v1")
	ad = binary.BigEndian.AppendUint32(ad, uint32(len(w.FolderID)))
	ad = append(ad, w.FolderID...)
	ad = binary.BigEndian.AppendUint32(ad, uint32(len(w.UserID)))
	ad = append(append(ad, w.UserID...), header...)
	aead, err := chacha20poly1305.NewX(kek)
	if err != nil {
		t.Fatal(err)
	}
	want := aead.Seal(append(append([]byte(nil), header...), nonce...), nonce, mustHex(t, w.DEK), ad)
	if hex.EncodeToString(want) != w.Envelope {
		t.Errorf("golden envelope does not follow the documented layout:\nspec %x\n got %s", want, w.Envelope)
	}
}

func TestGoldenRecovery(t *testing.T) {
	g := loadGolden(t)
	r := g.Recovery
	if got := hex.EncodeToString(goldenRecovery(t, g)); got != r.Envelope {
		t.Errorf("WrapRecovery changed its output:\n got %s\nwant %s", got, r.Envelope)
	}
	k, err := ParseRecoveryKey(r.Display)
	if err != nil {
		t.Fatalf("ParseRecoveryKey(golden): %v", err)
	}
	if hex.EncodeToString(k.Reveal()) != r.Key {
		t.Error("golden display parses to another key")
	}
	if got := formatRecoveryKey(k); got != r.Display {
		t.Errorf("display changed:\n got %s\nwant %s", got, r.Display)
	}
	dek, err := UnwrapRecovery(mustHex(t, r.Envelope), k, r.FolderID)
	if err != nil || hex.EncodeToString(dek.Reveal()) != r.DEK {
		t.Fatalf("UnwrapRecovery of the golden envelope: %v", err)
	}
}

func TestGoldenRecoveryFromSpec(t *testing.T) {
	r := loadGolden(t).Recovery
	kek, err := hkdf.Key(sha256.New, mustHex(t, r.Key), []byte(r.FolderID), "smartap/recovery/v1", 32)
	if err != nil {
		t.Fatal(err)
	}
	header := []byte{1, 2}
	ad := []byte("smartap/recovery/v1")
	ad = binary.BigEndian.AppendUint32(ad, uint32(len(r.FolderID)))
	ad = append(append(ad, r.FolderID...), header...)
	aead, err := chacha20poly1305.NewX(kek)
	if err != nil {
		t.Fatal(err)
	}
	nonce := mustHex(t, r.Nonce)
	want := aead.Seal(append(append([]byte(nil), header...), nonce...), nonce, mustHex(t, r.DEK), ad)
	if hex.EncodeToString(want) != r.Envelope {
		t.Errorf("golden recovery envelope does not follow the documented layout")
	}
	sum := sha256.Sum256(append([]byte("smartap/recovery-key/v1"), mustHex(t, r.Key)...))
	raw := append(mustHex(t, r.Key), sum[:3]...)
	enc := crockford.EncodeToString(raw)
	if got := bytes.ReplaceAll([]byte(r.Display), []byte("-"), nil); string(got) != enc {
		t.Errorf("golden display is not Crockford base32 of key|checksum")
	}
}

func TestGoldenSubkeys(t *testing.T) {
	s := loadGolden(t).Subkeys
	if len(s.Keys) != 4 {
		t.Fatalf("golden has %d subkeys, want 4", len(s.Keys))
	}
	dek := secret.New(mustHex(t, s.DEK))
	for purpose, want := range s.Keys {
		if got := hex.EncodeToString(Subkey(dek, purpose).Reveal()); got != want {
			t.Errorf("Subkey(%q) = %s, want %s", purpose, got, want)
		}
		k, err := hkdf.Key(sha256.New, dek.Reveal(), nil, "smartap/subkey/"+purpose, 32)
		if err != nil || hex.EncodeToString(k) != want {
			t.Errorf("golden Subkey(%q) is not HKDF-SHA256 with info smartap/subkey/%s", purpose, purpose)
		}
	}
}

// TestKDFPinned: the defaults are part of the format; lowering them is a
// silent downgrade for every new envelope (checklist #5, #7).
func TestKDFPinned(t *testing.T) {
	if DefaultKDF != (KDFParams{Time: 3, MemoryKiB: 64 * 1024, Threads: 4}) {
		t.Errorf("DefaultKDF = %+v", DefaultKDF)
	}
	if MinKDF != (KDFParams{Time: 2, MemoryKiB: 19 * 1024, Threads: 1}) {
		t.Errorf("MinKDF = %+v", MinKDF)
	}
}
