package llm

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/vault"
)

func TestAzureURLShapeAndHeader(t *testing.T) {
	f := newFakeAI(t, true, answerWith(goodAnswer))
	f.model = "invoices-gpt4o" // the deployment name
	f.path = "/openai/deployments/invoices-gpt4o/chat/completions"
	f.query = "api-version=2024-10-21"
	f.authHeader, f.authValue = "Api-Key", testKey
	cfg := Config{Enabled: true, Consent: true, Provider: ProviderAzure, BaseURL: f.srv.URL + "/", Model: "invoices-gpt4o"}
	c := f.newClient(t, cfg, keychainWithKey(t))
	if _, _, err := c.Extract(context.Background(), pageText, invoice.Invoice{}); err != nil {
		t.Fatalf("Extract: %v", err)
	}
	_, _, hdr := f.lastRequest()
	if hdr.Get("Authorization") != "" {
		t.Error("Azure request carries an Authorization header too")
	}

	t.Run("explicit api version", func(t *testing.T) {
		f.query = "api-version=2025-01-01-preview"
		cfg.AzureAPIVersion = "2025-01-01-preview"
		c := f.newClient(t, cfg, keychainWithKey(t))
		if _, _, err := c.Extract(context.Background(), pageText, invoice.Invoice{}); err != nil {
			t.Fatalf("Extract: %v", err)
		}
	})
}

func TestGitHubModels(t *testing.T) {
	f := newFakeAI(t, true, answerWith(goodAnswer))
	f.model = "openai/gpt-4.1"
	f.path = "/inference/chat/completions"
	cfg := Config{Enabled: true, Consent: true, Provider: ProviderGitHub, BaseURL: f.srv.URL + "/inference", Model: "openai/gpt-4.1"}
	c := f.newClient(t, cfg, keychainWithKey(t))
	if _, _, err := c.Extract(context.Background(), pageText, invoice.Invoice{}); err != nil {
		t.Fatalf("Extract: %v", err)
	}
	ep, err := Config{Provider: ProviderGitHub, Model: "openai/gpt-4.1"}.check()
	if err != nil || ep.baseURL != DefaultGitHubBaseURL || ep.host != "models.github.ai" {
		t.Errorf("default GitHub endpoint = %+v, %v", ep, err)
	}
}

