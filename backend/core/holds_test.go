package core

import (
	"testing"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/audit"
	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/backend/llm"
	"github.com/smartap/desktop/backend/secret"
	"github.com/smartap/desktop/backend/vendor"
)

func TestLegalHoldsAreListed(t *testing.T) {
	c, admin, _ := staff(t)
	if hs, err := admin.LegalHolds(ctx); err != nil || hs == nil || len(hs) != 0 {
		t.Fatalf("no holds yet: %#v %v", hs, err)
	}
	v, err := admin.AddVendor(ctx, vendor.Input{Name: "Held Vendor GmbH"})
	if err != nil {
		t.Fatal(err)
	}
	if err := admin.SetLegalHold(ctx, v.ID, "tax audit 2026", true); err != nil {
		t.Fatal(err)
	}
	hs, err := admin.LegalHolds(ctx)
	if err != nil || len(hs) != 1 {
		t.Fatalf("holds: %+v %v", hs, err)
	}
	if h := hs[0]; h.Target != v.ID || h.Kind != "vendor" || h.Label != "Held Vendor GmbH" || h.Reason != "tax audit 2026" ||
		!h.CreatedAt.Equal(c.now()) {
		t.Fatalf("hold: %+v", h)
	}
	assertLastAudit(t, admin, "alice", string(identity.HoldList), audit.Allowed)
	// Auditors may look; clerks may not.
	for name, want := range map[string]apperr.Code{"otto": "", "carl": apperr.Forbidden} {
		s, err := c.Unlock(ctx, name, secret.NewPassword("password of "+name))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.LegalHolds(ctx); (want == "" && err != nil) || (want != "" && apperr.CodeOf(err) != want) {
			t.Errorf("%s lists holds: %v", name, err)
		}
	}
	if err := admin.SetLegalHold(ctx, v.ID, "", false); err != nil {
		t.Fatal(err)
	}
	if hs, err := admin.LegalHolds(ctx); err != nil || len(hs) != 0 {
		t.Fatalf("after lifting: %+v %v", hs, err)
	}
}

func TestDeleteLLMKey(t *testing.T) {
	c, admin, _ := staff(t)
	cfg := llm.Config{Provider: llm.ProviderOpenAI, Model: "gpt-4o-mini"}
	if st, err := admin.SetLLMSettings(ctx, cfg, "sk-test-0123456789abcdef0123456789abcdef"); err != nil || !st.HasKey { // gitleaks:allow -- made up
		t.Fatalf("store a key: %+v %v", st, err)
	}
	carl, err := c.Unlock(ctx, "carl", secret.NewPassword("password of carl"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := carl.DeleteLLMKey(ctx); apperr.CodeOf(err) != apperr.Forbidden {
		t.Fatalf("a clerk removed the key: %v", err)
	}
	if !llm.HasKey(c.opts.Keychain) {
		t.Fatal("a refused removal removed the key")
	}
	st, err := admin.DeleteLLMKey(ctx)
	if err != nil || st.HasKey || st.Model != "gpt-4o-mini" || st.Provider != llm.ProviderOpenAI {
		t.Fatalf("remove: %+v %v", st, err)
	}
	if llm.HasKey(c.opts.Keychain) {
		t.Fatal("the key is still in the keychain")
	}
	assertLastAudit(t, admin, "alice", string(identity.SettingsSet), audit.Allowed)
	// Removing again is not an error: the answer is the same state.
	if st, err := admin.DeleteLLMKey(ctx); err != nil || st.HasKey {
		t.Fatalf("remove twice: %+v %v", st, err)
	}
}
