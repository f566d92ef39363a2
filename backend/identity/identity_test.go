package identity

import (
	"errors"
	"strings"
	"testing"
)

func TestParseRole(t *testing.T) {
	for in, want := range map[string]Role{"clerk": Clerk, " Approver ": Approver, "ADMIN": Admin, "auditor": Auditor} {
		if got, err := ParseRole(in); err != nil || got != want {
			t.Errorf("ParseRole(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseRole("root"); !errors.Is(err, ErrInvalidRole) {
		t.Errorf("unknown role: %v", err)
	}
}

func TestNormalizeName(t *testing.T) {
	for in, want := range map[string]string{"Alice": "alice", " bob.smith@x ": "bob.smith@x", "jörg-1": "jörg-1"} {
		if got, err := NormalizeName(in); err != nil || got != want {
			t.Errorf("NormalizeName(%q) = %q, %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "a b", "../x", "a\x00b", strings.Repeat("a", 65), "<script>"} {
		if _, err := NormalizeName(bad); !errors.Is(err, ErrInvalidName) {
			t.Errorf("NormalizeName(%q) accepted", bad)
		}
	}
}

func TestCheckPassword(t *testing.T) {
	if err := CheckPassword([]byte("123456789")); !errors.Is(err, ErrWeakPassword) {
		t.Error("9 characters accepted")
	}
	if err := CheckPassword([]byte("äöüäöüäöüä")); err != nil {
		t.Errorf("10 non-ASCII characters refused: %v", err)
	}
	if err := CheckPassword([]byte(strings.Repeat("x", MaxPasswordLen+1))); !errors.Is(err, ErrWeakPassword) {
		t.Error("over-long password accepted")
	}
}

// The matrix holds the separation the roles promise: only admins manage
// users, auditors and approvers change nothing in the master data, and
// every decision names its rule.
func TestPermissionMatrix(t *testing.T) {
	writes := []Action{UserAdd, VendorAdd, VendorSetBank, InvoiceImport, POAdd, ReceiptAdd}
	for _, a := range writes {
		for _, r := range []Role{Auditor, Approver} {
			if ok, rule := Can(r, a); ok || rule == "" {
				t.Errorf("%s may %s (rule %q)", r, a, rule)
			}
		}
	}
	if ok, _ := Can(Clerk, UserAdd); ok {
		t.Error("clerks may add users")
	}
	for _, a := range []Action{AuditList, AuditVerify} {
		if ok, _ := Can(Auditor, a); !ok {
			t.Errorf("auditor may not %s", a)
		}
		if ok, _ := Can(Clerk, a); ok {
			t.Errorf("clerk may %s", a)
		}
	}
	// Only admins manage accounts; auditors may see the legal holds.
	for _, tc := range []struct {
		action Action
		roles  []Role
	}{
		{UserSetRole, []Role{Admin}},
		{UserDisable, []Role{Admin}},
		{UserEnable, []Role{Admin}},
		{HoldList, []Role{Admin, Auditor}},
	} {
		for _, r := range Roles {
			want := false
			for _, allowed := range tc.roles {
				want = want || r == allowed
			}
			if ok, rule := Can(r, tc.action); ok != want || rule == "" {
				t.Errorf("Can(%s, %s) = %v (rule %q), want %v", r, tc.action, ok, rule, want)
			}
		}
	}
	if ok, _ := Can(Role("ghost"), VendorList); ok {
		t.Error("unknown role allowed")
	}
}
