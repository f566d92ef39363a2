package wire

import (
	"strings"
	"unicode/utf8"
)

// maxID is the longest identifier. UUIDs (36) and ULIDs (26) fit with room.
const maxID = 64

// checkID accepts opaque identifiers (devices, users, teams, entities,
// message ids): 1 to 64 of [A-Za-z0-9._-]. The narrow alphabet keeps ids
// safe in logs, file names and the "<ms>-<counter>-<device>" clock text.
func checkID(path, s string) error {
	if s == "" {
		return fieldErr(path, "required")
	}
	if len(s) > maxID {
		return fieldErr(path, "longer than %d bytes", maxID)
	}
	for i := 0; i < len(s); i++ {
		if !isIDByte(s[i]) {
			return fieldErr(path, "byte %d is not one of [A-Za-z0-9._-]", i)
		}
	}
	return nil
}

func isIDByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '.' || c == '_' || c == '-'
}

// checkUUID accepts the canonical lowercase text form of a UUID. Operation
// and exception ids must be random UUIDs: push is idempotent by op id, so a
// guessable or reused id would silently drop a later operation.
func checkUUID(path, s string) error {
	if len(s) != 36 {
		return fieldErr(path, "not a lowercase UUID")
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		dash := i == 8 || i == 13 || i == 18 || i == 23
		if dash && c != '-' || !dash && !isLowerHex(c) {
			return fieldErr(path, "not a lowercase UUID")
		}
	}
	return nil
}

func isLowerHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' }

// checkName accepts snake_case names (entity types, fields, commands,
// rejection codes): they select code paths, so they are kept to one
// spelling.
func checkName(path, s string) error {
	if s == "" {
		return fieldErr(path, "required")
	}
	if len(s) > maxID {
		return fieldErr(path, "longer than %d bytes", maxID)
	}
	if s[0] < 'a' || s[0] > 'z' {
		return fieldErr(path, "must start with a-z")
	}
	if strings.Trim(s, "abcdefghijklmnopqrstuvwxyz0123456789_") != "" {
		return fieldErr(path, "must be snake_case [a-z0-9_]")
	}
	return nil
}

// checkText accepts free text up to max bytes. Valid UTF-8 is required so
// that what Encode sends is exactly what Decode returns (encoding/json would
// replace invalid bytes).
func checkText(path, s string, max int, required bool) error {
	switch {
	case required && s == "":
		return fieldErr(path, "required")
	case len(s) > max:
		return fieldErr(path, "longer than %d bytes", max)
	case !utf8.ValidString(s):
		return fieldErr(path, "not valid UTF-8")
	}
	return nil
}

// checkCount refuses lists outside [min, max].
func checkCount(path string, n, min, max int) error {
	if n < min {
		return fieldErr(path, "needs at least %d entries", min)
	}
	if n > max {
		return tooLarge(path, n, max)
	}
	return nil
}
