package vault

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/smartap/desktop/backend/secret"
)

// Security checklist #6: every secret this package hands out prints and
// encodes as "[redacted]", whatever verb or encoder reaches it.
func TestSecretsNeverPrint(t *testing.T) {
	t.Parallel()
	dek, err := NewDataKey()
	if err != nil {
		t.Fatal(err)
	}
	kc := openTestFile(t, filepath.Join(t.TempDir(), "k"))
	dev, err := DeviceSecret(kc, "f", true)
	if err != nil {
		t.Fatal(err)
	}
	display, rk, err := NewRecoveryKey()
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := ParseRecoveryKey(display)
	if err != nil {
		t.Fatal(err)
	}
	env, err := WrapRecovery(dek, rk, "f")
	if err != nil {
		t.Fatal(err)
	}
	unwrapped, err := UnwrapRecovery(env, rk, "f")
	if err != nil {
		t.Fatal(err)
	}
	pw := secret.NewPassword("hunter2-but-much-longer")
	values := map[string]struct {
		v   any
		raw []byte
	}{
		"NewDataKey":       {dek, dek.Reveal()},
		"DeviceSecret":     {dev, dev.Reveal()},
		"NewRecoveryKey":   {rk, rk.Reveal()},
		"ParseRecoveryKey": {parsed, parsed.Reveal()},
		"UnwrapRecovery":   {unwrapped, unwrapped.Reveal()},
		"Subkey":           {Subkey(dek, PurposeSeal), Subkey(dek, PurposeSeal).Reveal()},
		"password":         {pw, pw.Reveal()},
		"keychain":         {kc, dev.Reveal()},
	}
	for name, c := range values {
		t.Run(name, func(t *testing.T) {
			for _, out := range renderings(t, c.v) {
				if form := leaks(out, c.raw); form != "" {
					t.Fatalf("secret shows as %q in %q", form, out)
				}
			}
		})
	}
}

// renderings formats v every way a log line, an error or a JSON answer to
// the webview could, also nested in a struct and a pointer.
func renderings(t *testing.T, v any) []string {
	t.Helper()
	type wrapper struct {
		Field any
		Ptr   *any
	}
	w := wrapper{Field: v, Ptr: &v}
	var outs []string
	for _, x := range []any{v, &v, w, &w, []any{v}, map[string]any{"k": v}} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x", "%X", "%q", "%d"} {
			outs = append(outs, fmt.Sprintf(verb, x))
		}
		if _, isKC := v.(Keychain); !isKC { // keychains are not for JSON
			j, err := json.Marshal(x)
			if err != nil {
				t.Fatalf("json: %v", err)
			}
			outs = append(outs, string(j))
		}
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("m", "v", v, "w", w)
	slog.New(slog.NewTextHandler(&buf, nil)).Info("m", "v", v, "w", w)
	return append(outs, buf.String())
}

// Exported non-secret types must still encode predictably.
func TestKDFParamsJSON(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(MinKDF)
	if err != nil || string(b) != `{"time":2,"memory_kib":19456,"threads":1}` {
		t.Fatalf("%s %v", b, err)
	}
}
