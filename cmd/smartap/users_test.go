package main

import (
	"strings"
	"testing"
)

func TestCLIUserRoleAndDisable(t *testing.T) {
	h := newHarness(t)
	h.mustRun("init", "--user", "alice", "--json")
	clerk := map[string]string{"SMARTAP_PASSWORD": clerkPW}
	if code := h.run("", map[string]string{"SMARTAP_NEW_PASSWORD": clerkPW}, "user", "add", "carl", "--role", "clerk", "--user", "alice"); code != 0 {
		t.Fatalf("user add: %d %s", code, h.last.stderr)
	}
	h.mustRun("user", "set-role", "carl", "Approver", "--user", "alice", "--json")
	var u map[string]any
	h.decode(&u)
	if u["name"] != "carl" || u["role"] != "approver" || u["disabled"] != false {
		t.Fatalf("set-role: %v", u)
	}
	if out := h.mustRun("user", "set-role", "carl", "clerk", "--user", "alice"); out != "carl is now clerk.\n" {
		t.Fatalf("set-role text: %q", out)
	}

	// Only admins: a clerk gets exit 3 and a JSON error.
	if code := h.run("", clerk, "user", "set-role", "carl", "admin", "--user", "carl", "--json"); code != exitAuth {
		t.Fatalf("clerk set-role: exit %d", code)
	}
	var e map[string]string
	h.decode(&e)
	if e["code"] != "forbidden" {
		t.Fatalf("clerk set-role error: %v", e)
	}
	if code := h.run("", clerk, "user", "disable", "alice", "--user", "carl"); code != exitAuth {
		t.Fatalf("clerk disable: exit %d", code)
	}

	// The last admin stays one (exit 1, conflict), and cannot disable themselves (exit 3).
	if code := h.run("", nil, "user", "set-role", "alice", "clerk", "--user", "alice", "--json"); code != exitFailed {
		t.Fatalf("demote last admin: exit %d", code)
	}
	h.decode(&e)
	if e["code"] != "conflict" || !strings.Contains(e["message"], "last enabled administrator") {
		t.Fatalf("demote last admin error: %v", e)
	}
	if code := h.run("", nil, "user", "disable", "alice", "--user", "alice"); code != exitAuth ||
		!strings.Contains(h.last.stderr, "your own account") {
		t.Fatalf("disable self: exit %d %s", code, h.last.stderr)
	}

	// Disabled: listed as such, and the right password no longer unlocks.
	if out := h.mustRun("user", "disable", "carl", "--user", "alice"); out != "carl is disabled.\n" {
		t.Fatalf("disable text: %q", out)
	}
	h.mustRun("user", "list", "--user", "alice")
	if !strings.Contains(h.last.stdout, "STATUS") || !strings.Contains(h.last.stdout, "disabled") {
		t.Fatalf("list does not show the status:\n%s", h.last.stdout)
	}
	if code := h.run("", clerk, "vendor", "list", "--user", "carl"); code != exitAuth ||
		!strings.Contains(h.last.stderr, "wrong user name or password") {
		t.Fatalf("disabled user unlocked: exit %d %s", code, h.last.stderr)
	}
	h.mustRun("user", "enable", "carl", "--user", "alice")
	if code := h.run("", clerk, "vendor", "list", "--user", "carl"); code != 0 {
		t.Fatalf("re-enabled user: exit %d %s", code, h.last.stderr)
	}

	// Usage errors: exit 2.
	for _, args := range [][]string{{"user", "set-role", "carl"}, {"user", "set-role", "carl", "boss", "--user", "alice"},
		{"user", "disable"}, {"user", "enable", "a", "b"}} {
		if code := h.run("", nil, args...); code != exitUsage {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}
