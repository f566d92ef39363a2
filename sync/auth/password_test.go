package auth

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

func newPasswords(t *testing.T) *Passwords {
	t.Helper()
	p, err := NewPasswords([]byte("test-pepper"))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// security checklist #7: the production cost is 12 and it is in the hash.
func TestBcryptProductionCost(t *testing.T) {
	if BcryptCost != 12 {
		t.Fatalf("BcryptCost = %d, want 12", BcryptCost)
	}
	if testing.Short() {
		t.Skip("real cost-12 hashing takes seconds under -race")
	}
	old := bcryptCost
	bcryptCost = BcryptCost
	defer func() { bcryptCost = old }()
	p := newPasswords(t)
	h, err := p.Hash("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if c, err := bcrypt.Cost([]byte(h)); err != nil || c != 12 {
		t.Fatalf("cost in hash = %d, %v; want 12", c, err)
	}
	if c, _ := bcrypt.Cost(p.dummy); c != 12 {
		t.Fatalf("dummy hash cost = %d, want 12 so unknown users cost the same (#11)", c)
	}
}

// security checklist #7: per-user salt, params in the hash.
func TestHashSaltedAndSelfDescribing(t *testing.T) {
	p := newPasswords(t)
	h1, err1 := p.Hash("same password")
	h2, err2 := p.Hash("same password")
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if h1 == h2 {
		t.Fatal("equal passwords gave equal hashes: no per-user salt")
	}
	for _, h := range []string{h1, h2} {
		if !strings.HasPrefix(h, "$2a$") {
			t.Errorf("hash %q is not a self-describing bcrypt string", h)
		}
		if err := p.Verify(h, "same password"); err != nil {
			t.Errorf("verify: %v", err)
		}
	}
	if p.NeedsRehash(h1) {
		t.Error("fresh hash reported as needing rehash")
	}
	if !p.NeedsRehash("not a bcrypt hash") {
		t.Error("malformed hash not flagged for rehash")
	}
}

// security checklist #8: no silent truncation at bcrypt's 72 bytes.
func TestNoTruncation(t *testing.T) {
	p := newPasswords(t)
	long := strings.Repeat("a", 100)
	tests := []struct {
		name          string
		stored, tried string
		wantOK        bool
	}{
		{"100 chars, same", long, long, true},
		{"100 chars, differ at byte 80", long, long[:80] + "b" + long[81:], false},
		{"100 chars, differ at last byte", long, long[:99] + "b", false},
		{"72 vs 73 chars", long[:72], long[:73], false},
		{"73 vs 72 chars", long[:73], long[:72], false},
		{"1024 chars accepted", strings.Repeat("x", MaxPasswordLen), strings.Repeat("x", MaxPasswordLen), true},
		{"unicode", "pässwörd-€-密码", "pässwörd-€-密码", true},
		{"wrong password", "hunter2", "hunter3", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, err := p.Hash(tc.stored)
			if err != nil {
				t.Fatal(err)
			}
			err = p.Verify(h, tc.tried)
			if (err == nil) != tc.wantOK {
				t.Fatalf("verify = %v, want ok=%v", err, tc.wantOK)
			}
			if err != nil && !errors.Is(err, ErrInvalidCredentials) {
				t.Fatalf("err = %v, want ErrInvalidCredentials", err)
			}
		})
	}
	for _, bad := range []string{"", strings.Repeat("x", MaxPasswordLen+1)} {
		if _, err := p.Hash(bad); !errors.Is(err, ErrPasswordPolicy) {
			t.Errorf("Hash(len %d) = %v, want ErrPasswordPolicy", len(bad), err)
		}
	}
}

// A different pepper must not verify: the pre-hash key is really used.
func TestPepperMatters(t *testing.T) {
	p := newPasswords(t)
	q, err := NewPasswords(nil)
	if err != nil {
		t.Fatal(err)
	}
	h, _ := p.Hash("pw")
	if q.Verify(h, "pw") == nil {
		t.Fatal("hash verified under a different pepper")
	}
	if err := p.Verify("not a hash", "pw"); !errors.Is(err, ErrInvalidCredentials) {
		t.Fatalf("malformed hash: %v", err)
	}
}
