package core

import (
	"errors"
	"testing"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/audit"
	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/backend/secret"
)

// staff sets up alice (admin) with carl (clerk) and otto (auditor).
func staff(t *testing.T) (*Core, *Session, string) {
	t.Helper()
	e := newEnv(t)
	c, admin, rk := e.initAdmin(t)
	for name, role := range map[string]identity.Role{"carl": identity.Clerk, "otto": identity.Auditor} {
		if _, err := admin.AddUser(ctx, name, role, secret.NewPassword("password of "+name)); err != nil {
			t.Fatal(err)
		}
	}
	return c, admin, rk
}

func userByName(t *testing.T, s *Session, name string) UserInfo {
	t.Helper()
	us, err := s.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range us {
		if u.Name == name {
			return u
		}
	}
	t.Fatalf("no user %s in %+v", name, us)
	return UserInfo{}
}

func TestSetUserRole(t *testing.T) {
	c, admin, _ := staff(t)
	u, err := admin.SetUserRole(ctx, " Carl ", "Approver")
	if err != nil || u.Name != "carl" || u.Role != identity.Approver {
		t.Fatalf("set role: %+v %v", u, err)
	}
	assertLastAudit(t, admin, "alice", string(identity.UserSetRole), audit.Allowed)
	if got := userByName(t, admin, "carl"); got.Role != identity.Approver {
		t.Fatalf("listed after the change: %+v", got)
	}
	// The new role holds from the next unlock on.
	carl, err := c.Unlock(ctx, "carl", secret.NewPassword("password of carl"))
	if err != nil || carl.User().Role != identity.Approver {
		t.Fatalf("unlock after the change: %+v %v", carl, err)
	}
	for _, tc := range []struct {
		name, role string
		code       apperr.Code
	}{
		{"carl", "boss", apperr.InvalidInput},
		{"nobody", "clerk", apperr.NotFound},
		{"a b", "clerk", apperr.InvalidInput},
	} {
		if _, err := admin.SetUserRole(ctx, tc.name, identity.Role(tc.role)); apperr.CodeOf(err) != tc.code {
			t.Errorf("SetUserRole(%q, %q): %v, want %s", tc.name, tc.role, err, tc.code)
		}
	}
	// Only admins: an auditor and a (former clerk now) approver are refused and audited.
	otto, err := c.Unlock(ctx, "otto", secret.NewPassword("password of otto"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []*Session{otto, carl} {
		if _, err := s.SetUserRole(ctx, s.User().Name, identity.Admin); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("%s promoted themselves: %v", s.User().Name, err)
		}
		assertLastAudit(t, admin, s.User().Name, string(identity.UserSetRole), audit.Denied)
	}
}

func TestLastAdminIsKept(t *testing.T) {
	c, admin, _ := staff(t)
	if _, err := admin.SetUserRole(ctx, "alice", identity.Clerk); !errors.Is(err, ErrLastAdmin) || apperr.CodeOf(err) != apperr.Conflict {
		t.Fatalf("demoting the last admin: %v", err)
	}
	assertLastAudit(t, admin, "alice", string(identity.UserSetRole), audit.Denied)
	if admin.Locked() || userByName(t, admin, "alice").Role != identity.Admin {
		t.Fatal("a refused demotion changed something")
	}
	// With a second admin, alice may step down; her session then locks so
	// it cannot go on with the admin role.
	if _, err := admin.SetUserRole(ctx, "otto", identity.Admin); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.SetUserRole(ctx, "alice", identity.Clerk); err != nil {
		t.Fatalf("demoting one of two admins: %v", err)
	}
	if !admin.Locked() {
		t.Fatal("the session kept a role its user no longer has")
	}
	if _, err := admin.Users(ctx); !errors.Is(err, ErrSessionLocked) {
		t.Fatalf("use after own demotion: %v", err)
	}
	otto, err := c.Unlock(ctx, "otto", secret.NewPassword("password of otto"))
	if err != nil {
		t.Fatal(err)
	}
	// otto is now the last enabled admin.
	if _, err := otto.SetUserRole(ctx, "otto", identity.Auditor); !errors.Is(err, ErrLastAdmin) {
		t.Fatalf("demoting the last admin: %v", err)
	}
	// A disabled admin does not count: re-promote alice, disable her, and
	// otto is still the last enabled one.
	if _, err := otto.SetUserRole(ctx, "alice", identity.Admin); err != nil {
		t.Fatal(err)
	}
	if _, err := otto.SetUserDisabled(ctx, "alice", true); err != nil {
		t.Fatal(err)
	}
	if _, err := otto.SetUserRole(ctx, "otto", identity.Clerk); !errors.Is(err, ErrLastAdmin) {
		t.Fatalf("a disabled admin counted as a remaining one: %v", err)
	}
}

func TestDisableUser(t *testing.T) {
	c, admin, rk := staff(t)
	u, err := admin.SetUserDisabled(ctx, "carl", true)
	if err != nil || !u.Disabled || u.Role != identity.Clerk {
		t.Fatalf("disable: %+v %v", u, err)
	}
	assertLastAudit(t, admin, "alice", string(identity.UserDisable), audit.Allowed)
	if !userByName(t, admin, "carl").Disabled {
		t.Fatal("the list does not show carl disabled")
	}
	// A disabled user with the right password gets the very answer of a
	// wrong password.
	_, errDisabled := c.Unlock(ctx, "carl", secret.NewPassword("password of carl"))
	_, errWrong := c.Unlock(ctx, "otto", secret.NewPassword("not otto's password"))
	cd, md, _ := apperr.Public(errDisabled)
	cw, mw, _ := apperr.Public(errWrong)
	if !errors.Is(errDisabled, ErrBadCredentials) || cd != cw || md != mw {
		t.Fatalf("disabled user: %s %q, wrong password: %s %q", cd, md, cw, mw)
	}
	// Nor does the recovery key reopen the account.
	if _, err := c.Recover(ctx, "carl", rk, secret.NewPassword("a brand new password")); !errors.Is(err, ErrUserDisabled) {
		t.Fatalf("recovery of a disabled user: %v", err)
	}
	if _, err := admin.SetUserDisabled(ctx, "carl", false); err != nil {
		t.Fatal(err)
	}
	assertLastAudit(t, admin, "alice", string(identity.UserEnable), audit.Allowed)
	if _, err := c.Unlock(ctx, "carl", secret.NewPassword("password of carl")); err != nil {
		t.Fatalf("unlock after re-enabling: %v", err)
	}
}

func TestDisableRefusals(t *testing.T) {
	c, admin, _ := staff(t)
	if _, err := admin.SetUserDisabled(ctx, "alice", true); !errors.Is(err, ErrDisableSelf) || apperr.CodeOf(err) != apperr.Forbidden {
		t.Fatalf("disabling oneself: %v", err)
	}
	assertLastAudit(t, admin, "alice", string(identity.UserDisable), audit.Denied)
	if _, err := admin.SetUserDisabled(ctx, "ghost", true); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("unknown user: %v", err)
	}
	carl, err := c.Unlock(ctx, "carl", secret.NewPassword("password of carl"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := carl.SetUserDisabled(ctx, "otto", true); apperr.CodeOf(err) != apperr.Forbidden {
		t.Fatalf("a clerk disabled a user: %v", err)
	}
	assertLastAudit(t, admin, "carl", string(identity.UserDisable), audit.Denied)
	if userByName(t, admin, "otto").Disabled {
		t.Fatal("a refused disable changed something")
	}
}
