package intake

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxNameBytes is the longest name most file systems store.
const maxNameBytes = 255

// maxExtBytes is the longest extension kept when a long name is cut.
const maxExtBytes = 16

// SanitizeName turns a client-supplied file name into display metadata.
// Files are stored under random names (security checklist #27); this name
// is only shown and exported, so it must not carry a path, control or
// invisible characters (NUL, bidi overrides such as U+202E that make
// "invoice<U+202E>fdp.exe" shown as "invoiceexe.pdf"), or be empty, ".", "..", or
// longer than 255 bytes. Both '/' and '\' count as separators, whatever
// the platform, since names come from any client.
func SanitizeName(name string) string {
	name = strings.ToValidUTF8(name, "\uFFFD")
	name = strings.Map(dropInvisible, name)
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	// Trim before and after the drive check: " C:x" must lose its drive
	// letter on the first pass, so that sanitising is idempotent.
	name = stripDrive(strings.TrimSpace(name))
	name = strings.TrimSpace(name)
	name = truncateName(name, maxNameBytes)
	if name == "" || name == "." || name == ".." {
		return "unnamed"
	}
	return name
}

// dropInvisible removes control characters (C0, C1, DEL) and format
// characters (Unicode Cf: bidi embeddings/overrides/isolates, zero-width
// characters, the BOM), which can hide or reorder what a name shows.
func dropInvisible(r rune) rune {
	if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
		return -1
	}
	return r
}

// stripDrive removes a Windows drive prefix left in a base name ("C:x.pdf"
// is x.pdf relative to drive C's current folder).
func stripDrive(name string) string {
	if len(name) >= 2 && name[1] == ':' && ((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z')) {
		return name[2:]
	}
	return name
}

// truncateName cuts name to max bytes at a rune boundary, keeping a short
// extension so "very long … name.pdf" still ends in ".pdf".
func truncateName(name string, max int) string {
	if len(name) <= max {
		return name
	}
	ext := ""
	if i := strings.LastIndexByte(name, '.'); i > 0 && len(name)-i <= maxExtBytes {
		name, ext = name[:i], name[i:]
	}
	return strings.TrimSpace(cutRunes(name, max-len(ext))) + ext
}

func cutRunes(s string, max int) string {
	if len(s) <= max {
		return s
	}
	for max > 0 && !utf8.RuneStart(s[max]) {
		max--
	}
	return s[:max]
}
