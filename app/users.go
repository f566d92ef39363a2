package app

import (
	"strings"
	"time"

	"github.com/smartap/desktop/backend/core"
	"github.com/smartap/desktop/backend/identity"
)

// The account and settings bindings beyond adding users. Core refuses
// each to anyone but an admin (an auditor may list legal holds); the
// window hides them too, but that is only a convenience.

// LockRoleChanged is the session:locked reason after an admin changed
// their own role: the window asks to unlock again, with the new role.
const LockRoleChanged = "role_changed"

// SetUserRole gives a user another role. Changing your own role locks the
// session, so the window never goes on with a role the user lost.
func (a *App) SetUserRole(name, role string) (UserView, error) {
	_, s, err := a.sessionFor()
	if err != nil {
		return UserView{}, err
	}
	ctx, cancel := callCtx()
	defer cancel()
	u, err := s.SetUserRole(ctx, strings.TrimSpace(name), identity.Role(role)) // core checks the role
	if s.Locked() {
		a.lock(LockRoleChanged) // stops sync and tells the window
	}
	if err != nil {
		return UserView{}, err
	}
	return userView(u), nil
}

// SetUserDisabled disables a user (they can no longer unlock) or enables
// them again. Admins cannot disable themselves or the last admin.
func (a *App) SetUserDisabled(name string, disabled bool) (UserView, error) {
	_, s, err := a.sessionFor()
	if err != nil {
		return UserView{}, err
	}
	ctx, cancel := callCtx()
	defer cancel()
	u, err := s.SetUserDisabled(ctx, strings.TrimSpace(name), disabled)
	if err != nil {
		return UserView{}, err
	}
	return userView(u), nil
}

// ListLegalHolds lists the current legal holds, oldest first.
func (a *App) ListLegalHolds() ([]LegalHoldView, error) {
	_, s, err := a.sessionFor()
	if err != nil {
		return nil, err
	}
	ctx, cancel := callCtx()
	defer cancel()
	hs, err := s.LegalHolds(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]LegalHoldView, 0, len(hs))
	for _, h := range hs {
		out = append(out, LegalHoldView{Target: h.Target, Kind: h.Kind, Label: h.Label, Reason: h.Reason,
			CreatedAt: h.CreatedAt.UTC().Format(time.RFC3339)})
	}
	return out, nil
}

// DeleteLLMKey removes the model helper's API key from the OS keychain;
// the other AI settings stay.
func (a *App) DeleteLLMKey() (LLMSettingsView, error) {
	_, s, err := a.sessionFor()
	if err != nil {
		return LLMSettingsView{}, err
	}
	ctx, cancel := callCtx()
	defer cancel()
	st, err := s.DeleteLLMKey(ctx)
	if err != nil {
		return LLMSettingsView{}, err
	}
	return llmView(st), nil
}

// LegalHoldView is one legal hold as the retention settings list it.
type LegalHoldView struct {
	Target    string `json:"target"`     // invoice or vendor id
	Kind      string `json:"kind"`       // invoice, vendor, or "" when the target no longer exists
	Label     string `json:"label"`      // invoice number and seller, or vendor name
	Reason    string `json:"reason"`     // as typed when the hold was placed
	CreatedAt string `json:"created_at"` // RFC 3339
}

func userView(u core.UserInfo) UserView {
	return UserView{ID: u.ID, Name: u.Name, Role: string(u.Role), CreatedAt: u.CreatedAt.Format(time.RFC3339), Disabled: u.Disabled}
}
