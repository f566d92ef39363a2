package llm

import (
	"context"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/invoice"
)

func TestExtractGoodAnswerIsMerged(t *testing.T) {
	f := newFakeAI(t, true, answerWith(goodAnswer))
	c := f.newClient(t, f.openaiConfig(), keychainWithKey(t))
	partial := pageReading()
	before := pageReading()

	got, usage, err := c.Extract(context.Background(), pageText, partial)
	if err != nil {
		t.Fatalf("Extract: %v", err)
	}
	if want := (Usage{PromptTokens: 812, CompletionTokens: 231, TotalTokens: 1043}); usage != want {
		t.Errorf("usage = %+v, want %+v", usage, want)
	}
	if !reflect.DeepEqual(partial, before) {
		t.Errorf("partial was modified: %+v", partial)
	}

	// Values the page reader was sure of are kept; the model filled the rest.
	if got.InvoiceNumber != "RE-2024-0042" || got.TypeCode != "380" {
		t.Errorf("kept fields changed: %q %q", got.InvoiceNumber, got.TypeCode)
	}
	if got.IssueDate != invoice.MustParseDate("2024-03-15") || got.DueDate != invoice.MustParseDate("2024-04-14") {
		t.Errorf("dates = %v %v", got.IssueDate, got.DueDate)
	}
	if got.Currency != "EUR" || got.Seller.VATID != "DE123456789" || got.Buyer.Name != "Example Buyer BV" {
		t.Errorf("currency/vat/buyer = %q %q %q", got.Currency, got.Seller.VATID, got.Buyer.Name)
	}
	if got.Payment.IBAN != "DE89370400440532013000" || got.Payment.BIC != "COBADEFFXXX" {
		t.Errorf("payment = %+v", got.Payment)
	}
	if len(got.Lines) != 2 || got.Lines[1].Name != "Service" || got.Lines[1].ID != "2" || !got.Lines[0].NetAmount.Equal(*dec("100")) {
		t.Errorf("lines = %+v", got.Lines)
	}
	if got.Totals.Tax.String() != "28.50" {
		t.Errorf("tax = %v", got.Totals.Tax)
	}

	wantConf := map[string]float64{
		"invoice_number":       0.95, // kept, not taken
		"totals.payable":       0.9,  // kept; the model agrees
		"seller.name":          ModelConfidence,
		"issue_date":           ModelConfidence,
		"due_date":             ModelConfidence,
		"currency":             ModelConfidence,
		"seller.vat_id":        ModelConfidence,
		"buyer.name":           ModelConfidence,
		"payment.iban":         ConfirmedConfidence, // mod-97
		"payment.bic":          ConfirmedConfidence, // same country as the IBAN
		"totals.line_net":      ConfirmedConfidence, // = sum of lines
		"totals.tax_exclusive": ConfirmedConfidence,
		"totals.tax":           ConfirmedConfidence, // = 19 % of 150.00
		"totals.tax_inclusive": ConfirmedConfidence,
		"lines[0].name":        ModelConfidence,
		"lines[0].quantity":    ConfirmedConfidence, // 2 × 50.00 = 100.00
		"lines[0].unit_price":  ConfirmedConfidence,
		"lines[0].net_amount":  ConfirmedConfidence,
		"lines[0].tax_rate":    ConfirmedConfidence,
		"lines[1].name":        ModelConfidence,
		"lines[1].quantity":    ConfirmedConfidence,
		"lines[1].unit_price":  ConfirmedConfidence,
		"lines[1].net_amount":  ConfirmedConfidence,
		"lines[1].tax_rate":    ConfirmedConfidence,
	}
	if !reflect.DeepEqual(got.Confidence, wantConf) {
		t.Errorf("confidence:\n got %v\nwant %v", got.Confidence, wantConf)
	}
	if want := []string{"page reader: no due date label found"}; !reflect.DeepEqual(got.Warnings, want) {
		t.Errorf("warnings = %q", got.Warnings)
	}
	if n := f.requests.Load(); n != 1 {
		t.Errorf("server saw %d requests, want 1", n)
	}

	req, _, hdr := f.lastRequest()
	if req.MaxCompletionTokens != DefaultMaxTokens || req.MaxTokens != 0 {
		t.Errorf("token limit fields: max_completion_tokens %d, max_tokens %d", req.MaxCompletionTokens, req.MaxTokens)
	}
	if !strings.Contains(req.Messages[1].Content, "IBAN: DE89 3704") {
		t.Error("the page text was not sent")
	}
	for _, s := range []string{"0.95", "page reader", "380"} {
		if strings.Contains(req.Messages[1].Content+req.Messages[0].Content, s) {
			t.Errorf("the request carries %q from the partial invoice", s)
		}
	}
	if hdr.Get("Cookie") != "" || hdr.Get("OpenAI-Organization") != "" {
		t.Error("unexpected headers sent")
	}
}

