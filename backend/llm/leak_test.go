package llm

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/logging"
	"github.com/smartap/desktop/backend/vault"
)

// pageSecret marks page text: it must reach the server and nothing else.
const pageSecret = "Kundennummer PAGE-ONLY-7731"

// The key is stored in a key file, sent in the header, and found nowhere
// else: not in errors (also when a server echoes it), not in anything the
// package or a caller's redacting logger writes, not in fmt output of the
// client. The page text shows up in no error either.
func TestKeyAndPageTextNeverLeak(t *testing.T) {
	var logs bytes.Buffer
	oldSlog, oldLog := slog.Default(), log.Writer()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	log.SetOutput(&logs)
	t.Cleanup(func() { slog.SetDefault(oldSlog); log.SetOutput(oldLog) })
	appLog := logging.New(&logs, slog.LevelDebug)

	echo := func(status int) func(w http.ResponseWriter, r *http.Request) {
		return func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			writeAPIError(w, status, "invalid_request_error",
				"key "+r.Header.Get("Authorization")+" rejected for "+string(body))
		}
	}
	replies := []func(w http.ResponseWriter, r *http.Request){
		echo(401), echo(400), echo(429), echo(500),
		answerWith(`{"invoice_number": "` + testKey + `", "bogus": "` + pageSecret + `"}`),
		answerWith(pageSecret + " " + testKey),
		func(w http.ResponseWriter, _ *http.Request) {
			_, _ = io.WriteString(w, completion(strings.Repeat(testKey, MaxResponseBytes/len(testKey)+1), "stop"))
		},
		// Accepted answers: values that fail validation are named, not quoted.
		answerWith(edit(t, `"currency": "EUR"`, `"currency": "`+testKey+`"`)),
		answerWith(edit(t, `"name": "Example Buyer BV"`, `"name": "`+pageSecret+"\u202e"+`"`)),
		answerWith(goodAnswer),
	}
	const accepted = 3
	var all strings.Builder
	for i, reply := range replies {
		f := newFakeAI(t, true, reply)
		dir := t.TempDir()
		kc := fileKeychainAt(t, filepath.Join(dir, "keys"))
		if err := SaveKey(kc, testKey); err != nil {
			t.Fatal(err)
		}
		c := f.newClient(t, f.openaiConfig(), kc)
		got, _, err := c.Extract(context.Background(), pageText+"\n"+pageSecret, invoice.Invoice{})
		if (err == nil) != (i >= len(replies)-accepted) {
			t.Errorf("reply %d: err = %v", i, err)
		}
		if err != nil {
			code, msg, _ := apperr.Public(err)
			fmt.Fprintf(&all, "%v|%+v|%#v|%s|%s\n", err, err, err, code, msg)
			appLog.Error("llm extract failed", "err", err)
			slog.Error("llm extract failed", "err", err.Error())
		}
		fmt.Fprintf(&all, "%v|%+v|%#v|%s\n", c, c, *c, c.String())
		appLog.Info("client", "c", c)
		fmt.Fprintf(&all, "%q\n", got.Warnings)

		// The key file holds the key (that is its job); the sent header did.
		if _, _, hdr := f.lastRequest(); hdr != nil && hdr.Get("Authorization") != "Bearer "+testKey {
			t.Errorf("reply %d: key not sent", i)
		}
		raw, _ := os.ReadFile(filepath.Join(dir, "keys"))
		if len(raw) == 0 {
			t.Errorf("reply %d: key file empty", i)
		}
	}
	out := all.String() + logs.String()
	if strings.Contains(out, testKey) {
		t.Errorf("the key leaked:\n%s", out)
	}
	if strings.Contains(out, "PAGE-ONLY") {
		t.Errorf("the page text leaked:\n%s", out)
	}
	if !strings.Contains(out, "llm.Client{provider: openai") {
		t.Errorf("client does not describe itself:\n%s", out)
	}
}

func fileKeychainAt(t *testing.T, path string) vault.Keychain {
	t.Helper()
	kc, err := vault.OpenKeychain("file:" + path)
	if err != nil {
		t.Fatal(err)
	}
	return kc
}