func TestLocalServerWithoutKey(t *testing.T) {
	f := newFakeAI(t, false, answerWith(goodAnswer)) // plain http on 127.0.0.1
	f.model = "qwen2.5:7b-instruct"
	f.authValue = "" // no key, no header
	cfg := Config{Enabled: true, Consent: true, Provider: ProviderLocal, BaseURL: f.srv.URL + "/v1", Model: f.model, MaxTokens: 1500}
	c, err := New(cfg, fileKeychain(t), nil)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if _, _, err := c.Extract(context.Background(), pageText, invoice.Invoice{}); err != nil {
		t.Fatalf("Extract: %v", err)
	}
	req, _, _ := f.lastRequest()
	if req.MaxTokens != 1500 || req.MaxCompletionTokens != 0 {
		t.Errorf("local server got max_tokens %d, max_completion_tokens %d", req.MaxTokens, req.MaxCompletionTokens)
	}
	if c.Destination() != strings.TrimPrefix(f.srv.URL, "http://") {
		t.Errorf("Destination = %q", c.Destination())
	}

	t.Run("with a key", func(t *testing.T) {
		f.authValue = "Bearer " + testKey
		c, err := New(cfg, keychainWithKey(t), nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := c.Extract(context.Background(), pageText, invoice.Invoice{}); err != nil {
			t.Fatalf("Extract: %v", err)
		}
	})
}

// Refused configurations make no request at all.
func TestNewRefusesWithoutSending(t *testing.T) {
	f := newFakeAI(t, true, answerWith(goodAnswer))
	good := f.openaiConfig()
	with := func(edit func(*Config)) Config { c := good; edit(&c); return c }
	tests := []struct {
		name    string
		cfg     Config
		kc      vault.Keychain
		code    apperr.Code
		message string
	}{
		{"disabled", with(func(c *Config) { c.Enabled = false }), keychainWithKey(t), apperr.Unavailable, "turned off"},
		{"no consent", with(func(c *Config) { c.Consent = false }), keychainWithKey(t), apperr.Forbidden, "Nothing is sent without the user's consent"},
		{"no key", good, fileKeychain(t), apperr.Unavailable, "No API key for the AI service is stored in the key file"},
		{"no keychain", good, nil, apperr.Unavailable, "No API key"},
		{"http to a remote host", with(func(c *Config) { c.BaseURL = strings.Replace(f.srv.URL, "https:", "http:", 1) }), keychainWithKey(t), apperr.Forbidden, "only sent over HTTPS"},
		{"local over http on the LAN", Config{Enabled: true, Consent: true, Provider: ProviderLocal, BaseURL: "http://192.168.1.20:11434/v1", Model: "llama3"}, nil, apperr.Forbidden, "only sent over HTTPS"},
		{"other scheme", with(func(c *Config) { c.BaseURL = "ftp://example.com/v1" }), keychainWithKey(t), apperr.Forbidden, "https://"},
		{"credentials in URL", with(func(c *Config) { c.BaseURL = "https://user:pw@api.example.com/v1" }), keychainWithKey(t), apperr.Forbidden, "must not contain a user name"},
		{"query in URL", with(func(c *Config) { c.BaseURL = "https://api.example.com/v1?key=x" }), keychainWithKey(t), apperr.InvalidInput, "query"},
		{"unknown provider", with(func(c *Config) { c.Provider = "anthropic" }), keychainWithKey(t), apperr.InvalidInput, "Unknown AI provider"},
		{"no model", with(func(c *Config) { c.Model = " " }), keychainWithKey(t), apperr.InvalidInput, "model name"},
		{"azure deployment with slash", Config{Enabled: true, Consent: true, Provider: ProviderAzure, BaseURL: "https://x.openai.azure.com", Model: "a/../b"}, keychainWithKey(t), apperr.InvalidInput, "deployment name"},
		{"azure without URL", Config{Enabled: true, Consent: true, Provider: ProviderAzure, Model: "d"}, keychainWithKey(t), apperr.InvalidInput, "resource URL"},
		{"local without URL", Config{Enabled: true, Consent: true, Provider: ProviderLocal, Model: "d"}, nil, apperr.InvalidInput, "base URL"},
		{"token limit", with(func(c *Config) { c.MaxTokens = -1 }), keychainWithKey(t), apperr.InvalidInput, "token limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(tt.cfg, tt.kc, f.srv.Client())
			if c != nil || err == nil {
				t.Fatalf("New accepted %+v", tt.cfg)
			}
			code, msg, _ := apperr.Public(err)
			if code != tt.code || !strings.Contains(msg, tt.message) {
				t.Errorf("got %s %q, want %s containing %q", code, msg, tt.code, tt.message)
			}
		})
	}
	if n := f.requests.Load(); n != 0 {
		t.Errorf("server saw %d requests, want 0", n)
	}
}

func TestConsentIsCheckedBeforeTheKeychain(t *testing.T) {
	kc := &countingKeychain{}
	for _, cfg := range []Config{{Enabled: false, Consent: true}, {Enabled: true, Consent: false}} {
		cfg.Provider, cfg.Model = ProviderOpenAI, "gpt-4o-mini"
		if _, err := New(cfg, kc, nil); err == nil {
			t.Fatal("accepted")
		}
	}
	if kc.calls != 0 {
		t.Errorf("keychain touched %d times without consent", kc.calls)
	}
}

type countingKeychain struct{ calls int }

func (k *countingKeychain) Get(string, string) ([]byte, error) {
	k.calls++
	return nil, vault.ErrNotFound
}
func (k *countingKeychain) Set(string, string, []byte) error { k.calls++; return nil }
func (k *countingKeychain) Delete(string, string) error      { k.calls++; return nil }
func (k *countingKeychain) Describe() string                 { return "test keychain" }

