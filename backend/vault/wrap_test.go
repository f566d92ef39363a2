package vault

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/smartap/desktop/backend/secret"
)

const (
	testFolder = "folder-1"
	testUser   = "user-1"
	testPW     = "a long enough test password"
)

var (
	fixtureOnce sync.Once
	fixtureEnv  []byte
	fixtureErr  error
)

// fixture is one envelope of key(0) for testFolder/testUser under device
// key(0x20) and testPW, made once because Argon2 dominates test time.
func fixture(t *testing.T) []byte {
	t.Helper()
	fixtureOnce.Do(func() {
		fixtureEnv, fixtureErr = Wrap(key(0), key(0x20), secret.NewPassword(testPW), testFolder, testUser, testKDF)
	})
	if fixtureErr != nil {
		t.Fatal(fixtureErr)
	}
	return bytes.Clone(fixtureEnv)
}

func TestWrapRoundTrip(t *testing.T) {
	t.Parallel()
	dek, err := Unwrap(fixture(t), key(0x20), secret.NewPassword(testPW), testFolder, testUser)
	if err != nil {
		t.Fatal(err)
	}
	if !dek.Equal(key(0)) {
		t.Fatal("Unwrap gave another key")
	}
}

// Security checklist #2: the data key exists on disk only wrapped.
func TestWrapHidesKey(t *testing.T) {
	t.Parallel()
	env := fixture(t)
	if bytes.Contains(env, key(0).Reveal()) || bytes.Contains(env, key(0x20).Reveal()) {
		t.Fatal("envelope contains the raw data key or device secret")
	}
	if bytes.Contains(env, []byte(testPW)) {
		t.Fatal("envelope contains the password")
	}
}

func TestUnwrapRejects(t *testing.T) {
	t.Parallel()
	mutate := func(f func([]byte) []byte) []byte { return f(fixture(t)) }
	setParams := func(p KDFParams) []byte {
		return mutate(func(e []byte) []byte { appendParams(e[:2], p); return e })
	}
	recEnv, err := WrapRecovery(key(0), key(0x80), testFolder)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name           string
		env            []byte
		device         secret.Bytes
		pw             string
		folder, user   string
		want           error
		wantMsgContain string
	}{
		{name: "wrong password", pw: testPW + "!", want: ErrWrongKey},
		{name: "wrong device secret", device: key(0x21), want: ErrWrongKey},
		{name: "other user", user: "user-2", want: ErrWrongKey},
		{name: "other folder", folder: "folder-2", want: ErrWrongKey},
		{name: "flipped ciphertext bit", env: mutate(func(e []byte) []byte { e[len(e)-1] ^= 1; return e }), want: ErrWrongKey},
		{name: "flipped salt bit", env: mutate(func(e []byte) []byte { e[12] ^= 1; return e }), want: ErrWrongKey},
		{name: "params raised", env: setParams(KDFParams{Time: 3, MemoryKiB: MinKDF.MemoryKiB, Threads: 1}), want: ErrWrongKey},
		{name: "version 0", env: mutate(func(e []byte) []byte { e[0] = 0; return e }), want: ErrVersion},
		{name: "version 2", env: mutate(func(e []byte) []byte { e[0] = 2; return e }), want: ErrVersion},
		{name: "unknown KDF id", env: mutate(func(e []byte) []byte { e[1] = 9; return e }), want: ErrVersion},
		{name: "recovery envelope", env: recEnv, want: ErrMalformed, wantMsgContain: "UnwrapRecovery"},
		{name: "time below minimum", env: setParams(KDFParams{Time: 1, MemoryKiB: 64 * 1024, Threads: 4}), want: ErrWeakParams},
		{name: "memory below minimum", env: setParams(KDFParams{Time: 3, MemoryKiB: 19*1024 - 1, Threads: 4}), want: ErrWeakParams},
		{name: "zero threads", env: setParams(KDFParams{Time: 3, MemoryKiB: 64 * 1024, Threads: 0}), want: ErrWeakParams},
		{name: "absurd memory", env: setParams(KDFParams{Time: 3, MemoryKiB: 1 << 31, Threads: 4}), want: ErrMalformed},
		{name: "absurd time", env: setParams(KDFParams{Time: 1 << 20, MemoryKiB: 64 * 1024, Threads: 4}), want: ErrMalformed},
		{name: "truncated", env: mutate(func(e []byte) []byte { return e[:len(e)-1] }), want: ErrMalformed},
		{name: "extended", env: mutate(func(e []byte) []byte { return append(e, 0) }), want: ErrMalformed},
		{name: "header only", env: mutate(func(e []byte) []byte { return e[:wrapHeaderLen] }), want: ErrMalformed},
		{name: "one byte", env: []byte{1}, want: ErrMalformed},
		{name: "empty", env: []byte{}, want: ErrMalformed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env, device, pw, folder, user := tc.env, tc.device, tc.pw, tc.folder, tc.user
			if env == nil {
				env = fixture(t)
			}
			if device.IsZero() {
				device = key(0x20)
			}
			if pw == "" {
				pw = testPW
			}
			if folder == "" {
				folder = testFolder
			}
			if user == "" {
				user = testUser
			}
			dek, err := Unwrap(env, device, secret.NewPassword(pw), folder, user)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if !dek.IsZero() {
				t.Fatal("a key came back with the error")
			}
			if !strings.Contains(err.Error(), tc.wantMsgContain) {
				t.Fatalf("error %q does not mention %q", err, tc.wantMsgContain)
			}
		})
	}
}

