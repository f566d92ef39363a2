// Package llm is the optional helper that asks an OpenAI-compatible model
// (OpenAI, Azure OpenAI, GitHub Models, a local server) to fill or check
// invoice fields from page text (ARCHITECTURE.md §3.4).
//
// Nothing leaves the machine unless the user turned the helper on (Enabled)
// and agreed that page text may be sent (Consent). The API key lives only in
// the OS keychain (SaveKey); Config, which the caller stores as JSON
// settings, holds no key.
//
// What is sent, per Extract call, to the configured host only: the model
// name, fixed instructions, the JSON schema of the wanted fields, a token
// limit, and the page text (at most MaxPageChars characters). The values
// already read (the partial invoice) are never sent: the model reads the page
// on its own, and comparing and merging happen here.
//
// The model's answer is never trusted as such: it must match the schema
// exactly (unknown fields or numbers where strings are wanted refuse the
// whole answer), each value is checked (decimals, dates, codes, IBAN mod-97,
// BIC shape, VAT id shape, identifiers that must appear on the page), and the
// amounts are cross-checked by arithmetic. Values that fail are dropped with
// a warning; values taken get confidence ModelConfidence, or
// ConfirmedConfidence when a checksum or the arithmetic agrees, or
// DoubtfulConfidence when the arithmetic disagrees.
//
// The package does not log. Its errors are apperr errors whose texts never
// contain the key, the page text or the raw answer.
package llm

import (
	"net"
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/smartap/desktop/backend/apperr"
)

// Provider names the kind of OpenAI-compatible service.
type Provider string

// The providers.
const (
	ProviderOpenAI Provider = "openai" // api.openai.com, or an https proxy speaking its API
	ProviderAzure  Provider = "azure"  // Azure OpenAI: BaseURL https://RESOURCE.openai.azure.com, Model = deployment name
	ProviderGitHub Provider = "github" // GitHub Models: key = a GitHub token with models:read
	ProviderLocal  Provider = "local"  // a server on this computer (Ollama, llama.cpp, LM Studio, vLLM); key optional
)

// Default base URLs; Azure and local have none and need BaseURL.
const (
	DefaultOpenAIBaseURL = "https://api.openai.com/v1"
	DefaultGitHubBaseURL = "https://models.github.ai/inference"
	// DefaultAzureAPIVersion is a GA version that supports structured
	// outputs (response_format json_schema).
	DefaultAzureAPIVersion = "2024-10-21"
)

// Limits.
const (
	// MaxPageChars is how much page text is sent at most, in characters;
	// longer text is cut and the invoice gets a warning.
	MaxPageChars = 30_000
	// MaxResponseBytes caps the HTTP response body (answer or error) read
	// from the service.
	MaxResponseBytes = 1 << 20
	// DefaultMaxTokens is the completion token limit when Config.MaxTokens is 0.
	DefaultMaxTokens = 4096
	// MaxMaxTokens is the largest Config.MaxTokens accepted.
	MaxMaxTokens = 32_768
	// DefaultTimeout bounds one Extract call (context) and is the HTTP
	// client's timeout when the caller's client has none.
	DefaultTimeout = 2 * time.Minute
)

// Confidence levels (invoice.Invoice.Confidence).
const (
	// LowConfidence: a field already read with less confidence than this
	// may be replaced by the model's value; at or above, it is only compared.
	LowConfidence = 0.6
	// ModelConfidence is given to a value taken from the model.
	ModelConfidence = 0.7
	// ConfirmedConfidence is given to a value taken from the model that a
	// checksum (IBAN mod-97) or the arithmetic confirms.
	ConfirmedConfidence = 0.85
	// DoubtfulConfidence is given to a value taken from the model that the
	// arithmetic contradicts.
	DoubtfulConfidence = 0.4
)

// Config is the helper's settings. The caller stores it as JSON; it holds
// no secret (the key is in the keychain, see SaveKey).
type Config struct {
	// Enabled turns the helper on. Off, New refuses and nothing is sent.
	Enabled bool `json:"enabled"`
	// Consent records that the user agreed that page text is sent to the
	// configured service. Without it New refuses and nothing is sent.
	Consent  bool     `json:"consent"`
	Provider Provider `json:"provider"`
	// BaseURL is the API root, e.g. "https://api.openai.com/v1". Empty
	// means the provider's default (openai, github). It must be https; a
	// local server may use http on a loopback address only.
	BaseURL string `json:"base_url,omitempty"`
	// Model is the model name ("gpt-4o-mini", "openai/gpt-4.1" on GitHub),
	// or for Azure the deployment name.
	Model string `json:"model"`
	// AzureAPIVersion is the api-version query parameter for Azure; empty
	// means DefaultAzureAPIVersion.
	AzureAPIVersion string `json:"azure_api_version,omitempty"`
	// MaxTokens limits the completion; 0 means DefaultMaxTokens.
	MaxTokens int `json:"max_tokens,omitempty"`
}

