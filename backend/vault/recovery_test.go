package vault

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/smartap/desktop/backend/secret"
)

var displayRE = regexp.MustCompile(`^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){13}$`)

func TestNewRecoveryKey(t *testing.T) {
	t.Parallel()
	display, k, err := NewRecoveryKey()
	if err != nil {
		t.Fatal(err)
	}
	if k.Len() != KeySize || !displayRE.MatchString(display) {
		t.Fatalf("display %q / key length %d", display, k.Len())
	}
	back, err := ParseRecoveryKey(display)
	if err != nil || !back.Equal(k) {
		t.Fatalf("display does not parse back: %v", err)
	}
	display2, k2, err := NewRecoveryKey()
	if err != nil || display2 == display || k2.Equal(k) {
		t.Fatal("two recovery keys are equal")
	}
}

func TestParseRecoveryKeyTolerant(t *testing.T) {
	t.Parallel()
	k := key(0x80)
	d := formatRecoveryKey(k)
	lookalike := strings.NewReplacer("1", "l", "0", "O").Replace(d)
	tests := map[string]string{
		"canonical":     d,
		"lower case":    strings.ToLower(d),
		"no dashes":     strings.ReplaceAll(d, "-", ""),
		"spaces":        strings.ReplaceAll(d, "-", " "),
		"padded":        "  " + d + "\n",
		"line breaks":   strings.ReplaceAll(d, "-", "\r\n"),
		"extra dashes":  strings.ReplaceAll(d, "-", "--"),
		"I L O for 1 0": lookalike,
		"mixed":         strings.ToLower(lookalike[:20]) + lookalike[20:],
	}
	if lookalike == d {
		t.Fatal("test key has no 0 or 1 to swap")
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := ParseRecoveryKey(in)
			if err != nil || !got.Equal(k) {
				t.Fatalf("ParseRecoveryKey: %v", err)
			}
		})
	}
}

func TestParseRecoveryKeyTypos(t *testing.T) {
	t.Parallel()
	d := formatRecoveryKey(key(0x80))
	plain := strings.ReplaceAll(d, "-", "")
	var typos []string
	// Every single-character substitution must be caught by the checksum.
	for i := range plain {
		c := byte('A')
		if plain[i] == c {
			c = 'B'
		}
		typos = append(typos, plain[:i]+string(c)+plain[i+1:])
	}
	// And every swap of two neighbouring, different characters.
	for i := 0; i+1 < len(plain); i++ {
		if plain[i] != plain[i+1] {
			typos = append(typos, plain[:i]+string(plain[i+1])+string(plain[i])+plain[i+2:])
		}
	}
	typos = append(typos,
		plain[:len(plain)-1], plain+"0", "", "----",
		strings.Replace(plain, plain[:1], "U", 1),
		strings.Replace(plain, plain[:1], "!", 1),
		strings.Replace(plain, plain[:1], "é", 1),
		d[:len(d)-5], // one group short
	)
	for _, in := range typos {
		if _, err := ParseRecoveryKey(in); !errors.Is(err, ErrInvalidRecoveryKey) {
			t.Errorf("ParseRecoveryKey(%q) = %v, want ErrInvalidRecoveryKey", in, err)
		}
	}
}

// A mistyped recovery key is almost the key: errors must not quote it.
func TestParseRecoveryKeyErrorsDoNotEcho(t *testing.T) {
	t.Parallel()
	d := formatRecoveryKey(key(0x80))
	for _, in := range []string{d[:len(d)-1] + "A", d + "-AAAA", "ZZZZ-" + d[5:] + "!", strings.ToLower(d[:10]) + "u"} {
		_, err := ParseRecoveryKey(in)
		if err == nil {
			t.Fatalf("accepted %q", in)
		}
		for _, g := range strings.Split(strings.ToUpper(d), "-")[1:] {
			if strings.Contains(strings.ToUpper(err.Error()), g) {
				t.Fatalf("error %q quotes part of the key", err)
			}
		}
	}
	_, err := ParseRecoveryKey("ABCD-EFGH-!")
	if err == nil || !strings.Contains(err.Error(), "group 3") {
		t.Fatalf("want the group of the bad character, got %v", err)
	}
}