func TestConfigDefaults(t *testing.T) {
	ep, err := Config{Provider: ProviderOpenAI, Model: "gpt-4o-mini"}.check()
	if err != nil || ep.baseURL != DefaultOpenAIBaseURL || ep.maxTokens != DefaultMaxTokens || !ep.needsKey {
		t.Errorf("openai defaults: %+v %v", ep, err)
	}
	ep, err = Config{Provider: ProviderAzure, BaseURL: "https://acme.openai.azure.com/", Model: "inv"}.check()
	if err != nil || ep.apiVersion != DefaultAzureAPIVersion || ep.baseURL != "https://acme.openai.azure.com" {
		t.Errorf("azure defaults: %+v %v", ep, err)
	}
	for _, u := range []string{"http://localhost:11434/v1", "http://127.0.0.1:8080/v1", "http://[::1]:1234/v1", "https://gpu-box.lan/v1"} {
		if _, err := (Config{Provider: ProviderLocal, BaseURL: u, Model: "m"}).check(); err != nil {
			t.Errorf("local %s refused: %v", u, err)
		}
	}
}

func TestKeyInKeychain(t *testing.T) {
	kc := fileKeychain(t)
	if HasKey(kc) {
		t.Fatal("HasKey on an empty keychain")
	}
	if err := SaveKey(kc, "  "+testKey+"\n"); err != nil {
		t.Fatal(err)
	}
	if !HasKey(kc) {
		t.Fatal("HasKey after SaveKey")
	}
	raw, err := kc.Get(vault.Service, KeychainAccount)
	if err != nil || string(raw) != testKey {
		t.Fatalf("stored %q, %v: want the trimmed key under %s/%s", raw, err, vault.Service, KeychainAccount)
	}
	if err := DeleteKey(kc); err != nil {
		t.Fatal(err)
	}
	if HasKey(kc) {
		t.Error("HasKey after DeleteKey")
	}
	if err := DeleteKey(kc); err != nil {
		t.Errorf("second DeleteKey: %v", err)
	}
	for _, bad := range []string{"", "   ", "sk test", "sk-\x00", "sk-ä", strings.Repeat("k", maxKeyLen+1)} {
		err := SaveKey(kc, bad)
		if apperr.CodeOf(err) != apperr.InvalidInput {
			t.Errorf("SaveKey(%q) = %v, want invalid_input", bad, err)
		}
	}
	if HasKey(nil) || SaveKey(nil, testKey) == nil || DeleteKey(nil) == nil {
		t.Error("nil keychain accepted")
	}
}

func TestBrokenStoredKeyIsReported(t *testing.T) {
	kc := fileKeychain(t)
	if err := kc.Set(vault.Service, KeychainAccount, []byte("two words")); err != nil {
		t.Fatal(err)
	}
	_, err := New(Config{Enabled: true, Consent: true, Provider: ProviderOpenAI, Model: "m"}, kc, nil)
	if apperr.CodeOf(err) != apperr.Unavailable || !strings.Contains(err.Error(), "not usable") {
		t.Errorf("err = %v", err)
	}
	if strings.Contains(err.Error(), "two words") {
		t.Error("the stored value is in the error")
	}
	if HasKey(kc) {
		t.Error("HasKey true for an unusable key")
	}
}

type failingKeychain struct{ countingKeychain }

func (failingKeychain) Get(string, string) ([]byte, error) { return nil, errors.New("dbus: no reply") }

func TestKeychainErrorIsUnavailable(t *testing.T) {
	_, err := New(Config{Enabled: true, Consent: true, Provider: ProviderOpenAI, Model: "m"}, &failingKeychain{}, http.DefaultClient)
	if apperr.CodeOf(err) != apperr.Unavailable || !strings.Contains(err.Error(), "Could not read the API key from the test keychain") {
		t.Errorf("err = %v", err)
	}
}
