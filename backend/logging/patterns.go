package logging

import (
	"regexp"
	"strings"
)

// Redacted replaces every secret the redactor finds.
const Redacted = "[redacted]"

// sensitiveWords mark attribute keys whose values are never logged. Matching
// is a case-insensitive substring test, so "vendor_iban", "X-Api-Key" and
// "refreshToken" are all caught; over-redacting a harmless key costs less
// than leaking a secret.
var sensitiveWords = []string{
	"password", "passwd", "passphrase", "secret", "token", "apikey", "api_key",
	"authorization", "cookie", "recovery", "credential", "iban", "bic", "key",
}

// benignWords are removed before the test: a key id names a key without
// revealing it, and "public"/"republic" would otherwise match "bic".
var benignWords = []string{"key_id", "key-id", "keyid", "public"}

// sensitiveKey reports whether values under key must be hidden whatever
// they look like.
func sensitiveKey(key string) bool {
	k := strings.ToLower(key)
	for _, b := range benignWords {
		k = strings.ReplaceAll(k, b, "\x00")
	}
	for _, w := range sensitiveWords {
		if strings.Contains(k, w) {
			return true
		}
	}
	return false
}

// The value patterns. RE2 matching is linear in the input, so hostile text
// cannot stall a log call. Hex, base64 and IBAN are deliberately not anchored
// at word boundaries: bank data glued to a label ("ibanDE89…") is still found.
var (
	// "Bearer <token>" keeps the scheme so the line still says what it was.
	bearerRE = regexp.MustCompile(`(?i)(\bbearer\s+)[A-Za-z0-9\-._~+/]+=*`)
	// A JWT: base64url header (always starting with `{"` = eyJ), payload,
	// signature (empty for alg "none").
	jwtRE = regexp.MustCompile(`eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*`)
	// Recovery keys as displayed (groups of four, dashes) or as retyped
	// (spaces). Four-letter words in prose rarely run to ten, and the spaced
	// form must also contain a digit (its pass filters with hasDigit).
	recoveryDashRE  = regexp.MustCompile(`\b[0-9A-Za-z]{4}(?:-[0-9A-Za-z]{4}){5,}\b`)
	recoverySpaceRE = regexp.MustCompile(`\b[0-9A-Za-z]{4}(?: [0-9A-Za-z]{4}){9,}\b`)
	// Hex of 128 bits or more: keys, digests, session ids.
	hexRE = regexp.MustCompile(`[0-9A-Fa-f]{32,}`)
	// Long base64 or base64url runs; see looksRandom for the filter that
	// spares paths and identifiers made of words.
	base64RE = regexp.MustCompile(`[A-Za-z0-9+/_-]{40,}={0,2}`)
	// IBAN: country, check digits, 11-30 alphanumerics, compact or printed
	// in groups of four. The spaced form needs at least 11 characters after
	// the check digits inside the pattern, so no short candidate can hide
	// a real IBAN that starts within it.
	ibanRE = regexp.MustCompile(`[A-Za-z]{2}[0-9]{2}(?:[A-Za-z0-9]{11,30}|` +
		`(?: [A-Za-z0-9]{4}){3,7}(?: [A-Za-z0-9]{1,4})?|(?: [A-Za-z0-9]{4}){2} [A-Za-z0-9]{3,4})`)
)

// RedactString replaces every secret-looking run in s by Redacted: bearer
// tokens, JWTs, recovery keys, long hex and base64, IBANs. Amounts, dates
// and UUIDs pass unchanged.
//
// Passes only ever replace text, and "[redacted]" matches no pattern (its
// brackets break every run), so no pass can reassemble a secret an earlier
// one cut, and a shape measured on the input stays valid for every pass.
// Patterns that span more (tokens, keys) run before the IBAN pass, which
// would otherwise cut a 64-character hex key into pieces and leave the
// pieces readable.
func RedactString(s string) string {
	sh := measure(s)
	for _, p := range passes {
		if p.may(sh) {
			s = p.apply(s)
		}
	}
	return s
}

