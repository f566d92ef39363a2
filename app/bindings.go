package app

import (
	"context"
	"time"

	"github.com/smartap/desktop/backend/core"
	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/backend/secret"
	"github.com/smartap/desktop/backend/vendor"
)

// Bound methods get a fresh context: Wails gives none per call, and the
// runtime context must not be cancelled by a slow call.
func callCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), time.Minute)
}

// State tells the window which screen to show. It needs no session and
// reveals nothing sealed.
func (a *App) State() (AppState, error) {
	c, err := a.opened()
	if err != nil {
		return AppState{}, err
	}
	ctx, cancel := callCtx()
	defer cancel()
	init, err := c.Initialized(ctx)
	if err != nil {
		return AppState{}, err
	}
	st := AppState{Initialized: init, Locked: true, LastUser: c.LastUser(ctx), DataDir: c.DataDir(),
		IdleMinutes: int(a.cfg.Idle / time.Minute)}
	a.mu.Lock()
	if a.session != nil {
		u := a.session.User()
		st.Locked, st.Session = false, &SessionInfo{UserID: u.ID, Name: u.Name, Role: string(u.Role)}
	}
	a.mu.Unlock()
	return st, nil
}

// Setup creates the data folder's keys and first administrator and unlocks
// it. The recovery key in the result is shown once; it cannot be fetched again.
func (a *App) Setup(req SetupRequest) (SetupResult, error) {
	c, err := a.opened()
	if err != nil {
		return SetupResult{}, err
	}
	ctx, cancel := callCtx()
	defer cancel()
	pw := secret.NewPassword(req.Password)
	defer pw.Wipe()
	s, rk, err := c.Init(ctx, req.AdminName, pw)
	if err != nil {
		return SetupResult{}, err
	}
	a.setSession(s)
	return SetupResult{RecoveryKey: rk, Session: sessionInfo(s)}, nil
}

// Unlock opens the data folder for a user.
func (a *App) Unlock(name, password string) (SessionInfo, error) {
	c, err := a.opened()
	if err != nil {
		return SessionInfo{}, err
	}
	ctx, cancel := callCtx()
	defer cancel()
	pw := secret.NewPassword(password)
	defer pw.Wipe()
	s, err := c.Unlock(ctx, name, pw)
	if err != nil {
		return SessionInfo{}, err
	}
	a.setSession(s)
	return sessionInfo(s), nil
}

// Lock locks the session now (the "Lock" button and logout).
func (a *App) Lock() {
	a.lock("logout")
}

// Touch records user activity so the idle lock waits.
func (a *App) Touch() {
	_, _, _ = a.sessionFor()
}

// ListUsers lists local users (admins and auditors).
func (a *App) ListUsers() ([]UserView, error) {
	_, s, err := a.sessionFor()
	if err != nil {
		return nil, err
	}
	ctx, cancel := callCtx()
	defer cancel()
	us, err := s.Users(ctx)
	out := make([]UserView, 0, len(us))
	for _, u := range us {
		out = append(out, userView(u))
	}
	return out, err
}

// AddUser adds a local user (admins).
func (a *App) AddUser(name, role, password string) (UserView, error) {
	_, s, err := a.sessionFor()
	if err != nil {
		return UserView{}, err
	}
	ctx, cancel := callCtx()
	defer cancel()
	pw := secret.NewPassword(password)
	defer pw.Wipe()
	u, err := s.AddUser(ctx, name, identity.Role(role), pw)
	if err != nil {
		return UserView{}, err
	}
	return userView(u), nil
}

// ListVendors lists the vendor master.
func (a *App) ListVendors() ([]VendorView, error) {
	_, s, err := a.sessionFor()
	if err != nil {
		return nil, err
	}
	ctx, cancel := callCtx()
	defer cancel()
	vs, err := s.Vendors(ctx)
	out := make([]VendorView, 0, len(vs))
	for _, v := range vs {
		out = append(out, vendorView(v))
	}
	return out, err
}

// AddVendor adds a vendor.
func (a *App) AddVendor(in VendorInput) (VendorView, error) {
	_, s, err := a.sessionFor()
	if err != nil {
		return VendorView{}, err
	}
	ctx, cancel := callCtx()
	defer cancel()
	v, err := s.AddVendor(ctx, vendor.Input{Name: in.Name, VATID: in.VATID, Country: in.Country,
		Bank: vendor.BankDetails{IBAN: in.IBAN, BIC: in.BIC}})
	if err != nil {
		return VendorView{}, err
	}
	return vendorView(v), nil
}

// ListInvoices lists invoices; status "" lists all.
func (a *App) ListInvoices(status string) ([]InvoiceSummary, error) {
	_, s, err := a.sessionFor()
	if err != nil {
		return nil, err
	}
	ctx, cancel := callCtx()
	defer cancel()
	is, err := s.Invoices(ctx, status)
	out := make([]InvoiceSummary, 0, len(is))
	for _, i := range is {
		out = append(out, InvoiceSummary(i))
	}
	return out, err
}

func sessionInfo(s *core.Session) SessionInfo {
	u := s.User()
	return SessionInfo{UserID: u.ID, Name: u.Name, Role: string(u.Role)}
}

func vendorView(v vendor.Vendor) VendorView {
	out := VendorView{ID: v.ID, Name: v.Name, VATID: v.VATID, IBAN: v.Bank.IBAN, BIC: v.Bank.BIC, Country: v.Country,
		CreatedAt: v.CreatedAt.Format(time.RFC3339)}
	if !v.BankChangedAt.IsZero() {
		out.BankChanged = v.BankChangedAt.Format(time.RFC3339)
	}
	return out
}
