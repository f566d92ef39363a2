package llm

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/vault"
)

// testKey is deliberately plain (no pattern backend/logging would redact),
// so the tests see whether this package itself keeps it out of errors.
const testKey = "sk-test-plainkey"

// pageText is what a page reader got from a typical German invoice.
const pageText = `Muster GmbH · Hauptstr. 1 · 10115 Berlin
USt-IdNr.: DE 123 456 789
Rechnung Nr. RE-2024-0042            Datum: 15.03.2024
An: Example Buyer BV
Pos  Artikel     Menge  Einzelpreis  Betrag
1    Widget      2      50,00        100,00
2    Service     1      50,00         50,00
Nettobetrag 150,00 EUR
USt. 19 % 28,50 EUR
Gesamtbetrag 178,50 EUR
Zahlbar bis 14.04.2024
IBAN: DE89 3704 0044 0532 0130 00  BIC: COBADEFFXXX`

// goodAnswer is what a model following the schema answers for pageText.
const goodAnswer = `{
 "invoice_number": "RE-2024-0042", "issue_date": "2024-03-15", "due_date": "2024-04-14", "currency": "EUR",
 "seller": {"name": "Muster GmbH", "vat_id": "DE123456789"},
 "buyer": {"name": "Example Buyer BV"},
 "payment": {"iban": "DE89370400440532013000", "bic": "COBADEFFXXX"},
 "totals": {"line_net": "150.00", "tax_exclusive": "150.00", "tax": "28.50", "tax_inclusive": "178.50", "payable": "178.50"},
 "lines": [
  {"name": "Widget", "quantity": "2", "unit_price": "50.00", "net_amount": "100.00", "tax_rate": "19"},
  {"name": "Service", "quantity": "1", "unit_price": "50.00", "net_amount": "50.00", "tax_rate": "19"}
 ]
}`

// edit returns goodAnswer with old replaced by new, which must occur.
func edit(t testing.TB, old, new string) string {
	t.Helper()
	if !strings.Contains(goodAnswer, old) {
		t.Fatalf("goodAnswer has no %q", old)
	}
	return strings.Replace(goodAnswer, old, new, 1)
}

func dec(s string) *decimal.Decimal { d := decimal.MustParse(s); return &d }

// wireRequest is the part of a chat-completions request the fake checks.
type wireRequest struct {
	Model    string `json:"model"`
	Messages []struct {
		Role    string `json:"role"`
		Content string `json:"content"`
	} `json:"messages"`
	ResponseFormat *struct {
		Type       string `json:"type"`
		JSONSchema *struct {
			Name   string          `json:"name"`
			Strict bool            `json:"strict"`
			Schema json.RawMessage `json:"schema"`
		} `json:"json_schema"`
	} `json:"response_format"`
	MaxTokens           int  `json:"max_tokens"`
	MaxCompletionTokens int  `json:"max_completion_tokens"`
	Stream              bool `json:"stream"`
}

// fakeAI is an OpenAI-compatible chat-completions server. It checks every
// request the way the real service would reject it (method, path, query,
// auth header, model, strict json_schema) and answers with reply.
type fakeAI struct {
	t        *testing.T
	srv      *httptest.Server
	requests atomic.Int32

	path, query string // expected; query "" means none
	authHeader  string // "Authorization" or "Api-Key"
	authValue   string // "" means the header must be absent
	model       string
	reply       func(w http.ResponseWriter, r *http.Request)

	mu      sync.Mutex
	last    wireRequest
	lastRaw []byte
	headers http.Header
}