// endpoint is a checked Config.
type endpoint struct {
	provider   Provider
	baseURL    string // without trailing slash
	scheme     string
	host       string // host[:port], what the transport lets requests go to
	apiVersion string // azure only
	model      string
	maxTokens  int
	needsKey   bool
}

// check turns cfg into an endpoint or explains, with an apperr code, why it
// cannot be used. It does not look at Enabled or Consent (New does, first).
func (cfg Config) check() (endpoint, error) {
	ep := endpoint{provider: cfg.Provider, needsKey: cfg.Provider != ProviderLocal}
	raw := strings.TrimSpace(cfg.BaseURL)
	switch cfg.Provider {
	case ProviderOpenAI:
		if raw == "" {
			raw = DefaultOpenAIBaseURL
		}
	case ProviderGitHub:
		if raw == "" {
			raw = DefaultGitHubBaseURL
		}
	case ProviderAzure:
		if raw == "" {
			return ep, apperr.New(apperr.InvalidInput,
				"Azure OpenAI needs the resource URL (https://RESOURCE.openai.azure.com) as base URL.")
		}
		ep.apiVersion = strings.TrimSpace(cfg.AzureAPIVersion)
		if ep.apiVersion == "" {
			ep.apiVersion = DefaultAzureAPIVersion
		}
		if !isToken(ep.apiVersion, 40, "-.") {
			return ep, apperr.New(apperr.InvalidInput, "The Azure API version must look like %s.", DefaultAzureAPIVersion)
		}
	case ProviderLocal:
		if raw == "" {
			return ep, apperr.New(apperr.InvalidInput,
				"A local model server needs its base URL, e.g. http://127.0.0.1:11434/v1 for Ollama.")
		}
	default:
		return ep, apperr.New(apperr.InvalidInput,
			"Unknown AI provider %q: use openai, azure, github or local.", truncateRunes(string(cfg.Provider), 40))
	}
	if err := ep.setURL(raw); err != nil {
		return ep, err
	}
	ep.model = strings.TrimSpace(cfg.Model)
	extra := "-._:/"
	if cfg.Provider == ProviderAzure {
		extra = "-._" // the deployment name becomes a path segment
	}
	if !isToken(ep.model, 200, extra) {
		return ep, apperr.New(apperr.InvalidInput,
			"Set the model name (for Azure: the deployment name); letters, digits and %s only.", extra)
	}
	switch {
	case cfg.MaxTokens == 0:
		ep.maxTokens = DefaultMaxTokens
	case cfg.MaxTokens < 0 || cfg.MaxTokens > MaxMaxTokens:
		return ep, apperr.New(apperr.InvalidInput, "The token limit must be between 1 and %d.", MaxMaxTokens)
	default:
		ep.maxTokens = cfg.MaxTokens
	}
	return ep, nil
}

func (ep *endpoint) setURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return apperr.New(apperr.InvalidInput, "The base URL of the AI service is not a valid URL.")
	}
	if u.User != nil {
		return apperr.New(apperr.Forbidden,
			"The base URL of the AI service must not contain a user name or password: the key belongs in the keychain.")
	}
	if u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
		return apperr.New(apperr.InvalidInput, "The base URL of the AI service must not have a query (?…) or fragment (#…).")
	}
	switch u.Scheme {
	case "https":
	case "http":
		if ep.provider != ProviderLocal || !isLoopback(u.Hostname()) {
			return apperr.New(apperr.Forbidden,
				"Page text is only sent over HTTPS; plain http is allowed only for a local server on this computer (localhost, 127.0.0.1, ::1).")
		}
	default:
		return apperr.New(apperr.Forbidden, "The base URL of the AI service must start with https://.")
	}
	ep.scheme, ep.host = u.Scheme, u.Host
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	ep.baseURL = u.String()
	return nil
}

// isLoopback accepts "localhost" and loopback IP literals. Other names are
// not resolved here: what they resolve to can change after the check.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// isToken: 1..max ASCII letters, digits and the given extra characters.
func isToken(s string, max int, extra string) bool {
	if s == "" || len(s) > max {
		return false
	}
	for _, r := range s {
		if !(r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) || strings.ContainsRune(extra, r)) {
			return false
		}
	}
	return true
}

// truncateRunes cuts s to at most n runes.
func truncateRunes(s string, n int) string {
	i := 0
	for j := range s {
		if i == n {
			return s[:j] + "…"
		}
		i++
	}
	return s
}
