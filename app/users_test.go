package app

import (
	"strings"
	"testing"
)

func init() {
	moreSecretChecks["users"] = func(t *testing.T, a *App) (map[string]any, []string) {
		out := map[string]any{}
		// Unchanged role and state: the checks of the other bindings still
		// find carl as they left him.
		u, err := a.SetUserRole("carl", "clerk")
		out["SetUserRole"] = orError(u, err)
		u2, err := a.SetUserDisabled("carl", false)
		out["SetUserDisabled"] = orError(u2, err)
		hs, err := a.ListLegalHolds()
		out["ListLegalHolds"] = orError(hs, err)
		st, err := a.DeleteLLMKey()
		out["DeleteLLMKey"] = orError(st, err)
		return out, nil
	}
}

func TestUserBindings(t *testing.T) {
	a, _ := team(t) // carl (clerk) is unlocked
	if _, err := a.SetUserRole("anna", "admin"); code(err) != "forbidden" {
		t.Fatalf("clerk set role: %v", err)
	}
	if _, err := a.SetUserDisabled("anna", true); code(err) != "forbidden" {
		t.Fatalf("clerk disable: %v", err)
	}
	if _, err := a.Unlock("alice", pw); err != nil {
		t.Fatal(err)
	}
	u, err := a.SetUserRole(" carl ", "approver")
	if err != nil || u.Name != "carl" || u.Role != "approver" || u.Disabled {
		t.Fatalf("set role: %+v %v", u, err)
	}
	if _, err := a.SetUserRole("carl", "boss"); code(err) != "invalid_input" {
		t.Fatalf("unknown role: %v", err)
	}
	if _, err := a.SetUserRole("alice", "clerk"); code(err) != "conflict" ||
		!strings.Contains(PublicError(err).Message, "last enabled administrator") {
		t.Fatalf("demote the last admin: %v", err)
	}
	if _, err := a.SetUserDisabled("alice", true); code(err) != "forbidden" ||
		!strings.Contains(PublicError(err).Message, "your own account") {
		t.Fatalf("disable self: %v", err)
	}
	if u, err = a.SetUserDisabled("carl", true); err != nil || !u.Disabled {
		t.Fatalf("disable: %+v %v", u, err)
	}
	us, err := a.ListUsers()
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range us {
		if (u.Name == "carl") != u.Disabled {
			t.Errorf("listed: %+v", u)
		}
	}
	// A disabled user's right password gets the answer of a wrong one.
	_, errDisabled := a.Unlock("carl", "clerk password 99")
	_, errWrong := a.Unlock("anna", "not anna's password")
	if PublicError(errDisabled) != PublicError(errWrong) || code(errDisabled) != "forbidden" {
		t.Fatalf("disabled %+v, wrong password %+v", PublicError(errDisabled), PublicError(errWrong))
	}
	if _, err := a.Unlock("alice", pw); err != nil {
		t.Fatal(err)
	}
	if _, err := a.SetUserDisabled("carl", false); err != nil {
		t.Fatal(err)
	}
	a.Lock()
	for name, call := range map[string]func() error{
		"SetUserRole":     func() error { _, err := a.SetUserRole("carl", "clerk"); return err },
		"SetUserDisabled": func() error { _, err := a.SetUserDisabled("carl", true); return err },
		"ListLegalHolds":  func() error { _, err := a.ListLegalHolds(); return err },
		"DeleteLLMKey":    func() error { _, err := a.DeleteLLMKey(); return err },
	} {
		if c := code(call()); c != "locked" {
			t.Errorf("%s without a session: %q", name, c)
		}
	}
	if _, err := a.Unlock("carl", "clerk password 99"); err != nil {
		t.Fatalf("unlock after re-enabling: %v", err)
	}
}

// An admin stepping down is locked out of the admin session at once.
func TestOwnRoleChangeLocksTheWindow(t *testing.T) {
	a, ev := team(t)
	if _, err := a.Unlock("alice", pw); err != nil {
		t.Fatal(err)
	}
	if _, err := a.SetUserRole("anna", "admin"); err != nil {
		t.Fatal(err)
	}
	if u, err := a.SetUserRole("alice", "clerk"); err != nil || u.Role != "clerk" {
		t.Fatalf("step down: %+v %v", u, err)
	}
	if st, err := a.State(); err != nil || !st.Locked || st.Session != nil {
		t.Fatalf("state after stepping down: %+v %v", st, err)
	}
	if got := ev.list(); len(got) == 0 || got[len(got)-1] != EventLocked+` {"reason":"role_changed"}` {
		t.Fatalf("events: %v", got)
	}
	si, err := a.Unlock("alice", pw)
	if err != nil || si.Role != "clerk" {
		t.Fatalf("unlock with the new role: %+v %v", si, err)
	}
}

func TestLegalHoldsAndKeyRemoval(t *testing.T) {
	a, _, _, _ := newApp(t)
	if _, err := a.Setup(SetupRequest{AdminName: "alice", Password: pw}); err != nil {
		t.Fatal(err)
	}
	if hs, err := a.ListLegalHolds(); err != nil || hs == nil || len(hs) != 0 {
		t.Fatalf("no holds: %#v %v", hs, err)
	}
	v, err := a.AddVendor(VendorInput{Name: "Held GmbH"})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.SetLegalHold(v.ID, "tax audit", true); err != nil {
		t.Fatal(err)
	}
	hs, err := a.ListLegalHolds()
	if err != nil || len(hs) != 1 || hs[0] != (LegalHoldView{Target: v.ID, Kind: "vendor", Label: "Held GmbH", Reason: "tax audit",
		CreatedAt: "2026-11-28T09:00:00Z"}) {
		t.Fatalf("holds: %+v %v", hs, err)
	}
	in := LLMSettingsInput{Provider: "openai", Model: "gpt-4o-mini", APIKey: testAPIKey}
	if st, err := a.SetLLMSettings(in); err != nil || !st.HasKey {
		t.Fatalf("store key: %+v %v", st, err)
	}
	st, err := a.DeleteLLMKey()
	if err != nil || st.HasKey || st.Model != "gpt-4o-mini" {
		t.Fatalf("remove key: %+v %v", st, err)
	}
	if st, err = a.GetLLMSettings(); err != nil || st.HasKey {
		t.Fatalf("read back: %+v %v", st, err)
	}
}