func TestExtractAnswers(t *testing.T) {
	tests := []struct {
		name    string
		answer  string
		partial invoice.Invoice
		check   func(t *testing.T, got invoice.Invoice)
	}{
		{
			name:   "wrong IBAN checksum: IBAN dropped with a warning",
			answer: edit(t, `"DE89370400440532013000"`, `"DE89370400440532013001"`),
			check: func(t *testing.T, got invoice.Invoice) {
				if got.Payment.IBAN != "" {
					t.Errorf("IBAN %q taken", got.Payment.IBAN)
				}
				if _, ok := got.Confidence["payment.iban"]; ok {
					t.Error("confidence for a dropped IBAN")
				}
				wantWarning(t, got, "payment.iban not taken: not a valid IBAN (check digits do not match)")
				if got.Confidence["payment.bic"] != ModelConfidence {
					t.Errorf("BIC confidence %v: nothing confirms it without an IBAN", got.Confidence["payment.bic"])
				}
			},
		},
		{
			name:   "IBAN valid but not on the page: dropped",
			answer: edit(t, `"DE89370400440532013000"`, `"GB82WEST12345698765432"`),
			check: func(t *testing.T, got invoice.Invoice) {
				if got.Payment.IBAN != "" {
					t.Errorf("made-up IBAN %q taken", got.Payment.IBAN)
				}
				wantWarning(t, got, "payment.iban not taken: not found in the page text")
			},
		},
		{
			name:   "arithmetic broken: confidence lowered",
			answer: edit(t, `"tax_inclusive": "178.50"`, `"tax_inclusive": "187.50"`),
			check: func(t *testing.T, got invoice.Invoice) {
				for _, f := range []string{"totals.tax_exclusive", "totals.tax", "totals.tax_inclusive"} {
					if got.Confidence[f] != DoubtfulConfidence {
						t.Errorf("%s confidence %v, want %v", f, got.Confidence[f], DoubtfulConfidence)
					}
				}
				if got.Confidence["totals.line_net"] != ConfirmedConfidence {
					t.Errorf("line_net confidence %v: its own rules hold", got.Confidence["totals.line_net"])
				}
				wantWarning(t, got, "AI answer: tax_exclusive + tax = tax_inclusive does not hold; marked doubtful: totals.tax, totals.tax_exclusive, totals.tax_inclusive")
				wantWarning(t, got, "AI answer: tax_inclusive − prepaid + rounding = payable does not hold; marked doubtful: totals.tax_inclusive")
				if got.Totals.Payable.String() != "178.50" || got.Confidence["totals.payable"] != 0.9 {
					t.Errorf("payable read by the page reader changed: %v %v", got.Totals.Payable, got.Confidence["totals.payable"])
				}
			},
		},
		{
			name:   "line arithmetic broken",
			answer: edit(t, `"quantity": "2"`, `"quantity": "3"`),
			check: func(t *testing.T, got invoice.Invoice) {
				if got.Confidence["lines[0].quantity"] != DoubtfulConfidence || got.Confidence["lines[0].net_amount"] != DoubtfulConfidence {
					t.Errorf("line 0 confidence %v", got.Confidence)
				}
				if got.Confidence["lines[1].quantity"] != ConfirmedConfidence {
					t.Errorf("line 1 confidence %v", got.Confidence["lines[1].quantity"])
				}
			},
		},
		{
			name:   "bad values dropped one by one",
			answer: edit(t, `"issue_date": "2024-03-15", "due_date": "2024-04-14", "currency": "EUR"`, `"issue_date": "15.03.2024", "due_date": "2024-02-30", "currency": "€"`),
			check: func(t *testing.T, got invoice.Invoice) {
				if !got.IssueDate.IsZero() || !got.DueDate.IsZero() || got.Currency != "" {
					t.Errorf("bad values taken: %v %v %q", got.IssueDate, got.DueDate, got.Currency)
				}
				wantWarning(t, got, "issue_date not taken: not a calendar date in the form YYYY-MM-DD")
				wantWarning(t, got, "due_date not taken: not a calendar date in the form YYYY-MM-DD")
				wantWarning(t, got, "currency not taken: not an ISO 4217 code of three letters")
				if got.Payment.IBAN == "" {
					t.Error("the good values of the answer were lost")
				}
			},
		},
		{
			name:   "credit note with negative amounts",
			answer: strings.NewReplacer(`"100.00"`, `"-100.00"`, `"50.00", "tax_rate"`, `"-50.00", "tax_rate"`, `"150.00"`, `"-150.00"`, `"28.50"`, `"-28.50"`, `"178.50"`, `"-178.50"`, `"quantity": "2"`, `"quantity": "-2"`, `"quantity": "1"`, `"quantity": "-1"`).Replace(goodAnswer),
			check: func(t *testing.T, got invoice.Invoice) {
				for _, f := range []string{"totals.tax", "lines[0].net_amount", "lines[1].quantity"} {
					if got.Confidence[f] != ConfirmedConfidence {
						t.Errorf("%s confidence %v: negative amounts add up too", f, got.Confidence[f])
					}
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAI(t, true, answerWith(tt.answer))
			c := f.newClient(t, f.openaiConfig(), keychainWithKey(t))
			partial := tt.partial
			if partial.TypeCode == "" {
				partial = pageReading()
			}
			got, usage, err := c.Extract(context.Background(), pageText, partial)
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			if usage.TotalTokens != 1043 {
				t.Errorf("usage %+v", usage)
			}
			tt.check(t, got)
		})
	}
}

func wantWarning(t *testing.T, inv invoice.Invoice, w string) {
	t.Helper()
	for _, x := range inv.Warnings {
		if strings.HasSuffix(x, w) {
			return
		}
	}
	t.Errorf("no warning %q in %q", w, inv.Warnings)
}

// Answers that do not follow the schema are refused whole: nothing is
// taken, partial comes back unchanged, the tokens are still counted.
func TestExtractRefusesMalformedAnswers(t *testing.T) {
	tests := map[string]string{
		"amount as JSON number":   edit(t, `"payable": "178.50"`, `"payable": 178.50`),
		"quantity as JSON number": edit(t, `"quantity": "2"`, `"quantity": 2`),
		"unknown top-level field": edit(t, `"currency": "EUR",`, `"currency": "EUR", "notes": "pay now",`),
		"unknown nested field":    edit(t, `"vat_id": "DE123456789"`, `"vat_id": "DE123456789", "iban": "DE89370400440532013000"`),
		"unknown field in a line": edit(t, `"tax_rate": "19"}`, `"tax_rate": "19", "discount": "0"}`),
		"object where a string":   edit(t, `"currency": "EUR"`, `"currency": {"code": "EUR"}`),
		"lines not an array":      `{"lines": {"name": "x"}}`,
		"trailing data":           goodAnswer + ` {"invoice_number": "X"}`,
		"not JSON":                "Here is the invoice: RE-2024-0042",
		"markdown fence":          "```json\n" + goodAnswer + "\n```",
		"top-level array":         `[` + goodAnswer + `]`,
		"top-level null":          `null`,
		"truncated":               goodAnswer[:200],
	}
	for name, answer := range tests {
		t.Run(name, func(t *testing.T) {
			f := newFakeAI(t, true, answerWith(answer))
			c := f.newClient(t, f.openaiConfig(), keychainWithKey(t))
			partial := pageReading()
			got, usage, err := c.Extract(context.Background(), pageText, partial)
			if !errors.Is(err, ErrBadAnswer) || apperr.CodeOf(err) != apperr.Unavailable {
				t.Fatalf("err = %v (code %s), want unavailable wrapping ErrBadAnswer", err, apperr.CodeOf(err))
			}
			if _, msg, _ := apperr.Public(err); !strings.Contains(msg, "nothing was taken") {
				t.Errorf("message %q", msg)
			}
			if !reflect.DeepEqual(got, partial) {
				t.Errorf("got %+v, want partial unchanged", got)
			}
			if usage.TotalTokens != 1043 {
				t.Errorf("usage %+v: the refused answer's tokens must still be counted", usage)
			}
			if strings.Contains(err.Error(), "RE-2024") || strings.Contains(err.Error(), "pay now") {
				t.Errorf("error quotes the answer: %v", err)
			}
		})
	}
}

func TestExtractHTTPErrors(t *testing.T) {
	tests := []struct {
		name      string
		reply     func(w http.ResponseWriter, r *http.Request)
		code      apperr.Code
		message   string
		retry     time.Duration
		is        error
		usageZero bool
	}{
		{
			name: "401 wrong key",
			reply: func(w http.ResponseWriter, _ *http.Request) {
				// A careless server echoing the key must not get it into the error.
				writeAPIError(w, 401, "invalid_request_error", "Incorrect API key provided: "+testKey+".")
			},
			code: apperr.Forbidden, message: "did not accept the API key (HTTP 401)",
		},
		{
			name:  "403",
			reply: func(w http.ResponseWriter, _ *http.Request) { writeAPIError(w, 403, "permission_error", "no access") },
			code:  apperr.Forbidden, message: "refused access (HTTP 403)",
		},
		{
			name: "429 rate limit with Retry-After",
			reply: func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Retry-After", "7")
				writeAPIError(w, 429, "requests", "Rate limit reached for gpt-4o-mini")
			},
			code: apperr.Unavailable, message: "is limiting requests (HTTP 429)", retry: 7 * time.Second,
		},
		{
			name: "429 quota",
			reply: func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(429)
				_, _ = io.WriteString(w, `{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}`)
			},
			code: apperr.Unavailable, message: "has no quota left (HTTP 429)",
		},
		{
			name: "500",
			reply: func(w http.ResponseWriter, _ *http.Request) {
				writeAPIError(w, 500, "server_error", "The server had an error")
			},
			code: apperr.Unavailable, message: "had a server error (HTTP 500)",
		},
		{
			name: "502 from a proxy, HTML body",
			reply: func(w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(502)
				_, _ = io.WriteString(w, "<html><body>Bad Gateway "+testKey+"</body></html>")
			},
			code: apperr.Unavailable, message: "had a server error (HTTP 502)",
		},
		{
			name: "404 unknown model",
			reply: func(w http.ResponseWriter, _ *http.Request) {
				writeAPIError(w, 404, "invalid_request_error", "The model does not exist")
			},
			code: apperr.Unavailable, message: `does not know model or deployment "gpt-4o-mini" (HTTP 404)`,
		},
		{
			name: "400 structured output unsupported",
			reply: func(w http.ResponseWriter, _ *http.Request) {
				writeAPIError(w, 400, "invalid_request_error", "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.")
			},
			code: apperr.Unavailable, message: "may not support structured output",
		},
		{
			name: "oversized body, chunked",
			reply: func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = io.WriteString(w, completion(strings.Repeat("x", MaxResponseBytes+10), "stop"))
			},
			code: apperr.TooLarge, message: "larger than 1 MB", is: errBodyTooLarge,
		},
		{
			name: "oversized body, Content-Length",
			reply: func(w http.ResponseWriter, _ *http.Request) {
				body := completion(strings.Repeat("x", MaxResponseBytes), "stop")
				w.Header().Set("Content-Length", strconv.Itoa(len(body)))
				_, _ = io.WriteString(w, body)
			},
			code: apperr.TooLarge, message: "larger than 1 MB", is: errBodyTooLarge,
		},
		{
			name: "oversized error body",
			reply: func(w http.ResponseWriter, _ *http.Request) {
				writeAPIError(w, 500, "server_error", strings.Repeat("y", MaxResponseBytes))
			},
			code: apperr.TooLarge, message: "larger than 1 MB", is: errBodyTooLarge,
		},
		{
			name: "redirect not followed",
			reply: func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "https://elsewhere.example/v1/chat/completions", http.StatusTemporaryRedirect)
			},
			code: apperr.Unavailable, message: "redirect, which SmartAP does not follow", is: errRedirect,
		},
		{
			name: "not a chat completion",
			reply: func(w http.ResponseWriter, _ *http.Request) {
				_, _ = io.WriteString(w, "<html>captive portal</html>")
			},
			code: apperr.Unavailable, message: "not answer in the OpenAI chat-completions format", is: ErrBadAnswer,
		},
		{
			name: "no choices",
			reply: func(w http.ResponseWriter, _ *http.Request) {
				_, _ = io.WriteString(w, `{"id":"x","object":"chat.completion","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":0,"total_tokens":5}}`)
			},
			code: apperr.Unavailable, message: "sent no answer", is: ErrBadAnswer,
		},
		{
			name: "cut off at the token limit",
			reply: func(w http.ResponseWriter, _ *http.Request) {
				_, _ = io.WriteString(w, completion(goodAnswer[:100], "length"))
			},
			code: apperr.Unavailable, message: "cut off at 4096 tokens", is: ErrBadAnswer,
		},
		{
			name: "content filter",
			reply: func(w http.ResponseWriter, _ *http.Request) {
				_, _ = io.WriteString(w, completion("", "content_filter"))
			},
			code: apperr.Unavailable, message: "content filter", is: ErrBadAnswer,
		},
		{
			name: "refusal",
			reply: func(w http.ResponseWriter, _ *http.Request) {
				_, _ = io.WriteString(w, strings.Replace(completion("", "stop"), `"refusal": null`, `"refusal": "I cannot help with RE-2024-0042"`, 1))
			},
			code: apperr.Unavailable, message: "declined to read this page", is: ErrBadAnswer,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAI(t, true, tt.reply)
			c := f.newClient(t, f.openaiConfig(), keychainWithKey(t))
			partial := pageReading()
			got, _, err := c.Extract(context.Background(), pageText, partial)
			if err == nil {
				t.Fatal("no error")
			}
			t.Logf("%s: %v", apperr.CodeOf(err), err)
			code, msg, retry := apperr.Public(err)
			if code != tt.code || !strings.Contains(msg, tt.message) || retry != tt.retry {
				t.Errorf("got %s %q retry %v, want %s containing %q retry %v", code, msg, retry, tt.code, tt.message, tt.retry)
			}
			if !strings.Contains(msg, "127.0.0.1") {
				t.Errorf("message %q does not name the host", msg)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.is)
			}
			if strings.Contains(err.Error(), testKey) {
				t.Errorf("the key is in the error: %v", err)
			}
			if !reflect.DeepEqual(got, partial) {
				t.Error("partial changed on error")
			}
			if n := f.requests.Load(); n != 1 {
				t.Errorf("%d requests: errors must not be retried behind the caller's back", n)
			}
		})
	}
}

