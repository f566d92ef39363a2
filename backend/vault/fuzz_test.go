package vault

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/smartap/desktop/backend/secret"
)

// Security checklists #40 and habit 8: the envelope and recovery-key parsers
// survive arbitrary input. The seeds run in every plain go test.
func FuzzUnwrapEnvelope(f *testing.F) {
	g := loadGolden(f)
	wrapEnv, recEnv := mustHex(f, g.Wrap.Envelope), mustHex(f, g.Recovery.Envelope)
	for _, seed := range [][]byte{
		wrapEnv, recEnv, wrapEnv[:wrapHeaderLen], wrapEnv[:len(wrapEnv)-1], recEnv[:2],
		append([]byte{2}, wrapEnv[1:]...), append([]byte{1, 9}, wrapEnv[2:]...),
		{1, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0}, {1}, {}, []byte(g.Recovery.Display),
	} {
		f.Add(seed)
	}
	kek := key(0x33).Reveal()
	rk := key(0x80)
	f.Fuzz(func(t *testing.T, env []byte) {
		w, err := parseWrapped(env)
		if err == nil {
			checkParsed(t, env, w)
			// The AEAD step with a fixed key stands in for Argon2, which is
			// far too slow to run per fuzz input.
			if _, err := openKey(w.sealed, kek, wrapAD("f", "u", w.header)); !errors.Is(err, ErrWrongKey) {
				t.Fatalf("openKey with a foreign key: %v", err)
			}
		} else if _, uerr := Unwrap(env, key(0x20), secret.NewPassword("pw"), "f", "u"); uerr == nil {
			t.Fatalf("Unwrap accepted what parseWrapped refused (%v)", err)
		}
		dek, err := UnwrapRecovery(env, rk, g.Recovery.FolderID)
		if err == nil && !bytes.Equal(env, recEnv) {
			t.Fatal("UnwrapRecovery accepted a forged envelope")
		}
		if err == nil && dek.Len() != KeySize {
			t.Fatal("UnwrapRecovery returned a short key")
		}
		fuzzRecoveryKey(t, string(env))
	})
}

func checkParsed(t *testing.T, env []byte, w wrapped) {
	t.Helper()
	if len(env) != wrapLen || !bytes.Equal(w.header, env[:wrapHeaderLen]) || len(w.sealed) != sealedLen {
		t.Fatalf("parsed an envelope of %d bytes into header %d / sealed %d", len(env), len(w.header), len(w.sealed))
	}
	if w.params.check() != nil {
		t.Fatalf("accepted params %+v", w.params)
	}
	if !bytes.Equal(appendParams(nil, w.params), env[2:2+paramsSize]) {
		t.Fatal("params do not re-encode to the same bytes")
	}
}

func FuzzParseRecoveryKey(f *testing.F) {
	g := loadGolden(f)
	d := g.Recovery.Display
	for _, seed := range []string{d, strings.ToLower(d), strings.ReplaceAll(d, "-", " "), d[:len(d)-1], d + "0", "", "-", "UUUU", "é"} {
		f.Add(seed)
	}
	f.Fuzz(fuzzRecoveryKey)
}

// fuzzRecoveryKey: whatever parses must be a key whose canonical display
// parses back to it, and an error must never quote the input.
func fuzzRecoveryKey(t *testing.T, in string) {
	k, err := ParseRecoveryKey(in)
	if err != nil {
		if !errors.Is(err, ErrInvalidRecoveryKey) {
			t.Fatalf("error not ErrInvalidRecoveryKey: %v", err)
		}
		if len(in) >= 8 && strings.Contains(err.Error(), in) {
			t.Fatalf("error quotes the input: %v", err)
		}
		return
	}
	if k.Len() != KeySize {
		t.Fatalf("key of %d bytes", k.Len())
	}
	again, err := ParseRecoveryKey(formatRecoveryKey(k))
	if err != nil || !again.Equal(k) {
		t.Fatalf("canonical display does not round-trip: %v", err)
	}
}
