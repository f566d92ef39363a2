package app

import (
	"strings"
	"time"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/approval"
	"github.com/smartap/desktop/backend/core"
	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/backend/llm"
)

// The settings bindings. Core refuses every one of them to anyone but an
// admin (settings.show, settings.set, retention.run, legal_hold.set); the
// window hides them too, but that is only a convenience.

// GetLLMSettings shows the optional model helper's settings; never the key.
func (a *App) GetLLMSettings() (LLMSettingsView, error) {
	_, s, err := a.sessionFor()
	if err != nil {
		return LLMSettingsView{}, err
	}
	ctx, cancel := callCtx()
	defer cancel()
	st, err := s.LLMSettings(ctx)
	if err != nil {
		return LLMSettingsView{}, err
	}
	return llmView(st), nil
}

// SetLLMSettings changes the model helper's settings. A non-empty APIKey
// goes to the OS keychain; the answer says only whether a key is stored.
func (a *App) SetLLMSettings(in LLMSettingsInput) (LLMSettingsView, error) {
	_, s, err := a.sessionFor()
	if err != nil {
		return LLMSettingsView{}, err
	}
	ctx, cancel := callCtx()
	defer cancel()
	cfg := llm.Config{Enabled: in.Enabled, Consent: in.Consent, Provider: llm.Provider(strings.TrimSpace(in.Provider)),
		BaseURL: strings.TrimSpace(in.BaseURL), Model: strings.TrimSpace(in.Model)}
	st, err := s.SetLLMSettings(ctx, cfg, strings.TrimSpace(in.APIKey))
	if err != nil {
		return LLMSettingsView{}, err
	}
	return llmView(st), nil
}

func llmView(st core.LLMSettings) LLMSettingsView {
	return LLMSettingsView{Enabled: st.Enabled, Consent: st.Consent, Provider: string(st.Provider), BaseURL: st.BaseURL,
		Model: st.Model, HasKey: st.HasKey, TokensUsed: st.TokensUsed}
}

// GetApprovalPolicy shows the approval thresholds, routing rules, scopes
// and delegations.
func (a *App) GetApprovalPolicy() (PolicyView, error) {
	_, s, err := a.sessionFor()
	if err != nil {
		return PolicyView{}, err
	}
	ctx, cancel := callCtx()
	defer cancel()
	p, err := s.Policy(ctx)
	if err != nil {
		return PolicyView{}, err
	}
	return policyView(p), nil
}

// SetApprovalPolicy replaces the approval policy after core validates it,
// and returns it as stored.
func (a *App) SetApprovalPolicy(in PolicyView) (PolicyView, error) {
	_, s, err := a.sessionFor()
	if err != nil {
		return PolicyView{}, err
	}
	p, err := policyFromView(in)
	if err != nil {
		return PolicyView{}, err
	}
	ctx, cancel := callCtx()
	defer cancel()
	if err := s.SetPolicy(ctx, p); err != nil {
		return PolicyView{}, err
	}
	p, err = s.Policy(ctx)
	if err != nil {
		return PolicyView{}, err
	}
	return policyView(p), nil
}

func policyView(p core.PolicySettings) PolicyView {
	v := PolicyView{DefaultLevels: p.DefaultLevels, SecondApproverAbove: p.SecondApproverAbove.String(), Currency: p.Currency,
		EscalateAfterHours: p.EscalateAfterHours, Rules: make([]RuleView, 0, len(p.Rules)), Scopes: map[string][]string{},
		Delegations: make([]DelegationView, 0, len(p.Delegations))}
	for _, r := range p.Rules {
		rv := RuleView{ID: r.ID, Name: r.Name, Vendors: strs(r.Vendors), CostCentres: strs(r.CostCentres), MinRisk: int(r.MinRisk),
			Levels: r.Levels, ApproverRoles: []string{}, Approvers: strs(r.Approvers), MinAmount: dec(r.MinAmount), MaxAmount: dec(r.MaxAmount)}
		for _, role := range r.ApproverRoles {
			rv.ApproverRoles = append(rv.ApproverRoles, string(role))
		}
		v.Rules = append(v.Rules, rv)
	}
	for user, ccs := range p.Scopes {
		v.Scopes[user] = strs(ccs)
	}
	for _, d := range p.Delegations {
		v.Delegations = append(v.Delegations, DelegationView{From: d.From, To: d.To,
			Start: d.Start.UTC().Format(time.RFC3339), End: d.End.UTC().Format(time.RFC3339)})
	}
	return v
}

