package core

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/extract"
	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/backend/llm"
	"github.com/smartap/desktop/backend/store"
)

const metaLLM = "settings.llm"

// LLMSettings are the optional model helper's settings plus the tokens
// it has used so far (shown to admins: the cost is theirs).
type LLMSettings struct {
	llm.Config
	HasKey     bool `json:"has_key"`
	TokensUsed int  `json:"tokens_used"`
}

func readLLM(tx *store.Tx) (LLMSettings, error) {
	var st LLMSettings
	b, err := tx.SealedMeta(metaLLM)
	if errors.Is(err, store.ErrNoMeta) {
		return st, nil
	}
	if err != nil {
		return st, err
	}
	return st, json.Unmarshal(b, &st)
}

func writeLLM(tx *store.Tx, st LLMSettings) error {
	st.HasKey = false // derived from the keychain on read, never stored
	b, err := json.Marshal(st)
	if err != nil {
		return err
	}
	return tx.SetSealedMeta(metaLLM, b)
}

// LLMSettings shows the model helper's settings (never the key).
func (s *Session) LLMSettings(ctx context.Context) (LLMSettings, error) {
	var st LLMSettings
	err := s.do(ctx, identity.SettingsShow, metaLLM, func(tx *store.Tx, _ *record) error {
		var err error
		st, err = readLLM(tx)
		st.HasKey = llm.HasKey(s.c.opts.Keychain)
		return err
	})
	return st, err
}

// SetLLMSettings changes the model helper's settings; key, when not empty,
// goes to the OS keychain only. Enabling needs consent.
func (s *Session) SetLLMSettings(ctx context.Context, cfg llm.Config, key string) (LLMSettings, error) {
	var st LLMSettings
	err := s.do(ctx, identity.SettingsSet, metaLLM, func(tx *store.Tx, rec *record) error {
		if cfg.Enabled && !cfg.Consent {
			return apperr.New(apperr.InvalidInput, "enabling the model helper needs the consent that page text is sent to %s", cfg.Provider)
		}
		old, err := readLLM(tx)
		if err != nil {
			return err
		}
		if key != "" {
			if err := llm.SaveKey(s.c.opts.Keychain, key); err != nil {
				return keychainError(err, s.c.opts.Keychain)
			}
		}
		st = LLMSettings{Config: cfg, TokensUsed: old.TokensUsed}
		if cfg.Enabled {
			if _, err := llm.New(cfg, s.c.opts.Keychain, nil); err != nil {
				return err
			}
		}
		rec.Reason = "model helper settings: enabled=" + boolText(cfg.Enabled) + " provider=" + string(cfg.Provider)
		st.HasKey = llm.HasKey(s.c.opts.Keychain)
		return writeLLM(tx, st)
	})
	return st, err
}

func boolText(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// assist asks the model helper, when enabled, to fill or check a read
// (not structured) invoice. It is never required: any failure leaves the
// invoice as read, with a warning.
func (s *Session) assist(ctx context.Context, x *extract.Result) (tokens int) {
	if x.PageText == "" || (x.Source != extract.SourcePDFText && x.Source != extract.SourceOCR) {
		return 0
	}
	var st LLMSettings
	_ = s.c.db.View(ctx, s.keys, func(tx *store.Tx) error {
		var err error
		st, err = readLLM(tx)
		return err
	})
	if !st.Enabled || !st.Consent {
		return 0
	}
	client, err := llm.New(st.Config, s.c.opts.Keychain, &http.Client{Timeout: 2 * time.Minute})
	if err != nil {
		x.Invoice.Warnings = append(x.Invoice.Warnings, "the model helper is not usable: "+publicMsg(err))
		return 0
	}
	inv, usage, err := client.Extract(ctx, x.PageText, x.Invoice)
	if err != nil {
		x.Invoice.Warnings = append(x.Invoice.Warnings, "the model helper did not answer: "+publicMsg(err))
	} else {
		x.Invoice, x.Source = inv, extract.SourceLLM
	}
	return usage.TotalTokens
}

func publicMsg(err error) string {
	_, m, _ := apperr.Public(err)
	return m
}

// DeleteLLMKey removes the model helper's API key from the keychain. The
// other settings stay; a provider that needs a key is then not usable
// until a new one is stored.
func (s *Session) DeleteLLMKey(ctx context.Context) (LLMSettings, error) {
	var st LLMSettings
	err := s.do(ctx, identity.SettingsSet, metaLLM, func(tx *store.Tx, rec *record) error {
		var err error
		if st, err = readLLM(tx); err != nil {
			return err
		}
		if err := llm.DeleteKey(s.c.opts.Keychain); err != nil {
			return err // already says which keychain failed
		}
		rec.Reason = "model helper API key removed from the keychain"
		st.HasKey = llm.HasKey(s.c.opts.Keychain)
		return nil
	})
	return st, err
}
