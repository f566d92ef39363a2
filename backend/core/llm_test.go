package core

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/llm"
	"github.com/smartap/desktop/backend/secret"
)

// fakeModel speaks the chat-completions wire format on loopback and
// answers with the buyer's name it was given.
func fakeModel(t *testing.T, calls *atomic.Int32) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		body, _ := io.ReadAll(r.Body)
		if r.URL.Path != "/v1/chat/completions" || !bytes.Contains(body, []byte(`"json_schema"`)) {
			http.Error(w, "unexpected request", http.StatusBadRequest)
			return
		}
		answer := `{"invoice_number":null,"issue_date":null,"due_date":null,"currency":null,"seller":null,` +
			`"buyer":{"name":"Max Mustermann"},"payment":null,"totals":null,"lines":[]}`
		content, _ := json.Marshal(answer)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"local-model",`+
			`"choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":`+string(content)+`}}],`+
			`"usage":{"prompt_tokens":900,"completion_tokens":60,"total_tokens":960}}`)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestModelHelperOnlyWhenEnabledWithConsent(t *testing.T) {
	e := newEnv(t)
	c := openWithPDF(t, e)
	s, _, err := c.Init(ctx, "alice", secret.NewPassword(adminPW))
	if err != nil {
		t.Fatal(err)
	}
	var calls atomic.Int32
	srv := fakeModel(t, &calls)
	text := corpusBytes(t, "zugferd-corpus/unstructured/RE-E-974-Hetzner_2016-01-19_R0005532486.pdf")
	r, err := s.Import(ctx, "hetzner.pdf", bytes.NewReader(text))
	if err != nil || r.Source != "pdf-text" || calls.Load() != 0 {
		t.Fatalf("helper off: source %s, %d calls, %v", r.Source, calls.Load(), err)
	}
	cfg := llm.Config{Enabled: true, Provider: llm.ProviderLocal, BaseURL: srv.URL + "/v1", Model: "local-model"}
	if _, err := s.SetLLMSettings(ctx, cfg, ""); apperr.CodeOf(err) != apperr.InvalidInput {
		t.Fatalf("enabled without consent: %v", err)
	}
	cfg.Consent = true
	st, err := s.SetLLMSettings(ctx, cfg, "")
	if err != nil || !st.Enabled {
		t.Fatalf("settings: %+v %v", st, err)
	}
	// Structured invoices never go to the model.
	importOne(t, s, "en16931-cen-examples/ubl/examples/ubl-tc434-example2.xml")
	if calls.Load() != 0 {
		t.Fatal("a structured invoice was sent to the model")
	}
	again := append(append([]byte(nil), text...), []byte("\n% another copy\n")...)
	r, err = s.Import(ctx, "hetzner-2.pdf", bytes.NewReader(again))
	if err != nil || calls.Load() != 1 || r.Source != "llm" {
		t.Fatalf("helper on: source %s, %d calls, %v", r.Source, calls.Load(), err)
	}
	d, err := s.Invoice(ctx, r.ID)
	if err != nil || d.Source.ModelTokens != 960 {
		t.Fatalf("tokens on the invoice: %+v %v", d.Source, err)
	}
	if st, _ = s.LLMSettings(ctx); st.TokensUsed != 960 {
		t.Fatalf("running total: %d", st.TokensUsed)
	}
	if d.Invoice.Buyer.Name == "" {
		t.Fatal("no buyer after the model helped")
	}
}
