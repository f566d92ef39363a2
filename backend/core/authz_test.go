package core

import (
	"testing"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/audit"
	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/backend/secret"
	"github.com/smartap/desktop/backend/vendor"
)

// Every authorization decision, allowed and denied, lands in the audit trail
// with actor, action, decision and rule (checklist #32).
func TestAuthorizationIsEnforcedAndAudited(t *testing.T) {
	e := newEnv(t)
	c, admin, _ := e.initAdmin(t)
	for _, u := range []struct {
		name string
		role identity.Role
	}{{"carl", identity.Clerk}, {"anna", identity.Approver}, {"otto", identity.Auditor}} {
		if _, err := admin.AddUser(ctx, u.name, u.role, secret.NewPassword("password of "+u.name)); err != nil {
			t.Fatal(err)
		}
	}
	sessions := map[identity.Role]*Session{identity.Admin: admin}
	for name, role := range map[string]identity.Role{"carl": identity.Clerk, "anna": identity.Approver, "otto": identity.Auditor} {
		s, err := c.Unlock(ctx, name, secret.NewPassword("password of "+name))
		if err != nil {
			t.Fatal(err)
		}
		sessions[role] = s
	}
	calls := map[identity.Action]func(s *Session) error{
		identity.UserAdd: func(s *Session) error {
			_, err := s.AddUser(ctx, "newbie"+string(s.user.Role), identity.Clerk, secret.NewPassword("a fine password"))
			return err
		},
		identity.UserList: func(s *Session) error { _, err := s.Users(ctx); return err },
		identity.VendorAdd: func(s *Session) error {
			_, err := s.AddVendor(ctx, vendor.Input{Name: "V " + string(s.user.Role)})
			return err
		},
		identity.VendorList: func(s *Session) error { _, err := s.Vendors(ctx); return err },
		identity.AuditList:  func(s *Session) error { _, err := s.AuditLog(ctx); return err },
	}
	for role, s := range sessions {
		for action, call := range calls {
			want, _ := identity.Can(role, action)
			err := call(s)
			if want && err != nil {
				t.Errorf("%s %s: %v", role, action, err)
			}
			if !want && apperr.CodeOf(err) != apperr.Forbidden {
				t.Errorf("%s %s: want forbidden, got %v", role, action, err)
			}
			assertLastAudit(t, admin, s.user.Name, string(action), map[bool]audit.Decision{true: audit.Allowed, false: audit.Denied}[want])
		}
	}
}

func assertLastAudit(t *testing.T, admin *Session, actor, action string, d audit.Decision) {
	t.Helper()
	entries, err := admin.AuditLog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// AuditLog reads before it appends its own entry, so the last entry
	// returned is the call under test.
	if len(entries) > 0 {
		e := entries[len(entries)-1]
		if e.Actor != actor || e.Action != action || e.Decision != d || e.Rule == "" {
			t.Errorf("last entry %+v, want %s %s %s", e, actor, action, d)
		}
		return
	}
	t.Errorf("no audit entry for %s %s", actor, action)
}

func TestFailedUnlocksReachTheAuditTrail(t *testing.T) {
	e := newEnv(t)
	c, s, _ := e.initAdmin(t)
	s.Lock()
	_, _ = c.Unlock(ctx, "alice", secret.NewPassword("wrong wrong wrong"))
	_, _ = c.Unlock(ctx, "nobody", secret.NewPassword("wrong wrong wrong"))
	s, err := c.Unlock(ctx, "alice", secret.NewPassword(adminPW))
	if err != nil {
		t.Fatal(err)
	}
	entries, err := s.AuditLog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var denied []string
	for _, e := range entries {
		if e.Action == "session.unlock" && e.Decision == audit.Denied {
			denied = append(denied, e.Actor)
		}
	}
	if len(denied) != 2 || denied[0] != "alice" || denied[1] != "nobody" {
		t.Fatalf("denied unlocks in audit: %v", denied)
	}
}