// policyFromView parses the form; core validates the policy as a whole.
func policyFromView(v PolicyView) (core.PolicySettings, error) {
	p := core.PolicySettings{DefaultLevels: v.DefaultLevels, Currency: strings.ToUpper(strings.TrimSpace(v.Currency)),
		EscalateAfterHours: v.EscalateAfterHours, Scopes: map[string][]string{}, Rules: []approval.Rule{},
		Delegations: []core.DelegationSetting{}}
	var err error
	if p.SecondApproverAbove, err = parseDecimal("second-approver threshold", v.SecondApproverAbove, true); err != nil {
		return p, err
	}
	for i, rv := range v.Rules {
		r := approval.Rule{ID: strings.TrimSpace(rv.ID), Name: strings.TrimSpace(rv.Name), Vendors: rv.Vendors,
			CostCentres: rv.CostCentres, MinRisk: approval.Risk(rv.MinRisk), Levels: rv.Levels, Approvers: rv.Approvers}
		if r.MinAmount, err = optionalDecimal("rule "+itoa(i+1)+" minimum amount", rv.MinAmount); err != nil {
			return p, err
		}
		if r.MaxAmount, err = optionalDecimal("rule "+itoa(i+1)+" maximum amount", rv.MaxAmount); err != nil {
			return p, err
		}
		for _, role := range rv.ApproverRoles {
			rr, err := identity.ParseRole(role)
			if err != nil {
				return p, apperr.Wrap(err, apperr.InvalidInput, "rule %d: %q is not a role", i+1, role)
			}
			r.ApproverRoles = append(r.ApproverRoles, rr)
		}
		p.Rules = append(p.Rules, r)
	}
	for user, ccs := range v.Scopes {
		p.Scopes[user] = ccs
	}
	for i, d := range v.Delegations {
		start, err1 := time.Parse(time.RFC3339, d.Start)
		end, err2 := time.Parse(time.RFC3339, d.End)
		if err1 != nil || err2 != nil {
			return p, apperr.New(apperr.InvalidInput, "delegation %d: start and end must be times such as 2026-12-01T00:00:00Z", i+1)
		}
		p.Delegations = append(p.Delegations, core.DelegationSetting{From: d.From, To: d.To, Start: start, End: end})
	}
	return p, nil
}

func optionalDecimal(field, s string) (*decimal.Decimal, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	d, err := parseDecimal(field, s, true)
	return &d, err
}

// MaxRetentionYears bounds a retention run typed in the window.
const MaxRetentionYears = 100

// RunRetention purges finished invoices issued more than keepYears ago,
// except those under a legal hold. dryRun only reports.
func (a *App) RunRetention(keepYears int, dryRun bool) (RetentionView, error) {
	_, s, err := a.sessionFor()
	if err != nil {
		return RetentionView{}, err
	}
	if keepYears < 1 || keepYears > MaxRetentionYears {
		return RetentionView{}, apperr.New(apperr.InvalidInput, "keep invoices for 1 to %d years", MaxRetentionYears)
	}
	ctx, cancel := callCtx()
	defer cancel()
	rep, err := s.RunRetention(ctx, time.Duration(keepYears)*365*24*time.Hour, dryRun)
	if err != nil {
		return RetentionView{}, err
	}
	return RetentionView{Purged: strs(rep.Purged), Held: strs(rep.Held), DryRun: rep.DryRun}, nil
}

// SetLegalHold places (on) or lifts a legal hold on an invoice or on every
// invoice of a vendor (target is a vendor id).
func (a *App) SetLegalHold(target, reason string, on bool) error {
	_, s, err := a.sessionFor()
	if err != nil {
		return err
	}
	target = strings.TrimSpace(target)
	if target == "" {
		return apperr.New(apperr.InvalidInput, "name the invoice or vendor id to hold")
	}
	ctx, cancel := callCtx()
	defer cancel()
	return s.SetLegalHold(ctx, target, strings.TrimSpace(reason), on)
}
