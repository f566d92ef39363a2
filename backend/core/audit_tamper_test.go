package core

import (
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/audit"
	"github.com/smartap/desktop/backend/secret"
	"github.com/smartap/desktop/backend/vendor"
)

// security checklist #30: rows edited, deleted, swapped or cut off in the
// SQLite file itself are found by VerifyAudit, at the right entry.
func TestAuditTamperInDatabase(t *testing.T) {
	tests := []struct {
		name   string
		sql    []string
		wantAt uint64
	}{
		{"edit a body byte", []string{"UPDATE audit_entries SET body = CAST(substr(body,1,40) || CASE WHEN substr(body,41,1) = x'00' THEN x'01' ELSE x'00' END || substr(body,42) AS BLOB) WHERE seq = 3"}, 3},
		{"replace the stored hash", []string{"UPDATE audit_entries SET hash = zeroblob(32) WHERE seq = 4"}, 4},
		{"delete a middle entry", []string{"DELETE FROM audit_entries WHERE seq = 4"}, 4},
		{"swap two entries", []string{
			"UPDATE audit_entries SET seq = -1 WHERE seq = 2",
			"UPDATE audit_entries SET seq = 2 WHERE seq = 3",
			"UPDATE audit_entries SET seq = 3 WHERE seq = -1"}, 2},
		{"truncate the tail", []string{"DELETE FROM audit_entries WHERE seq > 5"}, 6},
		{"truncate tail and head row", []string{"DELETE FROM audit_entries WHERE seq > 5", "DELETE FROM audit_heads"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			c, s, _ := e.initAdmin(t)
			for i := 0; i < 4; i++ {
				if _, err := s.AddVendor(ctx, vendor.Input{Name: fmt.Sprintf("Vendor %d", i)}); err != nil {
					t.Fatal(err)
				}
			}
			if n, err := s.VerifyAudit(ctx); err != nil || n != 5 {
				t.Fatalf("clean log: %d %v", n, err)
			}
			s.Lock()
			c.Close()
			raw, err := sql.Open("sqlite3", filepath.Join(e.dir, DBFile))
			if err != nil {
				t.Fatal(err)
			}
			for _, q := range tt.sql {
				if _, err := raw.Exec(q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			raw.Close()
			c = e.open(t)
			s, err = c.Unlock(ctx, "alice", secret.NewPassword(adminPW))
			if err != nil {
				t.Fatalf("unlock refused on a tampered log: %v", err)
			}
			_, err = s.VerifyAudit(ctx)
			var ve *audit.VerifyError
			if apperr.CodeOf(err) != apperr.Integrity || !errors.As(err, &ve) {
				t.Fatalf("verify: %v", err)
			}
			if ve.Index != tt.wantAt {
				t.Fatalf("first bad entry %d (%v), want %d", ve.Index, ve, tt.wantAt)
			}
		})
	}
}