func TestExtractTimeout(t *testing.T) {
	release := make(chan struct{})
	f := newFakeAI(t, true, func(w http.ResponseWriter, r *http.Request) {
		select { // a server that never answers
		case <-r.Context().Done():
		case <-release:
		}
	})
	t.Cleanup(func() { close(release) })
	c := f.newClient(t, f.openaiConfig(), keychainWithKey(t))

	t.Run("context deadline", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, _, err := c.Extract(ctx, pageText, invoice.Invoice{})
		if apperr.CodeOf(err) != apperr.Unavailable || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v (code %s), want unavailable + DeadlineExceeded", err, apperr.CodeOf(err))
		}
		if _, msg, _ := apperr.Public(err); !strings.Contains(msg, "did not answer in time") {
			t.Errorf("message %q", msg)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("took %v", d)
		}
	})
	t.Run("http client timeout", func(t *testing.T) {
		hc := f.srv.Client()
		hc.Timeout = 150 * time.Millisecond
		c, err := New(f.openaiConfig(), keychainWithKey(t), hc)
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = c.Extract(context.Background(), pageText, invoice.Invoice{})
		if apperr.CodeOf(err) != apperr.Unavailable || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want unavailable timeout", err)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(50*time.Millisecond, cancel)
		_, _, err := c.Extract(ctx, pageText, invoice.Invoice{})
		if apperr.CodeOf(err) != apperr.Unavailable || !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want unavailable + Canceled", err)
		}
	})
}

