package llm

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/vault"
)

// Usage is the token count the service reported for one call (zeros when a
// local server reports none).
type Usage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
	TotalTokens      int `json:"total_tokens"`
}

// Client sends page text to one configured service. It is safe for
// concurrent use. It holds the API key; it never prints it (String,
// Format and LogValue show only provider, host and model).
type Client struct {
	ep      endpoint
	tr      *transport
	api     *openai.Client
	timeout time.Duration
}

// New checks cfg and reads the key from kc. Nothing is sent: a refused
// Client makes no request at all. Errors, in the order checked:
//   - unavailable: the helper is turned off (!cfg.Enabled);
//   - forbidden: the user has not consented (!cfg.Consent): nothing is sent
//     without the user's consent;
//   - invalid_input: unknown provider, missing model or URL, bad token limit;
//   - forbidden: BaseURL not https (plain http only for a local server on a
//     loopback address), or with credentials in it;
//   - unavailable: no API key in the keychain (a local server may do without),
//     or the keychain cannot be read.
//
// httpClient may be nil. It is copied, not changed: the copy gets a
// transport that attaches the key and caps response bodies, refuses
// redirects, has no cookie jar, and gets DefaultTimeout when it has none.
func New(cfg Config, kc vault.Keychain, httpClient *http.Client) (*Client, error) {
	if !cfg.Enabled {
		return nil, apperr.New(apperr.Unavailable, "The AI assistant is turned off. Turn it on in Settings to use it.")
	}
	if !cfg.Consent {
		return nil, apperr.New(apperr.Forbidden,
			"Nothing is sent without the user's consent: agree in Settings that page text may be sent to the AI service.")
	}
	ep, err := cfg.check()
	if err != nil {
		return nil, err
	}
	tr := &transport{scheme: ep.scheme, host: ep.host, azure: ep.provider == ProviderAzure, maxBody: MaxResponseBytes}
	if kc != nil {
		if tr.key, err = loadKey(kc); err != nil {
			return nil, err
		}
	}
	if tr.key.IsZero() && ep.needsKey {
		where := "keychain"
		if kc != nil {
			where = kc.Describe()
		}
		return nil, apperr.New(apperr.Unavailable,
			"No API key for the AI service is stored in the %s. Add one in Settings.", where)
	}

	hc := &http.Client{}
	if httpClient != nil {
		*hc = *httpClient
	}
	tr.base = hc.Transport
	if tr.base == nil {
		tr.base = http.DefaultTransport
	}
	hc.Transport = tr
	hc.CheckRedirect = refuseRedirect
	hc.Jar = nil
	if hc.Timeout <= 0 {
		hc.Timeout = DefaultTimeout
	}

	var oc openai.ClientConfig
	if ep.provider == ProviderAzure {
		// The key is attached by the transport, never given to go-openai.
		oc = openai.DefaultAzureConfig("", ep.baseURL)
		oc.APIVersion = ep.apiVersion
		oc.AzureModelMapperFunc = func(m string) string { return m } // the deployment name as configured
	} else {
		oc = openai.DefaultConfig("")
		oc.BaseURL = ep.baseURL
	}
	oc.HTTPClient = hc
	return &Client{ep: ep, tr: tr, api: openai.NewClientWithConfig(oc), timeout: DefaultTimeout}, nil
}

// Destination is the host page text is sent to, for the consent text.
func (c *Client) Destination() string { return c.ep.host }

// Extract asks the model for the invoice fields on pageText and merges the
// checked answer into partial (see merge and the package comment). partial
// is not modified; the result is a copy.
//
// On error the returned invoice is partial unchanged, and Usage holds what
// the service counted when it answered at all (tokens are billed even for
// an answer that is then refused). Errors:
//   - invalid_input: no page text;
//   - forbidden: the key was refused (HTTP 401, 403);
//   - too_large: the response is over MaxResponseBytes (HTTP 413 too);
//   - unavailable: cannot connect, timeout or cancellation (errors.Is
//     context.DeadlineExceeded / Canceled), HTTP 404/400/429 (with
//     RetryAfter)/5xx, a cut-off or refused answer, or an answer that does not
//     follow the schema (errors.Is ErrBadAnswer).
func (c *Client) Extract(ctx context.Context, pageText string, partial invoice.Invoice) (invoice.Invoice, Usage, error) {
	page, cut := preparePage(pageText)
	if strings.TrimSpace(page) == "" {
		return partial, Usage{}, apperr.New(apperr.InvalidInput, "There is no page text to send to the AI service.")
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	ctx, meta := withMeta(ctx)
	resp, err := c.api.CreateChatCompletion(ctx, c.ep.chatRequest(page))
	if err != nil {
		return partial, Usage{}, c.classify(err, meta)
	}
	usage := Usage{
		PromptTokens:     resp.Usage.PromptTokens,
		CompletionTokens: resp.Usage.CompletionTokens,
		TotalTokens:      resp.Usage.TotalTokens,
	}
	content, err := c.content(resp)
	if err != nil {
		return partial, usage, err
	}
	cand, err := validateAnswer(content, page)
	if err != nil {
		return partial, usage, c.fail(apperr.Unavailable, ErrBadAnswer, err.Error(),
			"The answer from %s did not follow the requested format; nothing was taken from it.", c.ep.host)
	}
	if cut {
		cand.warnings = append([]string{fmt.Sprintf(
			"%sonly the first %d characters of the page text were sent", warningPrefix, MaxPageChars)}, cand.warnings...)
	}
	return merge(partial, cand), usage, nil
}

// content returns the message of the first choice, or why there is none
// to use.
func (c *Client) content(resp openai.ChatCompletionResponse) (string, error) {
	host := c.ep.host
	if len(resp.Choices) == 0 {
		return "", c.fail(apperr.Unavailable, ErrBadAnswer, "no choices", "%s sent no answer.", host)
	}
	ch := resp.Choices[0]
	switch {
	case ch.FinishReason == openai.FinishReasonLength:
		return "", c.fail(apperr.Unavailable, ErrBadAnswer, "finish_reason length",
			"The answer from %s was cut off at %d tokens; raise the token limit in Settings.", host, c.ep.maxTokens)
	case ch.FinishReason == openai.FinishReasonContentFilter:
		return "", c.fail(apperr.Unavailable, ErrBadAnswer, "finish_reason content_filter",
			"The content filter of %s withheld the answer.", host)
	case ch.Message.Refusal != "":
		// The refusal text is not kept: it may quote the page.
		return "", c.fail(apperr.Unavailable, ErrBadAnswer, "refusal", "The model at %s declined to read this page.", host)
	case strings.TrimSpace(ch.Message.Content) == "":
		return "", c.fail(apperr.Unavailable, ErrBadAnswer, "empty content", "%s sent an empty answer.", host)
	}
	return ch.Message.Content, nil
}

func (c Client) describe() string {
	return fmt.Sprintf("llm.Client{provider: %s, host: %s, model: %s}", c.ep.provider, c.ep.host, c.ep.model)
}

// String, GoString, Format and LogValue print provider, host and model
// only. Without them fmt's %+v would print the unexported fields, the key
// among them.
func (c Client) String() string                 { return c.describe() }
func (c Client) GoString() string               { return c.describe() }
func (c Client) Format(f fmt.State, _ rune)     { _, _ = f.Write([]byte(c.describe())) }
func (c Client) LogValue() slog.Value           { return slog.StringValue(c.describe()) }
func (t *transport) String() string             { return "llm.transport{" + t.host + "}" }
func (t *transport) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(t.String())) }
