package app

import (
	"encoding/json"
	"strings"
	"testing"
)

const testAPIKey = "sk-test-5f3c9a0b7e2d4c1f8a6b0e9d7c3a1f2e" // gitleaks:allow -- made up for the tests

func init() {
	moreSecretChecks["settings"] = func(t *testing.T, a *App) (map[string]any, []string) {
		out := map[string]any{}
		s, err := a.SetLLMSettings(LLMSettingsInput{Enabled: true, Consent: true, Provider: "openai", Model: "gpt-4o-mini", APIKey: testAPIKey})
		out["SetLLMSettings"] = orError(s, err)
		g, err := a.GetLLMSettings()
		out["GetLLMSettings"] = orError(g, err)
		p, err := a.GetApprovalPolicy()
		out["GetApprovalPolicy"] = orError(p, err)
		p2, err := a.SetApprovalPolicy(p)
		out["SetApprovalPolicy"] = orError(p2, err)
		r, err := a.RunRetention(10, true)
		out["RunRetention"] = orError(r, err)
		out["SetLegalHold"] = orError(nil, a.SetLegalHold("nothing-here", "audit", true))
		return out, []string{testAPIKey}
	}
}

func TestLLMSettingsKeepTheKeyInGo(t *testing.T) {
	a, _, _, keyFile := newApp(t)
	if _, err := a.Setup(SetupRequest{AdminName: "alice", Password: pw}); err != nil {
		t.Fatal(err)
	}
	st, err := a.GetLLMSettings()
	if err != nil || st.Enabled || st.HasKey {
		t.Fatalf("defaults: %+v %v", st, err)
	}
	in := LLMSettingsInput{Enabled: true, Provider: "openai", Model: "gpt-4o-mini", APIKey: testAPIKey}
	if _, err := a.SetLLMSettings(in); code(err) != "invalid_input" || !strings.Contains(PublicError(err).Message, "consent") {
		t.Fatalf("enabled without consent: %v", err)
	}
	in.Consent = true
	st, err = a.SetLLMSettings(in)
	if err != nil || !st.Enabled || !st.Consent || !st.HasKey || st.Provider != "openai" || st.Model != "gpt-4o-mini" {
		t.Fatalf("saved: %+v %v", st, err)
	}
	b, _ := json.Marshal(st)
	if strings.Contains(string(b), testAPIKey) || strings.Contains(string(b), "api_key") {
		t.Fatalf("the key came back: %s", b)
	}
	// An empty key keeps the stored one.
	in.APIKey, in.Model = "", "gpt-4.1-mini"
	if st, err = a.SetLLMSettings(in); err != nil || !st.HasKey || st.Model != "gpt-4.1-mini" {
		t.Fatalf("without a new key: %+v %v", st, err)
	}
	if st, err = a.GetLLMSettings(); err != nil || !st.HasKey || !st.Enabled {
		t.Fatalf("read back: %+v %v", st, err)
	}
	if _, err := a.SetLLMSettings(LLMSettingsInput{Enabled: true, Consent: true, Provider: "anthropic", Model: "m"}); code(err) != "invalid_input" {
		t.Fatalf("unknown provider: %v", err)
	}
	_ = keyFile
}

