// Package authtest holds the TokenStore conformance suite. Every store
// (memory, SQLite, PostgreSQL) runs it so they share one error contract.
package authtest

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/smartap/desktop/sync/auth"
)

// base is a fixed instant with microsecond precision, so SQL stores that
// keep microseconds round-trip it exactly.
var base = time.Date(2026, 3, 1, 12, 0, 0, 123456000, time.UTC)

func hash(s string) auth.TokenHash { return sha256.Sum256([]byte(s)) }

func family(id, user string) auth.Family {
	return auth.Family{ID: id, UserID: user, CreatedAt: base, ExpiresAt: base.Add(24 * time.Hour)}
}

func record(tok, fam, user string) auth.RefreshRecord {
	return auth.RefreshRecord{Hash: hash(tok), FamilyID: fam, UserID: user, IssuedAt: base, ExpiresAt: base.Add(time.Hour)}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantErr(t *testing.T, got, want error) {
	t.Helper()
	if !errors.Is(got, want) {
		t.Fatalf("err = %v, want %v", got, want)
	}
}

// StoreConformance runs the TokenStore contract against fresh stores from
// newStore (one per subtest).
func StoreConformance(t *testing.T, newStore func() auth.TokenStore) {
	ctx := context.Background()
	tests := []struct {
		name string
		run  func(t *testing.T, s auth.TokenStore)
	}{
		{"family round trip", func(t *testing.T, s auth.TokenStore) {
			f := family("f1", "u1")
			must(t, s.CreateFamily(ctx, f))
			got, err := s.GetFamily(ctx, "f1")
			must(t, err)
			if got.ID != f.ID || got.UserID != f.UserID || !got.CreatedAt.Equal(f.CreatedAt) ||
				!got.ExpiresAt.Equal(f.ExpiresAt) || got.Revoked() {
				t.Fatalf("got %+v, want %+v", got, f)
			}
		}},
		{"duplicate family", func(t *testing.T, s auth.TokenStore) {
			must(t, s.CreateFamily(ctx, family("f1", "u1")))
			wantErr(t, s.CreateFamily(ctx, family("f1", "u2")), auth.ErrExists)
		}},
		{"missing family", func(t *testing.T, s auth.TokenStore) {
			_, err := s.GetFamily(ctx, "nope")
			wantErr(t, err, auth.ErrNotFound)
			wantErr(t, s.RevokeFamily(ctx, "nope", base, "x"), auth.ErrNotFound)
		}},
		{"token round trip", func(t *testing.T, s auth.TokenStore) {
			must(t, s.CreateFamily(ctx, family("f1", "u1")))
			r := record("t1", "f1", "u1")
			must(t, s.Insert(ctx, r))
			got, err := s.GetByHash(ctx, r.Hash)
			must(t, err)
			if got.Hash != r.Hash || got.FamilyID != "f1" || got.UserID != "u1" ||
				!got.IssuedAt.Equal(r.IssuedAt) || !got.ExpiresAt.Equal(r.ExpiresAt) || !got.UsedAt.IsZero() {
				t.Fatalf("got %+v, want %+v", got, r)
			}
		}},
		{"missing token", func(t *testing.T, s auth.TokenStore) {
			_, err := s.GetByHash(ctx, hash("none"))
			wantErr(t, err, auth.ErrNotFound)
			wantErr(t, s.MarkUsed(ctx, hash("none"), base, hash("next")), auth.ErrNotFound)
		}},
		{"insert duplicate hash", func(t *testing.T, s auth.TokenStore) {
			must(t, s.CreateFamily(ctx, family("f1", "u1")))
			must(t, s.Insert(ctx, record("t1", "f1", "u1")))
			wantErr(t, s.Insert(ctx, record("t1", "f1", "u1")), auth.ErrExists)
		}},
		{"insert into unknown family", func(t *testing.T, s auth.TokenStore) {
			wantErr(t, s.Insert(ctx, record("t1", "nope", "u1")), auth.ErrNotFound)
		}},
		{"insert into revoked family", func(t *testing.T, s auth.TokenStore) {
			must(t, s.CreateFamily(ctx, family("f1", "u1")))
			must(t, s.RevokeFamily(ctx, "f1", base, "logout"))
			wantErr(t, s.Insert(ctx, record("t1", "f1", "u1")), auth.ErrFamilyRevoked)
		}},
		{"mark used once", func(t *testing.T, s auth.TokenStore) {
			must(t, s.CreateFamily(ctx, family("f1", "u1")))
			must(t, s.Insert(ctx, record("t1", "f1", "u1")))
			at := base.Add(time.Minute)
			if got, err := s.GetByHash(ctx, hash("t1")); err != nil || got.Successor != (auth.TokenHash{}) {
				t.Fatalf("unused token: successor %x, %v", got.Successor, err)
			}
			must(t, s.MarkUsed(ctx, hash("t1"), at, hash("t2")))
			wantErr(t, s.MarkUsed(ctx, hash("t1"), at.Add(time.Minute), hash("t3")), auth.ErrAlreadyUsed)
			got, err := s.GetByHash(ctx, hash("t1"))
			must(t, err)
			if !got.UsedAt.Equal(at) || got.Successor != hash("t2") {
				t.Fatalf("UsedAt = %v, successor %x; want first use %v and t2", got.UsedAt, got.Successor, at)
			}
		}},
		{"concurrent mark used has one winner", func(t *testing.T, s auth.TokenStore) {
			must(t, s.CreateFamily(ctx, family("f1", "u1")))
			must(t, s.Insert(ctx, record("t1", "f1", "u1")))
			const n = 16
			errs := make(chan error, n)
			var wg sync.WaitGroup
			for range n {
				wg.Go(func() { errs <- s.MarkUsed(ctx, hash("t1"), base, hash("t2")) })
			}
			wg.Wait()
			close(errs)
			wins := 0
			for err := range errs {
				if err == nil {
					wins++
				} else if !errors.Is(err, auth.ErrAlreadyUsed) {
					t.Fatal(err)
				}
			}
			if wins != 1 {
				t.Fatalf("%d winners, want 1", wins)
			}
		}},
		{"revoke family keeps first reason", func(t *testing.T, s auth.TokenStore) {
			must(t, s.CreateFamily(ctx, family("f1", "u1")))
			must(t, s.RevokeFamily(ctx, "f1", base, "reuse"))
			must(t, s.RevokeFamily(ctx, "f1", base.Add(time.Hour), "logout"))
			f, err := s.GetFamily(ctx, "f1")
			must(t, err)
			if !f.RevokedAt.Equal(base) || f.Reason != "reuse" {
				t.Fatalf("got %+v", f)
			}
		}},
		{"revoke user", func(t *testing.T, s auth.TokenStore) {
			for i, u := range []string{"u1", "u1", "u2"} {
				must(t, s.CreateFamily(ctx, family(fmt.Sprint("f", i), u)))
			}
			must(t, s.RevokeFamily(ctx, "f0", base, "logout"))
			n, err := s.RevokeUser(ctx, "u1", base.Add(time.Minute), "disabled")
			must(t, err)
			if n != 1 {
				t.Fatalf("revoked %d, want 1 (f0 was already revoked)", n)
			}
			for id, want := range map[string]string{"f0": "logout", "f1": "disabled", "f2": ""} {
				f, err := s.GetFamily(ctx, id)
				must(t, err)
				if f.Reason != want || f.Revoked() != (want != "") {
					t.Errorf("%s: %+v, want reason %q", id, f, want)
				}
			}
			n, err = s.RevokeUser(ctx, "nobody", base, "disabled")
			if err != nil || n != 0 {
				t.Fatalf("unknown user: %d, %v", n, err)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, newStore()) })
	}
}
