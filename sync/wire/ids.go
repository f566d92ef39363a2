package wire

import (
	"fmt"
	"strconv"
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
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' ||
		!lowerHex(s[:8]) || !lowerHex(s[9:13]) || !lowerHex(s[14:18]) || !lowerHex(s[19:23]) || !lowerHex(s[24:]) {
		return fieldErr(path, "not a lowercase UUID")
	}
	return nil
}

// lowerHex reports whether s is all lowercase hex digits.
func lowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isLowerHex(s[i]) {
			return false
		}
	}
	return true
}

func isLowerHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' }

// checkName accepts snake_case names (entity types, fields, commands,
// rejection codes): they select code paths, so they are kept to one
// spelling.
func checkName(path, s string) error {
	if fault := nameFault(s); fault != "" {
		return fieldErr(path, "%s", fault)
	}
	return nil
}

// nameFault is checkName's test without a path: what is wrong with s, or
// "" when it is a valid name. Callers on hot paths build the path only
// when this is not "".
func nameFault(s string) string {
	switch {
	case s == "":
		return "required"
	case len(s) > maxID:
		return tooLongID
	case s[0] < 'a' || s[0] > 'z':
		return "must start with a-z"
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return "must be snake_case [a-z0-9_]"
		}
	}
	return ""
}

// tooLongID is the fault of a name or id over maxID bytes.
var tooLongID = fmt.Sprintf("longer than %d bytes", maxID)

// checkText accepts free text up to max bytes. Valid UTF-8 is required so
// that what Encode sends is exactly what Decode returns (encoding/json would
// replace invalid bytes).
func checkText(path, s string, max int, required bool) error {
	if fault := textFault(s, max, required); fault != "" {
		return fieldErr(path, "%s", fault)
	}
	return nil
}

// textFault is checkText's test without a path ("" when s is valid).
func textFault(s string, max int, required bool) string {
	switch {
	case required && s == "":
		return "required"
	case len(s) > max:
		return "longer than " + strconv.Itoa(max) + " bytes"
	case !utf8.ValidString(s):
		return "not valid UTF-8"
	}
	return ""
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