func TestExtractCutsLongPages(t *testing.T) {
	f := newFakeAI(t, true, answerWith(goodAnswer))
	c := f.newClient(t, f.openaiConfig(), keychainWithKey(t))
	long := pageText + "\n" + strings.Repeat("Ä", MaxPageChars)
	got, _, err := c.Extract(context.Background(), long, invoice.Invoice{})
	if err != nil {
		t.Fatal(err)
	}
	wantWarning(t, got, "AI answer: only the first 30000 characters of the page text were sent")
	req, _, _ := f.lastRequest()
	sent := strings.TrimSuffix(strings.TrimPrefix(req.Messages[1].Content, "Invoice page text between the markers:\n"+pageBegin+"\n"), "\n"+pageEnd)
	if n := len([]rune(sent)); n != MaxPageChars {
		t.Errorf("sent %d characters, want %d", n, MaxPageChars)
	}
}

func TestExtractNeedsPageText(t *testing.T) {
	f := newFakeAI(t, true, answerWith(goodAnswer))
	c := f.newClient(t, f.openaiConfig(), keychainWithKey(t))
	for _, page := range []string{"", " \n\t ", "\x00\x01"} {
		_, _, err := c.Extract(context.Background(), page, invoice.Invoice{})
		if apperr.CodeOf(err) != apperr.InvalidInput {
			t.Errorf("page %q: err = %v, want invalid_input", page, err)
		}
	}
	if n := f.requests.Load(); n != 0 {
		t.Errorf("server saw %d requests", n)
	}
}