// newFakeAI starts a TLS server (tls=true) or a plain loopback one.
func newFakeAI(t *testing.T, tls bool, reply func(w http.ResponseWriter, r *http.Request)) *fakeAI {
	f := &fakeAI{t: t, path: "/v1/chat/completions", authHeader: "Authorization",
		authValue: "Bearer " + testKey, model: "gpt-4o-mini", reply: reply}
	h := http.HandlerFunc(f.serve)
	if tls {
		f.srv = httptest.NewTLSServer(h)
	} else {
		f.srv = httptest.NewServer(h)
	}
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeAI) serve(w http.ResponseWriter, r *http.Request) {
	f.requests.Add(1)
	fail := func(format string, args ...any) {
		f.t.Errorf("fake AI: "+format, args...)
		writeAPIError(w, http.StatusBadRequest, "invalid_request_error", "test check failed")
	}
	if r.Method != http.MethodPost || r.URL.Path != f.path || r.URL.RawQuery != f.query {
		fail("got %s %s?%s, want POST %s?%s", r.Method, r.URL.Path, r.URL.RawQuery, f.path, f.query)
		return
	}
	if got := r.Header.Get(f.authHeader); got != f.authValue {
		fail("%s header = %q, want %q", f.authHeader, got, f.authValue)
		return
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/json" {
		fail("Content-Type %q", ct)
		return
	}
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		fail("reading body: %v", err)
		return
	}
	var req wireRequest
	if err := json.Unmarshal(raw, &req); err != nil {
		fail("body is not JSON: %v", err)
		return
	}
	switch {
	case req.Model != f.model:
		fail("model %q, want %q", req.Model, f.model)
		return
	case req.ResponseFormat == nil || req.ResponseFormat.Type != "json_schema":
		fail("response_format.type is not json_schema")
		return
	case req.ResponseFormat.JSONSchema == nil || !req.ResponseFormat.JSONSchema.Strict:
		fail("response_format.json_schema.strict is not true")
		return
	case req.Stream:
		fail("stream requested")
		return
	case len(req.Messages) != 2 || req.Messages[0].Role != "system" || req.Messages[1].Role != "user":
		fail("messages are not [system, user]")
		return
	}
	f.mu.Lock()
	f.last, f.lastRaw, f.headers = req, raw, r.Header.Clone()
	f.mu.Unlock()
	f.reply(w, r)
}

func (f *fakeAI) lastRequest() (wireRequest, []byte, http.Header) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.last, f.lastRaw, f.headers
}

// completion is a chat.completion object as api.openai.com sends it.
func completion(content, finish string) string {
	msg, _ := json.Marshal(content)
	return fmt.Sprintf(`{
  "id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
  "object": "chat.completion",
  "created": 1741569952,
  "model": "gpt-4o-mini-2024-07-18",
  "choices": [{
    "index": 0,
    "message": {"role": "assistant", "content": %s, "refusal": null, "annotations": []},
    "logprobs": null,
    "finish_reason": %q
  }],
  "usage": {
    "prompt_tokens": 812, "completion_tokens": 231, "total_tokens": 1043,
    "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
    "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0, "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}
  },
  "service_tier": "default",
  "system_fingerprint": "fp_06737a9306"
}`, msg, finish)
}

func answerWith(content string) func(w http.ResponseWriter, r *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, completion(content, "stop"))
	}
}

func writeAPIError(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	b, _ := json.Marshal(map[string]any{"error": map[string]any{"message": msg, "type": typ, "param": nil, "code": nil}})
	_, _ = w.Write(b)
}

// fileKeychain is a real key file in a temporary folder.
func fileKeychain(t *testing.T) vault.Keychain {
	t.Helper()
	kc, err := vault.OpenKeychain("file:" + filepath.Join(t.TempDir(), "smartap.keys"))
	if err != nil {
		t.Fatal(err)
	}
	return kc
}

func keychainWithKey(t *testing.T) vault.Keychain {
	t.Helper()
	kc := fileKeychain(t)
	if err := SaveKey(kc, testKey); err != nil {
		t.Fatal(err)
	}
	return kc
}

// openaiConfig points the openai provider at the fake.
func (f *fakeAI) openaiConfig() Config {
	return Config{Enabled: true, Consent: true, Provider: ProviderOpenAI, BaseURL: f.srv.URL + "/v1", Model: f.model}
}

// newClient makes a client for the fake with the fake's TLS trust.
func (f *fakeAI) newClient(t *testing.T, cfg Config, kc vault.Keychain) *Client {
	t.Helper()
	c, err := New(cfg, kc, f.srv.Client())
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// pageReading is what the page reader found before the model is asked.
func pageReading() invoice.Invoice {
	return invoice.Invoice{
		InvoiceNumber: "RE-2024-0042",
		TypeCode:      "380",
		Seller:        invoice.Party{Name: "Muster GmbH"},
		Totals:        invoice.Totals{Payable: dec("178.50")},
		Confidence: map[string]float64{
			"invoice_number": 0.95,
			"seller.name":    0.4,
			"totals.payable": 0.9,
		},
		Warnings: []string{"page reader: no due date label found"},
	}
}
