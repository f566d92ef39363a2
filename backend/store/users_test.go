package store

import (
	"bytes"
	"database/sql"
	"testing"
	"time"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/identity"
)

func TestSetUserRoleAndDisabled(t *testing.T) {
	db, path := openTest(t)
	k := testKeys(t)
	now := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	err := db.Update(ctx, k, func(tx *Tx) error {
		for _, u := range []UserRecord{{ID: "u1", Name: "alice", Role: identity.Admin, WrappedKey: []byte{1}, CreatedAt: now},
			{ID: "u2", Name: "carl", Role: identity.Clerk, WrappedKey: []byte{2}, CreatedAt: now}} {
			if err := tx.InsertUser(u); err != nil {
				return err
			}
		}
		if err := tx.SetUserRole("u2", identity.Approver); err != nil {
			return err
		}
		return tx.SetUserDisabled("u2", true)
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.View(ctx, k, func(tx *Tx) error {
		u, err := tx.UserByName("carl")
		if err != nil || u.Role != identity.Approver || !u.Disabled {
			t.Errorf("after update: %+v %v", u, err)
		}
		names, err := tx.UserNames()
		if err != nil || len(names) != 1 || names[0] != "alice" {
			t.Errorf("disabled users must not be offered at unlock: %v %v", names, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(ctx, k, func(tx *Tx) error {
		if err := tx.SetUserRole("nobody", identity.Admin); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("role of a missing user: %v", err)
		}
		if err := tx.SetUserDisabled("nobody", true); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("disable a missing user: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(ctx, nil, func(tx *Tx) error { return tx.SetUserRole("u2", identity.Admin) }); err == nil {
		t.Error("a role was set without the keys")
	}
	// The new role is sealed: its name is nowhere in the file, and a sealed
	// role copied to another row does not open there.
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var env []byte
	if err := raw.QueryRow("SELECT role_sealed FROM users WHERE id = 'u2'").Scan(&env); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(env, []byte("approver")) {
		t.Fatal("the role is stored in the clear")
	}
	if _, err := raw.Exec("UPDATE users SET role_sealed = ? WHERE id = 'u1'", env); err != nil {
		t.Fatal(err)
	}
	err = db.View(ctx, k, func(tx *Tx) error { _, err := tx.UserByName("alice"); return err })
	if apperr.CodeOf(err) != apperr.Integrity {
		t.Fatalf("a role moved between users must not open: %v", err)
	}
}