func TestApprovalPolicyRoundTrip(t *testing.T) {
	a, _ := team(t)
	if _, err := a.Unlock("alice", pw); err != nil {
		t.Fatal(err)
	}
	p, err := a.GetApprovalPolicy()
	if err != nil || p.DefaultLevels != 1 || p.SecondApproverAbove != "10000" || p.Currency != "EUR" || p.Rules == nil || p.Delegations == nil {
		t.Fatalf("default policy: %+v %v", p, err)
	}
	p.SecondApproverAbove, p.EscalateAfterHours = "5000.00", 48
	p.Rules = []RuleView{{ID: "it", Name: "IT purchases", MinAmount: "1000", CostCentres: []string{"IT"}, Levels: 2,
		ApproverRoles: []string{"admin"}, MinRisk: 0}}
	p.Scopes = map[string][]string{"anna": {"IT", "OPS"}}
	p.Delegations = []DelegationView{{From: "anna", To: "alice", Start: "2026-12-01T00:00:00Z", End: "2026-12-15T00:00:00Z"}}
	got, err := a.SetApprovalPolicy(p)
	if err != nil {
		t.Fatal(err)
	}
	if got.SecondApproverAbove != "5000.00" || got.EscalateAfterHours != 48 || len(got.Rules) != 1 || got.Rules[0].MinAmount != "1000" ||
		got.Rules[0].MaxAmount != "" || got.Rules[0].ApproverRoles[0] != "admin" || len(got.Scopes["anna"]) != 2 ||
		len(got.Delegations) != 1 || got.Delegations[0].End != "2026-12-15T00:00:00Z" {
		t.Fatalf("stored: %+v", got)
	}
	bad := []struct {
		name string
		mut  func(*PolicyView)
		msg  string
	}{
		{"threshold not a number", func(p *PolicyView) { p.SecondApproverAbove = "lots" }, "second-approver threshold"},
		{"rule amount", func(p *PolicyView) { p.Rules[0].MaxAmount = "1,000" }, "rule 1 maximum amount"},
		{"unknown role", func(p *PolicyView) { p.Rules[0].ApproverRoles = []string{"boss"} }, "not a role"},
		{"no levels", func(p *PolicyView) { p.DefaultLevels = 0 }, "default levels"},
		{"delegation time", func(p *PolicyView) { p.Delegations[0].End = "next week" }, "delegation 1"},
		{"rule id twice", func(p *PolicyView) { p.Rules = append(p.Rules, p.Rules[0]) }, "id used twice"},
	}
	for _, c := range bad {
		q := got
		q.Rules = append([]RuleView(nil), got.Rules...)
		q.Delegations = append([]DelegationView(nil), got.Delegations...)
		c.mut(&q)
		if _, err := a.SetApprovalPolicy(q); code(err) != "invalid_input" || !strings.Contains(PublicError(err).Message, c.msg) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	if again, _ := a.GetApprovalPolicy(); again.SecondApproverAbove != "5000.00" {
		t.Fatalf("a refused change was stored: %+v", again)
	}
}

func TestRetentionAndLegalHold(t *testing.T) {
	a, _, _, _ := newApp(t)
	if _, err := a.Setup(SetupRequest{AdminName: "alice", Password: pw}); err != nil {
		t.Fatal(err)
	}
	v, err := a.AddVendor(VendorInput{Name: "Held Vendor"})
	if err != nil {
		t.Fatal(err)
	}
	if r, err := a.RunRetention(10, true); err != nil || !r.DryRun || r.Purged == nil || r.Held == nil || len(r.Purged) != 0 {
		t.Fatalf("dry run: %+v %v", r, err)
	}
	for _, years := range []int{0, -1, MaxRetentionYears + 1} {
		if _, err := a.RunRetention(years, true); code(err) != "invalid_input" {
			t.Errorf("%d years: %v", years, err)
		}
	}
	if err := a.SetLegalHold(v.ID, "tax audit 2026", true); err != nil {
		t.Fatalf("hold a vendor: %v", err)
	}
	if err := a.SetLegalHold(v.ID, "", false); err != nil {
		t.Fatalf("lift: %v", err)
	}
	if err := a.SetLegalHold("no-such-thing", "x", true); code(err) != "not_found" {
		t.Errorf("unknown target: %v", err)
	}
	if err := a.SetLegalHold(v.ID, " ", true); code(err) != "invalid_input" {
		t.Errorf("no reason: %v", err)
	}
	if err := a.SetLegalHold("  ", "x", true); code(err) != "invalid_input" {
		t.Errorf("no target: %v", err)
	}
}

// Settings are for admins: core refuses everyone else, and a refused
// SetLLMSettings stores no key.
func TestSettingsRefusedToOthers(t *testing.T) {
	a, _ := team(t) // carl, a clerk
	calls := map[string]func() error{
		"GetLLMSettings": func() error { _, err := a.GetLLMSettings(); return err },
		"SetLLMSettings": func() error {
			_, err := a.SetLLMSettings(LLMSettingsInput{Provider: "openai", APIKey: testAPIKey})
			return err
		},
		"GetApprovalPolicy": func() error { _, err := a.GetApprovalPolicy(); return err },
		"SetApprovalPolicy": func() error {
			_, err := a.SetApprovalPolicy(PolicyView{DefaultLevels: 1, SecondApproverAbove: "1", Currency: "EUR"})
			return err
		},
		"RunRetention": func() error { _, err := a.RunRetention(10, false); return err },
		"SetLegalHold": func() error { return a.SetLegalHold("x", "r", true) },
	}
	for _, user := range []struct{ name, pw string }{{"carl", "clerk password 99"}, {"anna", "approver password"}} {
		if _, err := a.Unlock(user.name, user.pw); err != nil {
			t.Fatal(err)
		}
		for name, call := range calls {
			if c := code(call()); c != "forbidden" {
				t.Errorf("%s as %s: code %q", name, user.name, c)
			}
		}
	}
	if _, err := a.Unlock("alice", pw); err != nil {
		t.Fatal(err)
	}
	if st, err := a.GetLLMSettings(); err != nil || st.HasKey {
		t.Fatalf("a refused call stored the key: %+v %v", st, err)
	}
}