func TestRecoveryRoundTrip(t *testing.T) {
	t.Parallel()
	dek := mustRandom(t)
	display, rk, err := NewRecoveryKey()
	if err != nil {
		t.Fatal(err)
	}
	env, err := WrapRecovery(dek, rk, testFolder)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(env, dek.Reveal()) {
		t.Fatal("recovery envelope contains the raw data key")
	}
	typed, err := ParseRecoveryKey(strings.ToLower(display))
	if err != nil {
		t.Fatal(err)
	}
	got, err := UnwrapRecovery(env, typed, testFolder)
	if err != nil || !got.Equal(dek) {
		t.Fatalf("UnwrapRecovery: %v", err)
	}
}

func TestUnwrapRecoveryRejects(t *testing.T) {
	t.Parallel()
	env, err := WrapRecovery(key(0), key(0x80), testFolder)
	if err != nil {
		t.Fatal(err)
	}
	edit := func(f func([]byte) []byte) []byte { return f(bytes.Clone(env)) }
	tests := []struct {
		name   string
		env    []byte
		rk     secret.Bytes
		folder string
		want   error
	}{
		{"wrong recovery key", env, key(0x81), testFolder, ErrWrongKey},
		{"other folder", env, key(0x80), "folder-2", ErrWrongKey},
		{"flipped bit", edit(func(e []byte) []byte { e[40] ^= 0x10; return e }), key(0x80), testFolder, ErrWrongKey},
		{"version 2", edit(func(e []byte) []byte { e[0] = 2; return e }), key(0x80), testFolder, ErrVersion},
		{"unknown KDF id", edit(func(e []byte) []byte { e[1] = 0; return e }), key(0x80), testFolder, ErrVersion},
		{"password envelope", fixture(t), key(0x80), testFolder, ErrMalformed},
		{"truncated", env[:len(env)-1], key(0x80), testFolder, ErrMalformed},
		{"extended", append(bytes.Clone(env), 0), key(0x80), testFolder, ErrMalformed},
		{"empty", nil, key(0x80), testFolder, ErrMalformed},
		{"short recovery key", env, secret.New(make([]byte, 16)), testFolder, nil},
		{"no folder", env, key(0x80), "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := UnwrapRecovery(tc.env, tc.rk, tc.folder)
			if err == nil || !got.IsZero() {
				t.Fatal("UnwrapRecovery accepted it")
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

// Security checklist #4: nonces never repeat across many encryptions of the
// same key under the same recovery key (the HKDF-only path is cheap enough
// to run thousands of times).
func TestWrapRecoveryUniqueNonces(t *testing.T) {
	t.Parallel()
	const n = 5000
	seen := make(map[string]bool, 2*n)
	for range n {
		env, err := WrapRecovery(key(0), key(0x80), testFolder)
		if err != nil {
			t.Fatal(err)
		}
		nonce, ct := string(env[2:26]), string(env[26:])
		if seen[nonce] || seen[ct] {
			t.Fatal("nonce or ciphertext repeated")
		}
		seen[nonce], seen[ct] = true, true
	}
}

func TestWrapRecoveryRefuses(t *testing.T) {
	t.Parallel()
	for name, f := range map[string]func() ([]byte, error){
		"short data key":     func() ([]byte, error) { return WrapRecovery(secret.New([]byte{1}), key(0x80), testFolder) },
		"short recovery key": func() ([]byte, error) { return WrapRecovery(key(0), secret.Bytes{}, testFolder) },
		"no folder":          func() ([]byte, error) { return WrapRecovery(key(0), key(0x80), "") },
	} {
		if env, err := f(); err == nil || env != nil {
			t.Errorf("%s: WrapRecovery accepted it", name)
		}
	}
}
