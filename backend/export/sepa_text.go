package export

import (
	"strings"
	"unicode"
)

// SEPA limits from the EPC implementation guidelines.
const (
	maxSEPAName = 70  // Nm of debtor, creditor, initiating party
	maxSEPAID   = 35  // MsgId, PmtInfId, EndToEndId
	maxSEPARmt  = 140 // RmtInf/Ustrd
)

// translitGroups maps replacement text to the letters it replaces. The
// EPC rulebooks guarantee only the basic Latin set; banks reject or mangle
// anything else, so names are transliterated the way German and Nordic
// banks do (ä → ae, ß → ss) and other accents are dropped.
var translitGroups = map[string]string{
	"A": "ÀÁÂÃÅĀĂĄ", "a": "àáâãåāăą", "Ae": "ÄÆ", "ae": "äæ",
	"C": "ÇĆĈĊČ", "c": "çćĉċč", "D": "ĎĐÐ", "d": "ďđð",
	"E": "ÈÉÊËĒĔĖĘĚ", "e": "èéêëēĕėęě", "G": "ĜĞĠĢ", "g": "ĝğġģ", "H": "ĤĦ", "h": "ĥħ",
	"I": "ÌÍÎÏĨĪĬĮİ", "i": "ìíîïĩīĭįı", "IJ": "Ĳ", "ij": "ĳ", "J": "Ĵ", "j": "ĵ", "K": "Ķ", "k": "ķĸ",
	"L": "ĹĻĽĿŁ", "l": "ĺļľŀł", "N": "ÑŃŅŇŊ", "n": "ñńņňŉŋ",
	"O": "ÒÓÔÕØŌŎŐ", "o": "òóôõøōŏő", "Oe": "ÖŒ", "oe": "öœ",
	"R": "ŔŖŘ", "r": "ŕŗř", "S": "ŚŜŞŠȘ", "s": "śŝşšș", "ss": "ß",
	"T": "ŢŤŦȚ", "t": "ţťŧț", "Th": "Þ", "th": "þ",
	"U": "ÙÚÛŨŪŬŮŰŲ", "u": "ùúûũūŭůűų", "Ue": "Ü", "ue": "ü",
	"W": "Ŵ", "w": "ŵ", "Y": "ÝŶŸ", "y": "ýÿŷ", "Z": "ŹŻŽ", "z": "źżž",
	// Punctuation with a close SEPA equivalent; "&" is written "+" by
	// most banking software ("Müller & Co" → "Mueller + Co").
	"+": "&", "-": "–—‐‑_", "'": "‘’‚`´", "/": "\\",
}

// translit is translitGroups inverted: rune → replacement.
var translit = func() map[rune]string {
	m := map[rune]string{}
	for repl, runes := range translitGroups {
		for _, r := range runes {
			m[r] = repl
		}
	}
	return m
}()

// isSEPAChar reports whether r is in the EPC basic Latin character set:
// a-z A-Z 0-9 / - ? : ( ) . , ' + and space.
func isSEPAChar(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return true
	}
	return strings.ContainsRune("/-?:().,'+ ", r)
}

// sepaText transliterates s into the SEPA character set, turns any
// whitespace into single spaces, drops what has no equivalent, and cuts
// the result at max characters (all ASCII, so bytes).
func sepaText(s string, max int) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case isSEPAChar(r):
			b.WriteRune(r)
		case unicode.IsSpace(r):
			b.WriteByte(' ')
		default:
			b.WriteString(translit[r]) // "" for anything unknown: dropped
		}
	}
	out := strings.Join(strings.Fields(b.String()), " ")
	if len(out) > max {
		out = strings.TrimRight(out[:max], " ")
	}
	return out
}

// endToEndID derives the EndToEndId from an invoice id: only letters,
// digits, "." and "-" are kept (ids travel through bank systems that
// treat other characters differently); when that is longer than 35, the
// hyphens go, which turns a 36-character UUID into its 32 hex digits.
// It returns "" when no usable id of at most 35 characters remains; the
// caller refuses the invoice then, as a cut id could name another one.
func endToEndID(id string) string {
	keep := strings.Map(func(r rune) rune {
		if r < 0x80 && (r == '.' || r == '-' || unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return r
		}
		return -1
	}, id)
	if len(keep) > maxSEPAID {
		keep = strings.ReplaceAll(keep, "-", "")
	}
	if len(keep) > maxSEPAID {
		return ""
	}
	return keep
}

// validSEPAID reports whether s may be a message or payment information
// id: 1 to 35 characters of the SEPA set without spaces, not starting or
// ending with "/" and without "//" (EPC rule for references).
func validSEPAID(s string) bool {
	if s == "" || len(s) > maxSEPAID || strings.HasPrefix(s, "/") || strings.HasSuffix(s, "/") ||
		strings.Contains(s, "//") {
		return false
	}
	for _, r := range s {
		if r == ' ' || !isSEPAChar(r) {
			return false
		}
	}
	return true
}