// pass is one pattern: may is a necessary condition for apply to change
// anything, checked on the input's shape.
type pass struct {
	may   func(sh shape) bool
	apply func(s string) string
}

// passes run in this order; see RedactString.
var passes = []pass{
	{func(sh shape) bool { return sh.bearer },
		func(s string) string { return bearerRE.ReplaceAllString(s, "${1}"+Redacted) }},
	{func(sh shape) bool { return sh.jwt },
		func(s string) string { return jwtRE.ReplaceAllLiteralString(s, Redacted) }},
	{func(sh shape) bool { return sh.dashes >= 5 },
		func(s string) string { return recoveryDashRE.ReplaceAllLiteralString(s, Redacted) }},
	{func(sh shape) bool { return sh.spaces >= 9 },
		func(s string) string { return recoverySpaceRE.ReplaceAllStringFunc(s, redactIf(hasDigit)) }},
	{func(sh shape) bool { return sh.hexRun >= 32 },
		func(s string) string { return hexRE.ReplaceAllLiteralString(s, Redacted) }},
	{func(sh shape) bool { return sh.b64Run >= 40 },
		func(s string) string { return base64RE.ReplaceAllStringFunc(s, redactIf(looksRandom)) }},
	{func(sh shape) bool { return sh.ibanStart },
		func(s string) string { return ibanRE.ReplaceAllLiteralString(s, Redacted) }},
}

// shape holds necessary conditions for each pattern, found in one cheap
// pass, so ordinary text (most log values) skips the regexps: running all
// of them costs tens of microseconds per string.
type shape struct {
	bearer, jwt    bool
	dashes, spaces int
	hexRun, b64Run int  // longest runs of hex and base64 characters
	ibanStart      bool // two letters then two digits somewhere
}

func measure(s string) shape {
	var sh shape
	sh.jwt = strings.Contains(s, "eyJ")
	hexRun, b64Run := 0, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		hexRun = extend(hexRun, isHex(c))
		b64Run = extend(b64Run, isBase64(c))
		sh.hexRun, sh.b64Run = max(sh.hexRun, hexRun), max(sh.b64Run, b64Run)
		switch {
		case c == '-':
			sh.dashes++
		case c == ' ':
			sh.spaces++
		case (c|0x20) == 'b' && i+6 <= len(s) && strings.EqualFold(s[i:i+6], "bearer"):
			sh.bearer = true
		}
		if i+4 <= len(s) && isLetter(c) && isLetter(s[i+1]) && isDigit(s[i+2]) && isDigit(s[i+3]) {
			sh.ibanStart = true
		}
	}
	return sh
}

func extend(run int, in bool) int {
	if in {
		return run + 1
	}
	return 0
}

func redactIf(pred func(string) bool) func(string) string {
	return func(m string) string {
		if pred(m) {
			return Redacted
		}
		return m
	}
}

// looksRandom tells encoded bytes from long paths and identifiers built of
// words: random base64 switches between letters and digits often (about a
// quarter of neighbouring pairs), words and paths almost never do. Two
// switches miss under 0.3% of random 40-character tokens and fewer for
// longer ones. Every part of a rejected run has fewer switches than the
// whole, so rejecting the run hides no shorter token inside it.
func looksRandom(s string) bool {
	switches := 0
	for i := 1; i < len(s); i++ {
		a, b := s[i-1], s[i]
		if (isDigit(a) && isLetter(b)) || (isLetter(a) && isDigit(b)) {
			switches++
		}
	}
	return switches >= 2
}

func hasDigit(s string) bool { return strings.ContainsAny(s, "0123456789") }

func isHex(c byte) bool { return isDigit(c) || ((c|0x20) >= 'a' && (c|0x20) <= 'f') }
func isBase64(c byte) bool {
	return isDigit(c) || isLetter(c) || c == '+' || c == '/' || c == '_' || c == '-'
}
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return (c|0x20) >= 'a' && (c|0x20) <= 'z' }
