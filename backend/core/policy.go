package core

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/approval"
	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/backend/store"
)

const metaApproval = "settings.approval"

// PolicySettings is the approval policy an admin sets: routing rules,
// levels, the second-approver threshold, escalation, each user's
// cost-centre scope and time-boxed delegations.
type PolicySettings struct {
	Rules               []approval.Rule     `json:"rules"`
	DefaultLevels       int                 `json:"default_levels"`
	SecondApproverAbove decimal.Decimal     `json:"second_approver_above"`
	Currency            string              `json:"currency"`
	EscalateAfterHours  int                 `json:"escalate_after_hours"`
	Scopes              map[string][]string `json:"scopes"` // user name → cost centres
	Delegations         []DelegationSetting `json:"delegations"`
}

// DelegationSetting lends From's approval authority to To for a window.
type DelegationSetting struct {
	From  string    `json:"from"`
	To    string    `json:"to"`
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// DefaultPolicy is in force until an admin sets one: one approver, a
// second above 10,000 EUR, escalation after 3 days.
func DefaultPolicy() PolicySettings {
	return PolicySettings{DefaultLevels: 1, SecondApproverAbove: decimal.MustParse("10000"), Currency: "EUR",
		EscalateAfterHours: 72, Scopes: map[string][]string{}, Rules: []approval.Rule{}, Delegations: []DelegationSetting{}}
}

func readPolicy(tx *store.Tx) (PolicySettings, error) {
	b, err := tx.SealedMeta(metaApproval)
	if errors.Is(err, store.ErrNoMeta) {
		return DefaultPolicy(), nil
	}
	if err != nil {
		return PolicySettings{}, err
	}
	p := DefaultPolicy()
	return p, json.Unmarshal(b, &p)
}

// authz is the policy in force and the session's user as the policy sees
// it, read inside the command's transaction.
type authz struct {
	pol  approval.Policy
	user approval.User
	dels []approval.Delegation
}

func (s *Session) authz(tx *store.Tx) (authz, error) {
	ps, err := readPolicy(tx)
	if err != nil {
		return authz{}, err
	}
	pol := approval.Policy{Rules: ps.Rules, DefaultLevels: ps.DefaultLevels, SecondApproverAbove: ps.SecondApproverAbove,
		Currency: ps.Currency, EscalateAfter: time.Duration(ps.EscalateAfterHours) * time.Hour, Now: s.c.now}
	a := authz{pol: pol, user: approval.User{Name: s.user.Name, Role: s.user.Role, CostCentres: ps.Scopes[s.user.Name]}}
	users, err := tx.Users()
	if err != nil {
		return authz{}, err
	}
	roles := map[string]identity.Role{}
	for _, u := range users {
		roles[u.Name] = u.Role
	}
	for _, d := range ps.Delegations {
		from := approval.User{Name: d.From, Role: roles[d.From], CostCentres: ps.Scopes[d.From]}
		a.dels = append(a.dels, approval.Delegation{From: from, To: d.To, Start: d.Start, End: d.End})
	}
	return a, nil
}

func (a authz) canSee(r store.InvoiceRecord) bool {
	return a.pol.CanSee(a.user, approvalView(r), a.dels)
}

// Policy shows the approval policy.
func (s *Session) Policy(ctx context.Context) (PolicySettings, error) {
	var p PolicySettings
	err := s.do(ctx, identity.SettingsShow, metaApproval, func(tx *store.Tx, _ *record) error {
		var err error
		p, err = readPolicy(tx)
		return err
	})
	return p, err
}

// SetPolicy replaces the approval policy after validating it.
func (s *Session) SetPolicy(ctx context.Context, p PolicySettings) error {
	return s.do(ctx, identity.SettingsSet, metaApproval, func(tx *store.Tx, rec *record) error {
		pol := approval.Policy{Rules: p.Rules, DefaultLevels: p.DefaultLevels, SecondApproverAbove: p.SecondApproverAbove,
			Currency: p.Currency, EscalateAfter: time.Duration(p.EscalateAfterHours) * time.Hour}
		if err := pol.Validate(); err != nil {
			return invalid(err)
		}
		for _, d := range p.Delegations {
			if d.From == "" || d.To == "" || d.From == d.To || !d.End.After(d.Start) {
				return apperr.New(apperr.InvalidInput, "delegation %s→%s needs two different users and an end after its start", d.From, d.To)
			}
		}
		b, err := json.Marshal(p)
		if err != nil {
			return err
		}
		rec.Reason = "approval policy changed"
		rec.After = digest(p)
		return tx.SetSealedMeta(metaApproval, b)
	})
}

// Delegate lends the session user's approval authority (or, for an admin,
// another user's) to someone for a time window.
func (s *Session) Delegate(ctx context.Context, d DelegationSetting) error {
	return s.do(ctx, identity.InvoiceApprove, "", func(tx *store.Tx, rec *record) error {
		if d.From == "" {
			d.From = s.user.Name
		}
		if d.From != s.user.Name && s.user.Role != identity.Admin {
			return apperr.New(apperr.Forbidden, "only admins delegate on behalf of someone else")
		}
		if d.Start.IsZero() {
			d.Start = s.c.now()
		}
		if d.To == "" || d.To == d.From || !d.End.After(d.Start) {
			return apperr.New(apperr.InvalidInput, "a delegation needs another user and an end after its start")
		}
		if _, err := tx.UserByName(d.To); err != nil {
			return err
		}
		p, err := readPolicy(tx)
		if err != nil {
			return err
		}
		p.Delegations = append(p.Delegations, d)
		b, err := json.Marshal(p)
		if err != nil {
			return err
		}
		rec.Reason = "delegated approval from " + d.From + " to " + d.To + " until " + d.End.Format(time.RFC3339)
		return tx.SetSealedMeta(metaApproval, b)
	})
}

// Queue is a user's approval work list, with what is overdue and whom it
// escalates to.
type Queue struct {
	Mine      []InvoiceSummary `json:"mine"`
	Delegated []InvoiceSummary `json:"delegated"`
	Overdue   []Overdue        `json:"overdue"`
}

// Overdue is an invoice waiting too long and who should be told.
type Overdue struct {
	InvoiceSummary
	Waited string   `json:"waited"`
	Notify []string `json:"notify"`
}

// ApprovalQueue lists what the user can approve now.
func (s *Session) ApprovalQueue(ctx context.Context) (Queue, error) {
	q := Queue{Mine: []InvoiceSummary{}, Delegated: []InvoiceSummary{}, Overdue: []Overdue{}}
	err := s.do(ctx, identity.InvoiceList, "", func(tx *store.Tx, _ *record) error {
		a, err := s.authz(tx)
		if err != nil {
			return err
		}
		rs, err := tx.Invoices("ready_for_approval")
		if err != nil {
			return err
		}
		views, byID := make([]approval.Invoice, 0, len(rs)), map[string]store.InvoiceRecord{}
		for _, r := range rs {
			views, byID[r.ID] = append(views, approvalView(r)), r
		}
		all, err := tx.Users()
		if err != nil {
			return err
		}
		users := make([]approval.User, 0, len(all))
		for _, u := range all {
			users = append(users, approval.User{Name: u.Name, Role: u.Role})
		}
		aq := a.pol.QueueFor(a.user, views, a.dels)
		for _, id := range aq.Mine {
			q.Mine = append(q.Mine, summarize(byID[id]))
		}
		for _, id := range aq.Delegated {
			q.Delegated = append(q.Delegated, summarize(byID[id]))
		}
		for _, id := range aq.Overdue {
			esc := a.pol.Escalate(approvalView(byID[id]), users)
			q.Overdue = append(q.Overdue, Overdue{InvoiceSummary: summarize(byID[id]), Waited: esc.Waited.Round(time.Minute).String(), Notify: esc.Notify})
		}
		return nil
	})
	return q, err
}