// A wrong password and a wrong device secret must be indistinguishable, or
// the error is an oracle for which factor an attacker already holds.
func TestWrongKeyNoOracle(t *testing.T) {
	t.Parallel()
	env := fixture(t)
	_, errPW := Unwrap(env, key(0x20), secret.NewPassword("nope"), testFolder, testUser)
	_, errDev := Unwrap(env, key(0x99), secret.NewPassword(testPW), testFolder, testUser)
	if errPW != ErrWrongKey || errDev != ErrWrongKey {
		t.Fatalf("want the bare ErrWrongKey twice, got %v / %v", errPW, errDev)
	}
}

// Security checklist #8: no truncation of long passwords (bcrypt's 72 bytes).
func TestLongPasswordsNotTruncated(t *testing.T) {
	t.Parallel()
	base := strings.Repeat("p", 99)
	a, b := base+"a", base+"b"
	if len(a) != 100 || a[:72] != b[:72] {
		t.Fatal("bad test setup")
	}
	env, err := Wrap(key(0), key(0x20), secret.NewPassword(a), testFolder, testUser, testKDF)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Unwrap(env, key(0x20), secret.NewPassword(a), testFolder, testUser); err != nil {
		t.Fatalf("the 100-char password itself: %v", err)
	}
	if _, err := Unwrap(env, key(0x20), secret.NewPassword(b), testFolder, testUser); !errors.Is(err, ErrWrongKey) {
		t.Fatalf("a password differing only in byte 100 unwrapped: %v", err)
	}
}

// Checklists #4 and #7: salt and nonce are fresh per envelope, so equal
// passwords give unrelated envelopes.
func TestWrapFreshSaltAndNonce(t *testing.T) {
	t.Parallel()
	e1 := fixture(t)
	e2, err := Wrap(key(0), key(0x20), secret.NewPassword(testPW), testFolder, testUser, testKDF)
	if err != nil {
		t.Fatal(err)
	}
	salt := func(e []byte) []byte { return e[2+paramsSize : wrapHeaderLen] }
	nonce := func(e []byte) []byte { return e[wrapHeaderLen : wrapHeaderLen+24] }
	if bytes.Equal(salt(e1), salt(e2)) || bytes.Equal(nonce(e1), nonce(e2)) || bytes.Equal(e1[wrapHeaderLen+24:], e2[wrapHeaderLen+24:]) {
		t.Fatal("two wraps of the same key share salt, nonce or ciphertext")
	}
}

func TestWrapStoresParams(t *testing.T) {
	t.Parallel()
	p := KDFParams{Time: 2, MemoryKiB: 20 * 1024, Threads: 2}
	env, err := Wrap(key(0), key(0x20), secret.NewPassword(testPW), testFolder, testUser, p)
	if err != nil {
		t.Fatal(err)
	}
	got := KDFParams{binary.BigEndian.Uint32(env[2:]), binary.BigEndian.Uint32(env[6:]), env[10]}
	if got != p {
		t.Fatalf("envelope records %+v, want %+v", got, p)
	}
	if _, err := Unwrap(env, key(0x20), secret.NewPassword(testPW), testFolder, testUser); err != nil {
		t.Fatal(err)
	}
}

// The one test that pays for DefaultKDF, so the production setting is known
// to work end to end.
func TestWrapDefaultKDF(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("DefaultKDF is slow under -race")
	}
	dek := mustRandom(t)
	env, err := Wrap(dek, key(0x20), secret.NewPassword(testPW), testFolder, testUser, DefaultKDF)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Unwrap(env, key(0x20), secret.NewPassword(testPW), testFolder, testUser)
	if err != nil || !got.Equal(dek) {
		t.Fatalf("DefaultKDF round trip: %v", err)
	}
}

func TestWrapRefuses(t *testing.T) {
	t.Parallel()
	pw := secret.NewPassword(testPW)
	tests := []struct {
		name         string
		dek, device  secret.Bytes
		pw           secret.Password
		folder, user string
		p            KDFParams
		want         error
	}{
		{"weak time", key(0), key(0x20), pw, testFolder, testUser, KDFParams{1, 64 * 1024, 4}, ErrWeakParams},
		{"weak memory", key(0), key(0x20), pw, testFolder, testUser, KDFParams{3, 1024, 4}, ErrWeakParams},
		{"zero params", key(0), key(0x20), pw, testFolder, testUser, KDFParams{}, ErrWeakParams},
		{"absurd params", key(0), key(0x20), pw, testFolder, testUser, KDFParams{3, 1 << 31, 4}, ErrMalformed},
		{"short data key", secret.New(make([]byte, 16)), key(0x20), pw, testFolder, testUser, testKDF, nil},
		{"no device secret", key(0), secret.Bytes{}, pw, testFolder, testUser, testKDF, nil},
		{"empty password", key(0), key(0x20), secret.Password{}, testFolder, testUser, testKDF, nil},
		{"no folder", key(0), key(0x20), pw, "", testUser, testKDF, nil},
		{"no user", key(0), key(0x20), pw, testFolder, "", testKDF, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env, err := Wrap(tc.dek, tc.device, tc.pw, tc.folder, tc.user, tc.p)
			if err == nil || env != nil {
				t.Fatalf("Wrap accepted it: %x", env)
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestWrapRandomFailure(t *testing.T) {
	withRand(t, nil)
	randReader = failingReader{}
	if _, err := Wrap(key(0), key(0x20), secret.NewPassword(testPW), testFolder, testUser, testKDF); err == nil {
		t.Fatal("Wrap succeeded without randomness")
	}
	if _, err := NewDataKey(); err == nil {
		t.Fatal("NewDataKey succeeded without randomness")
	}
}
